"""Workers that record, decode and stream off the GUI thread.

Each worker is a ``QObject`` moved to its own ``QThread``; it talks to the panel only through
signals (queued to the GUI thread), and never touches a widget. The microphone is read by
``MicCapture``'s own threads, frames are sent by a small sender thread so that a slow or dropping
connection never freezes the meter, and decoding happens inside the file worker.

Whatever happens, the take (every frame) comes back in the ``Outcome``: a failed attempt can be
re-sent after a reconnect with nothing lost.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from desktop.errors import VpwError
from desktop.services.voiceprint_result import SessionResult

log = logging.getLogger(__name__)

QUALITY_EVERY = 5  # frames between quality reports (0.5 s at 100 ms frames)
LIVE_HINT_AFTER_S = 1.5  # hints need a little audio before they mean anything
MAX_RECORD_S = 120.0  # a forgotten recording stops by itself


@dataclass
class Outcome:
    kind: str  # enrol | verify
    user: str
    prompt: str | None
    source: str  # mic | file
    frames: list[bytes] = field(default_factory=list)  # the take, always kept
    result: SessionResult | None = None
    error: BaseException | None = None
    quality: dict[str, Any] = field(default_factory=dict)
    speech_s: float = 0.0
    min_speech_s: float = 0.0


_warmed = threading.Event()


def warm_up() -> None:
    """Import the audio stack in the background, once, while the operator is still reading the
    screen: importing numpy and the VAD on the GUI thread when recording starts stalls the
    window for tens of milliseconds. (PortAudio itself starts on first use, in the worker.)"""
    if _warmed.is_set():
        return
    _warmed.set()

    def load() -> None:
        try:
            import numpy as np

            import desktop.audio.capture
            import desktop.audio.decode  # noqa: F401
            from desktop.audio.quality import LiveQuality

            # First calls that load code lazily, ~0.1 s holding the GIL: numpy's percentile
            # (the quality report's noise floor) and the VAD. Better now than mid-take.
            np.percentile(np.arange(10.0), 10)
            quality = LiveQuality()
            quality.feed(b"\x01\x00" * 1600)
            quality.report()
            envelope(b"\x00\x00" * 1600)
        except Exception:  # a missing library is reported when the operator records
            log.debug("warming up the audio stack failed", exc_info=True)

    threading.Thread(target=load, name="vpw-warm-up", daemon=True).start()


def envelope(frame: bytes, columns_per_s: int = 100) -> list[float]:
    """(min, max) pairs in -1..1, one pair per 10 ms, flattened, for the scrolling waveform."""
    import numpy as np  # here, not at the top: the window shows before numpy has loaded

    pcm = np.frombuffer(frame, dtype="<i2")
    step = 16000 // columns_per_s
    n = pcm.size // step
    if n == 0:
        return []
    blocks = pcm[: n * step].reshape(n, step)
    pairs = np.empty(2 * n, dtype=np.float32)
    pairs[0::2] = blocks.min(axis=1) / 32768.0
    pairs[1::2] = blocks.max(axis=1) / 32768.0
    return [float(x) for x in pairs]


class _Streamer(QObject):
    """What recording and file workers share: a session, quality tracking, the outcome."""

    level = Signal(float, float)  # rms, peak dBFS of the latest frame
    waveform = Signal(list)  # envelope pairs
    progress = Signal(float, float)  # net speech s, duration s
    hints = Signal(list)  # [(code, sentence)] — the live quality hints
    overflows = Signal(int)
    status = Signal(str)  # sending | waiting (for the answer)
    done = Signal(object)  # Outcome

    def __init__(self, client: Any, kind: str, user: str, prompt: str | None, source: str, min_speech_s: float) -> None:
        super().__init__()
        from desktop.audio.quality import LiveQuality

        self.client = client
        self.outcome = Outcome(kind, user, prompt, source, min_speech_s=min_speech_s)
        self.quality = LiveQuality(min_speech_s=min_speech_s)
        self._last_hints: tuple[str, ...] = ()

    def run(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Safe from any thread: end the attempt's input (a recording stops; files just finish)."""

    def _observe(self, frame: bytes, index: int) -> None:
        self.outcome.frames.append(frame)
        self.quality.feed(frame)
        if index % QUALITY_EVERY == QUALITY_EVERY - 1:
            self._report_quality(final=False)

    def _report_quality(self, final: bool) -> None:
        from desktop.audio.quality import hint_message

        report = self.quality.report()
        self.progress.emit(report.speech_s, report.duration_s)
        codes = tuple(c for c in report.hints if final or c != "too_short")
        if report.duration_s < LIVE_HINT_AFTER_S and not final:
            codes = ()
        if codes != self._last_hints or final:
            self._last_hints = codes
            self.hints.emit([(c, hint_message(c, report)) for c in codes])
        self.outcome.quality = report.to_dict()
        self.outcome.speech_s = report.speech_s

    def _finish(self, session: Any, send_error: BaseException | None) -> None:
        self._report_quality(final=True)
        if send_error is not None:
            self.outcome.error = send_error
        else:
            self.status.emit("waiting")
            try:
                self.outcome.result = session.finish()
            except VpwError as exc:
                self.outcome.error = exc
            except Exception as exc:  # a bug must still end the attempt visibly, take kept
                log.exception("finishing a %s session failed", self.outcome.kind)
                self.outcome.error = exc
        self.done.emit(self.outcome)


