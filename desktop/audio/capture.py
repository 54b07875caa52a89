"""Microphone capture: PortAudio's thread copies blocks, a pump thread cuts them into frames.

The PortAudio callback runs on the audio thread and must never wait: it copies the block into a
``SimpleQueue`` (a C-level put, no Python lock) and counts input-overflow flags — nothing else.
A pump thread mixes down, resamples to 16 kHz when the device cannot capture at 16 kHz
(soxr's streaming resampler), cuts fixed frames (100 ms = 3200 bytes by default) and keeps the
latest frame's level for a meter. The consumer (a service worker) pulls frames; the UI reads
``level_dbfs`` on a timer. Levels stay live even while the consumer waits on the network.

Ends of a take: the first frame starts with the first sample PortAudio delivers (nothing is
dropped or padded at the start). ``stop`` flushes the resampler and emits whatever is left as a
last, shorter frame; ``record`` trims to exactly the requested number of samples.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt

from desktop import i18n
from desktop.audio import RATE
from desktop.audio.decode import MAX_SECONDS
from desktop.audio.devices import DeviceInfo, open_failed, pick_settings, portaudio, resolve_device
from desktop.audio.frames import frame_bytes
from desktop.audio.levels import DBFS_FLOOR, peak_rms_dbfs
from desktop.audio.resample import StreamResampler
from desktop.errors import InputError

log = logging.getLogger(__name__)

i18n.register(
    {
        "audio.capture_stalled": {
            "en": "The microphone stopped delivering audio (nothing for {seconds:.0f} s)",
            "zh": "麦克风停止输出音频（{seconds:.0f} 秒内没有数据）",
        },
        "audio.bad_seconds": {
            "en": "Recording length must be between 0 and {limit} seconds, not {seconds}",
            "zh": "录音时长必须在 0 到 {limit} 秒之间，而不是 {seconds}",
        },
    }
)

_END = None  # sentinel on both queues: capture has stopped


class CaptureStalled(InputError):
    """The device stopped delivering audio while the capture was running (unplugged, suspended)."""


class MicCapture:
    """``with MicCapture("USB") as mic: for frame in mic.frames(): ...`` — s16le 16 kHz mono frames."""

    def __init__(
        self,
        device: str | int | None = None,
        frame_ms: int = 100,
        *,
        capture_rate: int | None = None,
        blocksize: int = 0,
    ) -> None:
        if frame_ms <= 0:
            raise ValueError("frame_ms must be positive")
        self.device_spec = device
        self.frame_ms = frame_ms
        self.frame_size = frame_bytes(frame_ms)
        self._forced_rate = capture_rate  # capture at this device rate and resample (tests, bad drivers)
        self._blocksize = blocksize  # 0 = PortAudio picks the best block size for the device
        self.device: DeviceInfo | None = None
        self.capture_rate = RATE
        self.channels = 1
        self._overflows = 0
        self._level = (DBFS_FLOOR, DBFS_FLOOR)
        self._blocks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._frames: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._stream: Any = None
        self._pump: threading.Thread | None = None
        self._ended = False
        self._stop_lock = threading.Lock()

    # -- the PortAudio thread ------------------------------------------------------------------
    def _on_audio(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        if status and status.input_overflow:
            self._overflows += 1
        self._blocks.put(bytes(indata))

    # -- the pump thread -----------------------------------------------------------------------
    def _run_pump(self) -> None:
        try:
            self._pump_blocks()
        except Exception:  # a bug here must end the take visibly, not hang the consumer
            log.exception("the capture pump failed")
        finally:
            self._frames.put(_END)

    def _pump_blocks(self) -> None:
        resampler = StreamResampler(self.capture_rate, RATE) if self.capture_rate != RATE else None
        pending = bytearray()
        while True:
            block = self._blocks.get()
            if block is None:
                break
            if self.channels == 1 and resampler is None:
                pending += block  # the common case stays byte-exact
            else:
                pcm = np.frombuffer(block, dtype="<i2")
                if self.channels > 1:
                    pcm = pcm.reshape(-1, self.channels).mean(axis=1).round().astype(np.int16)
                pending += (resampler.push(pcm) if resampler else pcm).astype("<i2").tobytes()
            self._emit(pending, final=False)
        if resampler is not None:
            pending += resampler.flush().astype("<i2").tobytes()
        self._emit(pending, final=True)

    def _emit(self, pending: bytearray, *, final: bool) -> None:
        size = self.frame_size
        while len(pending) >= size or (final and pending):
            frame = bytes(pending[:size])
            del pending[:size]
            self._level = peak_rms_dbfs(np.frombuffer(frame, dtype="<i2"))
            self._frames.put(frame)

    # -- the owner's thread --------------------------------------------------------------------
    def start(self) -> None:
        if self._stream is not None:
            return
        sd = portaudio()
        self.device = resolve_device(self.device_spec, "input")
        self.capture_rate, self.channels = pick_settings(sd, self.device, "input", RATE, self._forced_rate)
        self._ended = False
        self._overflows = 0
        self._level = (DBFS_FLOOR, DBFS_FLOOR)
        # Fresh queues: frames a previous take left unread (and its end marker) must not leak in.
        self._blocks = queue.SimpleQueue()
        self._frames = queue.SimpleQueue()
        try:
            stream = sd.RawInputStream(
                device=self.device.index,
                samplerate=self.capture_rate,
                channels=self.channels,
                dtype="int16",
                blocksize=self._blocksize,
                callback=self._on_audio,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise open_failed("input", self.device, exc) from exc
        self._pump = threading.Thread(target=self._run_pump, name="vpw-mic-pump", daemon=True)
        self._pump.start()
        try:
            stream.start()
        except sd.PortAudioError as exc:
            stream.close()
            self._blocks.put(_END)
            self._pump.join()
            raise open_failed("input", self.device, exc) from exc
        self._stream = stream
        log.debug("capturing from %s at %d Hz x%d", self.device.label(), self.capture_rate, self.channels)

    def stop(self) -> None:
        """Stop the device; frames already captured stay readable, then ``frames()`` ends."""
        with self._stop_lock:  # the UI's stop button and the consumer may both call stop
            stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            stream.stop()
            stream.close()
        except Exception as exc:  # a vanished device may fail to stop; the take still ends cleanly
            log.warning("closing the input stream failed: %s", exc)
        self._blocks.put(_END)  # after close: no callback can put a block behind it
        if self._pump is not None:
            self._pump.join()
        if self._overflows:
            log.info("input overflows during capture: %d", self._overflows)

    def get_frame(self, timeout: float | None = None) -> bytes | None:
        """The next frame; None on timeout or once the capture has ended and is drained."""
        if self._ended:
            return None
        try:
            frame = self._frames.get(timeout=timeout)
        except queue.Empty:
            return None
        if frame is None:
            self._ended = True
            return None
        return frame

    def frames(self, timeout: float = 3.0) -> Iterator[bytes]:
        """Frames until ``stop()`` (from any thread) and the rest is drained.

        Raises ``CaptureStalled`` when a running device delivers nothing for ``timeout`` seconds.
        """
        while True:
            frame = self.get_frame(timeout)
            if frame is not None:
                yield frame
                continue
            if self._ended or self._pump is None:
                return
            if self._stream is not None:
                raise CaptureStalled(i18n.tr("audio.capture_stalled", seconds=timeout))

    @property
    def running(self) -> bool:
        return self._stream is not None

    @property
    def overflows(self) -> int:
        """Blocks PortAudio flagged as overflowed (samples lost because the system was late)."""
        return self._overflows

    @property
    def level_dbfs(self) -> float:
        """RMS of the latest frame in dBFS, for a meter read on a timer (any thread)."""
        return self._level[1]

    @property
    def peak_dbfs(self) -> float:
        return self._level[0]

    def __enter__(self) -> MicCapture:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def record(
    seconds: float, device: str | int | None = None, *, frame_ms: int = 100, capture_rate: int | None = None
) -> npt.NDArray[np.int16]:
    """Exactly ``seconds`` of 16 kHz mono audio from a microphone (the CLI's ``--mic SECONDS``)."""
    if not 0 < seconds <= MAX_SECONDS:
        raise InputError(i18n.tr("audio.bad_seconds", seconds=seconds, limit=MAX_SECONDS))
    wanted = round(seconds * RATE) * 2
    chunks: list[bytes] = []
    got = 0
    started = time.monotonic()
    with MicCapture(device, frame_ms, capture_rate=capture_rate) as mic:
        for frame in mic.frames(timeout=5.0):  # generous: some devices take seconds to start
            chunks.append(frame)
            got += len(frame)
            if got >= wanted:
                break
    log.debug("recorded %.2f s in %.2f s", got / 2 / RATE, time.monotonic() - started)
    return np.frombuffer(b"".join(chunks)[:wanted], dtype="<i2").astype(np.int16)
