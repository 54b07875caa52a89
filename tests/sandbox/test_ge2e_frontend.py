"""The GE2E front end's pieces, checked against what resemblyzer and librosa are known to do
(the parity test compares the whole chain with the originals where they are installed)."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.sandbox.engines import ge2e_frontend as fe

RATE = 16000


def tone(freq: float, seconds: float, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return amplitude * np.sin(2 * np.pi * freq * t)


def test_volume_is_raised_to_minus_30_dbfs_but_never_lowered() -> None:
    quiet = tone(440, 1.0, amplitude=0.001)
    raised = fe.normalize_volume(quiet)
    rms_dbfs = 20 * np.log10(np.sqrt(np.mean((raised * fe.INT16_MAX) ** 2)) / fe.INT16_MAX)
    assert rms_dbfs == pytest.approx(-30.0, abs=1e-6)
    loud = tone(440, 1.0, amplitude=0.5)
    np.testing.assert_array_equal(fe.normalize_volume(loud), loud)
    silent = np.zeros(16000)
    assert not np.isnan(fe.normalize_volume(silent)).any()  # resemblyzer would return NaNs here


def test_long_silences_are_cut_short_but_speech_is_kept() -> None:
    rng = np.random.default_rng(0)
    # Voice-like bursts: harmonics of 150 Hz, the VAD's idea of speech.
    burst = sum(tone(150 * k, 1.0, 0.05) for k in range(1, 12)) * (1 + 0.1 * rng.standard_normal(RATE))
    gap = np.zeros(3 * RATE)
    wav = np.concatenate([burst, gap, burst])
    trimmed = fe.trim_long_silences(wav)
    # At most ~6 windows of 30 ms of silence survive on each side of speech; the speech stays.
    assert 2 * RATE <= trimmed.size <= 2 * RATE + 2 * 7 * fe.VAD_WINDOW + fe.VAD_WINDOW
    assert fe.trim_long_silences(np.zeros(100)).size == 0


def test_mel_filterbank_is_librosas_slaney_triangles() -> None:
    fb = fe.mel_filterbank()
    assert fb.shape == (40, 201) and fb.dtype == np.float32
    assert (fb >= 0).all()
    # Slaney normalisation: every triangle has the same area (2 / bandwidth * bandwidth / 2 = 1)
    # in Hz, so the sum of weights times the 40 Hz bin spacing is ~1 for each band.
    areas = fb.sum(axis=1) * (RATE / 400)
    np.testing.assert_allclose(areas[2:], 1.0, rtol=0.15)
    # Band centres rise; below 1 kHz the scale is linear, so the first centres are evenly spaced.
    peaks = fb.argmax(axis=1)
    assert (np.diff(peaks) >= 0).all()
    low = np.diff(peaks[:8])
    assert low.max() - low.min() <= 1
    # Figures printed by librosa 0.11's filters.mel(sr=16000, n_fft=400, n_mels=40).
    assert float(fb[0].max()) == pytest.approx(0.012404521, rel=1e-5)
    assert float(fb[20].max()) == pytest.approx(0.0071919174, rel=1e-5)
    assert float(fb[39].sum()) == pytest.approx(0.024978757, rel=1e-5)
    assert (int(fb[20].argmax()), int(fb[39].argmax())) == (44, 185)


def test_mel_spectrogram_frames_and_tone_placement() -> None:
    wav = tone(1000, 1.0)
    mel = fe.mel_spectrogram(wav)
    assert mel.shape == (1 + wav.size // fe.HOP, 40)  # centred frames, as librosa
    band = int(np.argmax(mel[50]))
    lo_hz, hi_hz = _band_edges(band)
    assert lo_hz <= 1000 <= hi_hz
    # Power (squared magnitude): doubling the amplitude multiplies the energy by four.
    np.testing.assert_allclose(fe.mel_spectrogram(2 * wav)[50], 4 * mel[50], rtol=1e-4)


def _band_edges(band: int) -> tuple[float, float]:
    fb = fe.mel_filterbank()
    nonzero = np.nonzero(fb[band])[0]
    return nonzero[0] * RATE / 400, nonzero[-1] * RATE / 400


@pytest.mark.parametrize(
    ("samples", "expected_starts"),
    [
        (16000, [0]),  # shorter than one partial: one, zero-padded
        (25600, [0]),  # exactly one partial
        (5 * 16000, [0, 77, 154, 231, 308]),  # the 6th covers 72 % < 75 %: dropped
        (int(5.2 * 16000), [0, 77, 154, 231, 308, 385]),  # 6th covers 84.5 %: kept
    ],
)
def test_partial_windows_follow_resemblyzer(samples: int, expected_starts: list[int]) -> None:
    slices = fe.partial_slices(samples)
    assert [s.start for s in slices] == expected_starts
    assert all(s.stop - s.start == 160 for s in slices)


def test_partial_mels_pad_short_audio() -> None:
    mels = fe.partial_mels(tone(300, 0.5))
    assert mels.shape == (1, 160, 40)
    assert mels[0, 100:].max() < 1e-6 * mels[0, :40].max()  # the zero padding is silent
