"""Synthetic speech for tests: eSpeak NG voices rendered to 16 kHz mono int16 numpy arrays.

eSpeak NG (shipped by ``espeakng-loader``: the library plus its data) gives us many distinct,
reproducible "speakers" without recordings in the tree. A voice is a language plus an optional
variant (``"en+m3"``, ``"en+f2"``); pitch and rate shift it further. Rendering is cached twice:
in memory (``lru_cache``) and as ``.npy`` files in a temporary directory shared by test runs
(``VPW_SPEECH_CACHE`` overrides where), so a suite that reuses phrases pays for each once.

Usage::

    from tests.sandbox.speech import Voice, synthesize
    pcm = synthesize("the quick brown fox", Voice("en+m3", pitch=40))

eSpeak is driven through ``desktop.sandbox.engines.tts`` (one wrapper and one lock per process).
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from desktop.sandbox.engines import tts

RATE = 16_000
# 3: renders no longer depend on what the process spoke before (tts.py: a fresh eSpeak per call).
CACHE_VERSION = "3"


@dataclass(frozen=True)
class Voice:
    """One synthetic speaker: eSpeak voice name, pitch (0-100, 50 normal), range, rate (wpm)."""

    name: str = "en"
    pitch: int = 50
    pitch_range: int = 50
    rate: int = 160


# A few voices that differ like different people do (sex, pitch, formants), for enrol/verify tests.
VOICES: dict[str, Voice] = {
    "alice": Voice("en+f2", pitch=55),
    "bob": Voice("en+m3", pitch=35),
    "carol": Voice("en+f4", pitch=65),
    "dave": Voice("en+m1", pitch=50),
    "erin": Voice("en+f1", pitch=50),
}

# Distinct texts so that tests can enrol on one and verify on another (text-independent).
TEXTS: tuple[str, ...] = (
    "The quick brown fox jumps over the lazy dog while the farmer watches from the old wooden gate.",
    "Please remember to bring your umbrella tomorrow because the weather report promises heavy rain.",
    "Seven bright stars appeared above the quiet harbour as the fishing boats returned home at dusk.",
    "My voice is my password, and I am reading this sentence to prove who I really am today.",
    "Numbers like three, eight, five and nine are spoken slowly so that the machine can hear them.",
    "A cup of warm tea and a good book make every rainy afternoon feel calm and peaceful indeed.",
)


def _cache_dir() -> Path:
    path = Path(os.environ.get("VPW_SPEECH_CACHE") or Path(tempfile.gettempdir()) / "vpw-speech-cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _render(text: str, voice: Voice) -> npt.NDArray[np.int16]:
    """Through the sandbox's own eSpeak wrapper: eSpeak has one global state per process (one
    synthesis callback), so a second ctypes wrapper in the same process would steal the audio
    of the first. The voice is registered under a private key in ``tts.VOICES``."""
    key = f"test:{voice.name}:{voice.pitch}:{voice.pitch_range}:{voice.rate}"
    tts.VOICES.setdefault(key, tts.Voice(voice.name, voice.pitch, voice.pitch_range, voice.rate))
    return tts.engine().synthesize(text, key, rate=RATE)


@functools.cache
def _renderer() -> tuple[str, str]:
    """What else the samples depend on: the eSpeak build and data, and the resampler."""
    from importlib.metadata import version

    return version("espeakng-loader"), version("soxr")


@functools.lru_cache(maxsize=256)
def synthesize(text: str, voice: Voice = Voice()) -> npt.NDArray[np.int16]:
    """``text`` spoken by ``voice`` as 16 kHz mono int16 (read-only: copy before changing it)."""
    key = hashlib.sha256(repr((CACHE_VERSION, _renderer(), text, voice)).encode()).hexdigest()[:32]
    path = _cache_dir() / f"{key}.npy"
    pcm: npt.NDArray[np.int16]
    try:
        pcm = np.load(path)
    except (OSError, ValueError):
        pcm = _render(text, voice)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        with open(tmp, "wb") as fh:
            np.save(fh, pcm)
        os.replace(tmp, path)  # atomic: a parallel run never reads half a file
    pcm.setflags(write=False)
    return pcm


def speech(speaker: str, *texts: int, gap_s: float = 0.3) -> npt.NDArray[np.int16]:
    """Speaker ``speaker`` (a key of ``VOICES``) reading ``TEXTS[i]`` for each index, with pauses."""
    voice = VOICES[speaker]
    gap = np.zeros(int(gap_s * RATE), np.int16)
    parts: list[npt.NDArray[np.int16]] = []
    for i in texts:
        parts += [synthesize(TEXTS[i], voice), gap]
    return np.concatenate(parts) if parts else np.zeros(0, np.int16)


def to_frames(pcm: npt.NDArray[np.int16], frame_ms: int = 100) -> list[bytes]:
    """s16le frames of ``frame_ms`` as a client sends them (the last may be shorter)."""
    data = np.ascontiguousarray(pcm, dtype="<i2").tobytes()
    step = RATE * frame_ms // 1000 * 2
    return [data[i : i + step] for i in range(0, len(data), step)]
