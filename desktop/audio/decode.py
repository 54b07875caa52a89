"""Audio files in, 16 kHz mono int16 out — or an ``InputError`` that says in one line why not.

WAV, FLAC and Ogg go through libsndfile (``soundfile``); MP3 goes through dr_mp3 (``miniaudio``).
The libsndfile bundled with soundfile 0.12+ reads MP3 as well, but a system libsndfile older than
1.1 (what Linux distributions' python3-soundfile links) does not, and its mpg123 backend prints
warnings straight to stderr; one MP3 decoder everywhere behaves the same on every machine.

The format is decided by content, never by the file name, so "song.wav" that is really an MP3 is
decoded as MP3 and a renamed text file is refused. Lengths are checked from the header before
decoding so a 3-hour file is refused without being decoded.
"""

from __future__ import annotations

import io
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import miniaudio
import numpy as np
import numpy.typing as npt
import soundfile as sf

from desktop import i18n
from desktop.audio import RATE, probe
from desktop.audio.resample import float_to_int16, int16_to_float, resample_float
from desktop.errors import InputError

MAX_SECONDS = 600
MAX_FILE_BYTES = 1 << 30  # a 10-minute file is far smaller unless it is 8-channel 96 kHz float
_BLOCK = 1 << 16  # frames per libsndfile read: bounds the float copy of a many-channel file
# Rates a header may claim. Below 1 kHz is no speech recording (a "1 Hz" header would stretch
# each byte into a second of audio); above 384 kHz no recorder writes. Anything else is a lie.
MIN_RATE, MAX_RATE = 1_000, 384_000

Int16 = npt.NDArray[np.int16]
Float32 = npt.NDArray[np.float32]

i18n.register(
    {
        "audio.empty": {"en": "{name}: the file is empty", "zh": "{name}：文件为空"},
        "audio.not_audio": {
            "en": "{name}: not a WAV, FLAC, OGG or MP3 audio file",
            "zh": "{name}：不是 WAV、FLAC、OGG 或 MP3 音频文件",
        },
        "audio.truncated": {
            "en": "{name}: the {kind} file is cut short (truncated)",
            "zh": "{name}：{kind} 文件不完整（被截断）",
        },
        "audio.damaged": {
            "en": "{name}: the {kind} data is damaged or cut short and cannot be decoded ({detail})",
            "zh": "{name}：{kind} 数据已损坏或不完整，无法解码（{detail}）",
        },
        "audio.no_samples": {
            "en": "{name}: the file holds no audio (zero length)",
            "zh": "{name}：文件中没有音频（长度为零）",
        },
        "audio.too_long": {
            "en": "{name}: {seconds:.0f} s of audio is over the {limit} s limit",
            "zh": "{name}：音频时长 {seconds:.0f} 秒，超过 {limit} 秒的上限",
        },
        "audio.too_large": {
            "en": "{name}: the file is {size_mb:.0f} MB, over the {limit_mb} MB limit",
            "zh": "{name}：文件大小 {size_mb:.0f} MB，超过 {limit_mb} MB 的上限",
        },
        "audio.unreadable": {
            "en": "{name}: cannot read the file ({reason})",
            "zh": "{name}：无法读取文件（{reason}）",
        },
        "audio.not_a_file": {"en": "not a regular file", "zh": "不是普通文件"},
        "audio.no_files": {"en": "No audio files were given", "zh": "没有提供音频文件"},
        "audio.bad_rate": {
            "en": "{name}: the header claims {rate} samples per second, which no audio recording has",
            "zh": "{name}：文件头声称每秒 {rate} 个采样，这不是任何录音会有的采样率",
        },
        "audio.too_long_total": {
            "en": "The files hold {seconds:.0f} s of audio together, over the {limit} s limit",
            "zh": "这些文件的音频总时长 {seconds:.0f} 秒，超过 {limit} 秒的上限",
        },
    }
)


@dataclass(frozen=True)
class DecodedAudio:
    pcm: Int16  # 16 kHz mono
    source_rate: int
    source_channels: int
    duration_s: float  # of ``pcm``
    path: Path | None
    format: str  # WAV, FLAC, OGG or MP3
    name: str  # what messages call the file


