"""The GE2E speaker engine on synthetic speakers: eSpeak NG voices and pitch/speed variants.

Needs resemblyzer's weights (``uv pip install --no-deps --require-hashes -r
requirements/nodeps.txt``); skipped with that reason when the wheel is not installed.
"""

from __future__ import annotations

import pickle
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from desktop.sandbox.engines import ge2e
from desktop.sandbox.engines.ge2e import check_take_consistency
from desktop.sandbox.engines.ge2e_model import Ge2eNetwork
from desktop.sandbox.engines.torch_pickle import ModelFileError
from tests.sandbox import engine_checks
from tests.sandbox.speech import TEXTS, Voice, synthesize

pytestmark = pytest.mark.skipif(
    not ge2e.weights_available(),
    reason="resemblyzer's weights are not installed (uv pip install --no-deps --require-hashes "
    "-r requirements/nodeps.txt)",
)

# Speakers: different voices, and the same voice at another pitch (a different "person").
SPEAKERS = {
    "f2": Voice("en+f2", pitch=55),
    "m3": Voice("en+m3", pitch=35),
    "f4": Voice("en+f4", pitch=70),
    "m1-high": Voice("en+m1", pitch=65),
    "us": Voice("en-us", pitch=45),
}


def take(speaker: str, text: int, rate_delta: int = 0) -> np.ndarray:
    """One recording; ``rate_delta`` changes the speaking speed (the same person, hurried)."""
    v = SPEAKERS[speaker]
    return synthesize(TEXTS[text], Voice(v.name, pitch=v.pitch, pitch_range=v.pitch_range, rate=v.rate + rate_delta))


@pytest.fixture(scope="module")
def engine() -> ge2e.Ge2eEngine:
    return ge2e.load_engine()


@pytest.fixture(scope="module")
def enrolled(engine: ge2e.Ge2eEngine) -> dict[str, list[np.ndarray]]:
    return {s: [engine.embed(take(s, 0)), engine.embed(take(s, 1)), engine.embed(take(s, 2))] for s in SPEAKERS}


@pytest.fixture(scope="module")
def probes(engine: ge2e.Ge2eEngine) -> dict[str, np.ndarray]:
    # Other texts, spoken faster: the engine is text-independent and must survive a change of pace.
    return {s: engine.embed(take(s, 3, rate_delta=25)) for s in SPEAKERS}


def test_weights_load_without_torch_or_resemblyzer(engine: ge2e.Ge2eEngine) -> None:
    assert "resemblyzer" not in sys.modules  # its __init__ imports torch
    path = ge2e.weights_path()
    assert path is not None and path.name == "pretrained.pt"


def test_embedding_is_a_unit_float32_vector_and_deterministic(engine: ge2e.Ge2eEngine) -> None:
    pcm = take("f2", 0)
    a, b = engine.embed(pcm), engine.embed(pcm.copy())
    assert a.shape == (256,) and a.dtype == np.float32
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-5
    assert np.all(a >= 0)  # ReLU before the normalisation
    # Equal up to float32 rounding (BLAS kernels may sum in another order for another alignment).
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_same_speaker_scores_above_cross_speaker(
    engine: ge2e.Ge2eEngine, enrolled: dict[str, list[np.ndarray]], probes: dict[str, np.ndarray]
) -> None:
    same = [engine.score(probes[s], enrolled[s]) for s in SPEAKERS]
    cross = [engine.score(probes[p], enrolled[c]) for p in SPEAKERS for c in SPEAKERS if p != c]
    assert np.mean(same) > np.mean(cross) + 0.15
    # Each probe's own speaker is its closest enrolled speaker (what the sandbox's verdict needs).
    for s in SPEAKERS:
        best = max(SPEAKERS, key=lambda c: engine.score(probes[s], enrolled[c]))
        assert best == s
    # Near-identical voices decide the default threshold; the tests document where they stand.
    assert min(same) >= engine.default_threshold


def test_score_uses_the_closest_references_not_one_outlier(engine: ge2e.Ge2eEngine) -> None:
    probe = np.zeros(256, np.float32)
    probe[0] = 1.0
    close = np.zeros(256, np.float32)
    close[0] = 1.0
    far_ref = np.zeros(256, np.float32)
    far_ref[1] = 1.0
    # One matching take among unrelated ones is not enough to be taken for the speaker.
    assert engine.score(probe, [close, far_ref, far_ref]) == pytest.approx(0.5)
    assert engine.score(probe, [close, close, far_ref]) == pytest.approx(1.0)
    assert engine.score(probe, []) == 0.0


def test_mismatched_enrolment_take_is_refused(engine: ge2e.Ge2eEngine, enrolled: dict[str, list[np.ndarray]]) -> None:
    existing = enrolled["f2"][:2]
    assert check_take_consistency(enrolled["f2"][2], existing) is None
    assert check_take_consistency(enrolled["f2"][0], []) is None
    for other in ("m3", "m1-high", "us"):
        reason = check_take_consistency(enrolled[other][0], existing)
        assert reason is not None and "does not sound like" in reason


def test_silence_and_bad_input_are_clear_errors(engine: ge2e.Ge2eEngine) -> None:
    engine_checks.bad_input_is_refused_clearly(engine)


def test_noise_gives_a_vector_not_a_crash(engine: ge2e.Ge2eEngine) -> None:
    engine_checks.noise_gives_a_unit_vector_or_no_speech(engine)


def test_concurrent_embeddings_match_serial_ones(engine: ge2e.Ge2eEngine) -> None:
    engine_checks.concurrent_embeddings_match_serial_ones(engine, [take(s, 4) for s in ("f2", "m3", "f4", "us")])


def test_cross_scores_of_enrolment_takes_are_symmetric(
    engine: ge2e.Ge2eEngine, enrolled: dict[str, list[np.ndarray]]
) -> None:
    for a, b in combinations(SPEAKERS, 2):
        ab = float(enrolled[a][0] @ enrolled[b][0])
        assert ab == pytest.approx(float(enrolled[b][0] @ enrolled[a][0]))
        assert 0.0 <= ab <= 1.0


def test_the_sandbox_prefers_this_engine_when_its_weights_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.sandbox.engines import campp_weights, registry

    # CAM++ comes first when its checkpoint is installed (tests/sandbox/test_campp_engine.py);
    # without it, GE2E is the best engine there is.
    monkeypatch.setattr(campp_weights, "weights_path", lambda: None)
    assert registry.preferred_engine() == "ge2e"
    assert registry.get_engine(None).name == "ge2e"


def test_a_checkpoint_of_another_network_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "other.pt"
    with zipfile.ZipFile(path, "w") as z:  # a valid checkpoint holding no encoder
        z.writestr("archive/data.pkl", pickle.dumps({"model_state": {"fc.weight": 1}}, protocol=2))
    with pytest.raises(ModelFileError, match="not a GE2E speaker encoder"):
        Ge2eNetwork.load(path)
