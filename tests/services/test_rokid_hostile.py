"""Rokid as its SDK documents it (24 kHz TTS Opus, WAV-wrapped PCM, more declaimers, an omitted
empty transcript) and Rokid replies nobody should send: each ends in audio, a transcript or a
typed error, never another exception."""

from __future__ import annotations

import contextlib
import io
import wave
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.audio import codecs as rc
from desktop.errors import ProtocolFailure, VpwError
from desktop.proto import rokid_asr_pb2, rokid_tts_pb2
from desktop.sandbox.server import SandboxThread
from desktop.services import rokid_wire as wire
from desktop.services.rokid import RokidServerError
from tests.fuzz import HOSTILE_DOCS, JSON_VALUES, fuzz
from tests.services.rokid_support import client


def _opu_at_24k(pcm: np.ndarray) -> bytes:
    """``opu`` framing of a 24 kHz stream, as Rokid's TTS sends it."""
    import opuslib
    import opuslib.api.encoder as api

    enc = opuslib.Encoder(24_000, 1, opuslib.APPLICATION_AUDIO)
    enc.bitrate = 64_000
    out = bytearray()
    for start in range(0, pcm.size - 479, 480):
        packet = bytes(api.encode(enc.encoder_state, pcm[start : start + 480].astype("<i2").tobytes(), 480, 255))
        out += bytes([len(packet)]) + packet
    return bytes(out)


def test_tts_opus_is_decoded_at_24khz_and_keeps_its_band() -> None:
    t = np.arange(24_000) / 24_000
    tone = (np.sin(2 * np.pi * 10_000 * t) * 12_000).astype(np.int16)  # above 16 kHz's Nyquist
    pcm = rc.decode_tts("opu", _opu_at_24k(tone))
    assert pcm.rate == 24_000
    spectrum = np.abs(np.fft.rfft(pcm.samples.astype(float)))
    peak_hz = np.argmax(spectrum) * pcm.rate / pcm.samples.size
    assert abs(peak_hz - 10_000) < 50  # a 16 kHz decoder cannot hold 10 kHz at all


def _wav(samples: np.ndarray, rate: int, channels: int = 1) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return buf.getvalue()


def test_tts_pcm_in_a_wav_file_is_unwrapped() -> None:
    samples = (np.sin(np.arange(2400) / 5) * 8000).astype(np.int16)
    pcm = rc.decode_tts("pcm", _wav(samples, 24_000))
    # Before: the 44-byte header was played as 22 samples of noise in front of the speech.
    assert pcm.rate == 24_000 and np.array_equal(pcm.samples, samples)
    stereo = rc.decode_tts("pcm", _wav(np.repeat(samples, 2), 22_050, channels=2))
    assert stereo.rate == 22_050 and np.array_equal(stereo.samples, samples)


def test_streamed_wav_with_unknown_data_size_is_read_to_the_end() -> None:
    samples = np.arange(100, dtype=np.int16)
    data = bytearray(_wav(samples, 24_000))
    data[40:44] = (0xFFFFFFFF).to_bytes(4, "little")
    assert np.array_equal(rc.unwrap_wav(bytes(data)).samples, samples)


def test_sandbox_pcm_as_wav_end_to_end(sandbox: SandboxThread) -> None:
    bare = client(sandbox).tts("你好", codec="pcm")
    sandbox.cfg.faults["rokid"] = {"pcm_wav": True}
    wrapped = client(sandbox).tts("你好", codec="pcm")
    assert wrapped.data[:4] == b"RIFF" and bare.data[:4] != b"RIFF"
    assert wrapped.pcm.rate == 24_000 and abs(wrapped.pcm.samples.size - bare.pcm.samples.size) < 50


@pytest.mark.parametrize("declaimer", ["xmly", "e2e"])
def test_upstream_declaimers_are_sent(sandbox: SandboxThread, declaimer: str) -> None:
    assert client(sandbox).tts("你好", declaimer=declaimer, codec="pcm").seconds > 0.2


