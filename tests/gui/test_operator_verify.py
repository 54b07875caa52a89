"""An operator's verify flow (issue 14): a name nobody enrolled is flagged before anyone speaks, a
404 is NOT ENROLLED (never REJECTED), the result explains itself, the digits read stay beside their
comparison, New caller (Ctrl+N) starts clean, Ctrl+1..9 land in a field, and one click escalates a
rejection to the Phone panel with the call linked to the attempt."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.audio.frames import split_frames
from desktop.store.calls import CallStore
from desktop.ui.enrolled import enrolled_from_history
from tests.gui.conftest import FixedDigits, panel, wait_done
from tests.gui.test_verify_panel import enrol_directly
from tests.sandbox.speech import speech

pytestmark = pytest.mark.usefixtures("digits")


def test_a_name_nobody_enrolled_is_flagged_before_recording(qtbot: Any, window: Any) -> None:
    from desktop.ui.panels.verify import VerifyPanel

    # The provider is injected: the Verify panel lists whoever it says is enrolled.
    p = VerifyPanel(window.ui, enrolled=lambda: ["Li Na", "bob"])
    qtbot.addWidget(p)
    p.show()
    assert p.names.stringList() == ["Li Na", "bob"]  # the completer offers the enrolled, not history
    QTest.keyClicks(p.user, "Wang Wu")
    assert p.not_enrolled and p.user_error.isVisible()
    assert "not enrolled — enrol first" in p.user_error.text()
    assert not p.busy and p.decision.verdict is None  # flagged at once: nothing was recorded or sent
    p.user.setText("li na")
    assert p.not_enrolled and "did you mean “Li Na”" in p.user_error.text()
    p.user.setText("Li Na")
    assert not p.not_enrolled and p.user_error.text() == ""
    # The message line keeps its room: the recorder does not move when a message comes or goes.
    y = p.recorder.y()
    p.user.setText("nobody")
    QApplication.processEvents()
    assert p.recorder.y() == y
    p.shutdown()


def test_the_default_provider_reads_successful_enrolments_of_this_profile(qtbot: Any, window: Any) -> None:
    h = window.ui.history
    h.record(profile="sandbox", kind="enrol", user="alice", error="offline")  # failed: not enrolled
    assert enrolled_from_history(window.ui) == []
    verify = panel(window, "VerifyPanel")
    client = window.ui.connection.client
    result = client.enroll("alice", split_frames(speech("alice", 0, 1)))
    h.record(profile="sandbox", kind="enrol", user="alice", result=result)
    h.record(profile="office", kind="enrol", user="carol", result=result)  # another profile's
    window.ui.bus.history_changed.emit()
    assert verify.names.stringList() == ["alice"]


def test_status_404_is_not_enrolled_never_rejected(qtbot: Any, window: Any, speech_file: Any) -> None:
    enrol_directly(window, "bob")
    verify = panel(window, "VerifyPanel")
    verify.user.setText("alice")
    verify.start_files("alice", [speech_file("alice", 2, 3)])
    wait_done(qtbot, verify)
    verdict = verify.decision.verdict
    assert verify.last_outcome.result.status == 404
    assert (verdict.decision, verdict.reason) == ("not_enrolled", "claimed_unknown")
    assert verify.decision.word.text() == "NOT ENROLLED"
    assert "REJECTED" not in verify.decision.accessibleName()
    assert not verify.scores_box.isVisible()  # nothing was compared with alice: no similarity shown
    assert not verify.escalate_button.isVisible()  # enrol first; a phone code proves nothing here
    assert window.ui.history.rows()[0]["decision"] == "not_enrolled"


def test_the_result_explains_itself_and_keeps_the_digits_read(
    qtbot: Any, window: Any, speech_file: Any, digits: FixedDigits
) -> None:
    enrol_directly(window, "alice", "bob")
    verify = panel(window, "VerifyPanel")
    prompt = verify.prompt
    digits.heard = prompt[:3] + str((int(prompt[3]) + 1) % 10) + prompt[4:]
    verify.user.setText("alice")
    verify.reference_edit.setText("CASE-2026-0042")
    verify.start_files("alice", [speech_file("alice", 2, 3)])
    wait_done(qtbot, verify)
    assert verify.decision.verdict.decision == "rejected"  # the voice matched, one digit differs
    # The claimed user's own score against the threshold, marked on the bars, with the margin.
    assert verify.scores.claimed_score is not None and verify.scores.margin is not None
    from desktop.ui.threshold import sandbox_engine_default

    limit = sandbox_engine_default()  # what the sandbox decided with (its engine's default)
    assert all(bar.threshold == pytest.approx(limit) for bar in verify.scores.bars)
    text = verify.scores.explanation.text()
    assert "Claimed user's own score" in text and f"threshold {limit:.4f}" in text
    assert f"{abs(verify.scores.margin):.4f}" in text
    # The big digits are the digits compared, and stay so until the next attempt starts.
    assert verify.digits.digits == prompt == "".join(top.text() for top, _ in verify.comparison.cells)
    assert verify.prompt_spent and verify.instructions.text().startswith("Digits read for the result shown")
    QTest.qWait(300)
    assert verify.digits.digits == prompt
    verify.before_attempt()  # what Record / Verify a file… / Read aloud do first
    assert verify.digits.digits != prompt and not verify.prompt_spent
    assert not verify.digits_box.isVisible()  # the old comparison never stands beside new digits
    # The reference travelled with the attempt into history and the CSV.
    row = window.ui.history.rows()[0]
    assert row["reference"] == "CASE-2026-0042"


def test_borderline_scores_get_a_plain_sentence(qtbot: Any) -> None:
    from desktop.services.voiceprint_result import Candidate
    from desktop.ui.widgets.scores import ScoreBars

    bars = ScoreBars()
    qtbot.addWidget(bars)
    bars.show_candidates([Candidate("alice", 0.8123), Candidate("bob", 0.61)], "alice", 0.80)
    assert bars.borderline and "Borderline" in bars.explanation.text() and "0.0123 above" in bars.explanation.text()
    bars.show_candidates([Candidate("bob", 0.7), Candidate("carol", 0.6)], "alice", 0.80)
    assert (
        "claimed user is not among the closest voices" in bars.explanation.text()
        and "below 0.6000" in bars.explanation.text()
    )
    bars.show_candidates([Candidate("alice", 0.5)], "alice", None)
    assert "does not state" in bars.explanation.text() and bars.bars[0].threshold is None


def test_new_caller_clears_everything_and_puts_the_cursor_in_the_name(
    qtbot: Any, window: Any, speech_file: Any
) -> None:
    enrol_directly(window, "alice")
    enrol = panel(window, "EnrolPanel")
    enrol.user.setText("carol")
    enrol.consent_box.setChecked(True)
    verify = panel(window, "VerifyPanel")
    verify.cross_check.transcript = "one two three"
    transcribe = window.panel("TranscribePanel")
    transcribe.take = b"\0\0" * 1600
    transcribe.transcript.setPlainText("the previous caller's words")
    verify.user.setText("alice")
    verify.reference_edit.setText("CASE-1")
    verify.phone_edit.setText("+8613800000001")
    verify.start_files("alice", [speech_file("bob", 2)])
    wait_done(qtbot, verify)
    assert verify.decision.isVisible() and verify.scores_box.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert verify.user.text() == "" and verify.reference_edit.text() == "" and verify.phone_edit.text() == ""
    assert not verify.decision.isVisible() and not verify.scores_box.isVisible() and not verify.digits_box.isVisible()
    assert verify.cross_check.transcript == "" and verify.last_outcome is None and not verify.prompt_spent
    assert enrol.user.text() == "" and not enrol.consent_box.isChecked()
    transcribe = window.panel("TranscribePanel")
    assert transcribe.transcript.toPlainText() == "" and transcribe.take is None
    assert QApplication.focusWidget() is verify.user


def test_ctrl_number_focuses_the_panels_first_field_and_help_lists_the_keys(qtbot: Any, window: Any) -> None:
    from desktop.ui.shortcuts import shortcuts_html

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    for row, name in ((0, "EnrolPanel"), (1, "VerifyPanel")):
        QTest.keyClick(window, getattr(Qt.Key, f"Key_{row + 1}"), Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentWidget() is window.panel(name)
        assert QApplication.focusWidget() is window.panel(name).user
    phone = window.panel("PhonePanel")
    QTest.keyClick(
        window, getattr(Qt.Key, f"Key_{window.panels.index(phone) + 1}"), Qt.KeyboardModifier.ControlModifier
    )
    assert QApplication.focusWidget() is phone.callee
    settings = window.panel("SettingsPanel")  # built on its first show
    QTest.keyClick(
        window, getattr(Qt.Key, f"Key_{window.panels.index(settings) + 1}"), Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: QApplication.focusWidget() is settings.profile_combo, timeout=3000)
    page = shortcuts_html(window)
    for keys in ("Ctrl+N", "Ctrl+1", "Ctrl+2", "Space", "Ctrl+Enter"):
        assert keys in page
    assert "Verify" in page and window.shortcuts_action.text() == "&Keyboard shortcuts"
    assert window.shortcuts_action in window.help_menu.actions()


def test_one_click_escalates_a_rejection_to_the_phone_with_the_call_linked(
    qtbot: Any, window: Any, speech_file: Any
) -> None:
    enrol_directly(window, "alice", "bob")
    verify = panel(window, "VerifyPanel")
    verify.user.setText("alice")
    verify.phone_edit.setText("+86 138 0000 0001")
    verify.start_files("alice", [speech_file("bob", 2, 3)])
    wait_done(qtbot, verify)
    assert verify.decision.verdict.decision == "rejected"
    attempt_id = verify.last_attempt_id
    assert attempt_id is not None and verify.escalate_button.isVisible()
    phone = window.panel("PhonePanel")
    old_code = phone.code.text()
    qtbot.mouseClick(verify.escalate_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is phone
    assert phone.callee.text() == "+86 138 0000 0001" and phone.code.text() != old_code
    assert phone.linked_attempt == attempt_id and "alice" in phone.for_attempt.text()
    qtbot.waitUntil(lambda: phone.line.receiver_url != "", timeout=20000)
    qtbot.mouseClick(phone.call_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: phone.session_id is not None, timeout=15000)
    store = CallStore(window.ui.history.path)
    try:
        qtbot.waitUntil(lambda: (store.call(phone.session_id) or {}).get("attempt_id") == attempt_id, timeout=5000)
    finally:
        store.close()


def test_a_borderline_acceptance_offers_the_phone_code_too(qtbot: Any, window: Any) -> None:
    from desktop.services.voiceprint_result import Candidate, SessionResult
    from desktop.ui import verdict as v
    from desktop.ui.threshold import sandbox_engine_default
    from desktop.ui.workers import Outcome

    verify = panel(window, "VerifyPanel")
    limit = sandbox_engine_default()
    for score, offered in ((limit + 0.0123, True), (limit + 0.13, False)):
        result = SessionResult(kind="verify", user="alice", status=200, voice_accepted=True,
                               candidates=[Candidate("alice", score)], number="1234", prompt="1234")  # fmt: skip
        verify.show_outcome(Outcome("verify", "alice", "1234", "file", result=result), v.of_result(result))
        assert verify.decision.verdict.decision == "accepted"
        assert verify.escalate_button.isVisible() is offered, score
