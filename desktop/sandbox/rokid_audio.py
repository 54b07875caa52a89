"""The sandbox's own reading of Rokid's audio formats (PROTOCOLS.md §2, "Codecs").

Deliberately a second implementation, not ``desktop.audio.codecs``: the framing of ``opu`` (one
length byte before each 20 ms Opus packet) and ``opu2`` (bare 40-byte packets) is part of the
wire format, and a framing bug shared by client and sandbox would pass every round-trip test.
The Opus and MP3 libraries underneath are shared; only their use is re-derived.

- TTS answers: ``pcm`` s16le 24 kHz (or, with ``wav=True``, the same in a RIFF/WAVE file);
  ``mp3`` 24 kHz mono (LAME); ``opu``/``opu2`` **24 kHz** Opus, 20 ms frames, as Rokid's SDK
  decodes TTS Opus at 24 kHz.
- ASR takes: ``pcm`` s16le 16 kHz; ``opu``; ``opu2``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Pcm = npt.NDArray[np.int16]

TTS_RATE = 24_000
OPUS_RATE = 16_000  # ASR input
TTS_OPUS_RATE = 24_000
_OPU2_BYTES = 40


class BadVoice(ValueError):
    """ASR input that is not the codec it claims to be."""


def _encoder(bitrate: int, constant: bool, rate: int) -> object:
    import opuslib

    enc = opuslib.Encoder(rate, 1, "voip")
    enc.bitrate = bitrate
    enc.complexity = 8
    enc.vbr = 0 if constant else 1
    return enc


def _opus_packets(pcm: Pcm, bitrate: int, constant: bool, cap: int, rate: int) -> list[bytes]:
    import opuslib.api.encoder

    enc = _encoder(bitrate, constant, rate)
    step = rate // 50  # 20 ms
    samples = np.asarray(pcm, dtype="<i2")
    whole = -(-samples.size // step) * step
    padded = np.zeros(whole, dtype="<i2")
    padded[: samples.size] = samples
    packets = []
    for start in range(0, whole, step):
        frame = padded[start : start + step].tobytes()
        state = enc.encoder_state  # type: ignore[attr-defined]
        packets.append(bytes(opuslib.api.encoder.encode(state, frame, step, cap)))
    return packets


def _wav(pcm: Pcm, rate: int) -> bytes:
    import io
    import wave

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.asarray(pcm, dtype="<i2").tobytes())
    return buf.getvalue()


def encode(codec: str, pcm: Pcm, rate: int, *, wav: bool = False) -> bytes:
    """TTS output in ``codec`` from mono speech at ``rate``."""
    from desktop.sandbox.engines.tts import resample

    if codec == "pcm":
        audio24 = np.asarray(resample(pcm, rate, TTS_RATE) if rate != TTS_RATE else pcm, dtype="<i2")
        return _wav(audio24, TTS_RATE) if wav else audio24.tobytes()
    if codec == "mp3":
        import lameenc

        enc = lameenc.Encoder()
        enc.set_channels(1)
        enc.set_in_sample_rate(TTS_RATE)
        enc.set_out_sample_rate(TTS_RATE)
        enc.set_bit_rate(48)
        enc.set_quality(5)
        audio = resample(pcm, rate, TTS_RATE) if rate != TTS_RATE else pcm
        return bytes(enc.encode(np.asarray(audio, dtype="<i2").tobytes()) + enc.flush())
    audio24 = resample(pcm, rate, TTS_OPUS_RATE) if rate != TTS_OPUS_RATE else pcm
    if codec == "opu":
        out = bytearray()
        for packet in _opus_packets(audio24, 27_800, constant=False, cap=255, rate=TTS_OPUS_RATE):
            out += bytes([len(packet)]) + packet
        return bytes(out)
    if codec == "opu2":
        packets = _opus_packets(audio24, 16_000, constant=True, cap=_OPU2_BYTES, rate=TTS_OPUS_RATE)
        if any(len(p) != _OPU2_BYTES for p in packets):
            raise RuntimeError("Opus CBR did not give 40-byte packets")
        return b"".join(packets)
    raise ValueError(codec)


def _decode_packets(packets: list[bytes]) -> Pcm:
    import opuslib

    dec = opuslib.Decoder(OPUS_RATE, 1)
    out = []
    for packet in packets:
        try:
            out.append(np.frombuffer(dec.decode(packet, 6 * OPUS_RATE // 50), dtype="<i2"))
        except opuslib.OpusError as exc:
            raise BadVoice(f"damaged opus packet: {exc}") from exc
    return np.concatenate(out).astype(np.int16) if out else np.zeros(0, np.int16)


def decode(codec: str, voice: bytes) -> Pcm:
    """ASR input -> 16 kHz mono int16."""
    if codec == "pcm":
        if len(voice) % 2:
            raise BadVoice("pcm voice has an odd number of bytes")
        return np.frombuffer(voice, dtype="<i2").astype(np.int16)
    if codec == "opu":
        packets, i = [], 0
        while i < len(voice):
            n = voice[i]
            if n == 0 or i + 1 + n > len(voice):
                raise BadVoice(f"opu frame at byte {i} is cut short or empty")
            packets.append(voice[i + 1 : i + 1 + n])
            i += 1 + n
        return _decode_packets(packets)
    if codec == "opu2":
        if len(voice) % _OPU2_BYTES:
            raise BadVoice("opu2 voice is not made of 40-byte frames")
        return _decode_packets([voice[i : i + _OPU2_BYTES] for i in range(0, len(voice), _OPU2_BYTES)])
    raise BadVoice(f"unsupported codec {codec}")
