"""The self-test's speaker-engine check: the best installed engine loads, embeds and tells voices apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import selftest
from desktop.sandbox.engines import campp, registry
from desktop.sandbox.engines.simple import SimpleEngine
from desktop.selftest import CheckFailed, Env
from desktop.selftest import engine as engine_check


def test_the_check_runs_before_the_services() -> None:
    names = [c.name for c in selftest.all_checks()]
    assert names.index("speaker") < names.index("voiceprint")


@pytest.mark.skipif(not campp.weights_available(), reason="the CAM++ checkpoint is not installed")
def test_the_default_engine_passes_from_source(tmp_path: Path) -> None:
    detail = engine_check.check_speaker_engine(Env(tmp=tmp_path))
    assert detail.startswith("campp (192-d)")


def test_a_silent_fallback_fails_the_check(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(registry, "preferred_engine", lambda: "campp")
    monkeypatch.setattr(registry, "get_engine", lambda name=None: SimpleEngine())
    with pytest.raises(CheckFailed, match="campp engine is installed but did not load"):
        engine_check.check_speaker_engine(Env(tmp=tmp_path))
