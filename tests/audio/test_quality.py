"""Quality hints fire on the faults they name and stay quiet on clean speech."""

from __future__ import annotations

import json

import numpy as np
import pytest

from desktop import i18n
from desktop.audio import RATE
from desktop.audio.quality import LiveQuality, QualityReport, Thresholds, measure
from tests.audio.signals import to_int16, tone, voiced

NOISE = np.random.default_rng(7)


def test_clean_voiced_signal_has_no_hint() -> None:
    report = measure(to_int16(voiced(5.0)))
    assert report.hints == () and report.ok
    assert 3.0 < report.speech_s < 5.0  # the pauses between syllables are not speech
    assert report.duration_s == 5.0
    assert report.snr_db is not None and report.snr_db > 40
    assert report.peak_dbfs == pytest.approx(20 * np.log10(0.3), abs=0.05)


def test_real_synthetic_speech_has_no_hint() -> None:
    from tests.sandbox.speech import Voice, synthesize

    pcm = synthesize("the quick brown fox jumps over the lazy dog and runs into the forest", Voice("en"))
    report = measure(pcm)
    assert report.hints == (), report
    assert report.speech_s > 3.0


def test_silence_is_too_short_and_too_quiet() -> None:
    report = measure(np.zeros(5 * RATE, dtype=np.int16))
    assert report.hints == ("too_short", "too_quiet")
    assert report.speech_s == 0 and report.snr_db is None and report.speech_rms_dbfs is None
    assert report.peak_dbfs == report.rms_dbfs == -120.0


def test_clipped_square_wave_is_clipped_and_too_loud() -> None:
    square = np.where(np.sin(2 * np.pi * 200 * np.arange(3 * RATE) / RATE) >= 0, 32767, -32768).astype(np.int16)
    report = measure(square)
    assert "clipped" in report.hints and "too_loud" in report.hints
    assert report.clipping_ratio > 0.9


def test_clipped_voice_is_clipped() -> None:
    loud = to_int16(np.clip(voiced(5.0, level=1.0) * 2.0, -1.0, 1.0))
    assert "clipped" in measure(loud).hints


def test_full_scale_but_unclipped_voice_is_not_clipped() -> None:
    report = measure(to_int16(voiced(5.0, level=0.99997)))
    assert report.clipping_ratio == 0.0 and "clipped" not in report.hints


def test_noisy_voice_is_noisy() -> None:
    noisy = voiced(5.0) + 0.05 * NOISE.standard_normal(5 * RATE)
    report = measure(to_int16(noisy))
    assert "noisy" in report.hints
    assert report.snr_db is not None and report.snr_db < 15


def test_faint_noise_is_tolerated() -> None:
    report = measure(to_int16(voiced(5.0) + 0.002 * NOISE.standard_normal(5 * RATE)))
    assert report.hints == ()


def test_quiet_voice_is_too_quiet_and_short_take_is_too_short() -> None:
    assert "too_quiet" in measure(to_int16(voiced(5.0, level=0.004))).hints
    assert measure(to_int16(voiced(1.5))).hints == ("too_short",)
    assert measure(to_int16(voiced(1.5)), min_speech_s=0.5).hints == ()


def test_thresholds_are_settable() -> None:
    strict = Thresholds(min_speech_s=1.0, quiet_dbfs=-10.0)
    assert measure(to_int16(voiced(3.0)), thresholds=strict).hints == ("too_quiet",)


def test_live_quality_fed_in_frames_equals_measure() -> None:
    take = to_int16(np.concatenate([voiced(2.0), np.clip(voiced(1.0, 1.0) * 3, -1, 1), voiced(1.0)]))
    live = LiveQuality()
    seen = []
    for start in range(0, take.size, 1600):  # 100 ms frames, as the capture delivers
        live.feed(take[start : start + 1600].tobytes())
        seen.append(live.speech_s)
    assert seen == sorted(seen)  # net speech only grows
    assert live.report() == measure(take)
    assert live.speech_s == live.report().speech_s and live.duration_s == 4.0


def test_clipped_runs_across_frame_boundaries_are_counted() -> None:
    take = np.zeros(1000, dtype=np.int16)
    take[499:503] = 32767  # a run of 4 split 1 | 3 by the frame boundary at 500
    take[700:702] = -32768  # a run of 2 is not a flat top
    live = LiveQuality()
    live.feed(take[:500])
    live.feed(take[500:])
    assert live.report().clipping_ratio == measure(take).clipping_ratio == 2 / 1000


def test_report_round_trips_through_json() -> None:
    report = measure(to_int16(voiced(2.0)))
    data = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert QualityReport.from_dict(data) == report
    silent = measure(np.zeros(100, dtype=np.int16))
    json.dumps(silent.to_dict(), allow_nan=False)  # dBFS floor, not -inf


def test_hint_messages_in_both_languages() -> None:
    report = measure(np.zeros(RATE, dtype=np.int16))
    assert report.messages()[0].startswith("Not enough speech: 0.0 s, at least 3.0 s")
    i18n.set_language("zh")
    try:
        assert "有效语音不足" in report.messages()[0]
    finally:
        i18n.set_language(None)
    for code in ("too_short", "too_quiet", "too_loud", "clipped", "noisy"):
        assert {"en", "zh"} <= set(i18n.all_messages()[f"audio.hint.{code}"])


def test_a_steady_tone_is_not_taken_for_a_clean_voice() -> None:
    assert measure(to_int16(tone(1000, 4.0, level=0.3))).hints != ()
