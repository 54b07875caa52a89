"""Speaker engines side by side on neural TTS voices reading digits in English and Mandarin.

Run: ``.venv/bin/python tests/bench/bench_engines.py [--data DIR] [--engines campp,ge2e] [--quick]``

The voices are the committed set ``tests/data/voices`` (scripts/make_test_voices.py: Kokoro-82M
with the five voice packs shipped on PyPI and their 50/50 blends; 8-digit strings). Each speaker is
enrolled per language with two takes; every other take is a probe. Printed per engine, for English-
only, Mandarin-only, cross-language (enrolled in one, verified in the other) and mixed (all pooled)
trials: EER and FRR at FAR 1 %, raw cosine scores and AS-norm'd ones (``engines/asnorm.py``) against
two cohorts that share no voice with the evaluation set: other Kokoro mixtures (``cohort`` set) and
eSpeak NG voices. Last, whether one threshold holds: the mixed set's FAR-1 % threshold applied to
each language alone. ``--quick`` (CI): the first 5 speakers and one engine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from desktop.calibrate.metrics import equal_error, threshold_for_far  # noqa: E402
from desktop.sandbox.engines import registry  # noqa: E402
from desktop.sandbox.engines.base import SpeakerEngine  # noqa: E402
from tests import voices  # noqa: E402

ZH_DIGITS = "零一二三四五六七八九"
EN_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
FAR_TARGET = 0.01


def espeak_cohort(engine: SpeakerEngine, per_lang: int = 12) -> np.ndarray:
    """Embeddings of eSpeak NG voices (en and cmn variants) reading digit strings: a cohort made of
    another synthesiser entirely, so it cannot share a voice with the Kokoro set."""
    import random

    from tests.sandbox.speech import Voice, synthesize

    rng = random.Random(5)
    rows = []
    variants = ("m1", "m2", "m3", "m4", "f1", "f2", "f3", "f4")
    for lang in ("en", "cmn"):
        for k in range(per_lang):
            variant = variants[k % len(variants)]
            voice = Voice(f"{lang}+{variant}", pitch=rng.randint(30, 70), rate=rng.randint(130, 180))
            digits = [int(d) for d in rng.choices("0123456789", k=8)]
            text = " ".join(EN_WORDS[d] for d in digits) if lang == "en" else "，".join(ZH_DIGITS[d] for d in digits)
            rows.append(engine.embed(synthesize(text, voice)))
    return np.stack(rows).astype(np.float32)


def engines_wanted(spec: str | None, quick: bool) -> list[SpeakerEngine]:
    names = spec.split(",") if spec else [n for n in ("campp", "ge2e") if n in registry.engine_names()]
    out = []
    for name in names:
        try:
            engine = registry.get_engine(name)
        except ValueError as exc:
            print(f"skipped {name}: {exc}")
            continue
        if engine.name != name:
            print(f"skipped {name}: not installed (the registry fell back to {engine.name})")
            continue
        out.append(engine)
    if not out:
        out = [registry.get_engine("simple")]
    return out[:1] if quick else out


def describe(trials: voices.Trials) -> tuple[float, float, float, bool]:
    eer, _ = equal_error(trials.target, trials.impostor)
    at = threshold_for_far(trials.target, trials.impostor, FAR_TARGET)
    return eer, at.frr, at.threshold, at.measurable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=voices.DATA)
    parser.add_argument("--engines", help="comma-separated (default: campp and ge2e where installed)")
    parser.add_argument("--top-n", type=int, default=voices.asnorm.DEFAULT_TOP_N)
    parser.add_argument("--no-espeak", action="store_true", help="skip the eSpeak cohort")
    parser.add_argument("--quick", action="store_true", help="5 speakers, one engine (CI)")
    args = parser.parse_args()

    clips = voices.load_manifest(args.data)
    if args.quick:
        keep = sorted({c.speaker for c in clips if c.set == "eval"})[:5]
        clips = [c for c in clips if c.set == "cohort" or c.speaker in keep]
    speakers = sorted({c.speaker for c in clips if c.set == "eval"})
    cohort_speakers = sorted({c.speaker for c in clips if c.set == "cohort"})
    assert not set(speakers) & set(cohort_speakers), "a cohort voice is in the evaluation set"
    print(
        f"data: {args.data} - {len(speakers)} evaluation speakers, {len(cohort_speakers)} cohort voices, "
        f"{len(clips)} clips; {voices.ENROL_TAKES} enrolment takes per language; FAR target {FAR_TARGET:.0%}"
    )

    rows: list[tuple[str, str, str, tuple[float, float, float, bool]]] = []
    holds: list[str] = []
    for engine in engines_wanted(args.engines, args.quick):
        start = time.process_time()
        emb = voices.embed_all(engine, clips)
        models, probes = voices.models_and_probes(clips, emb)
        cohorts: dict[str, np.ndarray | None] = {"raw": None, "AS-norm kokoro": voices.cohort_matrix(clips, emb)}
        if not args.no_espeak and not args.quick:
            cohorts["AS-norm espeak"] = espeak_cohort(engine)
        for norm, cohort in cohorts.items():
            trials = voices.score_trials(models, probes, engine.score, cohort, args.top_n)
            for cond in voices.CONDITIONS:
                rows.append((engine.name, norm, cond, describe(trials[cond])))
            mixed_threshold = describe(trials["mixed"])[2]
            parts = []
            for cond in ("en", "zh", "cross"):
                t = trials[cond]
                far = float(np.mean(t.impostor >= mixed_threshold))
                frr = float(np.mean(t.target < mixed_threshold))
                parts.append(f"{cond} FAR {far:6.2%} FRR {frr:6.2%}")
            holds.append(f"{engine.name:6s} {norm:15s} threshold {mixed_threshold:7.3f}: " + "  ".join(parts))
        print(f"{engine.name}: {len(models)} models, {len(probes)} probes, {time.process_time() - start:.1f} CPU-s")

    print(f"\n{'engine':6s} {'scores':15s} {'trials':6s} {'EER':>7s} {'FRR@FAR1%':>10s} {'threshold':>10s}")
    for name, norm, cond, (eer, frr, thr, measurable) in rows:
        note = "" if measurable else "  (too few impostors for 1 %)"
        print(f"{name:6s} {norm:15s} {cond:6s} {eer:7.2%} {frr:10.2%} {thr:10.3f}{note}")
    print("\none threshold for all (the mixed set's FAR-1 % threshold, applied per language):")
    for line in holds:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
