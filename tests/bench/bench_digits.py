"""Accuracy of the sandbox's spoken-digit reader on eSpeak NG English digit strings.

Run: ``.venv/bin/python tests/bench/bench_digits.py [--per-voice N] [--seed S]``

Random strings of 4-8 digits, read by several eSpeak voices, half with pauses between digits
(commas), half fluently. Prints, side by side, the share of strings read exactly right by:
``free``  -- what the sandbox uses: one grammar of one or more digits (``read_digits``);
``best length`` -- one fixed-length grammar per length 4-8, the best-scoring hypothesis kept;
``known length`` -- the fixed-length grammar of the true length (not possible on the wire: the
protocol never says how many digits were shown), as an upper reference.
Synthetic voices are harder for pocketsphinx's acoustic model than people are.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.sandbox.engines.digits import WORDS, DigitReader
from tests.sandbox.speech import Voice, synthesize

VOICES = (
    Voice("en-us"),
    Voice("en+f2", pitch=55),
    Voice("en+m1"),
    Voice("en+m3", pitch=35),
    Voice("en+f4", pitch=65),
    Voice("en-us", rate=130),
    Voice("en+f1"),
    Voice("en+m2"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-voice", type=int, default=6)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI)")
    args = parser.parse_args()
    if args.quick:
        args.per_voice = min(args.per_voice, 2)
    rng = random.Random(args.seed)
    reader = DigitReader()
    totals = {"free": 0, "best length": 0, "known length": 0}
    cpu_free = 0.0
    count = 0
    print(f"{'voice':<24} {'free':>6} {'best length':>12} {'known length':>13}")
    for voice in VOICES:
        hits = dict.fromkeys(totals, 0)
        for i in range(args.per_voice):
            truth = "".join(rng.choice("0123456789") for _ in range(rng.randint(4, 8)))
            sep = ", " if i % 2 == 0 else " "
            pcm = synthesize(sep.join(WORDS[int(c)] for c in truth), voice)
            start = time.process_time()
            free = reader.read_digits(pcm)
            cpu_free += time.process_time() - start
            ranked = reader.readings(pcm)
            hits["free"] += free == truth
            hits["best length"] += bool(ranked) and ranked[0].digits == truth
            hits["known length"] += reader.read_fixed(pcm, len(truth)) == truth
            count += 1
        for k in totals:
            totals[k] += hits[k]
        name = f"{voice.name} p{voice.pitch} r{voice.rate}"
        n = args.per_voice
        print(f"{name:<24} {hits['free']:>4}/{n} {hits['best length']:>10}/{n} {hits['known length']:>11}/{n}")
    shares = "  ".join(f"{k}: {v / count:.0%}" for k, v in totals.items())
    print(f"all {count} strings: {shares}; CPU per free read: {cpu_free / count:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
