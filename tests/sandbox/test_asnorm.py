"""AS-norm (desktop/sandbox/engines/asnorm.py): the formula, its shapes, and what it is for."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.sandbox.engines import asnorm


def test_matches_the_formula_by_hand() -> None:
    model = np.array([0.1, 0.5, 0.3, 0.2])
    probe = np.array([0.4, 0.0, 0.6, 0.2])
    top_e, top_t = np.array([0.5, 0.3]), np.array([0.6, 0.4])
    expected = 0.5 * ((0.7 - top_e.mean()) / top_e.std() + (0.7 - top_t.mean()) / top_t.std())
    assert asnorm.as_norm(0.7, model, probe, top_n=2) == pytest.approx(expected)


def test_top_n_larger_than_the_cohort_uses_all_of_it() -> None:
    model, probe = np.array([0.1, 0.5, 0.3]), np.array([0.4, 0.0, 0.6])
    assert asnorm.as_norm(0.7, model, probe, top_n=100) == pytest.approx(asnorm.as_norm(0.7, model, probe, top_n=3))


def test_many_models_at_once_equal_one_at_a_time() -> None:
    rng = np.random.default_rng(1)
    raw, models, probe = rng.uniform(-1, 1, 5), rng.uniform(-1, 1, (5, 30)), rng.uniform(-1, 1, 30)
    together = asnorm.as_norm(raw, models, probe, top_n=10)
    assert together.shape == (5,)
    for i in range(5):
        assert together[i] == pytest.approx(float(asnorm.as_norm(raw[i], models[i], probe, top_n=10)))


def test_order_is_kept_for_one_probe_and_one_model_side() -> None:
    # With the same model statistics, normalisation is an increasing map of the raw score.
    models = np.tile(np.linspace(0.1, 0.6, 20), (3, 1))
    out = asnorm.as_norm(np.array([0.2, 0.5, 0.9]), models, np.linspace(0.0, 0.5, 20))
    assert np.all(np.diff(out) > 0)


def test_a_speaker_who_resembles_everyone_is_pulled_down() -> None:
    # Two models with the same raw score: the one whose cohort scores are high (a voice close to many
    # others) ends lower -- the reason AS-norm exists.
    cohort_probe = np.linspace(0.0, 0.4, 40)
    typical = np.linspace(0.0, 0.4, 40)
    crowded = np.linspace(0.4, 0.8, 40)
    out = asnorm.as_norm(np.array([0.75, 0.75]), np.stack([typical, crowded]), cohort_probe)
    assert out[0] > out[1]


def test_separates_better_when_scores_are_offset_per_speaker() -> None:
    # Synthetic trials: each model has its own offset added to all its scores (as some voices score high
    # against everyone). Raw scores then overlap; AS-norm removes the offset.
    rng = np.random.default_rng(7)
    offsets = rng.uniform(-0.3, 0.3, 8)
    cohort = offsets[:, None] + rng.normal(0.2, 0.05, (8, 50))
    target = offsets + rng.normal(0.7, 0.05, 8)
    impostor = offsets + rng.normal(0.3, 0.05, 8)
    probe_cohort = rng.normal(0.2, 0.05, 50)
    raw_gap = target.min() - impostor.max()
    normed_t = asnorm.as_norm(target, cohort, probe_cohort)
    normed_i = asnorm.as_norm(impostor, cohort, probe_cohort)
    assert raw_gap < 0  # the offsets make raw scores overlap
    assert normed_t.min() > normed_i.max()


def test_a_flat_cohort_does_not_divide_by_zero() -> None:
    out = asnorm.as_norm(0.5, np.full(10, 0.2), np.full(10, 0.2))
    assert np.isfinite(out)


@pytest.mark.parametrize(
    ("raw", "model", "probe"),
    [
        (0.5, np.zeros(3), np.zeros(4)),  # different cohorts
        (np.zeros(2), np.zeros((3, 4)), np.zeros(4)),  # 2 scores for 3 models
        (0.5, np.zeros(0), np.zeros(0)),  # empty cohort
        (0.5, np.array([0.1, np.nan]), np.zeros(2)),  # NaN in the cohort
        (np.nan, np.zeros(2), np.zeros(2)),  # NaN score
        (0.5, np.zeros(2), np.zeros((2, 2))),  # probe side not a vector
    ],
)
def test_mismatched_or_broken_input_is_refused(raw: object, model: np.ndarray, probe: np.ndarray) -> None:
    with pytest.raises(ValueError):
        asnorm.as_norm(raw, model, probe)  # type: ignore[arg-type]


def test_top_n_must_be_positive() -> None:
    with pytest.raises(ValueError):
        asnorm.top_stats(np.zeros(3), 0)


def test_cohort_scores_are_cosines_of_unit_vectors() -> None:
    cohort = np.eye(3, dtype=np.float32)
    assert asnorm.cohort_scores(np.array([0.0, 1.0, 0.0]), cohort).tolist() == [0.0, 1.0, 0.0]
    with pytest.raises(ValueError):
        asnorm.cohort_scores(np.zeros(4), cohort)
