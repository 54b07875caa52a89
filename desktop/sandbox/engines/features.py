"""Frame-level speech features in plain numpy: log-mel energies, MFCCs and a pitch track.

All at 16 kHz with a 10 ms hop, so that frame ``i`` lines up with hop ``i`` of
``desktop.sandbox.vad.voiced_mask``. Vectorised over frames: a minute of audio takes a fraction
of a second, which keeps the sandbox's executor threads short.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

RATE = 16_000
HOP = 160  # 10 ms
WIN = 400  # 25 ms analysis window for spectra
NFFT = 512
N_MELS = 40
F_MIN, F_MAX = 60.0, 7_800.0
PITCH_WIN = 640  # 40 ms: two periods of an 50 Hz voice fit
F0_MIN, F0_MAX = 60.0, 400.0
VOICING = 0.5  # normalised autocorrelation peak above which a frame counts as periodic

Floats = npt.NDArray[np.float64]


def _hz_to_mel(f: Floats | float) -> Floats:
    return np.asarray(2595.0 * np.log10(1.0 + np.asarray(f) / 700.0), dtype=np.float64)


def _mel_to_hz(m: Floats) -> Floats:
    return np.asarray(700.0 * (10.0 ** (m / 2595.0) - 1.0), dtype=np.float64)


@functools.cache
def mel_filterbank() -> Floats:
    """Triangular filters, (N_MELS, NFFT // 2 + 1), on the HTK mel scale."""
    edges = _mel_to_hz(np.linspace(_hz_to_mel(F_MIN), _hz_to_mel(F_MAX), N_MELS + 2))
    bins = np.fft.rfftfreq(NFFT, 1.0 / RATE)
    bank = np.zeros((N_MELS, len(bins)))
    for i in range(N_MELS):
        lo, mid, hi = edges[i : i + 3]
        rising = (bins - lo) / (mid - lo)
        falling = (hi - bins) / (hi - mid)
        bank[i] = np.clip(np.minimum(rising, falling), 0.0, None)
    return bank


@functools.cache
def dct_matrix() -> Floats:
    """DCT-II basis (N_MELS x N_MELS) that turns log-mel energies into cepstra."""
    n = np.arange(N_MELS)
    return np.cos(np.pi / N_MELS * (n[None, :] + 0.5) * n[:, None])


def _frames(x: Floats, win: int) -> Floats:
    """Overlapping windows of ``win`` samples every HOP samples (a strided view, no copy)."""
    if len(x) < win:
        return np.zeros((0, win))
    count = 1 + (len(x) - win) // HOP
    return np.lib.stride_tricks.as_strided(
        x, shape=(count, win), strides=(x.strides[0] * HOP, x.strides[0]), writeable=False
    )


def to_float(pcm: npt.NDArray[np.int16]) -> Floats:
    return np.asarray(pcm, dtype=np.float64) / 32768.0


def log_mel(pcm: npt.NDArray[np.int16]) -> Floats:
    """(frames, N_MELS) natural-log mel energies of pre-emphasised speech."""
    x = to_float(pcm)
    if len(x) < WIN:
        return np.zeros((0, N_MELS))
    # Pre-emphasis flattens speech's spectral tilt so that high bands are not drowned.
    x = np.concatenate([x[:1], x[1:] - 0.97 * x[:-1]])
    spectra = np.abs(np.fft.rfft(_frames(x, WIN) * np.hamming(WIN), NFFT)) ** 2
    return np.asarray(np.log(spectra @ mel_filterbank().T + 1e-8), dtype=np.float64)


def mfcc(logmel: Floats) -> Floats:
    """(frames, N_MELS) cepstra; column 0 is overall loudness."""
    return np.asarray(logmel @ dct_matrix().T, dtype=np.float64)


def pitch(pcm: npt.NDArray[np.int16]) -> tuple[Floats, Floats]:
    """Per-frame F0 in Hz and its periodicity (normalised autocorrelation peak, 0..1)."""
    x = to_float(pcm)
    frames = _frames(x, PITCH_WIN)
    if len(frames) == 0:
        return np.zeros(0), np.zeros(0)
    frames = (frames - frames.mean(axis=1, keepdims=True)) * np.hanning(PITCH_WIN)
    # Autocorrelation through the power spectrum (Wiener-Khinchin), zero-padded against wrap-around.
    power = np.abs(np.fft.rfft(frames, 2 * PITCH_WIN)) ** 2
    ac = np.fft.irfft(power)[:, :PITCH_WIN]
    ac /= ac[:, :1] + 1e-12
    lo, hi = int(RATE / F0_MAX), int(RATE / F0_MIN)
    lag = lo + np.argmax(ac[:, lo:hi], axis=1)
    peak = ac[np.arange(len(ac)), lag]
    return RATE / lag.astype(np.float64), peak
