"""The Phone panel against a real sandbox: a call placed from the panel, followed live through
the panel's own callback receiver to its disconnect and bill, and stored; bad input explained
under its field with nothing sent; refusals and unanswered calls in readable sentences."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication, QLineEdit, QWidget

from desktop import config
from desktop.context import Context
from desktop.services.callbacks import CallbackEvent
from desktop.store.calls import CallStore
from desktop.ui import translations
from desktop.ui.context import UiContext
from desktop.ui.phone_view import CallView
from tests.services.voicecall_support import sandbox_calls

CALLEE = "+8613800000001"


def faults(sandbox: Any, **switches: Any) -> None:
    """Through the sandbox's HTTP switch, as a demo would; quick calls unless told otherwise."""
    body = {"voicecall": {"event_interval_s": 0.05, "repush_interval_s": 0.05, **switches}}
    resp = requests.post(f"http://127.0.0.1:{sandbox.port}/_sandbox/faults", json=body, timeout=5)
    resp.raise_for_status()


def stored() -> CallStore:
    return CallStore(config.data_dir() / "history.sqlite3")


@pytest.fixture
def make_panel(qtbot: Any, sandbox: Any, tmp_path: Path) -> Iterator[Any]:
    from desktop.ui.panels.phone import PhonePanel

    made: list[tuple[Any, Context]] = []

    def make(wait: bool = True) -> Any:
        ctx = Context()
        ui = UiContext(ctx=ctx, settings=QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
        p = PhonePanel(ui)
        qtbot.addWidget(p)
        p.resize(1100, 720)
        p.show()
        p.on_shown()
        made.append((p, ctx))
        if wait:
            qtbot.waitUntil(lambda: p.line.receiver_url != "", timeout=20000)  # a server starting on a thread
        return p

    yield make
    for p, ctx in made:
        p.shutdown()
        ctx.close()


def call(qtbot: Any, p: Any, callee: str = CALLEE) -> None:
    p.callee.setText(callee)
    qtbot.mouseClick(p.call_button, Qt.MouseButton.LeftButton)


def ended(p: Any) -> bool:
    return p.view.state in (CallView.DONE, CallView.FAILED, CallView.NOT_PLACED)


def test_a_full_call_fills_the_timeline_to_the_bill_and_is_stored(qtbot: Any, make_panel: Any, sandbox: Any) -> None:
    faults(sandbox, event_interval_s=0.25)  # slow enough to see the call in progress
    p = make_panel()
    assert p.display.text() == "+8657100000000" and p.pre_tone.currentText() == "test.wav"  # the profile's defaults
    # Issue 14: the language by its name, the tone from the profile's approved list.
    assert p.language.currentData() == 2 and p.language.currentText() == "中文"
    assert p.code.text().isdigit() and len(p.code.text()) == 6
    p.code.setText("4321")
    p.times.setValue(3)
    # The word as each event is shown, so "mid-call" is checked at each event however late the
    # GUI thread gets to it (a busy machine may hand it several events, or the answer, at once).
    words: list[tuple[str, str]] = []
    add_status = p.view.add_status

    def watched(event_type: str, data: dict[str, Any], received_at: float, *mark: str) -> None:
        add_status(event_type, data, received_at, *mark)
        words.append((event_type, p.view.word.text()))

    p.view.add_status = watched
    call(qtbot, p, "+86 138-0000-0001")
    assert p.view.word.text() == "PLACING THE CALL…" and not p.call_button.isEnabled()

    qtbot.waitUntil(lambda: len(p.view.rows) >= 1, timeout=10000)
    session = p.view.session.text()
    assert session == p.session_id and session.endswith("@callenabler.sandbox.local")

    qtbot.waitUntil(lambda: p.view.bill_box.isVisible(), timeout=10000)
    texts = [text for _when, text in p.view.rows]
    assert texts == [
        "Dialling the number",
        "The phone is ringing",
        "Answered: the code is being read out",
        "The call ended: The call ended normally.",
        "The bill arrived",
    ]
    assert all(len(when) == 8 and when.count(":") == 2 for when, _ in p.view.rows)
    # Mid-call: events so far, no outcome yet; the outcome comes with the disconnect.
    assert words == [("callout", "CALL IN PROGRESS"), ("alerting", "CALL IN PROGRESS"),
                     ("answer", "CALL IN PROGRESS"), ("disconnect", "CODE READ OUT")]  # fmt: skip
    assert p.view.state == CallView.DONE and p.view.word.text() == "CODE READ OUT"
    assert p.view.code.text() == "4321" and p.view.callee.text() == CALLEE
    assert p.view.bill_id.text().startswith("CAE-") and p.view.bill_answered.text() != "Not answered"
    assert p.view.bill_talk.text().endswith(" s")
    assert "Traceback" not in p.view.detail.text()

    # The platform pushed to the panel's own loopback receiver, and everything was stored once.
    pushes = sandbox_calls(sandbox.port)[session]["pushes"]
    assert pushes and all(x["url"].startswith(p.line.receiver_url + "/") and x["outcome"] == 200 for x in pushes)
    store = stored()
    try:
        (row,) = store.calls()
        assert row["session_id"] == session and row["callee"] == CALLEE and row["resultcode"] == "0"
        assert row["times"] == 3 and row["code_length"] == 4 and row["language_type"] == 2
        assert [e["event_type"] for e in store.events(session)] == ["callout", "alerting", "answer", "disconnect"]
        assert [b["icid"] for b in store.bills(session)] == [p.view.bill_id.text()]
    finally:
        store.close()
    assert p.call_button.isEnabled()


@pytest.mark.parametrize(
    ("field", "value", "note", "words"),
    [
        ("callee", "13800000001", "calleeNbr", "E.164"),
        ("callee", "", "calleeNbr", "E.164"),
        ("code", "1", "verifyCode", "2-8 digits"),
        ("code", "12ab", "verifyCode", "2-8 digits"),
        ("pre_tone", "welcome.mp3", "preTone", ".wav"),
        ("display", "0571", "displayNbr", "display number"),
    ],
)
def test_bad_input_is_explained_under_its_field_and_nothing_is_sent(
    qtbot: Any, make_panel: Any, sandbox: Any, field: str, value: str, note: str, words: str
) -> None:
    p = make_panel()
    p.callee.setText(CALLEE)
    widget = getattr(p, field)
    if field == "pre_tone":  # a choice now (issue 14): a bad name can only come from the profile's list
        widget.addItem(value)
        widget.setCurrentText(value)
    else:
        widget.setText(value)
    qtbot.mouseClick(p.call_button, Qt.MouseButton.LeftButton)
    shown = p.notes[note]
    assert shown.isVisible() and words in shown.text(), shown.text()
    assert [n for n, w in p.notes.items() if w.isVisible()] == [note]  # only the faulty field
    assert not p.calling and p.view.state == "" and p.call_button.isEnabled()
    assert getattr(p, field).hasFocus()
    qtbot.wait(200)
    assert sandbox_calls(sandbox.port) == {}  # no request reached the platform
    store = stored()
    assert store.calls() == []
    store.close()
    if field != "pre_tone":
        QTest.keyClicks(getattr(p, field), "9")  # editing the field clears its note
        assert not shown.isVisible()


def test_an_unanswered_call_says_why(qtbot: Any, make_panel: Any, sandbox: Any) -> None:
    faults(sandbox, no_answer=True)
    p = make_panel()
    call(qtbot, p)
    qtbot.waitUntil(lambda: p.view.bill_box.isVisible(), timeout=10000)
    texts = [text for _when, text in p.view.rows]
    assert texts[:2] == ["Dialling the number", "The phone is ringing"]
    assert texts[2] == "The call ended: Nobody answered before the ringing timed out."
    assert p.view.state == CallView.FAILED and p.view.word.text() == "NOT REACHED"
    assert p.view.reason.text() == "Nobody answered before the ringing timed out."
    assert p.view.detail.text() == "State code 8003"
    assert p.view.bill_answered.text() == "Not answered" and p.view.bill_talk.text() == "0 s"
    store = stored()
    (disconnect,) = [e for e in store.events(p.session_id) if e["event_type"] == "disconnect"]
    assert disconnect["state_code"] == "8003"
    store.close()


def test_an_unanswered_call_in_chinese(qtbot: Any, make_panel: Any, sandbox: Any) -> None:
    faults(sandbox, no_answer=True)
    app = QApplication.instance()
    translations.install(app, "zh_CN")  # type: ignore[arg-type]
    try:
        p = make_panel()
        assert p.call_button.text() == "拨打"
        call(qtbot, p)
        qtbot.waitUntil(lambda: p.view.bill_box.isVisible(), timeout=10000)
        assert p.view.word.text() == "未接通"
        assert p.view.reason.text() == "振铃超时，无人接听。"
        assert [t for _w, t in p.view.rows][:2] == ["正在呼出", "对方振铃中"]
        assert p.view.bill_answered.text() == "未接听"
    finally:
        translations.install(app, "en")  # type: ignore[arg-type]


def test_a_refusal_shows_the_platforms_sentence_and_advice(qtbot: Any, make_panel: Any, sandbox: Any) -> None:
    # The sandbox's clock is 3 h off: Created is refused on UTC and, retried, on UTC+8 (1010013).
    faults(sandbox, created_skew=3 * 3600)
    p = make_panel()
    call(qtbot, p)
    qtbot.waitUntil(lambda: ended(p), timeout=10000)
    assert p.view.state == CallView.NOT_PLACED and p.view.word.text() == "CALL NOT PLACED"
    reason = p.view.reason.text()
    assert "Created time is too far" in reason and "UTC and on UTC+8 alike" in reason and "clock" in reason
    assert p.view.detail.text() == "Platform code 1010013" and "Traceback" not in reason
    assert p.view.rows == [] and p.call_button.isEnabled()
    store = stored()
    assert [(c["session_id"], c["resultcode"]) for c in store.calls()] == [(None, "1010013")]
    store.close()


def test_a_missing_secret_is_a_sentence_not_a_request(qtbot: Any, make_panel: Any, sandbox: Any) -> None:
    p = make_panel()
    p.ui.profile.voicecall.app_secret = ""
    call(qtbot, p)
    qtbot.waitUntil(lambda: ended(p), timeout=10000)
    assert p.view.word.text() == "CALL NOT PLACED" and "app_secret" in p.view.reason.text()
    assert sandbox_calls(sandbox.port) == {}


def test_a_platform_on_beijing_time_is_retried_and_the_setting_named(qtbot: Any, make_panel: Any, sandbox: Any) -> None:
    faults(sandbox, created_zone="UTC+8")  # the sandbox wants Beijing time in Created
    p = make_panel()
    call(qtbot, p)
    qtbot.waitUntil(lambda: ended(p), timeout=10000)
    assert p.view.state == CallView.DONE
    assert "voicecall.created_zone = UTC+8" in p.view.detail.text(), p.view.detail.text()
    assert len(sandbox_calls(sandbox.port)) == 1


def test_marks_are_shown_on_the_timeline(qtbot: Any, make_panel: Any, sandbox: Any) -> None:
    faults(sandbox)
    p = make_panel()
    call(qtbot, p)
    qtbot.waitUntil(lambda: ended(p) and not p.view.bill_box.isHidden(), timeout=10000)
    assert p.view.marks == ["verified"] * 5
    texts = [w.text() for w in p.view.timeline_box.findChildren(QWidget) if hasattr(w, "text")]
    assert texts.count("verified") == 5


def test_forged_callbacks_are_stored_marked_and_end_nothing(qtbot: Any, make_panel: Any, sandbox: Any) -> None:
    faults(sandbox, forge_callbacks=True, repush_interval_s=0.01)
    p = make_panel()
    call(qtbot, p)
    qtbot.waitUntil(lambda: len(p.view.rows) >= 5, timeout=10000)
    assert set(p.view.marks) == {"bad_signature"}
    assert p.view.state == CallView.WORKING  # a forged "disconnect" ends nothing
    texts = [w.text() for w in p.view.timeline_box.findChildren(QWidget) if hasattr(w, "text")]
    assert "⚠ bad signature" in texts
    store = stored()
    assert {e["signature"] for e in store.events()} == {"bad_signature"} and store.rejected() == []
    store.close()


def test_forged_callbacks_are_refused_and_shown_in_strict_mode(qtbot: Any, make_panel: Any, sandbox: Any) -> None:
    faults(sandbox, forge_callbacks=True, repush_interval_s=0.01)
    p = make_panel()
    p.ui.profile.voicecall.callback_mode = "strict"  # the receiver restarts for the changed setting
    call(qtbot, p)
    qtbot.waitUntil(lambda: len(p.view.rows) >= 2, timeout=10000)
    assert all("A callback was refused (bad_digest)" in text for _w, text in p.view.rows)
    assert p.view.state == CallView.WORKING  # a forged "disconnect" ends nothing
    store = stored()
    assert store.events() == [] and store.rejected()
    store.close()


def test_events_that_outrun_the_answer_are_kept(qtbot: Any, make_panel: Any) -> None:
    """A fast platform can call back before its HTTP answer reaches the GUI thread."""
    from desktop.services.voicecall import CallRequest, CallResult
    from desktop.ui.phone_line import CallAttempt

    p = make_panel()
    p.calling = True
    sid = "early-1"
    p._on_event(CallbackEvent("status", "callout", sid, {"sessionId": sid, "timestamp": "2026-01-01 08:00:00"}))
    p._on_event(CallbackEvent("status", "callout", "other", {"sessionId": "other"}))
    assert p.view.rows == []
    result = CallResult(sid, "1234", CALLEE, "+8657100000000", "0", "Success")
    p._on_placed(CallAttempt(CallRequest(CALLEE), result=result, status_url="http://127.0.0.1:1/status"))
    assert [t for _w, t in p.view.rows] == ["Dialling the number"]  # ours replayed, the other call's not
    assert p.view.rows[0][0] != "" and p.view.state == CallView.WORKING


def test_shutdown_stops_the_receiver(qtbot: Any, make_panel: Any) -> None:
    p = make_panel()
    port = int(p.line.receiver_url.rsplit(":", 1)[1])
    assert requests.get(p.line.receiver_url + "/", timeout=5).json()["ok"] is True
    p.shutdown()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    p.shutdown()  # twice is harmless (the window may rebuild its panels, then close)


def test_controls_are_named_and_tab_in_order(qtbot: Any, make_panel: Any) -> None:
    p = make_panel()
    controls = p.findChildren(QLineEdit) + p.findChildren(QAbstractButton) + p.findChildren(QAbstractSpinBox)
    unnamed = [w for w in controls if not w.accessibleName() and not isinstance(w.parent(), QAbstractSpinBox)]
    assert unnamed == []
    p.activateWindow()
    qtbot.waitUntil(lambda: p.isActiveWindow(), timeout=3000)
    p.callee.setFocus()
    order = [p.display, p.language, p.pre_tone, p.code, p.new_code, p.times, p.call_button, p.view.session]
    for expected in order:
        current = QApplication.focusWidget()
        assert current is not None
        QTest.keyClick(current, Qt.Key.Key_Tab)
        focus: QWidget | None = QApplication.focusWidget()
        assert focus is expected or (focus is not None and expected.isAncestorOf(focus)), (expected, focus)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def office_profile(sandbox: Any, port: int) -> str:
    """A real (non-sandbox) profile, as an operator would set one up: the platform (here the
    sandbox) pushes to public status/fee URLs that reach this computer's callback port."""
    p = config.sandbox_profile(port=sandbox.port)
    p.name = "office"
    p.voicecall.callback_host, p.voicecall.callback_port = "127.0.0.1", port
    p.voicecall.status_url = f"http://127.0.0.1:{port}/status"
    p.voicecall.fee_url = f"http://127.0.0.1:{port}/fee"
    cfg = config.ConfigFile()
    cfg.store_profile(p)
    cfg.default_profile = "office"
    cfg.save()
    config.set_secret("office", "voicecall", "app_secret", p.voicecall.app_secret)
    return p.voicecall.status_url


def test_another_profile_listens_where_its_public_urls_lead(qtbot: Any, make_panel: Any, sandbox: Any) -> None:
    faults(sandbox)
    port = _free_port()
    status_url = office_profile(sandbox, port)
    p = make_panel()
    assert not p.ui.profile.is_sandbox and p.line.receiver_url == f"http://127.0.0.1:{port}"
    call(qtbot, p)
    qtbot.waitUntil(lambda: p.view.bill_box.isVisible(), timeout=10000)
    assert p.view.state == CallView.DONE and len(p.view.rows) == 5
    pushes = sandbox_calls(sandbox.port)[p.session_id]["pushes"]
    # Signed for the configured URL and checked against the profile's secret: all accepted.
    assert {x["url"] for x in pushes} == {status_url, status_url.replace("/status", "/fee")}
    assert all(x["outcome"] == 200 for x in pushes)
    store = stored()
    row = store.call(p.session_id)
    assert row is not None and row["profile"] == "office" and store.rejected() == []
    store.close()


def test_a_taken_callback_port_is_explained_and_the_call_still_goes_out(
    qtbot: Any, make_panel: Any, sandbox: Any
) -> None:
    faults(sandbox)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        office_profile(sandbox, taken.getsockname()[1])
        p = make_panel(wait=False)
        qtbot.waitUntil(lambda: "not listening" in p.receiver_state.text(), timeout=20000)
        assert "Cannot listen for callbacks" in p.receiver_state.text()
        call(qtbot, p)
        qtbot.waitUntil(lambda: p.session_id is not None, timeout=10000)
        assert p.view.state == CallView.WORKING
        assert p.view.detail.text().startswith("Live events cannot be shown here: Cannot listen")
        store = stored()
        assert store.call(p.session_id) is not None  # the call is on record even so
        store.close()
