"""eSpeak renders depend only on their arguments: not on what the process spoke before, nor on when.

Each render runs in a fresh interpreter so that the first one really is the first eSpeak synthesis
of its process (a test in the suite's own process would see whatever earlier tests rendered).
The clips are compared sample for sample: the speech cache is keyed by text and voice alone, and
a voiceprint score must not move with the order tests happen to run in.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Prints one SHA-256 per render: ("speech", name) is a voice of tests/sandbox/speech.py rendered
# past both caches; ("tts", name) a voice of the sandbox wrapper (the Rokid declaimers).
_RENDER = """
import hashlib, json, sys
from desktop.sandbox.engines import tts
from tests.sandbox import speech
out = []
for kind, name in json.loads(sys.argv[1]):
    if kind == "speech":
        pcm = speech._render(speech.TEXTS[0], speech.VOICES[name])
    else:
        pcm = tts.engine().synthesize("你好，今天的天气很好。", name)
    out.append(hashlib.sha256(pcm.tobytes()).hexdigest())
print(json.dumps(out))
"""


def _render(renders: list[tuple[str, str]]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _RENDER, json.dumps(renders)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    digests: list[str] = json.loads(done.stdout)
    return digests


def test_a_clip_is_the_same_first_in_a_process_and_after_other_voices() -> None:
    first = _render([("speech", "dave"), ("tts", "c1")])
    # Different voices, variants, pitches and rates in between, then the same two again, twice.
    later = _render(
        [
            *[("speech", "alice"), ("tts", "zh"), ("speech", "bob"), ("speech", "dave"), ("tts", "c1")],
            *[("speech", "carol"), ("tts", "en"), ("speech", "dave"), ("tts", "c1")],
        ]
    )
    assert later[3] == first[0] and later[7] == first[0], "dave's clip depends on earlier renders"
    assert later[4] == first[1] and later[8] == first[1], "the c1 declaimer depends on earlier renders"


def test_a_breathy_voice_is_the_same_in_another_second() -> None:
    # en+f2 ("alice") mixes in breath noise, which eSpeak seeds from the clock when it initialises.
    first = _render([("speech", "alice")])
    start = int(time.time())
    while int(time.time()) == start:  # at most a second: the next process sees another time()
        time.sleep(0.05)
    assert _render([("speech", "alice")]) == first
