"""The resampler keeps pitch and length, removes what 16 kHz cannot hold, and streams like it batches."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.audio import RATE
from desktop.audio.resample import (
    StreamResampler,
    float_to_int16,
    int16_to_float,
    mixdown,
    resample_int16,
    to_mono_16k,
)
from tests.audio.signals import dominant_hz, tone


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_1khz_tone_stays_1khz_and_keeps_its_length(rate: int) -> None:
    x = tone(1000, 2.0, rate, level=0.5)
    y = to_mono_16k(x, rate)
    assert y.size == round(x.size * RATE / rate)
    assert dominant_hz(y, RATE) == pytest.approx(1000, abs=0.6)  # FFT bin is 0.5 Hz
    body = y[RATE // 10 : -RATE // 10].astype(np.float64) / 32768  # away from the filter's edges
    assert np.sqrt(np.mean(body**2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.01)


def test_phase_is_kept_not_delayed() -> None:
    x = tone(1000, 1.0, 44100, level=0.5)
    y = to_mono_16k(x, 44100).astype(np.float64) / 32768
    expected = tone(1000, 1.0, RATE, level=0.5)
    mid = slice(RATE // 4, 3 * RATE // 4)
    assert np.max(np.abs(y[mid] - expected[mid])) < 0.005


def test_content_above_8khz_is_filtered_out_not_aliased() -> None:
    x = tone(11000, 1.0, 44100, level=0.5)  # would alias to 5 kHz without a low-pass
    y = to_mono_16k(x, 44100).astype(np.float64) / 32768
    assert np.sqrt(np.mean(y[1000:-1000] ** 2)) < 0.5 * 10 ** (-60 / 20)


def test_streaming_resampler_matches_one_shot_exactly() -> None:
    pcm = float_to_int16(tone(440, 1.3, 48000) + 0.1 * np.random.default_rng(0).standard_normal(62400))
    stream = StreamResampler(48000)
    pieces = [stream.push(pcm[i : i + 997]) for i in range(0, pcm.size, 997)]
    pieces.append(stream.flush())
    streamed = np.concatenate(pieces)
    assert np.array_equal(streamed, resample_int16(pcm, 48000, RATE))


def test_int16_float_round_trip_and_clipping() -> None:
    pcm = np.array([-32768, -1, 0, 1, 32767], dtype=np.int16)
    assert np.array_equal(float_to_int16(int16_to_float(pcm)), pcm)
    assert float_to_int16(np.array([1.5, -1.5, 0.49 / 32768, 0.51 / 32768])).tolist() == [32767, -32768, 0, 1]


def test_mixdown_averages_channels() -> None:
    stereo = np.array([[1.0, 0.0], [0.5, 0.5], [-1.0, 1.0]])
    assert mixdown(stereo).tolist() == [0.5, 0.5, 0.0]
    assert mixdown(np.array([[0.25], [0.5]])).tolist() == [0.25, 0.5]
    with pytest.raises(ValueError):
        mixdown(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError):
        to_mono_16k(np.zeros(10), 0)


def test_16k_input_passes_untouched() -> None:
    pcm = np.random.default_rng(1).integers(-32768, 32768, 5000, dtype=np.int16)
    assert np.array_equal(to_mono_16k(int16_to_float(pcm), RATE), pcm)
    assert np.array_equal(resample_int16(pcm, RATE, RATE), pcm)
