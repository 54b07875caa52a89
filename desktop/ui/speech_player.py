"""Playing synthesised speech on a worker thread, with progress and Stop, for the Speech panel.

``desktop.audio.playback.play`` blocks until the audio has been played, so it runs on a plain
daemon thread; progress and the end arrive through queued signals of a QObject created on the
GUI thread, so the panel's slots run there and may touch widgets. The player never does.
"""

from __future__ import annotations

import logging
import threading

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class Player(QObject):
    progress = Signal(float)  # 0.0-1.0 of the audio played
    finished = Signal(bool, str)  # completed (not stopped), error sentence ("" when none)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._ended = threading.Event()  # the current run has ended (set: nothing is playing)
        self._ended.set()
        self._thread: threading.Thread | None = None

    @property
    def playing(self) -> bool:
        """From ``start`` until the run ends. Not the thread's life: a thread that has already
        reported may linger a moment (a busy machine deschedules it), and a Play pressed as soon
        as ``finished`` arrived would otherwise be ignored, the caller left waiting for ever."""
        return not self._ended.is_set()

    def start(self, pcm: npt.NDArray[np.int16], rate: int, device: str) -> None:
        if self.playing:
            return
        self._stop = threading.Event()
        self._ended = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(pcm, rate, device or None, self._stop, self._ended), name="vpw-speech-play",
            daemon=True,
        )  # fmt: skip
        self._thread.start()

    def _run(
        self, pcm: npt.NDArray[np.int16], rate: int, device: str | None, stop: threading.Event, ended: threading.Event
    ) -> None:
        try:
            # Looked up at call time so that tests can replace ``playback.play`` with a recorder.
            from desktop.audio import playback

            completed = bool(playback.play(pcm, rate, device=device, on_progress=self.progress.emit, stop=stop))
            sentence = ""
        except Exception as exc:  # every failure becomes a sentence for the operator
            log.info("playback failed: %s", exc)
            completed, sentence = False, str(exc) or type(exc).__name__
        ended.set()  # before telling: whoever hears "finished" may start the next run at once
        self.finished.emit(completed, sentence)

    def stop(self) -> None:
        """Safe from any thread: playback ends within one progress interval."""
        self._stop.set()

    def join(self, timeout_s: float = 3.0) -> None:
        self.stop()
        if self._thread is not None:
            self._thread.join(timeout_s)
