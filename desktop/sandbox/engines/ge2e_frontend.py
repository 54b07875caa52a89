"""The GE2E speaker encoder's front end, reproduced in numpy from resemblyzer 0.1.4.

The pretrained weights only mean something for features computed exactly as in training, so each
step below mirrors resemblyzer's ``preprocess_wav``, ``wav_to_mel_spectrogram`` (librosa's mel
spectrogram) and ``compute_partial_slices`` -- same constants, same rounding, same edge cases --
without librosa or scipy. ``tests/sandbox/test_ge2e_parity.py`` checks the result against the
original where torch and librosa are installed.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
import webrtcvad

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]

SAMPLE_RATE = 16000
N_FFT = 400  # 25 ms window
HOP = 160  # 10 ms step
N_MELS = 40
PARTIAL_FRAMES = 160  # 1.6 s per partial utterance
PARTIAL_RATE = 1.3  # partial utterances per second
MIN_COVERAGE = 0.75
VAD_WINDOW = 30 * SAMPLE_RATE // 1000  # samples per VAD decision
VAD_AVERAGE_WIDTH = 8
VAD_MAX_SILENCE = 6
TARGET_DBFS = -30.0
INT16_MAX = 2**15 - 1  # resemblyzer scales by 32767, not 32768


def normalize_volume(samples: npt.NDArray[np.floating], target_dbfs: float = TARGET_DBFS) -> F64:
    """Raise (never lower) the level so that the RMS is ``target_dbfs``; silence stays silence."""
    wav: F64 = np.asarray(samples, dtype=np.float64)
    rms = float(np.sqrt(np.mean((wav * INT16_MAX) ** 2))) if wav.size else 0.0
    if rms == 0.0:
        # resemblyzer divides by zero here and returns NaNs; all-zero audio has nothing to raise.
        return wav
    change = target_dbfs - 20 * np.log10(rms / INT16_MAX)
    if change < 0:
        return wav
    return np.asarray(wav * (10 ** (change / 20)), dtype=np.float64)


def _moving_average(flags: F64, width: int) -> F64:
    padded = np.concatenate((np.zeros((width - 1) // 2), flags, np.zeros(width // 2)))
    total = np.cumsum(padded, dtype=float)
    total[width:] = total[width:] - total[:-width]
    return total[width - 1 :] / width


def _dilate(mask: npt.NDArray[np.bool_], radius: int) -> npt.NDArray[np.bool_]:
    """scipy.ndimage.binary_dilation with a centred all-ones structure of 2*radius+1 (zero border)."""
    padded = np.concatenate((np.zeros(radius, bool), mask, np.zeros(radius, bool)))
    out = np.zeros(mask.shape, bool)
    for shift in range(2 * radius + 1):
        out |= padded[shift : shift + mask.size]
    return out


def trim_long_silences(wav: F64) -> F64:
    """Drop the silences the VAD finds, keeping at most ~VAD_MAX_SILENCE windows around speech."""
    wav = wav[: len(wav) - (len(wav) % VAD_WINDOW)]
    if wav.size == 0:
        return wav
    # As resemblyzer: round then cast; going through int64 makes the (rare) clipping wrap the same
    # way on every platform instead of relying on an undefined float->int16 cast.
    pcm = np.round(wav * INT16_MAX).astype(np.int64).astype("<i2").tobytes()
    vad = webrtcvad.Vad(3)
    step = VAD_WINDOW * 2
    flags = np.array(
        [vad.is_speech(pcm[i : i + step], SAMPLE_RATE) for i in range(0, len(pcm), step)], dtype=np.float64
    )
    mask = np.round(_moving_average(flags, VAD_AVERAGE_WIDTH)).astype(bool)
    # resemblyzer dilates with np.ones(VAD_MAX_SILENCE + 1) = 7 ones, centred: radius 3.
    mask = _dilate(mask, VAD_MAX_SILENCE // 2)
    return wav[np.repeat(mask, VAD_WINDOW)]


def preprocess(pcm: npt.NDArray[np.int16]) -> F64:
    """resemblyzer.preprocess_wav for 16 kHz int16 speech (scaled as librosa.load does: /32768)."""
    wav = pcm.astype(np.float64) / 32768.0
    return trim_long_silences(normalize_volume(wav))


def _hz_to_mel(hz: F64) -> F64:
    # Slaney's scale (librosa's default, htk=False): linear to 1 kHz, logarithmic above.
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    mel = hz / f_sp
    above = hz >= min_log_hz
    mel[above] = min_log_mel + np.log(hz[above] / min_log_hz) / logstep
    return mel


def _mel_to_hz(mel: F64) -> F64:
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    hz = mel * f_sp
    above = mel >= min_log_mel
    hz[above] = min_log_hz * np.exp(logstep * (mel[above] - min_log_mel))
    return hz


@lru_cache(maxsize=1)
def mel_filterbank() -> F32:
    """librosa.filters.mel(sr=16000, n_fft=400, n_mels=40): triangles, Slaney area normalisation."""
    fft_freqs = np.linspace(0, SAMPLE_RATE / 2, 1 + N_FFT // 2)
    low, high = _hz_to_mel(np.array([0.0, SAMPLE_RATE / 2.0]))
    mels = np.linspace(float(low), float(high), N_MELS + 2)
    mel_f = _mel_to_hz(mels)
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fft_freqs)
    weights = np.zeros((N_MELS, len(fft_freqs)), dtype=np.float32)
    for i in range(N_MELS):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2 : N_MELS + 2] - mel_f[:N_MELS]))[:, None]
    weights.setflags(write=False)
    return weights


@lru_cache(maxsize=1)
def _hann() -> F64:
    # Periodic Hann (scipy.signal.get_window('hann', N, fftbins=True)), as librosa's STFT uses.
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)


def mel_spectrogram(wav: F64, pad_mode: str = "reflect") -> F32:
    """Power mel spectrogram, frames x 40 (not log), as ``wav_to_mel_spectrogram``.

    librosa centres frames by padding n_fft/2 at both ends: with 'reflect' before 0.10 (what the
    model was trained with) and 'constant' since; the two differ only in the first and last frame.
    """
    if pad_mode == "reflect" and len(wav) <= N_FFT // 2:
        pad_mode = "constant"  # reflect needs more samples than the pad; librosa errs here
    padded = np.pad(wav, N_FFT // 2, mode=pad_mode)  # type: ignore[call-overload]
    n_frames = 1 + (len(padded) - N_FFT) // HOP
    frames = np.lib.stride_tricks.as_strided(
        padded, shape=(n_frames, N_FFT), strides=(padded.strides[0] * HOP, padded.strides[0]), writeable=False
    )
    spectrum = np.fft.rfft(frames * _hann(), axis=1)
    power = (spectrum.real**2 + spectrum.imag**2).astype(np.float32)
    return np.asarray(power @ mel_filterbank().T, dtype=np.float32)


def partial_slices(n_samples: int) -> list[slice]:
    """The mel-frame ranges of the partial utterances (``compute_partial_slices``, rate 1.3)."""
    n_frames = int(np.ceil((n_samples + 1) / HOP))
    frame_step = int(np.round((SAMPLE_RATE / PARTIAL_RATE) / HOP))
    steps = max(1, n_frames - PARTIAL_FRAMES + frame_step + 1)
    slices = [slice(i, i + PARTIAL_FRAMES) for i in range(0, steps, frame_step)]
    last = slices[-1]
    coverage = (n_samples - last.start * HOP) / ((last.stop - last.start) * HOP)
    if coverage < MIN_COVERAGE and len(slices) > 1:
        slices = slices[:-1]
    return slices


def partial_mels(wav: F64, pad_mode: str = "reflect") -> F32:
    """The batch of partial-utterance mel windows, partials x 160 x 40, for the encoder."""
    slices = partial_slices(len(wav))
    needed = slices[-1].stop * HOP
    if needed >= len(wav):
        wav = np.pad(wav, (0, needed - len(wav)))
    mel = mel_spectrogram(wav, pad_mode)
    return np.stack([mel[s] for s in slices])
