"""Reading the prompt aloud (Rokid TTS) on Enrol and Verify, and Verify's ASR cross-check of the
digits, in the real window against the real sandbox (eSpeak TTS, pocketsphinx ASR)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt

from desktop.ui.prompt_reader import IDLE, PLAYING, SYNTHESISING, prompt_text
from tests.gui.conftest import panel, wait_done, write_wav
from tests.gui.test_speech_panels import PlayRecorder
from tests.gui.test_verify_panel import enrol_directly
from tests.services.rokid_support import padded, spoken_digits

pytestmark = pytest.mark.usefixtures("digits")


def set_prompt(p: Any, digits: str) -> None:
    # Known digits instead of random ones: eSpeak's reading of a few strings is reliably heard.
    p.prompt = digits
    p.digits.set_digits(digits)


def reader_idle(qtbot: Any, p: Any) -> None:
    qtbot.waitUntil(lambda: p.reader.state == IDLE and not p.reader.background.busy, timeout=30000)


# -- read aloud -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["EnrolPanel", "VerifyPanel"])
def test_read_aloud_plays_the_prompt_spoken_by_rokid(
    qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    played = PlayRecorder()
    monkeypatch.setattr("desktop.audio.playback.play", played)
    p = panel(window, name)
    assert p.read_button.isVisible() and p.read_button.text() == "Read aloud"
    qtbot.mouseClick(p.read_button, Qt.MouseButton.LeftButton)
    assert p.reader.state == SYNTHESISING and p.read_button.text() == "Stop reading"
    reader_idle(qtbot, p)
    assert len(played.calls) == 1, p.read_status.text()
    pcm, rate, _device = played.calls[0]
    audio = p.reader._audio
    assert audio.text == prompt_text(p.prompt) and audio.codec == "mp3"
    # What was played is the service's MP3 decoded, all of it: about 0.4 s per digit and pause.
    assert rate == audio.pcm.rate and np.array_equal(pcm, audio.pcm.samples)
    assert 0.25 * len(p.prompt) < pcm.size / rate < 1.0 * len(p.prompt)
    assert audio.data[:3] == b"ID3" or audio.data[0] == 0xFF  # MP3 on the wire
    assert not p.read_status.isVisible() and p.read_button.text() == "Read aloud"

    # Again: the same prompt is not synthesised twice.
    synthesised = audio
    qtbot.mouseClick(p.read_button, Qt.MouseButton.LeftButton)
    reader_idle(qtbot, p)
    assert len(played.calls) == 2 and p.reader._audio is synthesised


def test_new_digits_stop_the_reading_of_the_old_ones(
    qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    played = PlayRecorder(block=threading.Event())  # plays until stopped
    monkeypatch.setattr("desktop.audio.playback.play", played)
    p = panel(window, "VerifyPanel")
    qtbot.mouseClick(p.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: p.reader.state == PLAYING, timeout=30000)
    assert p.read_status.text() == "Reading the digits aloud…"
    qtbot.mouseClick(p.new_digits, Qt.MouseButton.LeftButton)
    reader_idle(qtbot, p)
    assert len(played.calls) == 1 and not p.read_status.isVisible()


def test_stopping_during_synthesis_never_plays_it(qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.services.rokid import RokidClient

    played = PlayRecorder()
    monkeypatch.setattr("desktop.audio.playback.play", played)
    release = threading.Event()
    real_tts = RokidClient.tts

    def slow_tts(self: Any, *a: Any, **kw: Any) -> Any:
        assert release.wait(10)
        return real_tts(self, *a, **kw)

    monkeypatch.setattr(RokidClient, "tts", slow_tts)
    p = panel(window, "EnrolPanel")
    qtbot.mouseClick(p.read_button, Qt.MouseButton.LeftButton)
    assert p.reader.state == SYNTHESISING
    qtbot.mouseClick(p.read_button, Qt.MouseButton.LeftButton)  # "Stop reading"
    assert p.reader.state == IDLE and p.read_button.text() == "Read aloud"
    release.set()
    reader_idle(qtbot, p)
    qtbot.wait(100)  # a late "done" would have queued its play by now
    assert not played.calls


def test_an_attempt_stops_the_reading(
    qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch, speech_file: Any
) -> None:
    played = PlayRecorder(block=threading.Event())
    monkeypatch.setattr("desktop.audio.playback.play", played)
    p = panel(window, "VerifyPanel")
    qtbot.mouseClick(p.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: p.reader.state == PLAYING, timeout=30000)
    p.user.setText("alice")
    p.start_files("alice", [speech_file("alice", 2)])
    # The microphone must hear the speaker, not the prompt: playback ends as the attempt starts.
    qtbot.waitUntil(lambda: p.reader.state == IDLE, timeout=5000)
    assert not p.read_button.isEnabled()
    wait_done(qtbot, p)
    assert p.read_button.isEnabled()


def test_a_refused_rokid_secret_is_explained(qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    played = PlayRecorder()
    monkeypatch.setattr("desktop.audio.playback.play", played)
    monkeypatch.setattr(window.ui.profile.rokid, "secret", "wrong")
    p = panel(window, "EnrolPanel")
    qtbot.mouseClick(p.read_button, Qt.MouseButton.LeftButton)
    reader_idle(qtbot, p)
    assert p.read_status.isVisible() and "sign mismatch" in p.read_status.text(), p.read_status.text()
    assert p.read_status.text().startswith("The digits could not be read aloud")
    assert not played.calls and p.read_button.text() == "Read aloud"


# -- ASR cross-check on Verify --------------------------------------------------------------------


def verify_with_cross_check(qtbot: Any, window: Any, tmp_path: Path, prompt: str, spoken: str) -> Any:
    enrol_directly(window, "alice")
    p = panel(window, "VerifyPanel")
    p.cross_check_box.setChecked(True)
    set_prompt(p, prompt)
    wav = write_wav(tmp_path / f"{spoken}.wav", padded(spoken_digits(spoken), 3.0))
    p.user.setText("alice")
    p.start_files("alice", [wav])
    wait_done(qtbot, p)
    assert p.digits_box.isVisible() and p.cross_check.isVisible()
    qtbot.waitUntil(lambda: not p.cross_check.running, timeout=30000)
    return p


def test_cross_check_agrees_when_the_prompt_was_read(qtbot: Any, window: Any, tmp_path: Path) -> None:
    p = verify_with_cross_check(qtbot, window, tmp_path, "4071", "4071")
    check = p.cross_check
    assert check.heard == "4071", check.status.text()
    assert check.comparison.same == [True] * 4
    assert check.comparison.summary.text() == "Speech recognition heard the same digits as the prompt."
    assert check.transcript in check.status.text()


def test_cross_check_flags_other_digits(qtbot: Any, window: Any, tmp_path: Path) -> None:
    p = verify_with_cross_check(qtbot, window, tmp_path, "4071", "5823")
    check = p.cross_check
    assert check.heard == "5823", check.status.text()
    assert check.comparison.same == [False] * 4
    assert "different digits at 4 of 4 places" in check.comparison.summary.text()


def test_cross_check_is_off_unless_chosen_and_remembered(qtbot: Any, window: Any, tmp_path: Path) -> None:
    enrol_directly(window, "alice")
    p = panel(window, "VerifyPanel")
    assert not p.cross_check_box.isChecked()
    p.user.setText("alice")
    p.start_files("alice", [write_wav(tmp_path / "a.wav", padded(spoken_digits("4071"), 3.0))])
    wait_done(qtbot, p)
    assert p.digits_box.isVisible() and not p.cross_check.isVisible()
    p.cross_check_box.setChecked(True)
    assert str(window.ui.settings.value("verify/asr_cross_check")).lower() == "true"


def test_a_failing_cross_check_leaves_the_decision_alone(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window.ui.profile.rokid, "secret", "wrong")
    p = verify_with_cross_check(qtbot, window, tmp_path, "4071", "4071")
    assert p.cross_check.heard is None
    assert "could not run" in p.cross_check.status.text() and "sign mismatch" in p.cross_check.status.text()
    assert p.decision.verdict.decision in ("accepted", "rejected")  # the voiceprint answer stands


def test_a_late_transcript_of_an_earlier_take_is_dropped(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.services.rokid import RokidClient

    release = threading.Event()
    real_asr = RokidClient.asr

    def slow_asr(self: Any, *a: Any, **kw: Any) -> Any:
        assert release.wait(20)
        return real_asr(self, *a, **kw)

    monkeypatch.setattr(RokidClient, "asr", slow_asr)
    enrol_directly(window, "alice")
    p = panel(window, "VerifyPanel")
    p.cross_check_box.setChecked(True)
    set_prompt(p, "4071")
    p.user.setText("alice")
    p.start_files("alice", [write_wav(tmp_path / "a.wav", padded(spoken_digits("4071"), 3.0))])
    wait_done(qtbot, p)
    assert p.cross_check.running
    p.cross_check_box.setChecked(False)
    set_prompt(p, "5823")
    p.start_files("alice", [write_wav(tmp_path / "b.wav", padded(spoken_digits("5823"), 3.0))])
    wait_done(qtbot, p)  # the second take's answer, without a cross-check
    release.set()
    qtbot.waitUntil(lambda: not p.cross_check.running, timeout=30000)
    qtbot.wait(100)
    assert p.cross_check.heard is None and not p.cross_check.isVisible()
