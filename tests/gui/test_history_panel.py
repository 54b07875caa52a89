"""The History panel against a real SQLite history: sorting, filtering, CSV export, deletion."""

from __future__ import annotations

import csv
import itertools
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from desktop.context import Context
from desktop.services.voiceprint_result import Candidate, SessionResult
from desktop.ui.context import UiContext
from desktop.ui.history_model import COLUMNS
from desktop.ui.panels.history import HistoryPanel
from tests.gui.conftest import panel as show


def verify_result(user: str, scores: list[tuple[str, float]], prompt: str, heard: str) -> SessionResult:
    return SessionResult(
        kind="verify",
        user=user,
        status=200,
        voice_accepted=scores[0][0] == user,
        candidates=[Candidate(n, s) for n, s in scores],
        number=heard,
        prompt=prompt,
    )


@pytest.fixture
def ui(tmp_path: Path) -> Iterator[UiContext]:
    ctx = Context()
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    yield UiContext(ctx=ctx, settings=settings)
    ctx.close()


@pytest.fixture
def filled(ui: UiContext, monkeypatch: pytest.MonkeyPatch) -> UiContext:
    """Five attempts at known times: two people, both kinds, every interesting decision."""
    clock = itertools.count(1000.0, 1000.0)
    # Only the store's clock moves: patching time.time itself would reach Qt and pytest too.
    fake_time = SimpleNamespace(time=lambda: next(clock), strftime=time.strftime, localtime=time.localtime)
    monkeypatch.setattr("desktop.store.history.time", fake_time)
    h = ui.history
    enrol_ok = SessionResult(kind="enrol", user="alice", status=200, voice_accepted=True)
    h.record(profile="sandbox", kind="enrol", user="alice", result=enrol_ok, consent=True)
    h.record(profile="sandbox", kind="enrol", user="Bob", result=enrol_ok, consent=True)
    h.record(
        profile="sandbox",
        kind="verify",
        user="alice",
        result=verify_result("alice", [("alice", 0.91), ("Bob", 0.42), ("carol", 0.1)], "1234", "1234"),
    )
    h.record(
        profile="sandbox",
        kind="verify",
        user="Bob",
        result=verify_result("Bob", [("alice", 0.75), ("Bob", 0.7), ("carol", 0.2)], "5678", "5670"),
    )
    h.record(profile="sandbox", kind="verify", user="dave", error="connection dropped")
    return ui


@pytest.fixture
def panel(qtbot: Any, filled: UiContext) -> HistoryPanel:
    p = HistoryPanel(filled)
    qtbot.addWidget(p)
    with qtbot.waitSignal(p.loaded, timeout=5000):
        p.show()  # the panel reads the store when shown, in the background
    return p


def column(panel: HistoryPanel, name: str) -> list[str]:
    c = COLUMNS.index(name)
    return [panel.proxy.index(r, c).data() for r in range(panel.proxy.rowCount())]


def test_shows_every_attempt_newest_first(panel: HistoryPanel) -> None:
    assert panel.proxy.rowCount() == 5
    assert column(panel, "user") == ["dave", "Bob", "alice", "Bob", "alice"]
    assert column(panel, "decision") == ["Error", "Rejected", "Accepted", "Enrolled", "Enrolled"]
    # "Top score" became two columns: the claimed user's own score, and the best other voice's.
    assert column(panel, "own_score") == ["", "0.7000", "0.9100", "", ""]
    assert column(panel, "best_other") == ["", "0.7500", "0.4200", "", ""]
    assert column(panel, "digits_match") == ["—", "No", "Yes", "—", "—"]
    assert "5 of 5" in panel.count_label.text()


