"""The 1:N search returns exactly the brute-force top 3: the int8 stage only narrows the field.

The brute force here scores every speaker with the engine-style score and sorts by (score
descending, name); the search must give the same names and scores, on random stores with
duplicate takes, tied scores, deleted speakers and a first look at very few rows.
"""

from __future__ import annotations

import importlib.util
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.sandbox.engines import registry
from desktop.sandbox.engines.base import Embedding
from desktop.sandbox.engines.simple import SimpleEngine
from desktop.sandbox.voiceprint import search
from desktop.sandbox.voiceprint.imports import bulk_enrol
from desktop.sandbox.voiceprint.store import VoiceprintStore

Score = Callable[[Embedding, Sequence[Embedding]], float]


def top_k_mean(k: int) -> Score:
    """GE2E's (and CAM++'s) style: the mean cosine of the probe to its k closest takes."""

    def score(probe: Embedding, refs: Sequence[Embedding]) -> float:
        sims = np.sort(np.stack(refs).astype(np.float32) @ np.asarray(probe, np.float32))[::-1]
        return float(np.clip(sims[:k].mean(), -1.0, 1.0))

    return score


def mean_of_all(probe: Embedding, refs: Sequence[Embedding]) -> float:
    return float(np.mean(np.stack(refs) @ probe))


SCORES: dict[str, Score] = {
    "max (simple)": SimpleEngine().score,
    "top-2 mean (ge2e)": top_k_mean(2),
    "top-3 mean": top_k_mean(3),
    "mean": mean_of_all,
}


def brute_force(
    speakers: dict[str, list[Embedding]], probe: Embedding, k: int, score: Score
) -> list[tuple[str, float]]:
    scored = [(name, score(probe, refs)) for name, refs in speakers.items()]
    return sorted(scored, key=lambda item: (-item[1], item[0]))[:k]


def unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v)
    return (v / n).astype(np.float32) if n else np.eye(len(v), dtype=np.float32)[0]


# Coordinates from a small lattice make exact duplicates and exactly tied scores common.
lattice_vector = st.lists(st.integers(-2, 2), min_size=6, max_size=6).map(lambda xs: unit(np.array(xs, np.float32)))
free_vector = st.lists(st.floats(-1, 1, allow_nan=False, width=32), min_size=6, max_size=6).map(
    lambda xs: unit(np.array(xs, np.float32))
)
vector = st.one_of(lattice_vector, free_vector)


