"""Calibrate and measure the sandbox's simple speaker engine on synthetic eSpeak NG voices.

Run: ``.venv/bin/python tests/bench/calibrate_simple_engine.py [--constants]``

1. Background: the raw statistics of many eSpeak voices (not those the tests enrol) reading
   texts the evaluation does not use; their mean and spread are the engine's ``_BG_MEAN`` and
   ``_BG_STD`` (``--constants`` prints them as Python to paste into ``engines/simple.py``).
2. Evaluation with the engine as it is: each evaluation voice enrols on two texts and is probed
   with three others, against every enrolled voice. Prints same-voice and cross-voice score
   figures side by side, top-1 accuracy, the equal-error threshold, and the error rates at the
   engine's ``default_threshold``, plus the embedding time per second of audio.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.sandbox.engines.simple import SimpleEngine, raw_statistics
from tests.sandbox.speech import TEXTS, VOICES, Voice, speech, synthesize

BACKGROUND_TEXTS = (
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "She sells sea shells by the sea shore, and the shells she sells are surely seashells.",
    "We will meet at the railway station at half past nine on Monday morning.",
)
BACKGROUND_VARIANTS = [
    "m5", "m6", "m8", "Alex", "Alicia", "Andrea", "Denis", "Gene", "Hugo", "Jacky", "Lee", "Michael",
    "aunty", "belinda", "benjamin", "boris", "edward", "grandma", "grandpa", "ian", "john", "max",
    "norbert", "paul", "robert", "steph", "victor", "zac", "shelby",
]  # fmt: skip
# The tests' voices plus near neighbours that make the task hard (same variant, other pitch).
EXTRA_EVAL = {
    "m7": Voice("en+m7"), "us-f3": Voice("en-us+f3", pitch=45), "m2": Voice("en+m2", pitch=45),
    "f5": Voice("en+f5"), "m4": Voice("en+m4", pitch=55), "andy": Voice("en+Andy"),
    "annie": Voice("en+Annie"), "david": Voice("en+david"), "linda": Voice("en+linda"),
    "bob-high": Voice("en+m3", pitch=55), "alice-low": Voice("en+f2", pitch=40),
}  # fmt: skip


def background() -> tuple[np.ndarray, np.ndarray]:
    rows = [
        raw_statistics(synthesize(text, Voice("en+" + variant, pitch=pitch)))
        for variant in BACKGROUND_VARIANTS
        for pitch in (40, 60)
        for text in BACKGROUND_TEXTS
    ]
    table = np.array(rows)
    return table.mean(axis=0), table.std(axis=0)


def _fmt(values: np.ndarray) -> str:
    return ", ".join(f"{v:.4g}" for v in values)


def evaluate() -> None:
    engine = SimpleEngine()
    voices = {**VOICES, **EXTRA_EVAL}
    refs = {}
    for name, voice in voices.items():
        enrol = np.concatenate([synthesize(TEXTS[0], voice), synthesize(TEXTS[1], voice)])
        refs[name] = engine.embed(enrol)
    same, cross, hits, trials = [], [], 0, 0
    for name, voice in voices.items():
        for t in (3, 4, 5):
            probe = engine.embed(synthesize(TEXTS[t], voice))
            scores = {other: engine.score(probe, [ref]) for other, ref in refs.items()}
            same.append(scores[name])
            cross += [s for other, s in scores.items() if other != name]
            hits += int(max(scores, key=lambda k: scores[k]) == name)
            trials += 1
    s, c = np.array(same), np.array(cross)
    grid = np.linspace(-1, 1, 2001)
    far = np.array([(c >= t).mean() for t in grid])
    frr = np.array([(s < t).mean() for t in grid])
    i = int(np.argmin(np.abs(far - frr)))
    th = engine.default_threshold
    print(f"voices {len(voices)}, probes {trials} (enrol 2 texts, probe 1 text each)")
    print(f"{'':14s}{'min':>8s}{'p5':>8s}{'median':>8s}{'p95':>8s}{'max':>8s}")
    for label, arr in (("same-voice", s), ("cross-voice", c)):
        pct = np.percentile(arr, [5, 50, 95])
        print(f"{label:14s}{arr.min():8.3f}{pct[0]:8.3f}{pct[1]:8.3f}{pct[2]:8.3f}{arr.max():8.3f}")
    print(f"top-1 {hits}/{trials}; equal error {(far[i] + frr[i]) / 2:.3f} at {grid[i]:.3f}")
    print(f"at default_threshold {th:.2f}: false accept {(c >= th).mean():.3f}, false reject {(s < th).mean():.3f}")
    test_voices = list(VOICES)
    tc = [engine.score(refs[a], [refs[b]]) for a in test_voices for b in test_voices if a != b]
    print(f"test voices' enrolments against each other: max cross {max(tc):.3f}")
    pcm = speech("bob", 0, 1, 2)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        engine.embed(pcm)
        runs.append(time.perf_counter() - t0)
    print(f"embed: median {1000 * np.median(runs) / (len(pcm) / 16000):.2f} ms per second of audio")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--constants", action="store_true", help="print background constants")
    args = parser.parse_args()
    if args.constants:
        mean, std = background()
        print(f"_BG_MEAN = np.array([{_fmt(mean)}])")
        print(f"_BG_STD = np.array([{_fmt(std)}])")
    evaluate()


if __name__ == "__main__":
    main()
