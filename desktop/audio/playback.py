"""Blocking playback on the caller's (worker) thread, with progress and a stop switch.

The PortAudio callback only copies the next slice of a prepared byte buffer into the device
buffer and advances a position; progress reports and the stop check run on the calling thread,
which polls that position. A device that stops consuming (unplugged, suspended) is reported
after ``stall_s`` instead of blocking the worker forever.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from desktop import i18n
from desktop.audio.devices import open_failed, pick_settings, portaudio, resolve_device
from desktop.audio.resample import resample_int16
from desktop.errors import InputError

log = logging.getLogger(__name__)

i18n.register(
    {
        "audio.playback_stalled": {
            "en": "The audio output stopped playing (no progress for {seconds:.0f} s)",
            "zh": "音频输出停止播放（{seconds:.0f} 秒内没有进展）",
        },
        "audio.bad_pcm": {
            "en": "Cannot play this audio: {detail}",
            "zh": "无法播放该音频：{detail}",
        },
    }
)


class PlaybackStalled(InputError):
    """The output device stopped consuming audio mid-way."""


class _Feeder:
    """Holds the bytes to play and the position; ``__call__`` is the PortAudio callback."""

    def __init__(self, data: bytes, stop_exc: type[BaseException]) -> None:
        self.view = memoryview(data)
        self.pos = 0
        self.underflows = 0
        self._stop_exc = stop_exc

    def __call__(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        if status and status.output_underflow:
            self.underflows += 1
        want = len(outdata)
        chunk = self.view[self.pos : self.pos + want]
        outdata[: len(chunk)] = chunk
        self.pos += len(chunk)
        if len(chunk) < want:
            outdata[len(chunk) :] = bytes(want - len(chunk))
            raise self._stop_exc


def play(
    pcm: npt.NDArray[np.int16],
    rate: int,
    device: str | int | None = None,
    on_progress: Callable[[float], None] | None = None,
    stop: threading.Event | None = None,
    *,
    progress_interval: float = 0.05,
    stall_s: float = 5.0,
) -> bool:
    """Play mono int16 ``pcm`` at ``rate`` Hz and return when it has been played.

    ``on_progress(fraction)`` (0.0–1.0) is called on this thread about every ``progress_interval``
    seconds and once with 1.0 at the end. Setting ``stop`` cuts playback short: returns False.
    Returns True when everything was played. Raises ``AudioDeviceError`` (no or unusable output
    device), ``PlaybackStalled``, or ``InputError`` for unplayable input.
    """
    samples = np.asarray(pcm)
    if samples.ndim == 2 and samples.shape[1] == 1:
        samples = samples[:, 0]
    if samples.ndim != 1 or samples.dtype != np.int16:
        raise InputError(i18n.tr("audio.bad_pcm", detail=f"mono int16 expected, got {samples.dtype} {samples.shape}"))
    if rate <= 0:
        raise InputError(i18n.tr("audio.bad_pcm", detail=f"sample rate {rate}"))
    if stop is not None and stop.is_set():
        return False  # a fast device could finish before the first look at the switch
    sd = portaudio()
    info = resolve_device(device, "output")
    out_rate, channels = pick_settings(sd, info, "output", rate)
    if out_rate != rate:
        samples = resample_int16(samples, rate, out_rate)
    if channels > 1:
        samples = np.repeat(samples, channels)  # interleave the mono signal on every channel
    feeder = _Feeder(np.ascontiguousarray(samples, dtype="<i2").tobytes(), sd.CallbackStop)
    total = max(1, len(feeder.view))
    done = threading.Event()
    try:
        stream = sd.RawOutputStream(
            device=info.index,
            samplerate=out_rate,
            channels=channels,
            dtype="int16",
            callback=feeder,
            finished_callback=done.set,
        )
    except (sd.PortAudioError, ValueError) as exc:
        raise open_failed("output", info, exc) from exc
    try:
        stream.start()
    except sd.PortAudioError as exc:
        stream.close(ignore_errors=True)
        raise open_failed("output", info, exc) from exc
    try:
        completed = _wait(feeder, done, total, on_progress, stop, progress_interval, stall_s)
    finally:
        stream.close(ignore_errors=True)  # discards pending buffers when cut short
    if feeder.underflows:
        log.info("output underflows during playback: %d", feeder.underflows)
    if completed and on_progress is not None:
        on_progress(1.0)
    return completed


def _wait(
    feeder: _Feeder,
    done: threading.Event,
    total: int,
    on_progress: Callable[[float], None] | None,
    stop: threading.Event | None,
    interval: float,
    stall_s: float,
) -> bool:
    last_pos, last_move = -1, time.monotonic()
    while not done.wait(interval):
        if stop is not None and stop.is_set():
            return False
        pos = feeder.pos
        if on_progress is not None:
            on_progress(min(1.0, pos / total))
        now = time.monotonic()
        if pos != last_pos:
            last_pos, last_move = pos, now
        elif now - last_move > stall_s:
            if pos >= len(feeder.view):
                # Everything reached the device; a slow drain of its buffer is not a failure.
                log.info("the output device did not report the end of playback; closing it")
                return True
            raise PlaybackStalled(i18n.tr("audio.playback_stalled", seconds=stall_s))
    return True
