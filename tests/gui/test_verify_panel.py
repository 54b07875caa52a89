"""The Verify panel against a real sandbox: accepted, rejected, digits that differ, a dropped
connection replayed, an offline attempt kept and re-sent, and every attempt in history."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.audio.frames import split_frames
from tests.gui.conftest import FixedDigits, panel, wait_done
from tests.sandbox.speech import speech

# The sandbox's digit reader is replaced by one that hears what each test says (by default: the
# digits the speaker was asked to read), so verdicts do not depend on speech recognition.
pytestmark = pytest.mark.usefixtures("digits")


def enrol_directly(win: Any, *speakers: str) -> None:
    """Enrol through the window's own client (setup, not the thing under test)."""
    client = win.ui.connection.client
    for name in speakers:
        result = client.enroll(name, split_frames(speech(name, 0, 1)))
        assert result.voice_accepted, result.raw


def faults(sandbox: Any, switches: dict[str, Any]) -> None:
    body = json.dumps({"voiceprint": switches}).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{sandbox.port}/_sandbox/faults", body, {"Content-Type": "application/json"}
    )
    urllib.request.urlopen(req, timeout=5).read()


def verify_file(qtbot: Any, win: Any, claimed: str, path: Path) -> Any:
    verify = panel(win, "VerifyPanel")
    verify.user.setText(claimed)
    prompt = verify.prompt
    verify.start_files(claimed, [path])
    wait_done(qtbot, verify)
    assert verify.last_outcome.prompt == prompt  # the digits shown are the digits checked
    return verify


def test_verify_accepted_with_matching_digits(qtbot: Any, window: Any, speech_file: Any, digits: FixedDigits) -> None:
    enrol_directly(window, "alice", "bob")
    verify = panel(window, "VerifyPanel")
    digits.heard = verify.prompt
    verify_file(qtbot, window, "alice", speech_file("alice", 2, 3))
    assert verify.decision.verdict.decision == "accepted", verify.decision.verdict
    assert verify.decision.word.text() == "ACCEPTED"
    # The top candidate is the claimed user, highlighted; scores are shown as numbers too.
    assert verify.scores.highlighted == 0
    assert "alice" in verify.scores.names[0].text() and "(claimed)" in verify.scores.names[0].text()
    assert float(verify.scores.values[0].text()) > float(verify.scores.values[1].text())
    assert verify.comparison.same and all(verify.comparison.same)
    assert "ms after the recording stopped" in verify.timing.text()
    # The raw reply is one click away.
    assert not verify.raw.isVisible()
    qtbot.mouseClick(verify.raw_button, Qt.MouseButton.LeftButton)
    assert verify.raw.isVisible() and '"stop_recognize"' in verify.raw.toPlainText()
    row = window.ui.history.rows()[0]
    assert (row["kind"], row["user"], row["decision"], row["digits_match"]) == ("verify", "alice", "accepted", True)
    assert row["top_name"] == "alice" and row["source"] == "file"


def test_verify_rejected_for_another_voice(qtbot: Any, window: Any, speech_file: Any) -> None:
    enrol_directly(window, "alice", "bob")
    verify = verify_file(qtbot, window, "alice", speech_file("bob", 2, 3))
    verdict = verify.decision.verdict
    assert verdict.decision == "rejected" and verdict.reason in ("voice_differs", "claimed_absent"), verdict
    assert verify.decision.word.text() == "REJECTED"
    assert verify.scores.names[0].text().startswith("bob")  # the closest voice is bob's
    assert window.ui.history.rows()[0]["decision"] == "rejected"


def test_digit_mismatch_is_rejected_and_shown_digit_by_digit(
    qtbot: Any, window: Any, speech_file: Any, digits: FixedDigits
) -> None:
    enrol_directly(window, "alice")
    verify = panel(window, "VerifyPanel")
    prompt = verify.prompt
    wrong = "".join(str((int(d) + 1) % 10) if i in (2, 5) else d for i, d in enumerate(prompt))
    digits.heard = wrong
    verify_file(qtbot, window, "alice", speech_file("alice", 2, 3))
    verdict = verify.decision.verdict
    assert (verdict.decision, verdict.reason) == ("rejected", "digits_differ")
    assert verify.comparison.same == [i not in (2, 5) for i in range(len(prompt))]
    top, bottom = verify.comparison.cells[2]
    assert (top.text(), bottom.text()) == (prompt[2], wrong[2])
    assert "2 of 8" in verify.comparison.summary.text()
    # Changed by issue 14: the digits read stay beside their comparison until the next attempt
    # starts (they used to be replaced at once); that attempt then gets fresh ones.
    assert verify.digits.digits == prompt and verify.prompt_spent
    verify.before_attempt()
    assert verify.prompt != prompt and verify.digits.digits == verify.prompt
    assert window.ui.history.rows()[0]["digits_match"] is False


