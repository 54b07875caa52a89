"""Adaptive score normalisation (AS-norm) of speaker-verification scores: pure functions, no state.

A raw cosine score means different things for different speakers and languages: some voices sit
close to many others, and a probe in another language scores lower against everyone. AS-norm
rescales a raw score ``s`` between an enrolled model ``e`` and a probe ``t`` by how each of them
scores against a *cohort* of other voices, keeping only the ``top_n`` closest cohort members
(Matějka et al., Interspeech 2017; Cumani et al., 2011):

    s' = ((s - mean_e) / std_e + (s - mean_t) / std_t) / 2

where ``mean_e, std_e`` are the mean and standard deviation of the ``top_n`` highest scores of
``e`` against the cohort, likewise ``mean_t, std_t`` for ``t``. The result is in "standard
deviations above the closest impostors", not a cosine: a threshold on it is not a cosine threshold.

The cohort must not contain the voices being verified (else a genuine speaker's own cohort entry
pushes their score down). Model-side cohort scores can be computed once per enrolled speaker and
kept; the probe side costs one matrix product per verification.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

DEFAULT_TOP_N = 20
# A cohort whose top scores are all equal (a degenerate cohort) would divide by zero: below this
# spread the statistics are treated as this spread.
_MIN_STD = 1e-3


def top_stats(cohort_scores: npt.ArrayLike, top_n: int = DEFAULT_TOP_N) -> tuple[Array, Array]:
    """(mean, std) of the ``top_n`` highest scores along the last axis of ``cohort_scores``.

    ``cohort_scores`` is (C,) for one side or (S, C) for S models; ``top_n`` larger than C uses all.
    """
    scores = np.asarray(cohort_scores, dtype=np.float64)
    if scores.ndim not in (1, 2) or scores.shape[-1] == 0:
        raise ValueError(f"cohort scores must be (C,) or (S, C) with C > 0, not {scores.shape}")
    if not np.all(np.isfinite(scores)):
        raise ValueError("cohort scores must be finite")
    if top_n < 1:
        raise ValueError("top_n must be at least 1")
    n = min(top_n, scores.shape[-1])
    # partition: the n highest along the last axis, in no particular order (O(C), not a sort).
    top = np.partition(scores, scores.shape[-1] - n, axis=-1)[..., scores.shape[-1] - n :]
    return top.mean(axis=-1), np.maximum(top.std(axis=-1), _MIN_STD)


def as_norm(
    raw: npt.ArrayLike,
    model_cohort: npt.ArrayLike,
    probe_cohort: npt.ArrayLike,
    top_n: int = DEFAULT_TOP_N,
) -> Array:
    """AS-norm of raw scores.

    ``raw``: (S,) scores of one probe against S enrolled models (or a scalar for one model).
    ``model_cohort``: (S, C) scores of each model against the C cohort members (or (C,) for one).
    ``probe_cohort``: (C,) scores of the probe against the same cohort members.
    Returns the normalised scores, shaped like ``raw``.
    """
    raw_arr = np.asarray(raw, dtype=np.float64)
    model = np.asarray(model_cohort, dtype=np.float64)
    if model.ndim == 1:
        model = model[np.newaxis, :]
    probe = np.asarray(probe_cohort, dtype=np.float64)
    if probe.ndim != 1:
        raise ValueError(f"probe cohort scores must be (C,), not {probe.shape}")
    if model.shape[-1] != probe.shape[0]:
        raise ValueError(f"models and probe scored against different cohorts: {model.shape[-1]} vs {probe.shape[0]}")
    flat = raw_arr.reshape(-1)
    if flat.shape[0] != model.shape[0]:
        raise ValueError(f"{flat.shape[0]} raw scores for {model.shape[0]} models")
    if not np.all(np.isfinite(flat)):
        raise ValueError("raw scores must be finite")
    mean_e, std_e = top_stats(model, top_n)
    mean_t, std_t = top_stats(probe, top_n)
    normed = 0.5 * ((flat - mean_e) / std_e + (flat - mean_t) / std_t)
    return normed.reshape(raw_arr.shape)


def cohort_scores(embedding: npt.ArrayLike, cohort: npt.ArrayLike) -> Array:
    """Cosine scores of one unit embedding (D,) against a cohort matrix (C, D) of unit embeddings."""
    emb = np.asarray(embedding, dtype=np.float32)
    mat = np.asarray(cohort, dtype=np.float32)
    if mat.ndim != 2 or emb.shape != (mat.shape[1],):
        raise ValueError(f"embedding {emb.shape} does not fit cohort {mat.shape}")
    return (mat @ emb).astype(np.float64)
