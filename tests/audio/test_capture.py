"""Capture through real PortAudio from ALSA's file plugin: the frames are the samples fed in.

``vmic`` returns its input file from the first byte; after the file ends it returns stale data,
so each test compares the first ``len(fed)`` samples (see ``vmic.py``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import soxr

from desktop.audio import RATE
from desktop.audio.capture import CaptureStalled, MicCapture, record
from desktop.errors import InputError
from tests.audio.conftest import portaudio_missing
from tests.audio.signals import to_int16, tone
from tests.audio.vmic import MIC, PULSE_SOURCE, PulseServer, VirtualAudio, virtual_mic_env

pytestmark = pytest.mark.audio
RNG = np.random.default_rng(11)


def random_pcm(seconds: float) -> np.ndarray:
    return RNG.integers(-32768, 32768, round(seconds * RATE), dtype=np.int16)


def take(mic: MicCapture, samples: int) -> list[bytes]:
    frames, got = [], 0
    for frame in mic.frames(timeout=5):
        frames.append(frame)
        got += len(frame) // 2
        if got >= samples:
            break
    return frames


def test_frames_are_the_fed_samples_byte_for_byte(vaudio: VirtualAudio) -> None:
    fed = random_pcm(1.234)
    vaudio.feed(fed)
    with MicCapture(MIC, frame_ms=100) as mic:
        frames = take(mic, fed.size)
        assert mic.capture_rate == RATE and mic.channels == 1 and mic.device is not None
    assert {len(f) for f in frames} == {3200}  # 100 ms of s16le at 16 kHz
    assert b"".join(frames)[: fed.size * 2] == fed.astype("<i2").tobytes()
    assert mic.overflows == 0


@pytest.mark.parametrize("frame_ms", [20, 30, 250])
def test_other_frame_sizes(vaudio: VirtualAudio, frame_ms: int) -> None:
    fed = random_pcm(0.6)
    vaudio.feed(fed)
    with MicCapture(MIC, frame_ms=frame_ms) as mic:
        frames = take(mic, fed.size)
    assert {len(f) for f in frames} == {RATE * frame_ms // 1000 * 2}
    assert np.array_equal(np.frombuffer(b"".join(frames), "<i2")[: fed.size], fed)


def test_record_returns_exactly_the_requested_samples(vaudio: VirtualAudio) -> None:
    fed = random_pcm(1.0)
    vaudio.feed(fed)
    got = record(0.75, MIC)
    assert got.dtype == np.int16 and np.array_equal(got, fed[:12000])


def test_capture_at_device_rate_is_resampled_with_soxr(vaudio: VirtualAudio) -> None:
    fed48 = to_int16(tone(1000, 1.0, 48000, level=0.5))
    vaudio.feed(fed48)
    with MicCapture(MIC, capture_rate=48000) as mic:
        got = np.frombuffer(b"".join(take(mic, RATE)), "<i2")[:RATE]
        assert mic.capture_rate == 48000
    expected = to_int16(soxr.resample(fed48.astype(np.float32) / 32768, 48000, RATE))
    body = slice(0, RATE - 200)  # the last samples depend on what vmic returns past the file's end
    assert np.max(np.abs(got[body].astype(int) - expected[body])) <= 1


def test_stop_from_another_thread_ends_the_iteration(vaudio: VirtualAudio) -> None:
    vaudio.feed(random_pcm(2.0))
    mic = MicCapture(MIC)
    mic.start()
    frames = []
    for frame in mic.frames():
        frames.append(frame)
        if len(frames) == 3:
            threading.Thread(target=mic.stop).start()
    assert len(frames) >= 3 and not mic.running
    assert all(len(f) == 3200 for f in frames[:-1]) and 0 < len(frames[-1]) <= 3200
    assert mic.get_frame(0.01) is None  # stays ended


def test_a_second_take_does_not_see_the_first(vaudio: VirtualAudio) -> None:
    first, second = random_pcm(0.5), random_pcm(0.5)
    mic = MicCapture(MIC)
    vaudio.feed(first)
    with mic:
        assert mic.get_frame(timeout=5) == first[:1600].tobytes()
    # Stopped with frames unread; the next take starts clean.
    vaudio.feed(second)
    with mic:
        assert np.array_equal(np.frombuffer(b"".join(take(mic, second.size)), "<i2")[: second.size], second)


def test_level_meter_follows_the_signal(vaudio: VirtualAudio) -> None:
    vaudio.feed(to_int16(tone(440, 1.0, level=0.5)))
    with MicCapture(MIC) as mic:
        take(mic, 8000)
        assert mic.peak_dbfs == pytest.approx(-6.02, abs=0.1)
        assert mic.level_dbfs == pytest.approx(-9.03, abs=0.1)


def test_the_callback_only_queues_and_counts_overflows() -> None:
    mic = MicCapture(MIC)
    ok = SimpleNamespace(input_overflow=False, __bool__=lambda self: False)
    overflowed = SimpleNamespace(input_overflow=True)
    block = np.arange(4, dtype=np.int16)
    mic._on_audio(block, 4, None, ok)
    mic._on_audio(block, 4, None, overflowed)
    mic._on_audio(block, 4, None, overflowed)
    assert mic.overflows == 2
    assert [mic._blocks.get_nowait() for _ in range(3)] == [block.tobytes()] * 3


def test_bad_record_lengths_are_refused() -> None:
    for seconds in (0, -1, 601):
        with pytest.raises(InputError, match="Recording length"):
            record(seconds, MIC)


def test_real_time_capture_through_pulseaudio(vaudio_realtime: VirtualAudio) -> None:
    fed = random_pcm(0.8)
    vaudio_realtime.feed(fed)
    with MicCapture(MIC) as mic:
        first = mic.get_frame(timeout=10)
        started = time.monotonic()
        assert first is not None
        frames = [first, *take(mic, fed.size - 1600)]
        elapsed = time.monotonic() - started
        assert mic.overflows == 0
    assert np.array_equal(np.frombuffer(b"".join(frames), "<i2")[: fed.size], fed)
    # Frames 2..8 arrive as the audio is "spoken": about 0.7 s, not instantly as with the null slave.
    assert 0.45 < elapsed < 3.0


def test_a_device_that_stops_delivering_is_reported(vaudio_realtime: VirtualAudio, pulse_server: PulseServer) -> None:
    if shutil.which("pactl") is None:
        pytest.skip("pactl (pulseaudio-utils) is not installed")
    vaudio_realtime.feed(random_pcm(5.0))
    with MicCapture(MIC) as mic:
        assert mic.get_frame(timeout=10) is not None
        pulse_server.suspend(PULSE_SOURCE)
        try:
            started = time.monotonic()
            with pytest.raises(CaptureStalled, match="stopped delivering audio"):
                for _ in mic.frames(timeout=1.0):
                    pass
            assert time.monotonic() - started < 3.0
        finally:
            pulse_server.suspend(PULSE_SOURCE, False)


def test_a_subprocess_records_through_the_env_helper(tmp_path: Path) -> None:
    reason = portaudio_missing()
    if reason:
        pytest.skip(reason)
    fed = random_pcm(0.5)
    env = virtual_mic_env(tmp_path, fed)
    out = tmp_path / "got.raw"
    code = (
        "import sys; from desktop.audio.capture import record; "
        f"open({str(out)!r}, 'wb').write(record(0.5, 'vmic').tobytes())"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60, cwd=Path(__file__).parents[2])
    assert np.array_equal(np.fromfile(out, "<i2"), fed)