def test_sorts_by_raw_values_not_text(panel: HistoryPanel) -> None:
    panel.table.sortByColumn(COLUMNS.index("best_other"), Qt.SortOrder.DescendingOrder)
    scores = column(panel, "best_other")
    assert scores[:2] == ["0.7500", "0.4200"]
    assert scores[2:] == ["", "", ""]  # no score sorts below every score
    panel.table.sortByColumn(COLUMNS.index("user"), Qt.SortOrder.AscendingOrder)
    assert column(panel, "user") == ["alice", "alice", "Bob", "Bob", "dave"]  # case-insensitive
    panel.table.sortByColumn(COLUMNS.index("created"), Qt.SortOrder.AscendingOrder)
    assert column(panel, "user") == ["alice", "Bob", "alice", "Bob", "dave"]


def test_filters_by_text_kind_and_decision(panel: HistoryPanel, qtbot: Any) -> None:
    qtbot.keyClicks(panel.filter_edit, "BOB")
    assert column(panel, "user") == ["Bob", "Bob"]  # case-insensitive
    panel.filter_edit.clear()
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("verify"))
    assert column(panel, "kind") == ["Verify"] * 3
    panel.decision_combo.setCurrentIndex(panel.decision_combo.findData("rejected"))
    assert column(panel, "user") == ["Bob"]
    assert "1 of 5" in panel.count_label.text()
    panel.decision_combo.setCurrentIndex(panel.decision_combo.findData("enrolled"))
    assert panel.proxy.rowCount() == 0  # verify AND enrolled: nothing
    assert not panel.export_button.isEnabled()
    qtbot.keyClicks(panel.filter_edit, "no such person")
    panel.kind_combo.setCurrentIndex(0)
    panel.decision_combo.setCurrentIndex(0)
    assert panel.proxy.rowCount() == 0
    panel.filter_edit.clear()
    assert panel.proxy.rowCount() == 5


def test_filter_matches_the_error_sentence(panel: HistoryPanel, qtbot: Any) -> None:
    qtbot.keyClicks(panel.filter_edit, "dropped")
    assert column(panel, "user") == ["dave"]


def test_export_writes_the_filtered_rows_in_view_order(
    panel: HistoryPanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("verify"))
    panel.table.sortByColumn(COLUMNS.index("own_score"), Qt.SortOrder.DescendingOrder)
    target = tmp_path / "out" / "export"  # no suffix: .csv is added
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV files (*.csv)"))
    with qtbot.waitSignal(panel.exported, timeout=5000) as blocker:
        panel.export_button.click()
    assert blocker.args == [3]
    written = target.with_suffix(".csv")
    with written.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["user"] for r in rows] == ["alice", "Bob", "dave"]
    assert [r["decision"] for r in rows] == ["accepted", "rejected", "error"]
    assert rows[0]["top_name"] == "alice" and float(rows[0]["top_score"]) == pytest.approx(0.91)
    assert rows[1]["number"] == "5670" and rows[1]["prompt"] == "5678"
    assert rows[2]["error"] == "connection dropped"
    assert not list(tmp_path.glob("out/*.part"))


def test_export_cancelled_writes_nothing(panel: HistoryPanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    panel.export_button.click()
    assert not list(tmp_path.rglob("*.csv"))


def test_export_to_an_unwritable_place_says_why(
    panel: HistoryPanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text))
    with qtbot.assertNotEmitted(panel.exported, wait=100):
        panel.export_to(tmp_path / "missing-dir" / "h.csv")
        qtbot.waitUntil(lambda: bool(warnings), timeout=5000)
    assert len(warnings) == 1 and "missing-dir" in warnings[0]
    assert panel.export_button.isEnabled()  # nothing lost: the operator can try another place


