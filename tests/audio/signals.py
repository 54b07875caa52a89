"""Synthetic test signals at 16 kHz unless told otherwise (floats in [-1, 1], int16 via ``to_int16``)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

RATE = 16_000
Floats = npt.NDArray[np.float64]


def tone(freq: float, seconds: float, rate: int = RATE, level: float = 0.5) -> Floats:
    return level * np.sin(2 * np.pi * freq * np.arange(round(seconds * rate)) / rate)


def voiced(seconds: float, level: float = 0.3, rate: int = RATE) -> Floats:
    """A vowel-like signal: a gliding 110–170 Hz harmonic series under three formant bumps,
    in 4 syllables a second with short pauses — enough like speech for WebRTC's VAD."""
    t = np.arange(round(seconds * rate)) / rate
    f0 = 140 + 30 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    x = np.zeros_like(t)
    for k in range(1, 25):
        f = k * f0
        amp = (
            np.exp(-(((f - 700) / 300) ** 2))
            + 0.6 * np.exp(-(((f - 1200) / 400) ** 2))
            + 0.3 * np.exp(-(((f - 2500) / 500) ** 2))
            + 0.02
        )
        x += amp * np.sin(k * phase)
    x *= np.clip(np.sin(2 * np.pi * 2.0 * t), 0, None) ** 0.5
    return x / np.abs(x).max() * level


def to_int16(x: Floats) -> npt.NDArray[np.int16]:
    return np.clip(np.rint(np.asarray(x) * 32768), -32768, 32767).astype(np.int16)


def dominant_hz(x: npt.ArrayLike, rate: int) -> float:
    arr = np.asarray(x, dtype=np.float64)
    spectrum = np.abs(np.fft.rfft(arr * np.hanning(arr.size)))
    return float(np.argmax(spectrum) * rate / arr.size)
