"""Audio files whose headers lie: every decode ends in 16 kHz int16 audio or an ``InputError``
naming the file, never another exception (issue 11, "audio file metadata")."""

from __future__ import annotations

import io
import struct

import numpy as np
import soundfile as sf
from hypothesis import given
from hypothesis import strategies as st

from desktop.audio.decode import decode_bytes
from desktop.errors import InputError
from tests.fuzz import fuzz


def _decode(data: bytes) -> None:
    try:
        out = decode_bytes(data, "fuzz.wav")
    except InputError as exc:
        str(exc).encode("utf-8")
        return
    assert out.pcm.dtype == np.int16 and out.pcm.size > 0 and np.isfinite(out.duration_s)


def _good(fmt: str, subtype: str, rate: int = 16000, channels: int = 1) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, np.zeros((800, channels), np.float32) + 0.1, rate, format=fmt, subtype=subtype)
    return buf.getvalue()


WAV = _good("WAV", "PCM_16")
FLOAT_WAV = _good("WAV", "FLOAT")
FLAC = _good("FLAC", "PCM_16")
OGG = _good("OGG", "VORBIS")


@fuzz
@given(
    st.integers(0, 0xFFFF),  # format tag
    st.integers(0, 0xFFFF),  # channels
    st.integers(0, 2**32 - 1),  # sample rate
    st.integers(0, 0xFFFF),  # block align
    st.integers(0, 0xFFFF),  # bits per sample
    st.integers(0, 2**32 - 1),  # data size
    st.binary(max_size=256),
)
def test_fuzz_wav_header_fields(
    tag: int, channels: int, rate: int, align: int, bits: int, size: int, tail: bytes
) -> None:
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * max(align, 1) & 0xFFFFFFFF, align, bits)
    data = b"RIFF" + struct.pack("<I", 36 + len(tail)) + b"WAVEfmt " + struct.pack("<I", 16) + fmt
    _decode(data + b"data" + struct.pack("<I", size) + tail)


@fuzz
@given(st.sampled_from([WAV, FLOAT_WAV, FLAC, OGG]), st.data())
def test_fuzz_flipped_bytes_in_real_files(original: bytes, data: st.DataObject) -> None:
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        where = data.draw(st.integers(0, min(len(mutated) - 1, 200)))  # the headers live up front
        mutated[where] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(mutated)))
    _decode(bytes(mutated[:cut]))


@fuzz
@given(st.binary(min_size=1, max_size=2048))
def test_fuzz_random_bytes_and_magic(tail: bytes) -> None:
    for magic in (
        b"",
        b"RIFF\x00\x00\x00\x00WAVE",
        b"fLaC",
        b"OggS",
        b"ID3\x03\x00\x00\x00\x00\x00\x00",
        b"\xff\xfb\x90",
    ):
        _decode(magic + tail)


def test_nan_and_huge_float_samples_are_refused_or_clipped() -> None:
    for value in (np.nan, np.inf, 1e30):
        buf = io.BytesIO()
        sf.write(buf, np.full(1600, value, np.float32), 16000, format="WAV", subtype="FLOAT")
        _decode(buf.getvalue())


def _wav_with_rate(rate: int, tail: bytes) -> bytes:
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2 & 0xFFFFFFFF, 2, 16)
    head = b"RIFF" + struct.pack("<I", 36 + len(tail)) + b"WAVEfmt " + struct.pack("<I", 16) + fmt
    return head + b"data" + struct.pack("<I", len(tail)) + tail


def test_header_rates_no_recording_has_are_refused() -> None:
    import pytest

    # Found by the fuzz test: a 1 Hz header made 50 s of "audio" out of 100 bytes, and one
    # sample at 1 MHz resampled to no samples at all, which was returned as a decoded file.
    for rate, tail in ((1, b"\x00\x01" * 50), (999, b"\x00\x01" * 50), (1_000_000, b"\x00\x01")):
        with pytest.raises(InputError, match=r"samples per second|no audio"):
            decode_bytes(_wav_with_rate(rate, tail), "x.wav")
    with pytest.raises(InputError, match="no audio"):
        decode_bytes(_wav_with_rate(96_000, b"\x00\x01"), "x.wav")
    assert decode_bytes(_wav_with_rate(8_000, b"\x00\x01" * 800), "x.wav").pcm.size == 1600
