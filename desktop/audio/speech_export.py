"""Writing synthesised speech to a file in the format its name (or the chosen file type) says:
WAV, MP3 (encoded with LAME when the speech did not arrive as MP3), or the codec's bytes as received.

Qt-free: the Speech panel calls it on a pool thread; the test reads the file back.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from desktop.audio.codecs import Pcm, wav_bytes

WAV, MP3, RAW = "wav", "mp3", "raw"
SUFFIXES = {".wav": WAV, ".mp3": MP3}
MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)  # what LAME takes


class Speech(Protocol):
    @property
    def codec(self) -> str: ...
    @property
    def data(self) -> bytes: ...
    @property
    def pcm(self) -> Pcm: ...


def format_for(path: Path, chosen: str) -> str:
    """The name's own suffix decides (``x.mp3`` is MP3 whatever filter was selected); a name
    without a known suffix gets the chosen file type's."""
    return SUFFIXES.get(path.suffix.lower(), chosen)


def with_suffix(path: Path, fmt: str, codec: str) -> Path:
    """``speech`` saved as MP3 becomes ``speech.mp3``; a known suffix is kept."""
    if path.suffix.lower() in SUFFIXES or (fmt == RAW and path.suffix):
        return path
    return path.with_name(path.name + "." + (codec if fmt == RAW else fmt))


def encode_mp3(pcm: Pcm, bitrate_kbps: int = 64) -> bytes:
    import lameenc

    if pcm.rate not in MP3_RATES:
        raise ValueError(f"MP3 cannot hold audio at {pcm.rate} Hz")
    enc = lameenc.Encoder()
    enc.set_channels(1)
    enc.set_in_sample_rate(pcm.rate)
    enc.set_bit_rate(bitrate_kbps)
    enc.set_quality(2)
    data = np.ascontiguousarray(pcm.samples, dtype="<i2").tobytes()
    return bytes(enc.encode(data) + enc.flush())


def file_bytes(speech: Speech, fmt: str) -> bytes:
    if fmt == RAW:
        return speech.data
    if fmt == MP3:
        # MP3 as received is already an MP3 file: no second lossy generation.
        return speech.data if speech.codec == "mp3" else encode_mp3(speech.pcm)
    return wav_bytes(speech.pcm)


def save(speech: Speech, path: Path, fmt: str) -> Path:
    """Write atomically (a failure never leaves half a file where a good one was); OSError passes."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        tmp.write_bytes(file_bytes(speech, fmt))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
