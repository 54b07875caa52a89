"""Rokid's codecs on the client side: framing, sizes, round trips, damaged data."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.audio import codecs as rc
from tests.audio.signals import to_int16, tone, voiced


def speechlike(seconds: float) -> np.ndarray:
    return to_int16(voiced(seconds, level=0.3))


def packets(opu: bytes) -> list[bytes]:
    """An independent walk over the framing: [1 length byte][packet] ..."""
    out, i = [], 0
    while i < len(opu):
        n = opu[i]
        out.append(opu[i + 1 : i + 1 + n])
        i += 1 + n
    assert i == len(opu)
    return out


def test_opu_framing_rate_and_round_trip() -> None:
    from desktop.sandbox.engines.tts import engine

    speech = engine().synthesize("one two three four five six seven eight nine", "en", 16000)
    pcm = np.resize(speech, 48000)  # 3 s of real speech
    data = rc.encode_opu(pcm)
    frames = packets(data)
    assert len(frames) == 150  # 20 ms each
    assert all(0 < len(p) <= 255 for p in frames)
    kbps = len(data) * 8 / 3.0 / 1000
    assert 15 < kbps < 40, kbps  # ~27.8 kbit/s VBR plus one length byte a frame
    back = rc.decode_opu(data)
    assert back.rate == 16000 and back.samples.size == 150 * 320
    # Opus is lossy and delays; the level survives within a few dB.
    rms_in, rms_out = np.sqrt(np.mean(pcm.astype(float) ** 2)), np.sqrt(np.mean(back.samples.astype(float) ** 2))
    assert 0.5 < rms_out / rms_in < 2.0


def test_opu2_is_fixed_40_byte_frames() -> None:
    pcm = speechlike(1.01)  # not a whole number of frames: the last one is padded
    data = rc.encode_opu2(pcm)
    assert len(data) == 51 * 40
    back = rc.decode_opu2(data)
    assert back.rate == 16000 and back.samples.size == 51 * 320


def test_tone_survives_opus() -> None:
    pcm = to_int16(tone(440, 1.0, 16000, level=0.4))
    back = rc.decode_opu(rc.encode_opu(pcm)).samples.astype(float)
    spectrum = np.abs(np.fft.rfft(back[3200:12800]))
    assert abs(np.argmax(spectrum) * 16000 / 9600 - 440) < 5


def test_early_stop_bounds_the_work() -> None:
    pcm = to_int16(np.random.default_rng(1).normal(0, 0.3, 16000 * 60))
    data = rc.encode_opu(pcm, max_bytes=20_000)
    assert 20_000 < len(data) <= 20_000 + 256
    assert len(packets(data)) < 60 * 50


def test_pcm_and_wav() -> None:
    pcm = rc.decode_pcm(b"\x01\x00\xff\xff", 24000)
    assert pcm.samples.tolist() == [1, -1] and pcm.rate == 24000
    wav = rc.wav_bytes(pcm)
    assert wav[:4] == b"RIFF" and wav[8:12] == b"WAVE" and wav.endswith(b"\x01\x00\xff\xff")


@pytest.mark.parametrize(
    ("codec", "data", "says"),
    [
        ("opu", b"\x05ab", "cut short"),
        ("opu", b"\x00\x01", "zero-length"),
        ("opu", b"\x03\xff\xff\xff" * 3, "damaged"),
        ("opu2", b"\x00" * 41, "40-byte"),
        ("pcm", b"\x00\x01\x02", "half a sample"),
        ("mp3", b"<html><body>nope</body></html>" * 5, "MP3"),
        ("mp3", b"", "no audio"),
        ("wav", b"RIFF", "unknown codec"),
    ],
)
def test_damaged_data_is_a_codec_error(codec: str, data: bytes, says: str) -> None:
    with pytest.raises(rc.CodecError, match=says):
        rc.decode_tts(codec, data)


def test_cut_short_opu_fails_as_a_whole() -> None:
    data = rc.encode_opu(speechlike(0.5))
    with pytest.raises(rc.CodecError, match="cut short"):
        rc.decode_opu(data[:-3])
