"""Accuracy of the sandbox's spoken-digit reader on eSpeak NG English digit strings.

Run: ``.venv/bin/python tests/bench/bench_digits.py [--per-voice N] [--seed S] [--length N]``

Random strings of 4-8 digits (``--length 8``: all eight, as the app's prompts), read by several
eSpeak voices, half with pauses between digits (commas), half fluently. Prints, side by side, the
share of strings read exactly right by:
``free``  -- one grammar of one or more digits (``read_digits``: a sandbox told no prompt length);
``best length`` -- one fixed-length grammar per length 4-8, the best-scoring hypothesis kept;
``known length`` -- the fixed-length grammar of the true length (``read_fixed``);
``expected`` -- the true length or any other number, in one grammar (``read_expected``);
``ps alone`` -- known length, pocketsphinx's labels without the digit head (digit_head.py);
``sandbox`` -- what the sandbox does with ``SandboxConfig.digit_length`` (8, the app's prompt
length): ``read_expected(pcm, 8)`` whatever the string's length, so with ``--length 0`` the
strings of 4-7 digits show that another prompt length is still read.
Then the same on the neural test voices' English takes (``tests/data/voices``, Kokoro), and the
share within one digit of the truth (what a client comparing with one digit of tolerance accepts).
Synthetic voices are harder for pocketsphinx's acoustic model than people are.
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.sandbox.engines import digit_head
from desktop.sandbox.engines.digits import WORDS, DigitReader
from desktop.sandbox.server import SandboxConfig
from tests import voices
from tests.sandbox.speech import Voice, synthesize

SANDBOX_LENGTH = SandboxConfig().digit_length

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
    parser.add_argument("--length", type=int, default=0, help="digits per string (0: 4-8 at random)")
    parser.add_argument("--neural", type=Path, default=voices.DATA, help="neural voice set (manifest.json)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI)")
    args = parser.parse_args()
    if args.quick:
        args.per_voice = min(args.per_voice, 2)
    rng = random.Random(args.seed)
    reader = DigitReader()
    alone = DigitReader(head=False)
    print("digit head:", "on" if digit_head.load() else "absent (pocketsphinx alone)")
    totals = {"free": 0, "best length": 0, "known length": 0, "expected": 0, "sandbox": 0, "ps alone": 0}
    cpu = dict.fromkeys(("free", "known length", "sandbox"), 0.0)
    near = count = 0
    print(f"{'voice':<24} " + " ".join(f"{k:>12}" for k in totals))
    for voice in VOICES:
        hits = dict.fromkeys(totals, 0)
        for i in range(args.per_voice):
            truth = "".join(rng.choice("0123456789") for _ in range(args.length or rng.randint(4, 8)))
            sep = ", " if i % 2 == 0 else " "
            pcm = synthesize(sep.join(WORDS[int(c)] for c in truth), voice)
            heard = {}
            n_digits = len(truth)
            for key, read in (
                ("free", reader.read_digits),
                ("known length", functools.partial(reader.read_fixed, length=n_digits)),
                ("sandbox", functools.partial(reader.read_expected, length=SANDBOX_LENGTH)),
            ):
                start = time.process_time()
                heard[key] = read(pcm)
                cpu[key] += time.process_time() - start
            heard["expected"] = reader.read_expected(pcm, len(truth))
            heard["ps alone"] = alone.read_fixed(pcm, len(truth))  # known length, without the head
            ranked = reader.readings(pcm)
            heard["best length"] = ranked[0].digits if ranked else ""
            for k in totals:
                hits[k] += heard[k] == truth
            near += within_one(heard["known length"], truth)
            count += 1
        for k in totals:
            totals[k] += hits[k]
        name = f"{voice.name} p{voice.pitch} r{voice.rate}"
        n = args.per_voice
        print(f"{name:<24} " + " ".join(f"{f'{hits[k]}/{n}':>12}" for k in totals))
    shares = "  ".join(f"{k}: {v / count:.0%}" for k, v in totals.items())
    per_read = ", ".join(f"{k} {v / count:.3f} s" for k, v in cpu.items())
    print(f"all {count} strings: {shares}; CPU per read: {per_read}; known length within one digit: {near / count:.0%}")
    neural(reader, alone, args.neural, 3 if args.quick else 0)
    return 0


def within_one(heard: str, truth: str) -> bool:
    return len(heard) == len(truth) and sum(a != b for a, b in zip(heard, truth, strict=True)) <= 1


def neural(reader: DigitReader, pocketsphinx: DigitReader, root: Path, limit: int) -> None:
    """The English takes of the neural test voices (Kokoro; all 8 digits), free and known length."""
    if not (root / "manifest.json").exists():
        print(f"no neural voice set at {root}")
        return
    # The evaluation voices only: the cohort's takes train the digit head (scripts/train_digit_head.py).
    clips = [c for c in voices.load_manifest(root) if c.lang == "en" and c.set == "eval"]
    if limit:
        clips = clips[:limit]
    free = fixed = expected = near = alone = 0
    for clip in clips:
        pcm = voices.read_pcm(clip.path)
        free += reader.read_digits(pcm) == clip.digits
        heard = reader.read_fixed(pcm, len(clip.digits))
        fixed += heard == clip.digits
        expected += reader.read_expected(pcm, len(clip.digits)) == clip.digits
        near += within_one(heard, clip.digits)
        alone += pocketsphinx.read_fixed(pcm, len(clip.digits)) == clip.digits
    n = len(clips)
    print(
        f"neural voices, {n} English takes of 8 digits: free {free / n:.0%}  known length {fixed / n:.0%}  "
        f"expected {expected / n:.0%}  known length within one digit {near / n:.0%}; "
        f"known length, pocketsphinx alone {alone / n:.0%}"
    )


if __name__ == "__main__":
    sys.exit(main())
