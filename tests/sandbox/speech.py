"""Synthetic speech for tests: eSpeak NG voices rendered to 16 kHz mono int16 numpy arrays.

eSpeak NG (shipped by ``espeakng-loader``: the library plus its data) gives us many distinct,
reproducible "speakers" without recordings in the tree. A voice is a language plus an optional
variant (``"en+m3"``, ``"en+f2"``); pitch and rate shift it further. Rendering is cached twice:
in memory (``lru_cache``) and as ``.npy`` files in a temporary directory shared by test runs
(``VPW_SPEECH_CACHE`` overrides where), so a suite that reuses phrases pays for each once.

Usage::

    from tests.sandbox.speech import Voice, synthesize
    pcm = synthesize("the quick brown fox", Voice("en+m3", pitch=40))

eSpeak keeps global state in the C library, so every call goes through one lock.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soxr

RATE = 16_000
CACHE_VERSION = "1"

# espeak_ng API constants (speak_lib.h); ctypes has no header to read them from.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PARAM_RATE = 1
_PARAM_VOLUME = 2
_PARAM_PITCH = 3
_PARAM_RANGE = 4
_EE_OK = 0

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


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


class _Engine:
    """The process-wide eSpeak NG instance (initialised once, used under a lock)."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lock = threading.Lock()
        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data = espeakng_loader.get_data_path().encode()
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0)
        if rate <= 0:
            # Some builds want the directory that *contains* espeak-ng-data.
            rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, str(Path(data.decode()).parent).encode(), 0)
        if rate <= 0:
            raise RuntimeError("eSpeak NG failed to initialise")
        self.rate = rate
        self.chunks: list[npt.NDArray[np.int16]] = []
        # Kept on self: ctypes frees a callback whose Python object is collected, and eSpeak would crash.
        self._callback = _CALLBACK(self._on_audio)
        self.lib.espeak_SetSynthCallback(self._callback)
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip

    def _on_audio(self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: int) -> int:
        if count > 0 and wav:
            self.chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).astype(np.int16, copy=True))
        return 0  # 0 = continue synthesis

    def render(self, text: str, voice: Voice) -> npt.NDArray[np.int16]:
        with self.lock:
            if self.lib.espeak_SetVoiceByName(voice.name.encode()) != _EE_OK:
                raise ValueError(f"unknown eSpeak voice: {voice.name}")
            for param, value in (
                (_PARAM_RATE, voice.rate),
                (_PARAM_PITCH, voice.pitch),
                (_PARAM_RANGE, voice.pitch_range),
                (_PARAM_VOLUME, 100),
            ):
                self.lib.espeak_SetParameter(param, value, 0)
            self.chunks = []
            buf = ctypes.create_string_buffer(text.encode("utf-8"))
            err = self.lib.espeak_Synth(buf, len(buf), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            if err != _EE_OK:
                raise RuntimeError(f"eSpeak NG synthesis failed ({err})")
            self.lib.espeak_Synchronize()
            chunks, self.chunks = self.chunks, []
        return np.concatenate(chunks) if chunks else np.zeros(0, np.int16)


@functools.cache
def _engine() -> _Engine:
    return _Engine()


def _cache_dir() -> Path:
    path = Path(os.environ.get("VPW_SPEECH_CACHE") or Path(tempfile.gettempdir()) / "vpw-speech-cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _resample(pcm: npt.NDArray[np.int16], rate: int) -> npt.NDArray[np.int16]:
    if rate == RATE:
        return pcm
    out = soxr.resample(pcm.astype(np.float32) / 32768.0, rate, RATE, quality="HQ")
    return np.clip(np.round(out * 32768.0), -32768, 32767).astype(np.int16)


@functools.lru_cache(maxsize=256)
def synthesize(text: str, voice: Voice = Voice()) -> npt.NDArray[np.int16]:
    """``text`` spoken by ``voice`` as 16 kHz mono int16 (read-only: copy before changing it)."""
    key = hashlib.sha256(repr((CACHE_VERSION, text, voice)).encode()).hexdigest()[:32]
    path = _cache_dir() / f"{key}.npy"
    pcm: npt.NDArray[np.int16]
    try:
        pcm = np.load(path)
    except (OSError, ValueError):
        engine = _engine()
        pcm = _resample(engine.render(text, voice), engine.rate)
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
