"""Container facts the decoders do not tell us: which format a file is, and whether it was cut short.

libsndfile and dr_mp3 happily decode the first half of a truncated WAV, Ogg or MP3 and say nothing,
so an operator could enrol half a recording without knowing. These checks read the container
structure (RIFF chunk sizes, Ogg page lengths and the end-of-stream flag, MPEG frame lengths) and
report a cut that the decoder hides. FLAC needs no walk: its STREAMINFO holds the sample count and
libsndfile fails or comes up short on a cut file, which ``decode`` checks.

A cut that lands exactly on a frame or page boundary of an MP3 is undetectable (MP3 has no length
field); everything else is caught.
"""

from __future__ import annotations

from dataclasses import dataclass

WAV, FLAC, OGG, MP3 = "WAV", "FLAC", "OGG", "MP3"

# MPEG audio tables (ISO 11172-3 / 13818-3), kbit/s by bitrate index, Hz by sample-rate index.
_BITRATES = {
    (1, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (1, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (1, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (2, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (2, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (2, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


@dataclass(frozen=True)
class MpegFrame:
    length: int  # bytes, header included
    samples: int  # per channel
    rate: int


def mpeg_frame(data: bytes, pos: int) -> MpegFrame | None:
    """The MPEG audio frame header at ``pos``, or None when there is no valid one."""
    if pos + 4 > len(data) or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    version_bits = (data[pos + 1] >> 3) & 3  # 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
    layer = 4 - ((data[pos + 1] >> 1) & 3)  # bits 3,2,1 -> layer I,II,III
    bitrate_index = data[pos + 2] >> 4
    rate_index = (data[pos + 2] >> 2) & 3
    if version_bits == 1 or layer == 4 or bitrate_index in (0, 15) or rate_index == 3:
        return None  # reserved, or "free format" whose length cannot be known from the header
    version = 1 if version_bits == 3 else 2
    bitrate = _BITRATES[(version, layer)][bitrate_index] * 1000
    rate = _RATES[version_bits][rate_index]
    padding = (data[pos + 2] >> 1) & 1
    if layer == 1:
        return MpegFrame((12 * bitrate // rate + padding) * 4, 384, rate)
    if layer == 3 and version == 2:
        return MpegFrame(72 * bitrate // rate + padding, 576, rate)
    return MpegFrame(144 * bitrate // rate + padding, 1152, rate)


def id3v2_end(data: bytes) -> int:
    """Offset just past a leading ID3v2 tag (0 when there is none)."""
    if len(data) < 10 or data[:3] != b"ID3":
        return 0
    size = (data[6] & 0x7F) << 21 | (data[7] & 0x7F) << 14 | (data[8] & 0x7F) << 7 | (data[9] & 0x7F)
    footer = 10 if data[5] & 0x10 else 0
    return 10 + size + footer


def sniff(data: bytes) -> str | None:
    """WAV, FLAC, OGG or MP3 by content (names lie); None for anything else."""
    if data[:4] in (b"RIFF", b"RIFX", b"RF64") and data[8:12] == b"WAVE":
        return WAV
    if data[:4] == b"fLaC":
        return FLAC
    if data[:4] == b"OggS":
        return OGG
    if data[:3] == b"ID3":
        return FLAC if data[id3v2_end(data) :][:4] == b"fLaC" else MP3
    first = mpeg_frame(data, 0)
    # A bare MPEG stream: demand a second header right after the first, as random bytes
    # start with a plausible-looking header about once in a few thousand files.
    if first is not None and mpeg_frame(data, first.length) is not None:
        return MP3
    return None


def wav_truncated(data: bytes) -> bool:
    """True when the RIFF ``data`` chunk (or a chunk before it) claims more bytes than the file has."""
    if data[:4] != b"RIFF":
        return False  # RIFX/RF64 keep sizes elsewhere; libsndfile checks those itself
    pos = 12
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        if data[pos : pos + 4] == b"data":
            # Writers that stream (sox to a pipe, some recorders) leave the size 0 or all ones.
            return size not in (0, 0xFFFFFFFF) and pos + 8 + size > len(data)
        pos += 8 + size + (size & 1)
    return pos != len(data)  # the header itself was cut inside a chunk


def ogg_truncated(data: bytes) -> bool:
    """True when the last Ogg page is incomplete or the stream never reaches end-of-stream."""
    pos, flags = 0, 0
    while pos < len(data):
        if data[pos : pos + 4] != b"OggS":
            return False  # not a page boundary: damage, not a cut; the decoder will judge it
        if pos + 27 > len(data):
            return True
        segments = data[pos + 26]
        table_end = pos + 27 + segments
        if table_end > len(data):
            return True
        flags = data[pos + 5]
        pos = table_end + sum(data[pos + 27 : table_end])
        if pos > len(data):
            return True
    return not flags & 0x04


@dataclass(frozen=True)
class MpegWalk:
    truncated: bool
    frames: int
    samples: int  # per channel, as the header arithmetic says (before decoder delay trimming)
    rate: int


def mp3_walk(data: bytes) -> MpegWalk:
    """Follow MPEG frame headers through the file; a frame that runs past the end is a cut."""
    end = len(data)
    if end >= 128 and data[end - 128 : end - 125] == b"TAG":
        end -= 128  # ID3v1 trailer
    pos = id3v2_end(data)
    frames = samples = rate = 0
    while pos < end:
        frame = mpeg_frame(data, pos)
        if frame is None:
            # A header cut inside its own four bytes is a cut too; anything else is junk.
            cut_header = end - pos < 4 and data[pos] == 0xFF and frames > 0
            return MpegWalk(cut_header, frames, samples, rate)
        if pos + frame.length > end:
            return MpegWalk(True, frames, samples, rate)
        frames, samples, rate = frames + 1, samples + frame.samples, frame.rate
        pos += frame.length
    return MpegWalk(False, frames, samples, rate)
