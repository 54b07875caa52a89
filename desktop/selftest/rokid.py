"""Self-test of the Rokid speech services, through the app's own Rokid client against the sandbox:
TTS returns decodable speech, and ASR hears English digits that eSpeak spoke."""

from __future__ import annotations

from desktop.selftest import Check, CheckFailed, Env
from desktop.selftest.asr import WORDS
from desktop.selftest.libs import speak

TTS_TEXT = "声纹工作站自检"
ASR_DIGITS = "2718"


def _client(env: Env) -> object:
    from desktop.services.rokid import RokidClient  # type: ignore[import-not-found,unused-ignore]

    assert env.profile is not None
    return RokidClient(env.profile.rokid)


def check_tts(env: Env) -> str:
    client = _client(env)
    audio = client.tts(TTS_TEXT, declaimer="zh", codec="pcm")  # type: ignore[attr-defined]
    seconds = len(audio) / 2 / 24_000  # TTS pcm is s16le mono 24 kHz
    if seconds < 0.3:
        raise CheckFailed(f"TTS answered {len(audio)} bytes: no speech")
    return f"{TTS_TEXT!r} -> {seconds:.1f} s of 24 kHz PCM"


def check_asr(env: Env) -> str:
    client = _client(env)
    pcm = speak(" ".join(WORDS[int(d)] for d in ASR_DIGITS), "en")
    text = client.asr(pcm.tobytes(), lang="en", codec="pcm")  # type: ignore[attr-defined]
    heard = "".join(str(WORDS.index(w)) for w in str(text).lower().split() if w in WORDS) or str(text)
    if heard != ASR_DIGITS:
        raise CheckFailed(f"ASR heard {text!r} for {ASR_DIGITS!r}")
    return f"{ASR_DIGITS!r} spoken by eSpeak -> {text!r}"


CHECKS = [
    Check("rokid-tts", check_tts, needs=("sandbox",)),
    Check("rokid-asr", check_asr, needs=("sandbox", "espeak")),
]
