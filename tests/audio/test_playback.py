"""Playback through real PortAudio into ALSA's file plugin: what arrives is what was played."""

from __future__ import annotations

import shutil
import threading
import time

import numpy as np
import pytest

from desktop.audio import RATE, playback
from desktop.audio.playback import PlaybackStalled, play
from desktop.audio.resample import resample_int16
from desktop.errors import InputError
from tests.audio.signals import to_int16, tone
from tests.audio.vmic import PULSE_SINK, SPEAKER, PulseServer, VirtualAudio

pytestmark = pytest.mark.audio


def locate(played: np.ndarray, sent: np.ndarray) -> int:
    """Offset of ``sent`` in ``played``: PortAudio primes the device with silence first."""
    start = int(np.argmax(played != 0)) - int(np.argmax(sent != 0))
    assert start >= 0 and played.any()
    return start


def test_played_samples_arrive_exactly(vaudio: VirtualAudio) -> None:
    sent = np.random.default_rng(5).integers(-32768, 32768, 20000, dtype=np.int16)
    sent[0] = 1234  # so the start is not mistaken for priming silence
    progress: list[float] = []
    assert play(sent, RATE, SPEAKER, on_progress=progress.append) is True
    out = vaudio.played()
    start = locate(out, sent)
    assert np.array_equal(out[start : start + sent.size], sent)
    assert not out[start + sent.size :].any()  # only the last period's zero padding follows
    assert progress[-1] == 1.0 and progress == sorted(progress)


def test_tone_at_its_own_rate_correlates(vaudio: VirtualAudio) -> None:
    sent = to_int16(tone(440, 0.5, 24000, level=0.3))  # Rokid TTS speaks 24 kHz
    play(sent, 24000, SPEAKER)
    out = vaudio.played().astype(np.float64)
    start = locate(out, sent)
    got = out[start : start + sent.size]
    assert got.size == sent.size
    assert np.corrcoef(got, sent)[0, 1] > 0.9999


def test_device_that_needs_another_rate_gets_resampled_audio(
    vaudio: VirtualAudio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(playback, "pick_settings", lambda sd, info, kind, rate: (48000, 1))
    sent = to_int16(tone(440, 0.5, RATE, level=0.3))
    play(sent, RATE, SPEAKER)
    expected = resample_int16(sent, RATE, 48000)
    out = vaudio.played()
    start = locate(out, expected)
    assert np.array_equal(out[start : start + expected.size], expected)


def test_stereo_only_device_gets_the_signal_on_both_channels(
    vaudio: VirtualAudio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(playback, "pick_settings", lambda sd, info, kind, rate: (rate, 2))
    sent = to_int16(tone(300, 0.2, RATE, level=0.3))
    play(sent, RATE, SPEAKER)
    out = vaudio.played()
    start = locate(out, np.repeat(sent, 2))
    frames = out[start : start + 2 * sent.size].reshape(-1, 2)
    assert np.array_equal(frames[:, 0], sent) and np.array_equal(frames[:, 1], sent)


def test_real_time_playback_takes_real_time_and_can_be_stopped(vaudio_realtime: VirtualAudio) -> None:
    sent = to_int16(tone(440, 0.6, RATE, level=0.3))
    started = time.monotonic()
    assert play(sent, RATE, SPEAKER) is True
    elapsed = time.monotonic() - started
    out = vaudio_realtime.played()
    start = locate(out, sent)
    assert np.array_equal(out[start : start + sent.size], sent)
    assert 0.55 < elapsed < 4.0

    stop = threading.Event()
    long = to_int16(tone(440, 5.0, RATE, level=0.3))
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    assert play(long, RATE, SPEAKER, stop=stop) is False
    assert time.monotonic() - started < 2.5
    assert vaudio_realtime.played().size < long.size


def test_a_device_that_stops_playing_is_reported(vaudio_realtime: VirtualAudio, pulse_server: PulseServer) -> None:
    if shutil.which("pactl") is None:
        pytest.skip("pactl (pulseaudio-utils) is not installed")
    pulse_server.suspend(PULSE_SINK)
    try:
        started = time.monotonic()
        with pytest.raises(PlaybackStalled, match="stopped playing"):
            play(to_int16(tone(440, 3.0)), RATE, SPEAKER, stall_s=1.0)
        assert time.monotonic() - started < 3.0
    finally:
        pulse_server.suspend(PULSE_SINK, False)


def test_stop_already_set_returns_false_quickly(vaudio: VirtualAudio) -> None:
    stop = threading.Event()
    stop.set()
    assert play(np.zeros(RATE * 30, dtype=np.int16), RATE, SPEAKER, stop=stop) is False


def test_empty_and_unplayable_input(vaudio: VirtualAudio) -> None:
    done: list[float] = []
    assert play(np.zeros(0, dtype=np.int16), RATE, SPEAKER, on_progress=done.append) is True
    assert done[-1] == 1.0
    with pytest.raises(InputError, match="mono int16"):
        play(np.zeros(100, dtype=np.float32), RATE, SPEAKER)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="mono int16"):
        play(np.zeros((100, 2), dtype=np.int16), RATE, SPEAKER)
    with pytest.raises(InputError, match="sample rate"):
        play(np.zeros(100, dtype=np.int16), 0, SPEAKER)