@st.composite
def stores(draw: st.DrawFn) -> tuple[dict[str, list[Embedding]], set[str]]:
    names = draw(st.lists(st.text(min_size=1, max_size=6).filter(_storable), min_size=1, max_size=25, unique=True))
    speakers = {name: draw(st.lists(vector, min_size=1, max_size=4)) for name in names}
    deleted = set(draw(st.lists(st.sampled_from(names), max_size=len(names) // 2)))
    return speakers, deleted


def _storable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _index(
    speakers: dict[str, list[Embedding]],
) -> tuple[search.SearchIndex, dict[int, str], dict[int, list[Embedding]]]:
    index = search.SearchIndex(6)
    names, refs, take = {}, {}, 0
    for owner, (name, embeddings) in enumerate(speakers.items()):
        names[owner], refs[owner] = name, embeddings
        takes = np.arange(take, take + len(embeddings), dtype=np.int64)
        take += len(embeddings)
        index.add(*search.quantise(np.stack(embeddings), takes, owner))
    return index, names, refs


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=stores(),
    probe=vector,
    score_name=st.sampled_from(sorted(SCORES)),
    k=st.integers(1, 4),
    first_rows=st.sampled_from([1, 2, 64]),
)
def test_index_top_k_is_the_brute_force_top_k(
    data: tuple[dict[str, list[Embedding]], set[str]], probe: Embedding, score_name: str, k: int, first_rows: int
) -> None:
    speakers, deleted = data
    score = SCORES[score_name]
    index, names, refs = _index(speakers)
    for owner, name in names.items():
        if name in deleted:
            index.remove(range(sum(len(refs[o]) for o in range(owner)), sum(len(refs[o]) for o in range(owner + 1))))
    live = {n: e for n, e in speakers.items() if n not in deleted}
    asked: list[int] = []

    def exact(owners: list[int]) -> dict[int, float]:
        asked.extend(owners)
        return {o: score(probe, refs[o]) for o in owners}

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "FIRST_ROWS", first_rows)
        got = index.top(probe, k, exact, lambda owners: {o: names[o] for o in owners})
    assert got == brute_force(live, probe, k, score)
    assert not {names[o] for o in asked} & deleted  # a deleted speaker is never even looked at


def test_the_error_bound_holds_and_is_small() -> None:
    rng = np.random.default_rng(3)
    rows = rng.standard_normal((5000, 192)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    index = search.SearchIndex(192)
    index.add(*search.quantise(rows, np.arange(5000), np.arange(5000)))
    for _ in range(5):
        probe = unit(rng.standard_normal(192))
        approx, epsilon = index.approximate(probe)
        error = np.abs(approx - rows @ probe).max()
        assert error <= epsilon < 0.03, (error, epsilon)  # a Cauchy-Schwarz bound: safe, not tight


def test_the_store_search_equals_brute_force_on_a_random_store() -> None:
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = rng.standard_normal((3000, 32)).astype(np.float32)
        base /= np.linalg.norm(base, axis=1, keepdims=True)
        bulk_enrol(root, "simple", [f"spk {i} 说话人" for i in range(3000)], base)
        store = VoiceprintStore(root, "simple")
        for i in range(0, 3000, 97):  # some speakers with several takes, near their first
            for _ in range(3):
                store.add_take(f"spk {i} 说话人", unit(base[i] + 0.4 * rng.standard_normal(32)), 3.0)
        store.add_take("twin", base[5], 3.0)  # a duplicate voiceprint: ties with spk 5
        for i in range(0, 3000, 211):
            store.delete(f"spk {i} 说话人")
        speakers = store.speakers()
        for score in SCORES.values():
            for _ in range(10):
                probe = unit(base[rng.integers(3000)] + 0.6 * rng.standard_normal(32))
                assert store.search(probe, 3, score) == brute_force(speakers, probe, 3, score)
            assert store.search(base[5], 3, score) == brute_force(speakers, base[5], 3, score)
        reloaded = VoiceprintStore(root, "simple")
        probe = unit(rng.standard_normal(32))
        assert reloaded.search(probe, 3, SCORES["top-2 mean (ge2e)"]) == brute_force(
            speakers, probe, 3, SCORES["top-2 mean (ge2e)"]
        )


def test_the_numpy_fallback_computes_exact_integer_products(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    codes = rng.integers(0, 256, (3000, 192), dtype=np.uint8)
    probe = rng.integers(-127, 128, 192).astype(np.int8)
    exact = (codes.astype(np.int64) - search.ZERO_POINT) @ probe.astype(np.int64)
    monkeypatch.setattr(search, "_ort_session", lambda dim: (_ for _ in ()).throw(ImportError("no onnxruntime")))
    products = search._Products(192)
    products.prepare(10**6)
    assert products.backend == "numpy"
    assert np.array_equal(products.integer_products(codes, probe), exact.astype(np.float32))


def test_cohort_is_the_best_other_speakers_scores() -> None:
    rng = np.random.default_rng(9)
    with tempfile.TemporaryDirectory() as tmp:
        rows = rng.standard_normal((500, 16)).astype(np.float32)
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        bulk_enrol(Path(tmp), "simple", [f"s{i}" for i in range(500)], rows)
        store = VoiceprintStore(Path(tmp), "simple")
        probe = rows[0]
        cohort = store.cohort(probe, 10, exclude="s0")
        truth = np.sort(rows[1:] @ probe)[::-1][:10]
        assert len(cohort) == 10 and np.abs(cohort - truth).max() < 0.02


def test_both_backends_give_the_same_approximations(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(11)
    rows = rng.standard_normal((70_000, 24)).astype(np.float32)  # more than one block
    header, codes = search.quantise(rows, np.arange(70_000), np.arange(70_000))
    probe = unit(rng.standard_normal(24))
    results = []
    for available in (True, False):
        if not available:
            monkeypatch.setattr(search, "_ort_session", lambda dim: (_ for _ in ()).throw(ImportError("none")))
        index = search.SearchIndex(24)
        index.add(header, codes)
        approx, epsilon = index.approximate(probe)
        has_ort = importlib.util.find_spec("onnxruntime") is not None
        assert index.backend == ("onnxruntime" if available and has_ort else "numpy")
        assert np.abs(approx - rows @ probe).max() <= epsilon
        results.append(approx)
    assert np.allclose(results[0], results[1], atol=1e-5)


@pytest.mark.parametrize("engine_name", registry.engine_names())
def test_every_engine_scores_at_most_the_best_cosine(engine_name: str) -> None:
    """The search's exactness rests on it (see ``search``): a speaker's score never exceeds the
    best cosine of the probe to one of its takes."""
    engine = registry.get_engine(engine_name)  # an engine that cannot load falls back to simple
    rng = np.random.default_rng(13)
    dim = len(engine.embed((rng.standard_normal(3 * 16000) * 3000).astype(np.int16)))
    for _ in range(200):
        refs = [unit(rng.standard_normal(dim)) for _ in range(int(rng.integers(1, 6)))]
        if rng.random() < 0.3:
            refs.append(refs[0].copy())  # duplicate takes
        probe = unit(rng.standard_normal(dim) + 3 * refs[0] * rng.random())
        best = max(float(r @ probe) for r in refs)
        assert engine.score(probe, refs) <= best + 1e-6


def test_the_shipped_model_is_the_one_onnx_builds() -> None:
    pytest.importorskip("onnx")
    assert search.model_bytes() == search.MODEL
