"""The Speech panel's ``Player`` and the Transcribe panel's ``Recorder``: each works on its own
thread, and a Play or Record pressed the moment the last run reported is carried out, even when
that thread has not quite ended yet (on a loaded machine it may be descheduled right there)."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt, Slot

from desktop.ui.speech_player import Player
from desktop.ui.speech_recorder import Recorder
from tests.gui.test_speech_panels import PlayRecorder


class Ends(QObject):
    """Hears ``finished`` on the GUI thread, as the panels' slots do."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[Any, str]] = []

    @Slot(bool, str)
    def on_finished(self, completed: bool, sentence: str) -> None:
        self.seen.append((completed, sentence))

    @Slot(bytes, str)
    def on_recorded(self, take: bytes, sentence: str) -> None:
        self.seen.append((take, sentence))


def linger(signal: Any) -> None:
    """A direct slot runs on the worker's thread after the GUI's call is queued: the thread
    lingers after reporting, as a descheduled thread does on a busy machine."""
    signal.connect(lambda *_: time.sleep(0.5), Qt.ConnectionType.DirectConnection)


def test_play_again_as_soon_as_the_last_one_reported(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    played = PlayRecorder()
    monkeypatch.setattr("desktop.audio.playback.play", played)
    player, ends = Player(), Ends()
    player.finished.connect(ends.on_finished)
    linger(player.finished)
    pcm = np.zeros(1600, dtype=np.int16)
    player.start(pcm, 16000, "")
    qtbot.waitUntil(lambda: ends.seen == [(True, "")], timeout=20000)
    assert not player.playing
    player.start(pcm, 16000, "")  # pressed again at once: played, not silently dropped
    qtbot.waitUntil(lambda: len(ends.seen) == 2, timeout=20000)
    assert len(played.calls) == 2
    player.join()


def test_a_failing_device_is_a_sentence_and_ends_the_run(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_a: Any, **_kw: Any) -> bool:
        raise OSError("no such speaker")

    monkeypatch.setattr("desktop.audio.playback.play", broken)
    player, ends = Player(), Ends()
    player.finished.connect(ends.on_finished)
    player.start(np.zeros(160, dtype=np.int16), 16000, "missing")
    qtbot.waitUntil(lambda: bool(ends.seen), timeout=20000)
    assert ends.seen == [(False, "no such speaker")] and not player.playing
    player.join()


class OneFrameMic:
    """Stands in for ``MicCapture``: one 100 ms frame of silence, then the device ends."""

    def __init__(self, device: Any, frame_ms: int) -> None:
        self.level_dbfs = -60.0

    def __enter__(self) -> OneFrameMic:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def frames(self, timeout: float = 3.0) -> Any:
        yield bytes(3200)

    def stop(self) -> None:
        pass


def test_record_again_as_soon_as_the_last_take_reported(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("desktop.audio.capture.MicCapture", OneFrameMic)
    recorder, ends = Recorder(), Ends()
    recorder.finished.connect(ends.on_recorded)
    linger(recorder.finished)
    recorder.start("vmic")
    qtbot.waitUntil(lambda: len(ends.seen) == 1, timeout=20000)
    assert ends.seen == [(bytes(3200), "")] and not recorder.recording
    recorder.start("vmic")  # pressed again at once: a second take, not silently dropped
    qtbot.waitUntil(lambda: len(ends.seen) == 2, timeout=20000)
    assert ends.seen[1] == (bytes(3200), "")
    recorder.join()
