"""The pieces behind the sandbox voiceprint service: VAD, the simple speaker engine, the engine
registry and the on-disk voiceprint store."""

from __future__ import annotations

import json
import logging
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from desktop.sandbox import vad
from desktop.sandbox.engines import registry
from desktop.sandbox.engines.simple import SimpleEngine
from desktop.sandbox.voiceprint.store import MAX_TAKES, VoiceprintStore, file_name
from tests.sandbox.speech import RATE, TEXTS, VOICES, speech, synthesize

ENGINE = SimpleEngine()


# -- VAD ---------------------------------------------------------------------------------------


def test_vad_counts_speech_not_silence() -> None:
    words = synthesize(TEXTS[0], VOICES["bob"])
    padded = np.concatenate([np.zeros(3 * RATE, np.int16), words, np.zeros(3 * RATE, np.int16)])
    alone = vad.speech_seconds(words)
    assert 0.5 * len(words) / RATE < alone <= len(words) / RATE
    assert vad.speech_seconds(padded) == pytest.approx(alone, abs=0.1)
    assert vad.speech_seconds(np.zeros(5 * RATE, np.int16)) == 0.0
    assert vad.speech_seconds(np.zeros(10, np.int16)) == 0.0


def test_vad_ignores_faint_hiss_next_to_speech() -> None:
    rng = np.random.default_rng(1)
    hiss = (rng.standard_normal(4 * RATE) * 20).astype(np.int16)  # ~ -64 dBFS
    words = synthesize(TEXTS[1], VOICES["alice"])
    assert vad.speech_seconds(np.concatenate([hiss, words])) == pytest.approx(vad.speech_seconds(words), abs=0.3)


# -- the simple engine ---------------------------------------------------------------------------


def test_embedding_is_a_deterministic_unit_vector() -> None:
    pcm = speech("dave", 0)
    a, b = ENGINE.embed(pcm), ENGINE.embed(pcm.copy())
    assert a.dtype == np.float32 and a.ndim == 1
    assert float(np.linalg.norm(a)) == pytest.approx(1.0, abs=1e-5)
    assert np.array_equal(a, b)


def test_loudness_does_not_change_the_voiceprint() -> None:
    pcm = speech("carol", 2)
    quiet = (pcm.astype(np.float64) * 0.25).astype(np.int16)
    assert ENGINE.score(ENGINE.embed(quiet), [ENGINE.embed(pcm)]) > 0.97


def test_same_voice_outscores_every_other_voice_on_unseen_text() -> None:
    refs = {who: ENGINE.embed(speech(who, 0, 1)) for who in VOICES}
    for who in VOICES:
        probe = ENGINE.embed(speech(who, 4))
        scores = {other: ENGINE.score(probe, [ref]) for other, ref in refs.items()}
        assert max(scores, key=lambda k: scores[k]) == who, scores
        assert scores[who] >= ENGINE.default_threshold, (who, scores)
        assert all(s < ENGINE.default_threshold for o, s in scores.items() if o != who), (who, scores)


def test_score_takes_the_best_matching_take() -> None:
    probe = ENGINE.embed(speech("alice", 5))
    own, other = ENGINE.embed(speech("alice", 0)), ENGINE.embed(speech("bob", 0))
    assert ENGINE.score(probe, [other, own]) == pytest.approx(ENGINE.score(probe, [own]))
    assert ENGINE.score(probe, []) == -1.0
    assert ENGINE.score(probe, [np.ones(3, np.float32)]) == -1.0  # another engine's vector is ignored


@pytest.mark.parametrize("pcm", [np.zeros(RATE * 3, np.int16), np.zeros(0, np.int16), np.zeros(100, np.int16)])
def test_no_speech_is_a_value_error(pcm: np.ndarray) -> None:
    with pytest.raises(ValueError):
        ENGINE.embed(pcm)


def test_clipped_noise_does_not_crash() -> None:
    rng = np.random.default_rng(7)
    noise = np.clip(rng.standard_normal(RATE * 3) * 30000, -32768, 32767).astype(np.int16)
    try:
        vec = ENGINE.embed(noise)
    except ValueError:
        return  # refusing is fine; crashing or NaN is not
    assert np.all(np.isfinite(vec))


