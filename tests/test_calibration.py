"""Calibration: error-rate arithmetic, the trial design, the picture and the stored threshold."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from desktop import config
from desktop.calibrate import apply_threshold, metrics
from desktop.calibrate.plot import save_png
from desktop.calibrate.trials import calibrate
from desktop.errors import ConfigError, InputError
from desktop.sandbox.engines import ge2e
from tests.sandbox.speech import TEXTS, VOICES, synthesize

# ---------------------------------------------------------------------------------------------
# Arithmetic


def test_separated_scores_have_no_equal_error() -> None:
    eer, threshold = metrics.equal_error(np.array([0.8, 0.9, 0.95]), np.array([0.1, 0.2, 0.3]))
    assert eer == 0.0
    assert 0.3 < threshold <= 0.8


def test_overlapping_scores_give_the_crossing() -> None:
    target = np.array([0.6, 0.7, 0.8, 0.9])
    impostor = np.array([0.1, 0.2, 0.3, 0.65])
    eer, threshold = metrics.equal_error(target, impostor)
    assert (eer, threshold) == (0.25, 0.65)
    assert metrics.far(impostor, threshold) == metrics.frr(target, threshold) == 0.25


def test_far_thresholds_are_the_lowest_that_keep_the_rate() -> None:
    rng = np.random.default_rng(5)
    impostor, target = rng.uniform(0, 1, 1000), rng.uniform(0.5, 1, 300)
    for rate in (0.01, 0.001):
        found = metrics.threshold_for_far(target, impostor, rate)
        assert found.far <= rate and found.measurable
        lower = np.nextafter(np.max(impostor[impostor < found.threshold]), -1)
        assert metrics.far(impostor, lower) > rate  # any lower threshold lets more impostors in
        assert found.frr == metrics.frr(target, found.threshold)
    assert not metrics.threshold_for_far(target, impostor[:100], 0.001).measurable


def test_tied_impostors_are_rejected_together() -> None:
    found = metrics.threshold_for_far(np.array([0.9]), np.full(10, 0.5), 0.05)
    assert found.threshold > 0.5 and found.far == 0.0


def test_no_trials_is_an_error_not_a_number() -> None:
    with pytest.raises(ValueError):
        metrics.equal_error(np.array([]), np.array([0.1]))
    with pytest.raises(ValueError):
        metrics.threshold_for_far(np.array([0.9]), np.array([]), 0.01)


# ---------------------------------------------------------------------------------------------
# Trials, with an engine whose answers are known


class CodedEngine:
    """Reads the speaker and take numbers written into the first samples of each file."""

    name = "coded"
    default_threshold = 0.5

    def embed(self, pcm: np.ndarray) -> np.ndarray:
        speaker, take = int(pcm[0]) // 100, int(pcm[1])
        v = np.zeros(8, np.float32)
        v[speaker] = 1.0
        v[7] = 0.1 * take
        return v / np.linalg.norm(v)

    def score(self, probe: np.ndarray, references: Sequence[np.ndarray]) -> float:
        return max(float(probe @ r) for r in references)


def coded_corpus(root: Path, takes: dict[str, int]) -> Path:
    for s, (speaker, n) in enumerate(takes.items()):
        (root / speaker).mkdir(parents=True)
        for t in range(n):
            pcm = np.zeros(1600, np.int16)
            pcm[:2] = [s * 100, t]
            sf.write(root / speaker / f"take{t}.wav", pcm, 16000, subtype="PCM_16")
    return root


def test_every_target_and_impostor_trial_is_run_once(tmp_path: Path) -> None:
    root = coded_corpus(tmp_path / "c", {"ann": 3, "ben": 2, "cyd": 4})
    (root / "ben" / "readme.txt").write_text("not audio")
    (root / ".hidden").mkdir()
    result = calibrate(root, CodedEngine())
    out = result.to_json()
    assert out["speakers"] == 3 and out["files"] == 9
    assert out["trials"] == {"target": 9, "impostor": 9 * 2}
    pairs = {(t["probe"], t["speaker"]) for t in out["scores"]}
    assert len(pairs) == len(out["scores"])  # no trial twice
    for t in out["scores"]:
        assert t["target"] == (t["probe"].split("/")[0] == t["speaker"])
    assert out["eer"] == 0.0  # the coded engine separates speakers perfectly
    assert [s["file"] for s in out["skipped"]] == ["ben/readme.txt"]
    assert "not a WAV" in out["skipped"][0]["reason"]


def test_speakers_with_one_recording_are_left_out(tmp_path: Path) -> None:
    root = coded_corpus(tmp_path / "c", {"ann": 2, "ben": 2, "solo": 1})
    assert calibrate(root, CodedEngine()).speakers == 2
    lonely = coded_corpus(tmp_path / "d", {"ann": 2, "solo": 1})
    with pytest.raises(InputError, match="at least 2 speakers"):
        calibrate(lonely, CodedEngine())
    with pytest.raises(InputError, match="not a folder"):
        calibrate(tmp_path / "missing", CodedEngine())


# ---------------------------------------------------------------------------------------------
# The real engine on synthetic voices


@pytest.fixture(scope="module")
def voice_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("voices")
    for name in ("alice", "bob", "carol"):
        (root / name).mkdir()
        for i in (0, 1, 2):
            sf.write(root / name / f"{i}.wav", synthesize(TEXTS[i], VOICES[name]), 16000, subtype="PCM_16")
    return root


@pytest.mark.skipif(not ge2e.weights_available(), reason="resemblyzer's weights are not installed")
def test_ge2e_calibration_is_consistent_with_its_trials(voice_corpus: Path, tmp_path: Path) -> None:
    result = calibrate(voice_corpus, ge2e.load_engine())
    out = result.to_json()
    assert out["trials"] == {"target": 9, "impostor": 18}
    target = np.array([t["score"] for t in out["scores"] if t["target"]])
    impostor = np.array([t["score"] for t in out["scores"] if not t["target"]])
    assert target.mean() > impostor.mean()
    assert (out["eer"], out["threshold_at_eer"]) == metrics.equal_error(target, impostor)
    fa = metrics.far(impostor, out["threshold_at_eer"])
    fr = metrics.frr(target, out["threshold_at_eer"])
    assert out["eer"] == pytest.approx((fa + fr) / 2)
    for key, rate in metrics.FAR_TARGETS.items():
        threshold = out["thresholds"][key]
        assert metrics.far(impostor, threshold) <= rate
        assert out["at_thresholds"][key]["frr"] == metrics.frr(target, threshold)
    png = tmp_path / "cal.png"
    save_png(result, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


# ---------------------------------------------------------------------------------------------
# Apply


def test_applied_threshold_reaches_the_sandbox_profile(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('default_profile = "lab"\n[profiles.lab.rokid]\nkey = "k1"\n', encoding="utf-8")
    assert apply_threshold(0.8125, path) == path
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["default_profile"] == "lab" and data["profiles"]["lab"]["rokid"]["key"] == "k1"
    assert data["profiles"]["sandbox"]["sandbox"]["threshold"] == 0.8125
    assert config.load_profile("sandbox", path=path, env={}).sandbox.threshold == 0.8125
    apply_threshold(0.7, path)  # again: replaced, not duplicated
    assert config.load_profile("sandbox", path=path, env={}).sandbox.threshold == 0.7


@pytest.mark.parametrize("value", [0.0, -0.2, float("nan"), float("inf")])
def test_unusable_thresholds_are_refused(tmp_path: Path, value: float) -> None:
    with pytest.raises(InputError, match="cannot be stored"):
        apply_threshold(value, tmp_path / "config.toml")
    assert not (tmp_path / "config.toml").exists()


def test_a_malformed_sandbox_table_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[profiles]\nsandbox = "oops"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        apply_threshold(0.8, path)
    assert path.read_text(encoding="utf-8") == '[profiles]\nsandbox = "oops"\n'  # nothing lost