def _one_line(text: str) -> str:
    """A library's message as a parenthetical: first line, without libsndfile's "Error : " prefix."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    line = lines[0] if lines else "?"
    return line.removeprefix("Error : ").rstrip(".") or "?"


def _too_long(name: str, seconds: float) -> InputError:
    return InputError(i18n.tr("audio.too_long", name=name, seconds=seconds, limit=MAX_SECONDS))


def _decode_mp3(data: bytes, name: str) -> tuple[Float32, int, int]:
    if not data[probe.id3v2_end(data) :].strip(b"\0"):
        raise InputError(i18n.tr("audio.no_samples", name=name))  # a tag and nothing else
    walk = probe.mp3_walk(data)
    if walk.truncated:
        raise InputError(i18n.tr("audio.truncated", name=name, kind=probe.MP3))
    if walk.rate and walk.samples / walk.rate > MAX_SECONDS:
        raise _too_long(name, walk.samples / walk.rate)
    try:
        decoded = miniaudio.mp3_read_f32(data)
    except miniaudio.DecodeError as exc:
        raise InputError(i18n.tr("audio.damaged", name=name, kind=probe.MP3, detail=_one_line(str(exc)))) from exc
    channels = max(1, decoded.nchannels)
    interleaved = np.frombuffer(memoryview(decoded.samples), dtype=np.float32)
    frames = interleaved[: interleaved.size - interleaved.size % channels].reshape(-1, channels)
    mono = frames[:, 0].copy() if channels == 1 else _mix(frames, False)
    return mono, decoded.sample_rate, channels


def _decode_sndfile(data: bytes, kind: str, name: str) -> tuple[Float32 | Int16, int, int]:
    """Mono samples: int16 for 16-bit PCM sources (no float round trip when nothing else is
    needed: the common 16 kHz mono WAV costs a copy), float32 in [-1, 1) for everything else."""
    if (kind == probe.WAV and probe.wav_truncated(data)) or (kind == probe.OGG and probe.ogg_truncated(data)):
        raise InputError(i18n.tr("audio.truncated", name=name, kind=kind))
    try:
        with sf.SoundFile(io.BytesIO(data)) as f:
            rate, channels, declared = f.samplerate, f.channels, f.frames
            if rate <= 0 or channels <= 0:
                raise InputError(i18n.tr("audio.damaged", name=name, kind=kind, detail=f"{rate} Hz"))
            if declared / rate > MAX_SECONDS:
                raise _too_long(name, declared / rate)
            as_int16 = f.subtype == "PCM_16"
            blocks: list[Float32 | Int16] = []
            got = 0
            for block in f.blocks(blocksize=_BLOCK, dtype="int16" if as_int16 else "float32", always_2d=True):
                if channels == 1:
                    blocks.append(block[:, 0].copy())
                else:
                    blocks.append(_mix(block, as_int16))
                got += len(block)
                if got / rate > MAX_SECONDS:  # the header may not know the length (streamed WAV)
                    raise _too_long(name, got / rate)
    except sf.LibsndfileError as exc:
        detail = _one_line(exc.error_string)
        raise InputError(i18n.tr("audio.damaged", name=name, kind=kind, detail=detail)) from exc
    if got < declared:
        raise InputError(i18n.tr("audio.truncated", name=name, kind=kind))
    if not blocks:
        return np.zeros(0, dtype=np.float32), rate, channels
    return np.concatenate(blocks), rate, channels  # type: ignore[return-value]


def _mix(block: npt.NDArray[np.float32] | npt.NDArray[np.int16], from_int16: bool) -> Float32:
    """Average the channels of a (frames, channels) block into float32 in [-1, 1).

    Column by column: numpy's ``mean(axis=1)`` over a handful of channels is ~20x slower.
    """
    acc = block[:, 0].astype(np.float32)
    for c in range(1, block.shape[1]):
        acc += block[:, c]
    acc *= np.float32(1.0 / (block.shape[1] * (32768.0 if from_int16 else 1.0)))
    return acc


def decode_bytes(data: bytes, name_hint: str = "audio") -> DecodedAudio:
    """Decode a whole file held in memory; ``name_hint`` names it in error messages."""
    return _decode(data, name_hint, None)


def _decode(data: bytes, name: str, path: Path | None) -> DecodedAudio:
    if not data:
        raise InputError(i18n.tr("audio.empty", name=name))
    kind = probe.sniff(data)
    if kind is None:
        raise InputError(i18n.tr("audio.not_audio", name=name))
    mono: Float32 | Int16
    if kind == probe.MP3:
        mono, rate, channels = _decode_mp3(data, name)
    else:
        mono, rate, channels = _decode_sndfile(data, kind, name)
    if not MIN_RATE <= rate <= MAX_RATE:
        raise InputError(i18n.tr("audio.bad_rate", name=name, rate=rate))
    if mono.size == 0:
        raise InputError(i18n.tr("audio.no_samples", name=name))
    if mono.size / rate > MAX_SECONDS:
        raise _too_long(name, mono.size / rate)
    pcm: Int16
    if mono.dtype == np.int16:
        as_int = mono.astype(np.int16, copy=False)
        pcm = as_int if rate == RATE else float_to_int16(resample_float(int16_to_float(as_int), rate, RATE))
    else:
        if not np.isfinite(mono).all():
            raise InputError(i18n.tr("audio.damaged", name=name, kind=kind, detail="NaN/Inf samples"))
        pcm = float_to_int16(resample_float(mono.astype(np.float32, copy=False), rate, RATE))
    if pcm.size == 0:  # a sample or two at a high rate resamples to nothing
        raise InputError(i18n.tr("audio.no_samples", name=name))
    return DecodedAudio(pcm, rate, channels, pcm.size / RATE, path, kind, name)


def load_audio(path: Path | str) -> DecodedAudio:
    """Read and decode one file; every failure is an ``InputError`` naming the file."""
    path = Path(path)
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or /dev/zero would be read forever
            raise InputError(i18n.tr("audio.unreadable", name=name, reason=i18n.tr("audio.not_a_file")))
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(
                i18n.tr("audio.too_large", name=name, size_mb=info.st_size / 1e6, limit_mb=MAX_FILE_BYTES // 1_000_000)
            )
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise InputError(i18n.tr("audio.unreadable", name=name, reason=exc.strerror or type(exc).__name__)) from exc
    return _decode(data, name, path)


def load_many(paths: Iterable[Path | str]) -> Int16:
    """Decode several files and join them end to end (``vpw enroll A.wav B.wav``)."""
    parts = [load_audio(p).pcm for p in paths]
    if not parts:
        raise InputError(i18n.tr("audio.no_files"))
    total = sum(p.size for p in parts) / RATE
    if total > MAX_SECONDS:
        raise InputError(i18n.tr("audio.too_long_total", seconds=total, limit=MAX_SECONDS))
    return np.concatenate(parts).astype(np.int16, copy=False)
