"""Self-test of the Rokid speech services, through the app's own Rokid client against the sandbox:
TTS returns decodable speech, and ASR hears English digits that eSpeak spoke."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.selftest import Check, CheckFailed, Env
from desktop.selftest.asr import WORDS
from desktop.selftest.libs import speak
from desktop.services.spoken_digits import digits_in

if TYPE_CHECKING:
    from desktop.services.rokid import RokidClient

TTS_TEXT = "声纹工作站自检"
ASR_DIGITS = "2718"


def _client(env: Env) -> RokidClient:
    from desktop.services.rokid import RokidClient

    assert env.profile is not None
    return RokidClient(env.profile.rokid)


def check_tts(env: Env) -> str:
    """Both decode paths a TTS reply can take: MP3 (miniaudio) and Opus (libopus)."""
    client = _client(env)
    lengths = []
    for codec in ("mp3", "opu"):
        audio = client.tts(TTS_TEXT, declaimer="zh", codec=codec)
        if audio.seconds < 0.3:
            raise CheckFailed(f"TTS ({codec}) answered {audio.seconds:.2f} s of audio: no speech")
        lengths.append(f"{codec} {len(audio)} bytes = {audio.seconds:.1f} s")
    return f"{TTS_TEXT!r} -> " + ", ".join(lengths)


def check_asr(env: Env) -> str:
    """English digits spoken by eSpeak, sent as Opus (encoded by the client through libopus)."""
    client = _client(env)
    pcm = speak(" ".join(WORDS[int(d)] for d in ASR_DIGITS), "en")
    result = client.asr(pcm, codec="opu")
    if digits_in(result.text) != ASR_DIGITS:
        raise CheckFailed(f"ASR heard {result.text!r} for {ASR_DIGITS!r}")
    return f"{ASR_DIGITS!r} spoken by eSpeak, {result.request_bytes} bytes of {result.codec} -> {result.text!r}"


CHECKS = [
    Check("rokid-tts", check_tts, needs=("sandbox",)),
    Check("rokid-asr", check_asr, needs=("sandbox", "espeak")),
]