def test_unparseable_reply_is_not_checked_never_rejected(qtbot: Any, window: Any, sandbox: Any,
                                                          speech_file: Any) -> None:  # fmt: skip
    enrol_directly(window, "alice")
    faults(sandbox, {"garbage": True})
    verify = verify_file(qtbot, window, "alice", speech_file("bob", 2))
    verdict = verify.decision.verdict
    assert (verdict.decision, verdict.reason) == ("not_checked", "unparseable")
    assert verify.decision.word.text() == "NOT CHECKED"
    assert verify.raw.toPlainText()  # shown raw
    assert window.ui.history.rows()[0]["decision"] in ("not_checked", "error")


def test_dropped_connection_is_replayed_and_recovers(qtbot: Any, window: Any, sandbox: Any,
                                                      speech_file: Any) -> None:  # fmt: skip
    enrol_directly(window, "alice")
    states: list[str] = []
    window.ui.connection.state_changed.connect(states.append)
    faults(sandbox, {"drop_after_frames": 5})
    verify = verify_file(qtbot, window, "alice", speech_file("alice", 2, 3))
    assert verify.decision.verdict.decision == "accepted", verify.decision.verdict
    assert verify.last_outcome.result.replayed
    assert "re-sent from the start" in verify.timing.text()
    assert "reconnecting" in states and states[-1] == "connected"
    assert "connected" in window.status.state_label.text()
    assert window.ui.history.rows()[0]["replayed"] is True


def test_lost_connection_keeps_the_take_and_resends_it(qtbot: Any, window: Any, sandbox: Any,
                                                         speech_file: Any) -> None:  # fmt: skip
    enrol_directly(window, "alice")
    # Every connection now breaks a few frames in: the client's replays run out.
    faults(sandbox, {"drop_after_frames": 3, "drop_times": 1000})
    verify = verify_file(qtbot, window, "alice", speech_file("alice", 2, 3))
    verdict = verify.decision.verdict
    assert (verdict.decision, verdict.reason) == ("not_checked", "offline"), verdict
    assert verify.decision.word.text() == "NOT CHECKED"  # never REJECTED: nothing was compared
    assert verify.resend_button.isVisible()
    kept = list(verify.last_outcome.frames)
    assert len(kept) > 3
    assert window.ui.history.rows()[0]["decision"] == "error"
    # The service recovers; the window reconnects by itself and the kept take is sent again.
    faults(sandbox, {"drop_after_frames": None, "drop_times": None})
    qtbot.waitUntil(lambda: window.ui.connection.state == "connected", timeout=30000)
    qtbot.mouseClick(verify.resend_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, verify)
    assert verify.decision.verdict.decision == "accepted", verify.decision.verdict
    assert verify.last_outcome.frames == kept  # the very same take
    assert not verify.resend_button.isVisible()
    assert [r["decision"] for r in window.ui.history.rows()] == ["accepted", "error"]


def test_claimed_user_completes_from_enrolled_names(qtbot: Any, window: Any, speech_file: Any) -> None:
    enrol = panel(window, "EnrolPanel")
    enrol.user.setText("Zhang Wei")
    enrol.consent_box.setChecked(True)
    enrol.start_files("Zhang Wei", [speech_file("dave", 0, 1)])
    wait_done(qtbot, enrol)
    verify = panel(window, "VerifyPanel")
    assert "Zhang Wei" in verify.names.stringList()


def test_empty_claim_starts_nothing(qtbot: Any, window: Any) -> None:
    verify = panel(window, "VerifyPanel")
    verify.user.setText("")
    verify.setFocus()
    qtbot.keyClick(verify, Qt.Key.Key_Space)
    assert not verify.busy and verify.user_error.text()
    assert window.ui.history.rows() == []


def test_a_new_name_clears_the_previous_speakers_result(
    qtbot: Any, window: Any, speech_file: Any, digits: FixedDigits
) -> None:
    enrol_directly(window, "alice", "bob")
    verify = panel(window, "VerifyPanel")
    digits.heard = verify.prompt
    verify_file(qtbot, window, "alice", speech_file("alice", 2, 3))
    assert verify.decision.isVisible() and verify.scores_box.isVisible()
    verify.user.setText("bob")  # the next caller: alice's ACCEPTED and scores must not stay up
    assert not verify.decision.isVisible() and verify.decision.verdict is None
    assert not verify.scores_box.isVisible() and not verify.raw_button.isVisible()
    assert verify.last_outcome is None and not verify.resend_button.isVisible()
