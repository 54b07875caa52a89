"""How an engine's default accept threshold was set: the measurement behind the number.

The Calibration panel shows it next to the engine, so that an operator sees what the default rests
on (synthetic voices) before trusting it. Figures from ``tests/bench/bench_engines.py`` on the
committed neural test voices (``tests/data/voices``, scripts/make_test_voices.py); a test checks
that each engine's ``DEFAULT_THRESHOLD`` is the one recorded here. Free of heavy imports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ThresholdBasis:
    threshold: float  # the engine's default (raw cosine score, top-2 mean over the enrolment takes)
    far_target: float  # the false-accept rate the threshold was chosen for
    far: float  # measured at the threshold on the data set
    frr: float  # false rejects measured at the threshold
    eer: float  # equal error rate on the same trials
    speakers: int  # synthetic speakers in the data set
    trials: int
    data_set: str  # what the trials were (English, for logs; the panel words it itself)


NEURAL_DIGITS = (
    "tests/data/voices: 15 Kokoro-82M voices (5 shipped on PyPI + their 10 50/50 blends), 8-digit strings "
    "in English and Mandarin, 2 enrolment takes per language, English, Mandarin and cross-language trials pooled"
)

BASES: dict[str, ThresholdBasis] = {
    # bench_engines.py, "campp raw mixed": 120 genuine and 1680 impostor trials; its FAR-1 % point
    # is 0.694 (FAR 0.95 %), 0.69 rounded (measured at 0.69 below). Remeasured after seven spoilt
    # clips were made again (was EER 30.8 %, FRR 93.3 %, FAR 0.89 %).
    "campp": ThresholdBasis(
        threshold=0.69,
        far_target=0.01,
        far=0.0113,
        frr=0.917,
        eer=0.260,
        speakers=15,
        trials=1800,
        data_set=NEURAL_DIGITS,
    ),
}
