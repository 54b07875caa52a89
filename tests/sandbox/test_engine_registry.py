"""The engine registry's choice: campp first, then ge2e, then simple."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("name", ["simple", "ge2e", "campp"])
def test_default_threshold_is_the_engines_own_without_loading_it(name: str) -> None:
    """What the UI draws beside the scores must be what the sandbox decides with."""
    assert registry.default_threshold(name) == registry.get_engine(name).default_threshold


def test_the_sandbox_profile_shows_the_chosen_engines_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.config import sandbox_profile
    from desktop.ui.threshold import display_threshold

    profile = sandbox_profile()
    for name in ("simple", "campp"):
        monkeypatch.setenv(registry.ENV_ENGINE, name)
        assert display_threshold(profile) == registry.get_engine(name).default_threshold