# -- registry ------------------------------------------------------------------------------------


def test_registry_default_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert registry.get_engine(None).name == registry.preferred_engine()  # campp (else ge2e) when installed
    monkeypatch.setenv(registry.ENV_ENGINE, "simple")
    assert registry.get_engine(None).name == "simple"
    with pytest.raises(ValueError, match="unknown speaker engine"):
        registry.get_engine("no-such-engine")


def test_an_engine_that_cannot_load_falls_back_to_simple(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> SimpleEngine:
        raise ImportError("weights missing")

    monkeypatch.setitem(registry._FACTORIES, "ge2e", broken)
    with caplog.at_level(logging.WARNING):
        assert registry.get_engine("ge2e").name == "simple"
    assert "weights missing" in caplog.text


def test_digit_reader_only_when_its_module_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "desktop.sandbox.engines.digits", None)  # import -> ModuleNotFoundError
    assert registry.get_digit_reader() is None

    class Reader:
        def read_digits(self, pcm: np.ndarray) -> str:
            return "42"

    module = types.ModuleType("desktop.sandbox.engines.digits")
    module.load_reader = Reader  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "desktop.sandbox.engines.digits", module)
    reader = registry.get_digit_reader()
    assert reader is not None and reader.read_digits(np.zeros(1, np.int16)) == "42"

    def failing() -> Reader:
        raise OSError("model file missing")

    module.load_reader = failing  # type: ignore[attr-defined]
    assert registry.get_digit_reader() is None


# -- store ---------------------------------------------------------------------------------------


def _vec(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(8).astype(np.float32)
    return v / np.linalg.norm(v)


def test_store_round_trip_with_cjk_names_and_several_takes(tmp_path: Path) -> None:
    store = VoiceprintStore(tmp_path, "simple")
    assert store.add_take("王小明", _vec(1), 4.2) == 1
    assert store.add_take("王小明", _vec(2), 5.0) == 2
    assert store.add_take("bob smith", _vec(3), 3.5) == 1
    again = VoiceprintStore(tmp_path, "simple")
    speakers = again.speakers()
    assert set(speakers) == {"王小明", "bob smith"}
    assert np.allclose(speakers["王小明"][1], _vec(2), atol=1e-6)
    assert [t.speech_s for t in again.takes("王小明")] == [4.2, 5.0]
    files = sorted(p.name for p in (tmp_path / "simple").iterdir())
    assert files == sorted([file_name("王小明"), file_name("bob smith")])
    assert VoiceprintStore(tmp_path, "ge2e").speakers() == {}  # engines never mix


def test_store_keeps_the_newest_takes(tmp_path: Path) -> None:
    store = VoiceprintStore(tmp_path, "simple")
    for i in range(MAX_TAKES + 3):
        store.add_take("chatty", _vec(i), float(i))
    takes = VoiceprintStore(tmp_path, "simple").takes("chatty")
    assert len(takes) == MAX_TAKES and takes[-1].speech_s == MAX_TAKES + 2


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{not json",
        "[]",
        '{"name": "x", "takes": []}',
        '{"takes": [{}]}',
        '{"name": 5, "takes": [{"embedding": [1], "speech_s": 1, "created": "t"}]}',
    ],
)
def test_a_broken_file_is_skipped_and_kept(tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture) -> None:
    VoiceprintStore(tmp_path, "simple").add_take("good", _vec(0), 3.0)
    bad = tmp_path / "simple" / "0000.json"
    bad.write_text(content, "utf-8")
    with caplog.at_level(logging.WARNING):
        store = VoiceprintStore(tmp_path, "simple")
    assert set(store.speakers()) == {"good"}
    assert bad.exists() and "0000.json" in caplog.text


def test_a_failed_write_leaves_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = VoiceprintStore(tmp_path, "simple")
    store.add_take("carol", _vec(0), 3.0)
    path = tmp_path / "simple" / file_name("carol")
    before = path.read_text("utf-8")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("desktop.sandbox.voiceprint.store.os.replace", fail)
    with pytest.raises(OSError):
        store.add_take("carol", _vec(1), 4.0)
    assert path.read_text("utf-8") == before
    assert len(json.loads(before)["takes"]) == 1 and len(store.takes("carol")) == 1
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # the temporary file is gone
