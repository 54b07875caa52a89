"""On-device speech synthesis for the sandbox: eSpeak NG through ctypes.

The library and its voice data come from the ``espeakng-loader`` wheel, so nothing has to be
installed on the machine. eSpeak keeps one global state per process (voice, parameters, the
synthesis callback), so every call goes through one lock; callers that must not block (the
sandbox's event loop) run ``synthesize`` in an executor.

Voices: the Rokid declaimers are Mandarin — ``zh`` (adult) is eSpeak's ``cmn`` voice, ``c1``
(child) the same language with a female variant at a raised pitch. ``en`` (US English) is not a
Rokid declaimer; tests and demos use it to make English audio for the English-only sandbox ASR.

Every synthesis runs on a freshly loaded copy of the library (load, initialise, speak, terminate,
unload: a few milliseconds). eSpeak carries state from one utterance to the next in C statics that
no API resets — the pitch-flutter phase (``Flutter_ix`` in wavegen.c, a function static that not
even ``espeak_Initialize`` touches), the noise generator of breathy and Klatt voices, the wave
generator's AGC and cycle counters — so with one long-lived instance the same text and voice gave
different samples (and lengths) depending on what had been spoken before in the process. Unloading
throws all of it away, and the noise generator, which ``espeak_Initialize`` seeds from the clock,
is seeded with a constant, so the audio depends only on the text, the voice and the rate. This holds
while this module is the only one in the process that loads the library (a second loader would
keep it resident across our unload).
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Pcm = npt.NDArray[np.int16]

_AUDIO_OUTPUT_SYNCHRONOUS = 2  # synthesise in the calling thread, samples through the callback
_INITIALIZE_DONT_EXIT = 0x8000  # report errors instead of calling exit()
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_PARAM_RATE, _PARAM_PITCH, _PARAM_RANGE = 1, 3, 4
_RAND_SEED = 1  # any constant: the same noise for the same text and voice

_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


@dataclass(frozen=True)
class Voice:
    name: str  # eSpeak voice name, optionally with "+variant"
    pitch: int = 50  # 0-100, eSpeak's default is 50
    pitch_range: int = 50
    words_per_minute: int = 165


VOICES: dict[str, Voice] = {
    "zh": Voice("cmn", pitch=45),
    "c1": Voice("cmn+f4", pitch=85, pitch_range=70, words_per_minute=150),
    # klatt4 at 160 wpm: of the eSpeak English voices tried, the one pocketsphinx reads best
    # (digit strings: 16/20 read right vs 1/20 with the plain en-us voice, before any tuning).
    "en": Voice("en-us+klatt4", words_per_minute=160),
}


class TtsEngineError(RuntimeError):
    """eSpeak could not be loaded or refused a voice or a text."""


class EspeakTts:
    """eSpeak NG behind one process-wide lock, a fresh library instance per synthesis (see the
    module docstring)."""

    def __init__(self) -> None:
        import espeakng_loader

        self._path = espeakng_loader.get_library_path()
        self._data_parent = espeakng_loader.get_data_path().encode()
        self._chunks: list[bytes] = []
        # Kept on self: ctypes must hold the callback for as long as C may call it.
        self._callback = _SynthCallback(self._on_samples)
        self.rate = 0
        with self._instance():  # fail now, not at the first request, if eSpeak cannot load
            pass

    @contextmanager
    def _instance(self) -> Iterator[ctypes.CDLL]:
        """A just-loaded, initialised eSpeak; unloaded afterwards so that none of its state
        outlives the caller's synthesis."""
        try:
            lib = ctypes.CDLL(self._path)
        except OSError as exc:
            raise TtsEngineError(f"cannot load eSpeak NG: {exc}") from exc
        try:
            _declare(lib)
            rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, self._data_parent, _INITIALIZE_DONT_EXIT)
            if rate <= 0:
                raise TtsEngineError(f"eSpeak NG failed to initialise (code {rate})")
            self.rate = int(rate)  # 22,050 Hz for every eSpeak voice
            try:
                # Initialising seeds the noise of breathy voices (en+f2 ...) from time(NULL).
                lib.espeak_ng_SetRandSeed(_RAND_SEED)
                lib.espeak_SetSynthCallback(self._callback)
                yield lib
            finally:
                lib.espeak_Terminate()
        finally:
            _unload(lib)

    def _on_samples(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: object) -> int:
        if count > 0 and wav:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0  # 0 = go on

    def synthesize(self, text: str, voice: str = "zh", rate: int | None = None) -> Pcm:
        """Mono int16 speech for ``text`` at ``rate`` (default: eSpeak's own 22,050 Hz)."""
        spec = VOICES.get(voice)
        if spec is None:
            raise TtsEngineError(f"unknown voice {voice!r}; known: {', '.join(VOICES)}")
        data = text.encode("utf-8") + b"\0"
        with _LOCK, self._instance() as lib:
            if lib.espeak_SetVoiceByName(spec.name.encode()) != 0:
                raise TtsEngineError(f"eSpeak NG has no voice {spec.name!r}")
            lib.espeak_SetParameter(_PARAM_RATE, spec.words_per_minute, 0)
            lib.espeak_SetParameter(_PARAM_PITCH, spec.pitch, 0)
            lib.espeak_SetParameter(_PARAM_RANGE, spec.pitch_range, 0)
            self._chunks = []
            status = lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            lib.espeak_Synchronize()
            raw = b"".join(self._chunks)
            self._chunks = []
        if status != 0:
            raise TtsEngineError(f"eSpeak NG could not synthesise the text (code {status})")
        pcm = np.frombuffer(raw, dtype="<i2").astype(np.int16)
        return resample(pcm, self.rate, rate) if rate and rate != self.rate else pcm


def _declare(lib: ctypes.CDLL) -> None:
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
    lib.espeak_SetSynthCallback.restype = None
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_SetParameter.restype = ctypes.c_int
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.POINTER(ctypes.c_uint),
        ctypes.c_void_p,
    ]
    lib.espeak_Synth.restype = ctypes.c_int
    lib.espeak_Synchronize.restype = ctypes.c_int
    lib.espeak_Terminate.restype = ctypes.c_int
    lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
    lib.espeak_ng_SetRandSeed.restype = ctypes.c_int


def _unload(lib: ctypes.CDLL) -> None:
    """Drop our reference to the library; the loader unmaps it (statics and all) at zero."""
    import _ctypes

    _ctypes.dlclose(lib._handle)  # the sandbox runs on Linux


def resample(pcm: Pcm, src: int, dst: int) -> Pcm:
    """int16 -> int16 at another rate (soxr, high quality)."""
    import soxr

    out = soxr.resample(pcm.astype(np.float32) / 32768.0, src, dst, quality="HQ")
    return np.asarray(np.clip(np.round(out * 32768.0), -32768, 32767), dtype=np.int16)


_LOCK = threading.Lock()
_engine: EspeakTts | None = None


def engine() -> EspeakTts:
    """The shared engine, loaded on first use (loading takes a moment and a few MB)."""
    global _engine
    with _LOCK:
        if _engine is None:
            _engine = EspeakTts()
        return _engine
