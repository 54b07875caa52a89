"""Shared by the Rokid tests: a client aimed at a test sandbox, English speech for the ASR."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from desktop.config import sandbox_profile
from desktop.sandbox.server import SandboxThread
from desktop.services.rokid import RokidClient

WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def client(sb: SandboxThread, **settings: object) -> RokidClient:
    profile = sandbox_profile(port=sb.port)
    for name, value in settings.items():
        setattr(profile.rokid, name, value)
    return RokidClient(profile.rokid)


def english(text: str) -> npt.NDArray[np.int16]:
    """16 kHz speech from the sandbox engine's English voice (the Rokid declaimers are Mandarin)."""
    from desktop.sandbox.engines.tts import engine

    return engine().synthesize(text, "en", 16000)


def spoken_digits(digits: str, as_words: bool = True) -> npt.NDArray[np.int16]:
    return english(" ".join(WORDS[int(d)] for d in digits) if as_words else " ".join(digits))


def padded(pcm: npt.NDArray[np.int16], seconds: float, seed: int = 0) -> npt.NDArray[np.int16]:
    """``pcm`` in the middle of ``seconds`` of quiet room noise (about -60 dBFS)."""
    rng = np.random.default_rng(seed)
    total = int(seconds * 16000)
    out = rng.normal(0.0, 30.0, total)
    start = (total - pcm.size) // 2
    out[start : start + pcm.size] += pcm
    return np.clip(np.round(out), -32768, 32767).astype(np.int16)
