"""Error rates of a speaker-verification threshold, from target and impostor trial scores.

A trial is accepted when its score is at or above the threshold (as the sandbox decides).
FAR = impostor trials accepted / impostor trials; FRR = target trials rejected / target trials.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Scores = npt.NDArray[np.float64]

# The false-accept targets reported, with the keys the JSON output uses.
FAR_TARGETS: dict[str, float] = {"far_1%": 0.01, "far_0.1%": 0.001}


@dataclass(frozen=True)
class FarThreshold:
    threshold: float
    far: float  # measured at ``threshold`` on these trials
    frr: float
    # Fewer than 1/target impostor trials cannot show a rate that small: the threshold then only
    # rejects every impostor seen, and the rate it promises is unmeasured.
    measurable: bool


def far(impostor: Scores, threshold: float) -> float:
    return float(np.mean(impostor >= threshold)) if impostor.size else 0.0


def frr(target: Scores, threshold: float) -> float:
    return float(np.mean(target < threshold)) if target.size else 0.0


def equal_error(target: Scores, impostor: Scores) -> tuple[float, float]:
    """(EER, threshold at EER): the threshold among the observed scores where FAR and FRR are
    closest, and their mean there."""
    if target.size == 0 or impostor.size == 0:
        raise ValueError("both target and impostor trials are needed")
    candidates = np.unique(np.concatenate([target, impostor]))
    # Past the highest score everything is rejected: FAR 0, FRR 1.
    candidates = np.append(candidates, np.nextafter(candidates[-1], math.inf))
    tgt, imp = np.sort(target), np.sort(impostor)
    frrs = np.searchsorted(tgt, candidates, side="left") / tgt.size
    fars = 1.0 - np.searchsorted(imp, candidates, side="left") / imp.size
    best = int(np.argmin(np.abs(fars - frrs)))
    return float((fars[best] + frrs[best]) / 2), float(candidates[best])


def threshold_for_far(target: Scores, impostor: Scores, target_far: float) -> FarThreshold:
    """The lowest threshold whose FAR on these impostor trials is at most ``target_far``."""
    if impostor.size == 0:
        raise ValueError("impostor trials are needed")
    ranked = np.sort(impostor)[::-1]
    allowed = math.floor(target_far * ranked.size + 1e-9)  # impostors that may pass
    # Just above the first impostor that must be rejected (ties are rejected with it).
    threshold = float(ranked[-1] if allowed >= ranked.size else np.nextafter(ranked[allowed], math.inf))
    return FarThreshold(
        threshold=threshold,
        far=far(impostor, threshold),
        frr=frr(target, threshold),
        measurable=ranked.size * target_far >= 1.0,
    )


def det_curve(target: Scores, impostor: Scores) -> tuple[Scores, Scores]:
    """(FAR, FRR) at every observed score, for a DET plot."""
    candidates = np.unique(np.concatenate([target, impostor]))
    tgt, imp = np.sort(target), np.sort(impostor)
    frrs = np.searchsorted(tgt, candidates, side="left") / max(tgt.size, 1)
    fars = 1.0 - np.searchsorted(imp, candidates, side="left") / max(imp.size, 1)
    return fars.astype(np.float64), frrs.astype(np.float64)
