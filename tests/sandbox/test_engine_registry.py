"""The engine registry's choice: campp first, then ge2e, then simple; and the other-engine notice."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from desktop import i18n
from desktop.sandbox.engines import campp_weights, ge2e_model, registry
from desktop.sandbox.engines.simple import SimpleEngine


@pytest.mark.parametrize(
    ("campp", "ge2e", "preferred"),
    [(True, True, "campp"), (True, False, "campp"), (False, True, "ge2e"), (False, False, "simple")],
)
def test_the_preferred_engine_is_the_best_installed_one(
    monkeypatch: pytest.MonkeyPatch, campp: bool, ge2e: bool, preferred: str
) -> None:
    monkeypatch.setattr(campp_weights, "weights_path", lambda: Path("campp.pt") if campp else None)
    monkeypatch.setattr(ge2e_model, "weights_path", lambda: Path("ge2e.pt") if ge2e else None)
    assert registry.preferred_engine() == preferred
    assert "campp" in registry.engine_names() and "ge2e" in registry.engine_names()


def _named(name: str) -> SimpleEngine:
    engine = SimpleEngine()
    engine.name = name
    return engine


def _broken() -> SimpleEngine:
    raise ImportError("weights missing")


def test_an_engine_that_cannot_load_falls_back_to_the_next_best(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(registry._FACTORIES, "campp", _broken)
    monkeypatch.setitem(registry._FACTORIES, "ge2e", lambda: _named("ge2e"))
    with caplog.at_level(logging.WARNING):
        assert registry.get_engine("campp").name == "ge2e"
    assert "campp unavailable (weights missing)" in caplog.text
    monkeypatch.setitem(registry._FACTORIES, "ge2e", _broken)
    assert registry.get_engine("campp").name == "simple"
    assert registry.get_engine("ge2e").name == "simple"


def test_the_environment_still_picks_ge2e(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry._FACTORIES, "ge2e", lambda: _named("ge2e"))
    monkeypatch.setenv(registry.ENV_ENGINE, " GE2E ")
    assert registry.get_engine(None).name == "ge2e"


def test_the_default_engine_failing_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry._FACTORIES, "simple", _broken)
    with pytest.raises(ImportError):
        registry.get_engine("simple")


def test_voiceprints_of_another_engine_are_named_with_the_way_out() -> None:
    assert registry.other_engine_notice("campp", {}) is None
    assert registry.other_engine_notice("campp", {"campp": 4, "ge2e": 0}) is None
    notice = registry.other_engine_notice("campp", {"ge2e": 3, "campp": 2})
    assert notice is not None
    assert "3 speaker(s)" in notice and "ge2e" in notice and "campp" in notice
    assert "Enrol them again" in notice and f"{registry.ENV_ENGINE}=ge2e" in notice
    i18n.set_language("zh")
    try:
        zh = registry.other_engine_notice("campp", {"ge2e": 3})
    finally:
        i18n.set_language(None)
    assert zh is not None and "重新注册" in zh and f"{registry.ENV_ENGINE}=ge2e" in zh


def test_a_speaker_of_another_engine_is_told_how_to_get_verified() -> None:
    text = registry.speaker_of_other_engine("alice", "campp", "ge2e")
    assert "alice" in text and "ge2e" in text and "campp" in text
    assert "Enrol alice again" in text and f"{registry.ENV_ENGINE}=ge2e" in text