class RecordWorker(_Streamer):
    """Record from the microphone and stream each frame live until ``stop()``."""

    def __init__(self, client: Any, kind: str, user: str, prompt: str | None, device: str, frame_ms: int,
                 min_speech_s: float) -> None:  # fmt: skip
        super().__init__(client, kind, user, prompt, "mic", min_speech_s)
        self.device = device
        self.frame_ms = frame_ms
        self._stop = threading.Event()
        self._mic: Any = None

    def stop(self) -> None:
        """Safe from any thread: ends the take; the worker then waits for the answer."""
        self._stop.set()
        mic = self._mic
        if mic is not None:
            mic.stop()

    @Slot()
    def run(self) -> None:
        try:
            self._record()
        except Exception as exc:  # a bug must still end the attempt (the panel waits for done)
            log.exception("recording failed unexpectedly")
            self.outcome.error = exc
            self.done.emit(self.outcome)

    def _record(self) -> None:
        from desktop.audio.capture import MicCapture

        try:
            mic = MicCapture(self.device or None, self.frame_ms)
            mic.start()
        except (VpwError, OSError) as exc:
            self.outcome.error = exc
            self.done.emit(self.outcome)
            return
        self._mic = mic
        if self._stop.is_set():  # stopped while the device was opening
            mic.stop()
        try:
            session = self.client.begin(self.outcome.kind, self.outcome.user, self.outcome.prompt)
        except VpwError as exc:
            mic.stop()
            self.outcome.error = exc
            self.done.emit(self.outcome)
            return
        outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        send_error: list[BaseException] = []
        sender = threading.Thread(target=_send_all, args=(session, outbox, send_error), name="vpw-send", daemon=True)
        sender.start()
        self.status.emit("sending")
        overflows = 0
        limit = int(MAX_RECORD_S * 1000 / self.frame_ms)
        try:
            for i, frame in enumerate(mic.frames()):
                outbox.put(frame)
                self._observe(frame, i)
                self.level.emit(mic.level_dbfs, mic.peak_dbfs)
                self.waveform.emit(envelope(frame))
                if mic.overflows != overflows:
                    overflows = mic.overflows
                    self.overflows.emit(overflows)
                if i + 1 >= limit:
                    mic.stop()
        except VpwError as exc:  # the device stalled (unplugged): keep what was captured
            send_error.append(exc)
            mic.stop()
        finally:
            outbox.put(None)
            sender.join()
        self._finish(session, send_error[0] if send_error else None)


def _send_all(session: Any, outbox: queue.SimpleQueue[bytes | None], errors: list[BaseException]) -> None:
    """Send frames as they come; after a failure keep draining (the take is kept by the worker)."""
    while (frame := outbox.get()) is not None:
        if errors:
            continue
        try:
            session.send(frame)
        except Exception as exc:  # VpwError from a lost connection, or a bug: the take survives
            errors.append(exc)


class StreamWorker(_Streamer):
    """Decode files (or take frames already recorded) and stream them as one session."""

    def __init__(self, client: Any, kind: str, user: str, prompt: str | None, *, paths: Sequence[Path] = (),
                 frames: Sequence[bytes] = (), frame_ms: int = 100, min_speech_s: float = 0.0,
                 source: str = "file") -> None:  # fmt: skip
        super().__init__(client, kind, user, prompt, source, min_speech_s)
        self.paths = list(paths)
        self.frames = list(frames)
        self.frame_ms = frame_ms

    def stop(self) -> None:
        """Files stream as fast as the connection takes them; nothing to interrupt."""

    @Slot()
    def run(self) -> None:
        try:
            self._stream()
        except Exception as exc:  # a bug must still end the attempt (the panel waits for done)
            log.exception("streaming failed unexpectedly")
            self.outcome.error = exc
            self.done.emit(self.outcome)

    def _stream(self) -> None:
        frames = self.frames
        if self.paths:
            from desktop.audio.decode import load_many
            from desktop.audio.frames import split_frames

            self.status.emit("decoding")
            try:
                frames = list(split_frames(load_many(self.paths), self.frame_ms))
            except (VpwError, OSError) as exc:
                self.outcome.error = exc
                self.done.emit(self.outcome)
                return
        try:
            session = self.client.begin(self.outcome.kind, self.outcome.user, self.outcome.prompt)
        except VpwError as exc:
            self.outcome.frames = list(frames)
            self.outcome.error = exc
            self.done.emit(self.outcome)
            return
        self.status.emit("sending")
        error: BaseException | None = None
        for i, frame in enumerate(frames):
            self._observe(frame, i)
            if error is None:
                try:
                    session.send(frame)
                except Exception as exc:  # keep observing: the take stays whole for a re-send
                    error = exc
        if frames:
            self.waveform.emit(envelope(b"".join(frames[-60:])))
        self._finish(session, error)


class _Job(QObject):
    """Keeps a worker's Python wrapper alive until its thread has really ended.

    Dropping the last reference to a worker while its ``run`` is still unwinding on the worker
    thread would delete the QObject under it; this object lives on the GUI thread and lets go
    only when ``QThread.finished`` arrives there.
    """

    def __init__(self, thread: QThread, worker: _Streamer, owner: QObject) -> None:
        super().__init__(owner)
        self.worker_thread = thread  # not "thread": that would hide QObject.thread()
        self.worker: _Streamer | None = worker
        thread.finished.connect(self._finished)

    @Slot()
    def _finished(self) -> None:
        self.worker = None
        self.worker_thread.deleteLater()
        self.deleteLater()


def start(worker: _Streamer, owner: QObject) -> QThread:
    """Run ``worker.run`` on a new thread that ends (and cleans up) when the worker is done."""
    thread = QThread(owner)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    # Direct: quit() is thread-safe, and a queued call would wait for a GUI thread that may be
    # blocked in thread.wait() at shutdown.
    worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    _Job(thread, worker, owner)
    thread.start()
    return thread