def test_delete_person_after_confirmation(
    panel: HistoryPanel, filled: UiContext, monkeypatch: pytest.MonkeyPatch, qtbot: Any, sandbox: Any
) -> None:
    asked: list[str] = []

    def confirm(_parent: Any, _title: str, text: str, *a: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", confirm)
    panel.table.sortByColumn(COLUMNS.index("user"), Qt.SortOrder.AscendingOrder)
    panel.table.selectRow(0)  # alice
    selected = panel.selected_row()
    assert selected is not None and selected["user"] == "alice"
    with qtbot.waitSignals([filled.bus.history_changed, panel.loaded], timeout=15000):
        panel.delete_button.click()
    # alice's enrolment and verification go; she is taken out of Bob's candidates, whose own
    # attempt (his data) stays. The confirmation says so, and that the audit trail stays.
    assert "2 local records of “alice”" in asked[0] and "sandbox" in asked[0] and "audit trail keeps" in asked[0]
    remaining = filled.history.rows()
    assert {r["user"] for r in remaining} == {"Bob", "dave"} and len(remaining) == 3
    assert all(r["top_name"] != "alice" and "alice" not in str(r["candidates"]) for r in remaining)
    # The panel still shows that alice enrolled and was verified (from the audit trail, without
    # her scores), and that she was deleted.
    qtbot.waitUntil(lambda: "Deletion" in column(panel, "kind"), timeout=5000)
    alice = [(k, s) for k, u, s in zip(column(panel, "kind"), column(panel, "user"), column(panel, "own_score"),
                                       strict=True) if u == "alice"]  # fmt: skip
    assert sorted(alice) == [("Deletion", ""), ("Enrol", ""), ("Verify", "")]


def test_delete_refused_keeps_everything(
    panel: HistoryPanel, filled: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Cancel)
    panel.table.selectRow(0)
    panel.delete_button.click()
    assert len(filled.history.rows()) == 5
    assert panel.proxy.rowCount() == 5


def test_delete_without_selection_asks_who(
    panel: HistoryPanel, filled: UiContext, monkeypatch: pytest.MonkeyPatch, qtbot: Any, sandbox: Any
) -> None:
    offered: list[list[str]] = []

    def pick(_parent: Any, _title: str, _label: str, items: list[str], *a: Any) -> tuple[str, bool]:
        offered.append(list(items))
        return " dave ", True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    panel.table.clearSelection()
    with qtbot.waitSignal(panel.loaded, timeout=15000):
        panel.delete_button.click()
    assert offered == [["alice", "Bob", "dave"]]
    assert "dave" not in {r["user"] for r in filled.history.rows()}
    assert len(filled.history.rows()) == 4


def test_refreshes_when_an_attempt_is_recorded(panel: HistoryPanel, filled: UiContext, qtbot: Any) -> None:
    panel.filter_edit.setText("erin")
    assert panel.proxy.rowCount() == 0
    filled.history.record(profile="sandbox", kind="verify", user="erin", error="too short")
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        filled.bus.history_changed.emit()
    assert column(panel, "user") == ["erin"]  # the filter survived the refresh
    assert "1 of 6" in panel.count_label.text()


def test_refreshes_when_shown_again(panel: HistoryPanel, filled: UiContext, qtbot: Any) -> None:
    panel.hide()
    filled.history.record(profile="sandbox", kind="verify", user="frank", error="offline")
    with qtbot.assertNotEmitted(panel.loaded, wait=100):
        filled.bus.history_changed.emit()  # hidden: not read now
    assert panel.model.rowCount() == 5
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.show()
    assert panel.model.rowCount() == 6


def test_many_refresh_requests_make_few_reads(panel: HistoryPanel, filled: UiContext, qtbot: Any) -> None:
    reads: list[int] = []
    panel.loaded.connect(reads.append)
    for _ in range(20):
        panel.refresh()
    qtbot.waitUntil(lambda: not panel._loading and not panel.background.busy, timeout=5000)
    assert 1 <= len(reads) <= 2  # the first read's answer is dropped, one more read gives the news
    assert reads[-1] == 5


def test_selection_follows_its_row_through_a_sort(panel: HistoryPanel) -> None:
    panel.table.selectRow(2)
    chosen = panel.selected_row()
    assert chosen is not None
    panel.table.sortByColumn(COLUMNS.index("user"), Qt.SortOrder.DescendingOrder)
    assert panel.selected_row() == chosen


def test_a_broken_store_is_reported_not_raised(panel: HistoryPanel, filled: UiContext, qtbot: Any) -> None:
    def broken() -> list[dict[str, Any]]:
        raise sqlite3.DatabaseError("database disk image is malformed")

    filled.history.rows = broken  # type: ignore[method-assign,assignment]
    panel.refresh()
    qtbot.waitUntil(lambda: "malformed" in panel.count_label.text(), timeout=5000)
    assert panel.proxy.rowCount() == 5  # what was shown stays


def test_every_control_has_an_accessible_name(panel: HistoryPanel) -> None:
    for w in (panel.filter_edit, panel.kind_combo, panel.decision_combo, panel.table, panel.export_button,
              panel.delete_button, panel.refresh_button):  # fmt: skip
        assert w.accessibleName(), w


def test_in_the_window_a_recorded_attempt_shows_and_exports(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = show(window, "HistoryPanel")
    assert isinstance(panel, HistoryPanel)
    enrolled = SessionResult(kind="enrol", user="li_na", status=200, voice_accepted=True)
    window.ui.history.record(profile="sandbox", kind="enrol", user="li_na", result=enrolled, consent=True)
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        window.ui.bus.history_changed.emit()  # what the Enrol and Verify panels do after each attempt
    assert column(panel, "user") == ["li_na"]
    target = tmp_path / "from-window.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(panel.exported, timeout=5000):
        panel.export_button.click()
    with target.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["user"], r["decision"], r["consent"]) for r in rows] == [("li_na", "enrolled", "True")]


