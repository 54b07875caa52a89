"""CPU cost of the GE2E speaker embedding: our numpy engine, and resemblyzer's torch original.

Run: ``.venv/bin/python tests/bench/bench_ge2e.py [--reps N]``

Prints, for eSpeak NG speech of several lengths, the median CPU seconds per second of audio of
``Ge2eEngine.embed`` (whole pipeline: volume, VAD trimming, mel, LSTM) with BLAS pinned to one
thread (goal: <= 0.02). Where torch, librosa and resemblyzer import (a throw-away venv, e.g.
``PYTHONPATH=. /tmp/torchenv/bin/python tests/bench/bench_ge2e.py``), the original runs in the
same process on the same audio with ``torch.set_num_threads(1)``, side by side, with the cosine
between the two embeddings.
"""

from __future__ import annotations

import os

# Before numpy loads: one BLAS/OpenMP thread, so that CPU seconds mean one core's work.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.sandbox.engines.ge2e import load_engine, weights_available  # noqa: E402
from tests.sandbox.speech import TEXTS, VOICES, synthesize  # noqa: E402

DURATIONS_S = (2.0, 4.0, 8.0, 16.0)


def cpu_median(fn: Callable[[], Any], reps: int) -> float:
    fn()  # warm caches and lazy loads outside the measurement
    times = []
    for _ in range(reps):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def torch_original() -> Callable[[np.ndarray], np.ndarray] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import torch
            from resemblyzer import VoiceEncoder, preprocess_wav
    except ImportError:
        return None
    torch.set_num_threads(1)
    encoder = VoiceEncoder("cpu", verbose=False)

    def embed(pcm: np.ndarray) -> np.ndarray:
        return np.asarray(encoder.embed_utterance(preprocess_wav(pcm.astype(np.float32) / 32768.0)))

    return embed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI)")
    args = parser.parse_args()
    if args.quick:
        args.reps = min(args.reps, 3)
    if not weights_available():
        print("resemblyzer's weights are not installed: uv pip install --no-deps -r requirements/nodeps.txt")
        return 1
    engine = load_engine()
    original = torch_original()
    speech = np.concatenate([synthesize(t, VOICES["bob"]) for t in TEXTS])
    from threadpoolctl import threadpool_info

    blas = [(i["internal_api"], i["num_threads"]) for i in threadpool_info()]
    print(f"BLAS pools: {blas}; reps per figure: {args.reps} (median CPU time)")
    header = f"{'audio s':>8} {'numpy s/s':>10}"
    if original is not None:
        header += f" {'torch s/s':>10} {'numpy/torch':>12} {'cosine':>9}"
    print(header)
    for seconds in DURATIONS_S:
        pcm = speech[: int(seconds * 16000)]
        ours = cpu_median(lambda pcm=pcm: engine.embed(pcm), args.reps) / seconds
        line = f"{seconds:8.1f} {ours:10.4f}"
        if original is not None:
            theirs = cpu_median(lambda pcm=pcm: original(pcm), args.reps) / seconds
            cosine = float(engine.embed(pcm) @ original(pcm))
            line += f" {theirs:10.4f} {ours / theirs:12.2f} {cosine:9.6f}"
        print(line)
    if original is None:
        print("(torch/resemblyzer not importable here: original not measured)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
