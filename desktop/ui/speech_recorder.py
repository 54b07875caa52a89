"""Recording a take for the Transcribe panel on a worker thread.

``MicCapture`` opens PortAudio, which can take a moment, so the whole capture (start, reading
frames, stop) runs on a daemon thread; the panel reads ``level_dbfs`` on a timer (safe from any
thread) and hears the end through a queued signal of a QObject created on the GUI thread.
Whatever happens, every frame captured so far comes back: a failure loses nothing.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.audio import RATE

log = logging.getLogger(__name__)

MAX_RECORD_S = 60.0  # a forgotten recording stops by itself (Rokid takes about 20 s of pcm anyway)
FLOOR_DBFS = -60.0


class Recorder(QObject):
    finished = Signal(bytes, str)  # the take (s16le 16 kHz mono), error sentence ("" when none)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._ended = threading.Event()  # the current take has ended (set: not recording)
        self._ended.set()
        self._thread: threading.Thread | None = None
        self._mic: Any = None

    @property
    def recording(self) -> bool:
        """From ``start`` until the take ends. Not the thread's life: a thread that has already
        reported may linger a moment on a busy machine, and a Record pressed as soon as
        ``finished`` arrived would otherwise be ignored, the panel left "recording" for ever."""
        return not self._ended.is_set()

    def start(self, device: str) -> None:
        if self.recording:
            return
        self._stop = threading.Event()
        self._ended = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(device or None, self._stop, self._ended), name="vpw-transcribe-rec", daemon=True
        )
        self._thread.start()

    def _run(self, device: str | None, stop: threading.Event, ended: threading.Event) -> None:
        take, sentence = self._capture(device, stop)
        ended.set()  # before telling: whoever hears "finished" may start the next take at once
        self.finished.emit(take, sentence)

    def _capture(self, device: str | None, stop: threading.Event) -> tuple[bytes, str]:
        from desktop.audio.capture import MicCapture

        frames: list[bytes] = []
        got = 0
        try:
            mic = MicCapture(device, 100)
            self._mic = mic
            with mic:
                for frame in mic.frames(timeout=5.0):  # generous: some devices take seconds to start
                    frames.append(frame)
                    got += len(frame)
                    if stop.is_set() or got >= MAX_RECORD_S * RATE * 2:
                        break
        except Exception as exc:  # every failure becomes a sentence; the frames stay
            log.info("recording failed: %s", exc)
            return b"".join(frames), str(exc) or type(exc).__name__
        finally:
            self._mic = None
        return b"".join(frames), ""

    def level_dbfs(self) -> float:
        mic = self._mic
        return FLOOR_DBFS if mic is None else float(getattr(mic, "level_dbfs", FLOOR_DBFS))

    def stop(self) -> None:
        """Safe from any thread: the device stops, frames already captured are kept."""
        self._stop.set()
        mic = self._mic
        if mic is not None:
            mic.stop()  # MicCapture.stop is safe from any thread

    def join(self, timeout_s: float = 3.0) -> None:
        self.stop()
        if self._thread is not None:
            self._thread.join(timeout_s)
