"""Hostile voiceprint answers through the window: the Enrol panel says the reply could not be
understood, the attempt is in history, and the History panel lists it (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gui.conftest import panel, wait_done

pytestmark = pytest.mark.usefixtures("digits")


@pytest.mark.parametrize(
    "reply",
    ["[" * 5000 + "]" * 5000, '{"status": NaN, "data": "\\ud800\\u001b[2J"}', '{"status": 200, "data": "\\ud800"}'],
    ids=["deep", "nan-status", "surrogate"],
)
def test_hostile_answer_is_shown_recorded_and_listed(
    qtbot: Any, window: Any, sandbox: Any, speech_file: Any, reply: str
) -> None:
    sandbox_cfg = sandbox.cfg  # the test's sandbox, which the window's profile points at
    sandbox_cfg.faults["voiceprint"] = {"reply_text": reply}
    enrol = panel(window, "EnrolPanel")
    enrol.user.setText("alice")
    enrol.consent_box.setChecked(True)
    enrol.start_files("alice", [speech_file("alice", 0, 1)])
    wait_done(qtbot, enrol)
    sandbox_cfg.faults["voiceprint"] = {}
    verdict = enrol.decision.verdict
    assert verdict is not None
    assert verdict.decision == ("enrolled" if '"status": 200' in reply else "not_checked")
    rows = window.ui.history.rows()
    assert len(rows) == 1 and rows[0]["user"] == "alice"
    history = panel(window, "HistoryPanel")
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=10000)
    for column in range(history.model.columnCount()):
        history.model.data(history.model.index(0, column))
