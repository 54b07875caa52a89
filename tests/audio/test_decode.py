"""Files in every format, depth, rate and channel count come out as 16 kHz mono; bad files are refused."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import lameenc
import numpy as np
import numpy.typing as npt
import pytest
import soundfile as sf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop import i18n
from desktop.audio import RATE, decode
from desktop.audio.decode import MAX_SECONDS, decode_bytes, load_audio, load_many
from desktop.errors import ExitCode, InputError
from tests.audio.signals import dominant_hz, to_int16, tone


def encode(x: npt.NDArray[np.float64], rate: int, fmt: str, subtype: str | None = None) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, x, rate, format=fmt, subtype=subtype)
    return buf.getvalue()


def mp3(x: npt.NDArray[np.float64], rate: int, channels: int = 1, kbps: int = 64) -> bytes:
    enc = lameenc.Encoder()
    enc.set_bit_rate(kbps)
    enc.set_in_sample_rate(rate)
    enc.set_channels(channels)
    enc.set_quality(2)
    pcm = to_int16(x).tobytes()
    return bytes(enc.encode(pcm) + enc.flush())


def stereo(x: npt.NDArray[np.float64], channels: int) -> npt.NDArray[np.float64]:
    return np.repeat(x[:, None], channels, axis=1)


def refused(data: bytes, name: str = "take.bin") -> str:
    with pytest.raises(InputError) as info:
        decode_bytes(data, name)
    message = str(info.value)
    assert "\n" not in message and name in message
    assert info.value.exit_code == ExitCode.BAD_INPUT
    return message


def check_tone(pcm: npt.NDArray[np.int16], seconds: float, freq: float = 440.0, level: float = 0.5) -> None:
    assert pcm.dtype == np.int16
    assert abs(pcm.size - seconds * RATE) <= 1
    assert abs(dominant_hz(pcm, RATE) - freq) < 2.0
    assert np.abs(pcm).max() / 32768 == pytest.approx(level, rel=0.03)


@pytest.mark.parametrize("subtype", ["PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE"])
def test_wav_every_depth(subtype: str) -> None:
    got = decode_bytes(encode(stereo(tone(440, 1.0, 44100), 2), 44100, "WAV", subtype), "t.wav")
    assert (got.format, got.source_rate, got.source_channels) == ("WAV", 44100, 2)
    check_tone(got.pcm, 1.0)


@pytest.mark.parametrize("rate", [8000, 11025, 16000, 22050, 32000, 44100, 48000, 96000])
def test_wav_every_rate(rate: int) -> None:
    x = tone(440, 0.5, rate)
    got = decode_bytes(encode(x, rate, "WAV", "PCM_16"), "t.wav")
    assert got.source_rate == rate and abs(got.pcm.size - x.size * RATE / rate) <= 1
    check_tone(got.pcm, 0.5)


@pytest.mark.parametrize("channels", [1, 2, 4, 6])
def test_wav_many_channels_average_to_mono(channels: int) -> None:
    x = stereo(tone(440, 0.5, 48000), channels)
    x[:, 0] *= 0.5  # channels differ: mono is their mean
    got = decode_bytes(encode(x, 48000, "WAV", "PCM_24"), "t.wav")
    assert got.source_channels == channels
    check_tone(got.pcm, 0.5, level=0.5 * (channels - 0.5) / channels)


def test_16k_mono_pcm16_is_bit_exact() -> None:
    pcm = np.random.default_rng(3).integers(-32768, 32768, 12345, dtype=np.int16)
    got = decode_bytes(encode(pcm.astype(np.float64) / 32768, RATE, "WAV", "PCM_16"), "x.wav")
    assert np.array_equal(got.pcm, pcm)


@pytest.mark.parametrize(
    ("fmt", "subtype", "rate"),
    [
        ("FLAC", "PCM_16", 44100),
        ("FLAC", "PCM_24", 48000),
        ("FLAC", "PCM_16", 16000),
        ("OGG", "VORBIS", 44100),
        ("OGG", "OPUS", 48000),
    ],
)
def test_flac_and_ogg(fmt: str, subtype: str, rate: int) -> None:
    got = decode_bytes(encode(stereo(tone(440, 1.0, rate), 2), rate, fmt, subtype), "t")
    assert got.format == ("OGG" if fmt == "OGG" else "FLAC")
    check_tone(got.pcm, 1.0)


@pytest.mark.parametrize(("rate", "channels"), [(44100, 1), (48000, 2), (16000, 1), (22050, 2)])
def test_mp3(rate: int, channels: int) -> None:
    x = tone(440, 1.0, rate)
    # 128 kbit/s: at lower rates LAME quietly halves a 48 kHz input's sample rate.
    got = decode_bytes(mp3(stereo(x, channels).reshape(-1) if channels > 1 else x, rate, channels, 128), "t.mp3")
    assert (got.format, got.source_rate, got.source_channels) == ("MP3", rate, channels)
    # MP3 adds encoder delay and pads the last frame: up to ~0.15 s more than went in.
    assert 1.0 <= got.duration_s < 1.15
    assert abs(dominant_hz(got.pcm, RATE) - 440) < 2.0


def test_mp3_with_id3_tags_and_a_misleading_name(tmp_path: Path) -> None:
    body = mp3(tone(440, 0.5, 44100), 44100)
    id3v2 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10)
    id3v1 = b"TAG" + bytes(125)
    path = tmp_path / "really-an-mp3.wav"
    path.write_bytes(id3v2 + body + id3v1)
    got = load_audio(path)
    assert got.format == "MP3" and got.path == path and got.name == str(path)
    assert abs(dominant_hz(got.pcm, RATE) - 440) < 2.0


def test_load_audio_matches_decode_bytes(tmp_path: Path) -> None:
    data = encode(tone(300, 0.3, 22050), 22050, "FLAC", "PCM_16")
    path = tmp_path / "a.flac"
    path.write_bytes(data)
    assert np.array_equal(load_audio(path).pcm, decode_bytes(data).pcm)


def test_load_many_concatenates_in_order(tmp_path: Path) -> None:
    a, b = tmp_path / "a.wav", tmp_path / "b.flac"
    a.write_bytes(encode(tone(440, 0.5, 16000), 16000, "WAV", "PCM_16"))
    b.write_bytes(encode(tone(880, 0.25, 16000), 16000, "FLAC", "PCM_16"))
    joined = load_many([a, b])
    assert joined.size == 12000
    assert np.array_equal(joined[:8000], load_audio(a).pcm) and np.array_equal(joined[8000:], load_audio(b).pcm)


def test_load_many_refuses_nothing_and_too_much(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="No audio files"):
        load_many([])
    a = tmp_path / "a.wav"
    a.write_bytes(encode(tone(440, 1.0, 8000), 8000, "WAV", "PCM_16"))
    monkeypatch.setattr(decode, "MAX_SECONDS", 1.5)
    with pytest.raises(InputError, match="together"):
        load_many([a, a])


# -- refusals -----------------------------------------------------------------------------------


def test_empty_and_not_audio() -> None:
    assert "empty" in refused(b"", "e.wav")
    assert "not a WAV" in refused(b"hello, this is a text file\n" * 10, "notes.mp3")
    assert "not a WAV" in refused(np.random.default_rng(0).bytes(4096), "noise.wav")
    assert "not a WAV" in refused(encode(tone(440, 0.2, 8000), 8000, "AIFF", "PCM_16"), "t.aiff")


@pytest.mark.parametrize(
    "case",
    [
        (lambda: encode(tone(440, 1.0, 16000), 16000, "WAV", "PCM_16"), "WAV file is cut short (truncated)"),
        (lambda: encode(tone(440, 1.0, 44100), 44100, "OGG", "VORBIS"), "OGG file is cut short (truncated)"),
        (lambda: mp3(tone(440, 1.0, 44100), 44100), "MP3 file is cut short (truncated)"),
        # libsndfile's FLAC decoder notices the cut itself ("lost sync").
        (lambda: encode(tone(440, 1.0, 44100), 44100, "FLAC", "PCM_16"), "FLAC data is damaged or cut short"),
    ],
    ids=["wav", "ogg", "mp3", "flac"],
)
@pytest.mark.parametrize("keep", [0.5, 0.9, 0.999])
def test_truncated_files_are_refused(case: tuple[Callable[[], bytes], str], keep: float) -> None:
    make, expected = case
    data = make()
    assert decode_bytes(data).duration_s > 0.9  # intact, it decodes
    assert expected in refused(data[: int(len(data) * keep) - 1], "cut")


def test_header_only_wav_is_truncated_and_zero_length_wav_is_empty() -> None:
    full = encode(tone(440, 0.2, 16000), 16000, "WAV", "PCM_16")
    assert "truncated" in refused(full[:44], "h.wav")
    assert "no audio" in refused(encode(np.zeros(0), 16000, "WAV", "PCM_16"), "z.wav")
    assert "no audio" in refused(encode(np.zeros((0, 2)), 44100, "WAV", "FLOAT"), "z2.wav")
    id3_only = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10)
    assert "no audio" in refused(id3_only, "z.mp3")


def test_too_long_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    wav = encode(np.zeros(8000 * (MAX_SECONDS + 1)), 8000, "WAV", "PCM_U8")
    assert "601 s" in refused(wav, "long.wav")
    long_mp3 = mp3(np.zeros(8000 * (MAX_SECONDS + 5)), 8000, kbps=8)

    def no_decoding(data: bytes) -> None:
        raise AssertionError("decoded a file whose header already says it is too long")

    monkeypatch.setattr(decode.miniaudio, "mp3_read_f32", no_decoding)
    assert "over the 600 s limit" in refused(long_mp3, "long.mp3")


def test_nan_samples_and_damaged_flac() -> None:
    x = tone(440, 0.2, 16000)
    x[100] = np.nan
    assert "NaN" in refused(encode(x, 16000, "WAV", "FLOAT"), "nan.wav")
    flac = bytearray(encode(tone(440, 1.0, 16000), 16000, "FLAC", "PCM_16"))
    flac[len(flac) // 2 : len(flac) // 2 + 400] = bytes(400)
    refused(bytes(flac), "hole.flac")


def test_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_audio(tmp_path / "missing.wav")
    with pytest.raises(InputError, match="cannot read"):
        load_audio(tmp_path)
    with pytest.raises(InputError, match="not a regular file"):
        load_audio("/dev/zero")
    fifo = tmp_path / "pipe.wav"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        load_audio(fifo)


def test_refusal_in_chinese() -> None:
    i18n.set_language("zh")
    try:
        assert "文件为空" in refused(b"", "空.wav")
    finally:
        i18n.set_language(None)


def _samples() -> list[bytes]:
    x = tone(440, 0.3, 22050)
    return [
        encode(x, 22050, "WAV", "PCM_16"),
        encode(x, 22050, "FLAC", "PCM_16"),
        encode(x, 22050, "OGG", "VORBIS"),
        mp3(x, 22050),
    ]


SAMPLES = _samples()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.integers(0, len(SAMPLES) - 1),
    cut=st.integers(0, 20000),
    flips=st.lists(st.tuples(st.integers(0, 20000), st.integers(0, 255)), max_size=8),
)
def test_damaged_files_never_escape_as_other_errors(which: int, cut: int, flips: list[tuple[int, int]]) -> None:
    data = bytearray(SAMPLES[which][: max(0, len(SAMPLES[which]) - cut)])
    for pos, value in flips:
        if data:
            data[pos % len(data)] = value
    try:
        got = decode_bytes(bytes(data), "fuzz")
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert got.pcm.dtype == np.int16 and got.pcm.size > 0
