"""Rokid's speech codecs: encode microphone PCM for ASR, decode every TTS codec to PCM.

Formats (PROTOCOLS.md §2):

- ``pcm``  ASR input: s16le 16 kHz mono. TTS output: s16le mono **24 kHz**, which may arrive as a
  RIFF/WAVE file (then the header's rate and channels count, and only the ``data`` chunk is audio).
- ``opu``  Opus (VOIP), 16 kHz mono, 20 ms frames, each written as one length byte and the
  packet. The SDK encodes at 27.8 kbit/s VBR, complexity 8; the length byte caps a packet at
  255 bytes, which is also handed to the encoder as its hard limit.
- ``opu2`` Opus frames of exactly 40 bytes (16 kbit/s CBR, 20 ms), no length bytes.
- ``mp3``  an ordinary MP3 file (decoded with miniaudio's dr_mp3).

TTS ``opu``/``opu2`` are decoded at **24 kHz**, as Rokid's SDK does (``SAMPLE_RATE 24000`` in
``android/jni/com_rokid_speech_Opus.cc`` of rokid/rokid-openvoice-sdk): a 16 kHz decoder would cut
the band of a 24 kHz stream at 8 kHz. An Opus decoder may run at any of its rates whatever the
encoder's, so a 16 kHz stream decodes at 24 kHz with its band intact.

Every decoder raises ``CodecError`` (a ``ValueError``) on data it cannot take; the service layer
turns that into the operator's sentence. Nothing here knows about HTTP or Rokid's messages.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Int16 = npt.NDArray[np.int16]

OPUS_RATE = 16_000
TTS_PCM_RATE = 24_000
TTS_OPUS_RATE = 24_000
FRAME_SAMPLES = 320  # 20 ms at 16 kHz
OPU_BITRATE = 27_800
OPU_COMPLEXITY = 8
OPU_MAX_PACKET = 255  # one length byte
OPU2_FRAME_BYTES = 40  # 16 kbit/s x 20 ms / 8
OPU2_BITRATE = 16_000

ASR_CODECS = ("pcm", "opu", "opu2")
TTS_CODECS = ("mp3", "pcm", "opu", "opu2")


class CodecError(ValueError):
    """Encoded audio that cannot be decoded (damaged, cut short, not that codec)."""


@dataclass(frozen=True)
class Pcm:
    """Decoded mono audio and its rate."""

    samples: Int16
    rate: int

    @property
    def seconds(self) -> float:
        return self.samples.size / self.rate if self.rate else 0.0


def _frames(pcm: Int16) -> Iterator[bytes]:
    """20 ms s16le frames; the last one is padded with silence (Opus takes whole frames only)."""
    data = np.ascontiguousarray(pcm, dtype="<i2")
    rest = (-data.size) % FRAME_SAMPLES
    if rest:
        data = np.concatenate([data, np.zeros(rest, dtype="<i2")])
    raw = data.tobytes()
    step = FRAME_SAMPLES * 2
    for start in range(0, len(raw), step):
        yield raw[start : start + step]


def _opus_encoder(bitrate: int, vbr: bool) -> object:
    import opuslib

    enc = opuslib.Encoder(OPUS_RATE, 1, opuslib.APPLICATION_VOIP)
    enc.bitrate = bitrate
    enc.vbr = 1 if vbr else 0
    enc.complexity = OPU_COMPLEXITY
    return enc


def _encode_packet(enc: object, frame: bytes, max_bytes: int) -> bytes:
    import opuslib.api.encoder as api

    # opuslib's Encoder.encode allows len(frame) bytes of output; we need the framing's cap.
    return bytes(api.encode(enc.encoder_state, frame, FRAME_SAMPLES, max_bytes))  # type: ignore[attr-defined]


def encode_opu(pcm: Int16, max_bytes: int | None = None) -> bytes:
    """16 kHz mono int16 -> Rokid ``opu``. With ``max_bytes``, stops as soon as the output would
    exceed it and returns what it has (longer than ``max_bytes``), so an over-long recording is
    found out without encoding all of it."""
    enc = _opus_encoder(OPU_BITRATE, vbr=True)
    out = bytearray()
    for frame in _frames(pcm):
        packet = _encode_packet(enc, frame, OPU_MAX_PACKET)
        out.append(len(packet))
        out += packet
        if max_bytes is not None and len(out) > max_bytes:
            break
    return bytes(out)


def encode_opu2(pcm: Int16) -> bytes:
    """16 kHz mono int16 -> ``opu2`` (fixed 40-byte CBR frames)."""
    enc = _opus_encoder(OPU2_BITRATE, vbr=False)
    out = bytearray()
    for frame in _frames(pcm):
        packet = _encode_packet(enc, frame, OPU2_FRAME_BYTES)
        if len(packet) < OPU2_FRAME_BYTES:
            # Hard CBR gives exactly 40 bytes; Opus may pad, never shrink, a CBR packet. A shorter
            # one would break the fixed framing, so refuse rather than write a broken stream.
            raise CodecError(f"Opus CBR packet of {len(packet)} bytes, expected {OPU2_FRAME_BYTES}")
        out += packet
    return bytes(out)


def _decode_packets(packets: Iterator[bytes], rate: int) -> Int16:
    import opuslib

    dec = opuslib.Decoder(rate, 1)
    longest = rate * 120 // 1000  # 120 ms: the longest packet Opus allows
    chunks: list[Int16] = []
    for i, packet in enumerate(packets):
        try:
            raw = dec.decode(packet, longest)  # type: ignore[attr-defined]
        except (opuslib.OpusError, ctypes.ArgumentError) as exc:
            raise CodecError(f"Opus packet {i} is damaged ({exc})") from exc
        chunks.append(np.frombuffer(raw, dtype="<i2").astype(np.int16))
    if not chunks:
        raise CodecError("no Opus packets")
    return np.concatenate(chunks)


def split_opu(data: bytes) -> Iterator[bytes]:
    """The packets of an ``opu`` stream; ``CodecError`` when a length runs past the end."""
    pos = 0
    while pos < len(data):
        size = data[pos]
        if size == 0:
            raise CodecError(f"zero-length Opus packet at byte {pos}")
        end = pos + 1 + size
        if end > len(data):
            raise CodecError(f"opu stream cut short: a {size}-byte packet at byte {pos} runs past the end")
        yield data[pos + 1 : end]
        pos = end


def decode_opu(data: bytes, rate: int = OPUS_RATE) -> Pcm:
    # Validate the framing before decoding so that a cut-short stream fails as a whole.
    packets = list(split_opu(data))
    return Pcm(_decode_packets(iter(packets), rate), rate)


def decode_opu2(data: bytes, rate: int = OPUS_RATE) -> Pcm:
    if len(data) % OPU2_FRAME_BYTES:
        raise CodecError(f"opu2 stream of {len(data)} bytes is not a whole number of 40-byte frames")
    packets = (data[i : i + OPU2_FRAME_BYTES] for i in range(0, len(data), OPU2_FRAME_BYTES))
    return Pcm(_decode_packets(packets, rate), rate)


_WAVE_PCM, _WAVE_EXTENSIBLE = 1, 0xFFFE
_MAX_WAV_RATE = 384_000


def unwrap_wav(data: bytes) -> Pcm:
    """The audio of a RIFF/WAVE file of 16-bit PCM, mixed to mono, at the header's rate.

    Read chunk by chunk rather than with ``wave``: a streamed WAV declares a ``data`` size of
    0 or 0xFFFFFFFF, and a hostile one declares sizes past the end; the audio is what is there.
    """
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise CodecError("not a RIFF/WAVE file")
    pos, fmt, audio = 12, None, None
    while pos + 8 <= len(data) and audio is None:
        cid, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        body = data[pos + 8 : pos + 8 + size]
        if cid == b"fmt ":
            if len(body) < 16:
                raise CodecError("WAV fmt chunk cut short")
            fmt = body
        elif cid == b"data":
            audio = body if size not in (0, 0xFFFFFFFF) else data[pos + 8 :]
        pos += 8 + size + (size & 1)  # chunks are word-aligned
    if fmt is None or audio is None:
        raise CodecError("WAV without fmt and data chunks")
    tag = int.from_bytes(fmt[0:2], "little")
    channels = int.from_bytes(fmt[2:4], "little")
    rate = int.from_bytes(fmt[4:8], "little")
    bits = int.from_bytes(fmt[14:16], "little")
    if tag not in (_WAVE_PCM, _WAVE_EXTENSIBLE) or bits != 16:
        raise CodecError(f"WAV of format {tag} with {bits}-bit samples; expected 16-bit PCM")
    if not 1 <= channels <= 8 or not 1000 <= rate <= _MAX_WAV_RATE:
        raise CodecError(f"WAV of {channels} channels at {rate} Hz")
    whole = len(audio) - len(audio) % (2 * channels)  # a cut-short last frame is dropped
    samples = np.frombuffer(audio[:whole], dtype="<i2").astype(np.int16)
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1).round().astype(np.int16)
    if samples.size == 0:
        raise CodecError("WAV without samples")
    return Pcm(samples, rate)


def decode_pcm(data: bytes, rate: int) -> Pcm:
    if len(data) % 2:
        raise CodecError(f"s16le PCM of {len(data)} bytes has half a sample")
    return Pcm(np.frombuffer(data, dtype="<i2").astype(np.int16), rate)


def decode_mp3(data: bytes) -> Pcm:
    """At the file's own rate (``miniaudio.decode`` would resample to 44.1 kHz); stereo is mixed."""
    import miniaudio

    try:
        decoded = miniaudio.mp3_read_s16(bytes(data))
    except miniaudio.DecodeError as exc:
        raise CodecError(f"not a decodable MP3 ({exc})") from exc
    samples = np.frombuffer(memoryview(decoded.samples), dtype=np.int16)
    channels = max(1, decoded.nchannels)
    if channels > 1:
        frames = samples[: samples.size - samples.size % channels].reshape(-1, channels)
        samples = frames.mean(axis=1).round().astype(np.int16)
    if samples.size == 0 or decoded.sample_rate <= 0:
        raise CodecError("MP3 without audio frames")
    return Pcm(samples.copy(), decoded.sample_rate)


def decode_tts(codec: str, data: bytes) -> Pcm:
    """Any TTS reply's audio -> mono int16 PCM at its own rate."""
    if not data:
        raise CodecError("no audio")
    if codec == "mp3":
        return decode_mp3(data)
    if codec == "pcm":
        if data[:4] == b"RIFF" and data[8:12] == b"WAVE":  # a WAV file, not bare samples
            return unwrap_wav(data)
        return decode_pcm(data, TTS_PCM_RATE)
    if codec == "opu":
        return decode_opu(data, TTS_OPUS_RATE)
    if codec == "opu2":
        return decode_opu2(data, TTS_OPUS_RATE)
    raise CodecError(f"unknown codec {codec!r}")


def wav_bytes(pcm: Pcm) -> bytes:
    """A 16-bit mono WAV file of ``pcm``."""
    import io
    import wave

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(pcm.rate)
        w.writeframes(np.ascontiguousarray(pcm.samples, dtype="<i2").tobytes())
    return buf.getvalue()
