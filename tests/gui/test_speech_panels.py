"""The Speech and Transcribe panels against a real sandbox: speech synthesised in the panel would
be played (a recorder stands in for the speaker) and saved as a WAV that decodes; a wrong secret
shows Rokid's 500 text; a file of English digits is transcribed back to those digits; bad input
is explained with nothing sent."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop.context import Context
from desktop.services.rokid import TEXT_LIMIT
from desktop.ui.context import UiContext
from tests.gui.conftest import write_wav
from tests.services.rokid_support import padded, spoken_digits


class PlayRecorder:
    """Stands in for ``playback.play``: keeps what would have been played, reports progress."""

    def __init__(self, block: threading.Event | None = None) -> None:
        self.calls: list[tuple[np.ndarray[Any, Any], int, Any]] = []
        self.block = block

    def __call__(self, pcm: Any, rate: int, device: Any = None, on_progress: Any = None, stop: Any = None,
                 **_kw: Any) -> bool:  # fmt: skip
        self.calls.append((np.asarray(pcm).copy(), rate, device))
        if self.block is not None:  # play "forever" until Stop
            while not stop.wait(0.02):
                pass
            return False
        if on_progress is not None:
            on_progress(0.5)
            on_progress(1.0)
        return True


@pytest.fixture
def make_panel(qtbot: Any, sandbox: Any, tmp_path: Path) -> Iterator[Callable[[str], Any]]:
    made: list[tuple[Any, Context]] = []

    def make(kind: str) -> Any:
        from desktop.ui.panels.speech import SpeechPanel
        from desktop.ui.panels.transcribe import TranscribePanel

        ctx = Context()
        ui = UiContext(ctx=ctx, settings=QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))
        cls: type[QWidget] = SpeechPanel if kind == "speech" else TranscribePanel
        p: Any = cls(ui)  # type: ignore[call-arg]
        qtbot.addWidget(p)
        p.show()
        made.append((p, ctx))
        return p

    yield make
    for p, ctx in made:
        p.shutdown()
        ctx.close()


def idle(qtbot: Any, p: Any) -> None:
    qtbot.waitUntil(lambda: not p.busy, timeout=30000)


def test_speak_synthesises_and_plays_the_audio(qtbot: Any, make_panel: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    played = PlayRecorder()
    monkeypatch.setattr("desktop.audio.playback.play", played)
    p = make_panel("speech")
    p.text.setPlainText("你好，欢迎使用")
    p.codec.setCurrentIndex(p.codec.findData("pcm"))
    qtbot.mouseClick(p.speak_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(played.calls) and not p.busy, timeout=30000)
    pcm, rate, _device = played.calls[0]
    assert rate == p.audio.pcm.rate == 24000 and pcm.dtype == np.int16
    assert pcm.size == p.audio.pcm.samples.size and pcm.size / rate > 0.5
    assert np.abs(pcm.astype(np.int32)).max() > 1000  # speech, not silence
    assert p.progress.value() == 1000 and not p.error.isVisible()
    assert p.speak_button.isEnabled() and not p.stop_button.isEnabled()


def test_stop_cuts_playback_short(qtbot: Any, make_panel: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    played = PlayRecorder(block=threading.Event())
    monkeypatch.setattr("desktop.audio.playback.play", played)
    p = make_panel("speech")
    p.text.setPlainText("你好")
    qtbot.mouseClick(p.speak_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: p.stop_button.isEnabled(), timeout=30000)
    assert not p.speak_button.isEnabled()
    qtbot.mouseClick(p.stop_button, Qt.MouseButton.LeftButton)
    idle(qtbot, p)
    assert p.status.text() == "Stopped." and p.speak_button.isEnabled() and len(played.calls) == 1


@pytest.mark.parametrize("codec", ["mp3", "opu2"])
def test_save_as_writes_a_decodable_wav_and_raw_bytes(qtbot: Any, make_panel: Any, tmp_path: Path,
                                                      codec: str) -> None:  # fmt: skip
    p = make_panel("speech")
    p.text.setPlainText("语音合成")
    p.codec.setCurrentIndex(p.codec.findData(codec))
    p.declaimer.setCurrentIndex(p.declaimer.findData("c1"))
    wav = tmp_path / "out.wav"
    p.save_to(wav)
    idle(qtbot, p)
    assert not p.error.isVisible(), p.error.text()
    data, rate = sf.read(str(wav), dtype="int16")
    assert rate == p.audio.pcm.rate and data.size == p.audio.pcm.samples.size and data.size / rate > 0.5
    assert p.audio.declaimer == "c1" and p.audio.codec == codec
    raw = tmp_path / f"out.{codec}"
    p.save_to(raw, raw=True)  # the same request: saved from the audio already synthesised
    idle(qtbot, p)
    assert raw.read_bytes() == p.audio.data and raw.read_bytes()[:4] != b"RIFF"


def test_a_wrong_secret_shows_rokids_500_text(qtbot: Any, make_panel: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPW_ROKID_SECRET", "wrong")
    played = PlayRecorder()
    monkeypatch.setattr("desktop.audio.playback.play", played)
    p = make_panel("speech")
    p.text.setPlainText("你好")
    qtbot.mouseClick(p.speak_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: p.error.isVisible(), timeout=30000)
    assert "sign mismatch" in p.error.text() and "HTTP 500" in p.error.text()
    assert not played.calls and p.speak_button.isEnabled() and p.audio is None


@pytest.mark.parametrize("text", ["", "   ", "好" * (TEXT_LIMIT + 1)])
def test_bad_text_is_explained_and_nothing_is_sent(qtbot: Any, make_panel: Any, monkeypatch: pytest.MonkeyPatch,
                                                   text: str) -> None:  # fmt: skip
    played = PlayRecorder()
    monkeypatch.setattr("desktop.audio.playback.play", played)
    p = make_panel("speech")
    p.text.setPlainText(text)
    qtbot.mouseClick(p.speak_button, Qt.MouseButton.LeftButton)
    assert p.error.isVisible() and p.error.text() and not p.busy and p.audio is None
    assert p.text.toPlainText() == text  # nothing typed is lost
    assert str(TEXT_LIMIT) in p.count.text()
    qtbot.wait(50)
    assert not played.calls


def test_transcribe_a_file_of_english_digits(qtbot: Any, make_panel: Any, tmp_path: Path) -> None:
    p = make_panel("transcribe")
    assert p.sandbox_note.isVisible() and "English" in p.sandbox_note.text()
    assert not p.transcribe_button.isEnabled()  # nothing to send yet
    p.use_file(write_wav(tmp_path / "digits.wav", spoken_digits("4071")))
    assert p.transcribe_button.isEnabled()
    qtbot.mouseClick(p.transcribe_button, Qt.MouseButton.LeftButton)
    idle(qtbot, p)
    assert not p.error.isVisible(), p.error.text()
    assert "".join(ch for ch in p.transcript.toPlainText() if ch.isdigit()) == "4071"
    qtbot.mouseClick(p.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == p.transcript.toPlainText()


def test_transcribe_a_take_as_opu(qtbot: Any, make_panel: Any) -> None:
    p = make_panel("transcribe")
    # What the recorder hands over at the end of a take (the microphone itself is not needed).
    p._on_recorded(spoken_digits("3141").tobytes(), "")
    p.codec.setCurrentIndex(p.codec.findData("opu"))
    qtbot.mouseClick(p.transcribe_button, Qt.MouseButton.LeftButton)
    idle(qtbot, p)
    assert "".join(ch for ch in p.transcript.toPlainText() if ch.isdigit()) == "3141"
    assert "opu" in p.status.text()


def test_a_file_that_is_not_audio_is_explained(qtbot: Any, make_panel: Any, tmp_path: Path) -> None:
    garbage = tmp_path / "notes.wav"
    garbage.write_bytes(b"this is not a wav file at all" * 10)
    p = make_panel("transcribe")
    p.use_file(garbage)
    qtbot.mouseClick(p.transcribe_button, Qt.MouseButton.LeftButton)
    idle(qtbot, p)
    assert p.error.isVisible() and p.error.text() and p.transcript.toPlainText() == ""
    assert p.transcribe_button.isEnabled()  # the file can be sent again once fixed


def test_recording_from_a_missing_device_is_explained(qtbot: Any, make_panel: Any) -> None:
    p = make_panel("transcribe")
    p.ui.settings.setValue("audio/input_device", "no such microphone 12345")
    qtbot.mouseClick(p.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not p.recording, timeout=15000)
    qtbot.waitUntil(lambda: p.error.isVisible(), timeout=5000)
    assert p.error.text() and p.record_button.text() == "Record" and p.take is None


@pytest.mark.audio
def test_record_from_virtual_microphone_and_transcribe(qtbot: Any, make_panel: Any, vaudio_realtime: Any) -> None:
    # In quiet room noise, as a microphone hears it (the sandbox recogniser is surer of speech
    # with some room around it; vmic gives exact digital silence after its file ends).
    pcm = padded(spoken_digits("5823"), 3.0)
    vaudio_realtime.feed(pcm)
    p = make_panel("transcribe")
    p.ui.settings.setValue("audio/input_device", "vmic")
    levels: list[float] = []
    p.meter_timer.timeout.connect(lambda: levels.append(p.meter.level))
    qtbot.mouseClick(p.record_button, Qt.MouseButton.LeftButton)
    assert p.recording and p.record_button.text() == "Stop" and not p.transcribe_button.isEnabled()
    # The take is timed from when the stream runs: opening PortAudio can take a while on a busy machine.
    qtbot.waitUntil(lambda: p.recorder._mic is not None and p.recorder._mic.running, timeout=15000)
    qtbot.wait(int(pcm.size / 16) + 150)  # real time: the whole take
    qtbot.mouseClick(p.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not p.recording, timeout=10000)
    assert not p.error.isVisible(), p.error.text()
    assert p.take is not None and len(p.take) / 2 >= pcm.size * 0.9
    assert max(levels) > -40  # the meter saw the speech
    qtbot.mouseClick(p.transcribe_button, Qt.MouseButton.LeftButton)
    idle(qtbot, p)
    assert "".join(ch for ch in p.transcript.toPlainText() if ch.isdigit()) == "5823"


@pytest.mark.audio
def test_speak_plays_through_portaudio_into_a_sink(qtbot: Any, make_panel: Any, vaudio_realtime: Any) -> None:
    p = make_panel("speech")
    p.ui.settings.setValue("audio/output_device", "vspk")
    p.text.setPlainText("你好")
    p.codec.setCurrentIndex(p.codec.findData("opu"))
    qtbot.mouseClick(p.speak_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: p.audio is not None, timeout=30000)
    idle(qtbot, p)
    assert not p.error.isVisible(), p.error.text()
    assert p.status.text() == "Played." and p.progress.value() == 1000
    played = vaudio_realtime.played()
    expected = p.audio.pcm.samples.size / p.audio.pcm.rate
    assert abs(played.size / 16000 - expected) < 0.3 + 0.1 * expected, (played.size, expected)
    assert np.abs(played.astype(np.int32)).max() > 1000
