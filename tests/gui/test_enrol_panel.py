"""The Enrol panel against a real sandbox: from files, from the (virtual) microphone, and refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import panel, wait_done, write_wav
from tests.sandbox.speech import speech

# Keep the sandbox from loading its speech recogniser for digits: these tests do not need it.
pytestmark = pytest.mark.usefixtures("digits")


def test_enrol_from_file_records_consent_in_history(qtbot: Any, window: Any, speech_file: Any) -> None:
    enrol = panel(window, "EnrolPanel")
    enrol.user.setText("alice")
    enrol.consent_box.setChecked(True)
    prompt_before = enrol.prompt
    enrol.start_files("alice", [speech_file("alice", 0, 1)])
    assert enrol.busy
    wait_done(qtbot, enrol)
    verdict = enrol.decision.verdict
    assert verdict is not None and verdict.decision == "enrolled", verdict
    assert enrol.decision.word.text() == "ENROLLED"
    assert "alice" in enrol.decision.detail.text()  # the server's own sentence, shown as given
    assert enrol.prompt != prompt_before  # fresh digits for the next take
    rows = window.ui.history.rows()
    assert len(rows) == 1
    assert rows[0]["kind"] == "enrol" and rows[0]["decision"] == "enrolled"
    assert rows[0]["consent"] is True and rows[0]["source"] == "file"
    assert rows[0]["quality"]["speech_s"] > 3.0
    assert window.ui.history.enrolled_users() == ["alice"]


def test_too_short_take_is_refused_plainly(qtbot: Any, window: Any, tmp_path: Path) -> None:
    enrol = panel(window, "EnrolPanel")
    enrol.user.setText("bob")
    enrol.consent_box.setChecked(True)
    short = write_wav(tmp_path / "short.wav", speech("bob", 0)[:16000])  # one second
    enrol.start_files("bob", [short])
    wait_done(qtbot, enrol)
    verdict = enrol.decision.verdict
    assert verdict is not None and verdict.decision == "refused" and verdict.reason == "too_short"
    assert enrol.decision.word.text() == "NOT ENROLLED"
    assert window.ui.history.rows()[0]["decision"] == "refused"


@pytest.mark.parametrize(
    ("name", "consent"),
    [("", True), ("   ", True), ("a;b", True), ("x" * 65, True), ("carol", False)],
)
def test_bad_name_or_no_consent_starts_nothing(qtbot: Any, window: Any, name: str, consent: bool) -> None:
    enrol = panel(window, "EnrolPanel")
    enrol.user.setMaxLength(100)  # the field caps typing at 64; a paste or a test may not
    enrol.user.setText(name)
    enrol.consent_box.setChecked(consent)
    qtbot.mouseClick(enrol.recorder.button, Qt.MouseButton.LeftButton)
    assert not enrol.busy
    assert enrol.user_error.text()  # says why
    assert window.ui.history.rows() == []


def test_undecodable_file_keeps_working(qtbot: Any, window: Any, tmp_path: Path) -> None:
    enrol = panel(window, "EnrolPanel")
    enrol.user.setText("dave")
    enrol.consent_box.setChecked(True)
    junk = tmp_path / "notes.wav"
    junk.write_text("this is not audio")
    enrol.start_files("dave", [junk])
    wait_done(qtbot, enrol)
    verdict = enrol.decision.verdict
    assert verdict is not None and verdict.decision == "not_checked"
    assert "notes.wav" in enrol.decision.detail.text()
    assert window.ui.history.rows()[0]["decision"] == "error"


@pytest.mark.audio
def test_enrol_from_virtual_microphone(qtbot: Any, window: Any, vaudio_realtime: Any) -> None:
    pcm = speech("carol", 0, 2)
    vaudio_realtime.feed(pcm)
    window.ui.settings.setValue("audio/input_device", "vmic")
    enrol = panel(window, "EnrolPanel")
    enrol.user.setText("carol")
    enrol.consent_box.setChecked(True)
    enrol.setFocus()
    qtbot.keyClick(enrol, Qt.Key.Key_Space)  # the space bar starts recording
    assert enrol.recording
    levels: list[float] = []
    enrol.worker.level.connect(lambda rms, _peak: levels.append(rms))
    # Real time: stop once the virtual microphone has played the whole take.
    qtbot.waitUntil(lambda: enrol.recorder.speech.value() >= 1000, timeout=30000)
    qtbot.wait(int(len(pcm) / 16))  # let the rest of the speech through
    qtbot.keyClick(enrol, Qt.Key.Key_Space)  # and stops it
    assert not enrol.recording
    wait_done(qtbot, enrol)
    verdict = enrol.decision.verdict
    assert verdict is not None and verdict.decision == "enrolled", verdict
    assert max(levels) > -40  # the meter saw the speech
    assert enrol.recorder.waveform.columns  # and the waveform drew it
    row = window.ui.history.rows()[0]
    assert row["source"] == "mic" and row["consent"] is True
    assert np.isclose(row["audio_s"], row["quality"]["duration_s"], atol=0.2)


def test_consent_is_per_speaker(qtbot: Any, window: Any, speech_file: Any) -> None:
    """The tick resets when the name changes and when an enrolment finishes; a stale banner goes
    with the name; the consent stored is the one given for that speaker."""
    enrol = panel(window, "EnrolPanel")
    enrol.user.setText("alice")
    enrol.consent_box.setChecked(True)
    enrol.user.setText("alicia")  # another name: another person
    assert not enrol.consent_box.isChecked()
    qtbot.mouseClick(enrol.recorder.button, Qt.MouseButton.LeftButton)
    assert not enrol.busy and "consent" in enrol.user_error.text()
    enrol.user.setText("alice")
    assert not enrol.user_error.text()  # the previous name's error went with it (its line keeps its space)
    enrol.consent_box.setChecked(True)
    enrol.start_files("alice", [speech_file("alice", 0, 1)])
    wait_done(qtbot, enrol)
    assert enrol.decision.verdict is not None and enrol.decision.verdict.decision == "enrolled"
    assert not enrol.consent_box.isChecked()  # finished: the next enrolment asks again
    assert enrol.decision.isVisible()
    enrol.user.setText("bob")  # the next speaker sees no ENROLLED banner of alice's
    assert not enrol.decision.isVisible() and enrol.decision.verdict is None
    assert not enrol.consent_box.isChecked()
    enrol.start_files("bob", [speech_file("bob", 0, 1)])  # bob's consent was never ticked
    wait_done(qtbot, enrol)
    rows = {r["user"]: r for r in window.ui.history.rows()}
    assert rows["alice"]["consent"] is True and rows["bob"]["consent"] is False
    assert rows["alice"]["operator"]  # who recorded it
    events = window.ui.ctx.audit.events(action="enrol")
    assert {(e["subject"], e["details"]["consent"]) for e in events} == {("alice", True), ("bob", False)}