def test_every_kind_of_event_shows_with_a_kind_filter_and_the_operator(
    panel: HistoryPanel, filled: UiContext, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.store.calls import CallStore
    from desktop.store.warrants import WarrantLog

    monkeypatch.setenv("VPW_OPERATOR", "op-chen")
    db = filled.history.path
    calls = CallStore(db)
    calls.record_call(session_id="sid-9", callee="+8613800000009", resultcode="0", profile="sandbox", code_length=6)
    calls.add_status("callout", {"sessionId": "sid-9", "timestamp": "2026-12-04 10:00:00"})
    calls.close()
    warrants = WarrantLog(db)
    warrants.record("cli", "student-1", "127.0.0.1", message="refused for the test")
    warrants.close()
    filled.ctx.record("threshold", subject="sandbox", outcome="ok", details={"old": 0.8080, "new": 0.80805})
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        filled.bus.history_changed.emit()
    kinds = set(column(panel, "kind"))
    assert {"Call", "Callback", "Warrant", "Threshold", "Enrol", "Verify"} <= kinds
    threshold = next(panel.proxy.row_at(r) for r in range(panel.proxy.rowCount())
                     if panel.proxy.row_at(r)["kind"] == "threshold")  # fmt: skip
    assert threshold["message"] == "0.808 → 0.80805"  # exact, never rounded for show
    panel.table.selectRow(column(panel, "kind").index("Threshold"))
    assert panel.details.text() == "0.808 → 0.80805"
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("call"))
    assert column(panel, "user") == ["+8613800000009"] and column(panel, "operator") == ["op-chen"]
    assert column(panel, "decision") == ["Placed"]
    panel.kind_combo.setCurrentIndex(0)
    target = tmp_path / "all.csv"
    with qtbot.waitSignal(panel.exported, timeout=5000):
        panel.export_to(target)
    with target.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert "operator" in rows[0] and {r["operator"] for r in rows if r["kind"] == "call"} == {"op-chen"}
    assert {r["kind"] for r in rows} >= {"call", "callback", "warrant", "threshold", "enrol", "verify"}
    assert filled.ctx.audit.events(action="history_export")[0]["outcome"] == "ok"
    assert filled.ctx.audit.verify()[1] is None
