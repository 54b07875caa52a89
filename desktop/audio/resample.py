"""Sample-format conversion and resampling to the 16 kHz mono int16 every service speaks.

soxr (libsoxr's "HQ" preset) does the rate conversion: a band-limited resampler, so a tone keeps
its pitch and nothing above the new Nyquist folds back as aliasing. The streaming form gives the
same samples as the one-shot form (checked in the tests), so capture and file decoding agree.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import soxr

from desktop.audio import RATE

Float32 = npt.NDArray[np.float32]
Int16 = npt.NDArray[np.int16]


def float_to_int16(samples: npt.NDArray[np.floating]) -> Int16:
    """[-1, 1) floats to int16, rounding to nearest and clipping (float files may exceed 1.0).

    Scaled by 32768 because libsndfile reads int16 as ``v / 32768``: 16-bit sources round-trip exactly.
    """
    # float32 is exact here: scaling by a power of two keeps every int16 value representable.
    scaled = np.asarray(samples, dtype=np.float32) * np.float32(32768.0)
    np.rint(scaled, out=scaled)
    np.clip(scaled, -32768, 32767, out=scaled)
    return scaled.astype(np.int16)


def int16_to_float(pcm: npt.NDArray[np.int16]) -> Float32:
    out = np.asarray(pcm, dtype=np.float32)
    if out is pcm:  # pragma: no cover - int16 input always copies; keep callers' arrays intact
        out = out.copy()
    out *= np.float32(1.0 / 32768.0)
    return out


def mixdown(samples: npt.NDArray[np.floating]) -> Float32:
    """Average the channels of a (frames, channels) array; a 1-D array is already mono."""
    arr = np.asarray(samples, dtype=np.float32)
    if arr.ndim == 1:
        return arr
    if arr.ndim != 2:
        raise ValueError(f"expected (frames, channels) samples, got shape {arr.shape}")
    if arr.shape[1] == 1:
        return arr[:, 0]
    # Column by column: numpy's mean(axis=1) over a handful of channels is far slower.
    acc = arr[:, 0].copy()
    for c in range(1, arr.shape[1]):
        acc += arr[:, c]
    acc *= np.float32(1.0 / arr.shape[1])
    return acc


def resample_float(mono: Float32, rate: int, out_rate: int = RATE) -> Float32:
    if rate == out_rate or mono.size == 0:
        return mono
    return np.asarray(soxr.resample(mono, rate, out_rate, quality="HQ"), dtype=np.float32)


def to_mono_16k(samples: npt.NDArray[np.floating], rate: int) -> Int16:
    """Float samples, shape (frames,) or (frames, channels), at ``rate`` -> 16 kHz mono int16."""
    if rate <= 0:
        raise ValueError(f"sample rate must be positive, got {rate}")
    return float_to_int16(resample_float(mixdown(samples), rate, RATE))


def resample_int16(pcm: Int16, rate: int, out_rate: int) -> Int16:
    """Mono int16 at ``rate`` -> mono int16 at ``out_rate`` (playback to a device that wants 48 kHz)."""
    if rate == out_rate:
        return np.asarray(pcm, dtype=np.int16)
    return float_to_int16(resample_float(int16_to_float(pcm), rate, out_rate))


class StreamResampler:
    """Block-by-block mono int16 resampling for live capture; ``flush`` emits the filter's tail."""

    def __init__(self, in_rate: int, out_rate: int = RATE) -> None:
        self.in_rate = in_rate
        self.out_rate = out_rate
        self._stream = soxr.ResampleStream(in_rate, out_rate, 1, dtype="float32", quality="HQ")

    def push(self, pcm: Int16) -> Int16:
        out = self._stream.resample_chunk(int16_to_float(pcm), last=False)
        return float_to_int16(out)

    def flush(self) -> Int16:
        out = self._stream.resample_chunk(np.zeros(0, dtype=np.float32), last=True)
        return float_to_int16(out)