def test_free_text_declaimer_reaches_the_service(sandbox: SandboxThread) -> None:
    # Sent as typed; the sandbox, like Rokid, refuses a voice it does not have.
    with pytest.raises(RokidServerError, match="declaimer"):
        client(sandbox).tts("你好", declaimer="narrator-7", codec="pcm")


def test_json_asr_reply_without_asr_is_an_empty_transcript(sandbox: SandboxThread) -> None:
    sandbox.cfg.faults["rokid"] = {"asr_omit_empty": True}
    result = client(sandbox, body="json").asr(np.zeros(16_000, np.int16))
    assert result.text == ""


@pytest.mark.parametrize("doc", HOSTILE_DOCS, ids=range(len(HOSTILE_DOCS)))
def test_hostile_json_replies_end_to_end(sandbox: SandboxThread, doc: str) -> None:
    sandbox.cfg.faults["rokid"] = {"reply_json": doc}
    c = client(sandbox, body="json")
    for call in (lambda: c.asr(np.zeros(1600, np.int16)), lambda: c.tts("你好", codec="pcm")):
        try:
            out: Any = call()
        except VpwError as exc:
            str(exc).encode("utf-8")  # printable
            continue
        str(getattr(out, "text", "")).encode("utf-8")


def test_lone_surrogate_transcript_is_a_protocol_failure(sandbox: SandboxThread) -> None:
    sandbox.cfg.faults["rokid"] = {"reply_json": '{"asr": "\\ud800"}'}
    with pytest.raises(ProtocolFailure):
        client(sandbox, body="json").asr(np.zeros(1600, np.int16))


@fuzz
@given(st.one_of(st.binary(max_size=400), JSON_VALUES.map(lambda v: repr(v).encode("utf-8", "surrogatepass"))))
def test_fuzz_parse_reply_raises_only_reply_errors(body: bytes) -> None:
    for cls in (rokid_asr_pb2.AsrResponse, rokid_tts_pb2.TtsResponse):
        for ctype in ("application/json", "application/octet-stream", ""):
            try:
                msg = wire.parse_reply(body, ctype, cls)
            except wire.ReplyError as exc:
                exc.detail.encode("utf-8")
                continue
            if cls is rokid_asr_pb2.AsrResponse:
                wire.text_field(msg.asr).encode("utf-8")  # type: ignore[attr-defined]


@fuzz
@given(JSON_VALUES)
def test_fuzz_json_documents(value: Any) -> None:
    import json

    try:
        body = json.dumps({"asr": value, "voice": value}).encode("utf-8", "surrogatepass")
    except (ValueError, RecursionError):
        return
    for cls in (rokid_asr_pb2.AsrResponse, rokid_tts_pb2.TtsResponse):
        with contextlib.suppress(wire.ReplyError):
            wire.parse_reply(body, "application/json", cls)


@fuzz
@given(st.sampled_from(rc.TTS_CODECS), st.binary(max_size=600))
def test_fuzz_tts_audio_raises_only_codec_errors(codec: str, data: bytes) -> None:
    with contextlib.suppress(rc.CodecError):
        rc.decode_tts(codec, data)


@fuzz
@given(
    st.integers(0, 0xFFFF), st.integers(0, 0xFFFF), st.integers(0, 2**32 - 1), st.integers(0, 0xFFFF),
    st.integers(0, 2**32 - 1), st.binary(max_size=64),
)  # fmt: skip
def test_fuzz_wav_headers(tag: int, channels: int, rate: int, bits: int, size: int, tail: bytes) -> None:
    fmt = tag.to_bytes(2, "little") + channels.to_bytes(2, "little") + rate.to_bytes(4, "little")
    fmt += b"\0" * 6 + bits.to_bytes(2, "little")
    data = b"RIFF\0\0\0\0WAVEfmt " + (16).to_bytes(4, "little") + fmt + b"data" + size.to_bytes(4, "little") + tail
    try:
        pcm = rc.decode_tts("pcm", data)
    except rc.CodecError:
        return
    assert pcm.rate > 0 and pcm.samples.dtype == np.int16
