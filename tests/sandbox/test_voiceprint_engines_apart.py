"""Voiceprints of one engine never score against another's: a sandbox running another engine
refuses them with a sentence that says which engines and how to re-enrol, and says so at start."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from desktop.sandbox.engines import registry
from desktop.sandbox.engines.simple import SimpleEngine
from tests.sandbox.speech import speech
from tests.sandbox.voiceprint_support import Raw, parse_result, running


class _Other(SimpleEngine):
    """Another engine (same numbers, another name): its store must not see simple's voiceprints."""

    name = "other-test"


def test_a_store_of_another_engine_is_refused_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(registry._FACTORIES, _Other.name, _Other)
    monkeypatch.setenv(registry.ENV_ENGINE, "simple")
    with running(tmp_path) as thread, Raw(thread) as raw:
        assert raw.enrol("alice", speech("alice", 0, 1))["status"] == 200
        assert raw.enrol("李雷", speech("bob", 0, 1))["status"] == 200

    monkeypatch.setenv(registry.ENV_ENGINE, _Other.name)
    with caplog.at_level(logging.INFO), running(tmp_path) as thread:
        started = caplog.text
        with Raw(thread) as raw:
            refused = raw.verify("alice", speech("alice", 4))
            nobody = raw.verify("carol", speech("carol", 4))
            assert raw.enrol("alice", speech("alice", 0, 1))["status"] == 200  # re-enrolled with other-test
            accepted = raw.verify("alice", speech("alice", 4))
            still = raw.verify("李雷", speech("bob", 4))
    assert "voiceprints of other engines are stored (simple: 2 speakers) and not used by other-test" in started
    assert registry.ENV_ENGINE in started

    assert refused["status"] == 404 and refused["type"] == "stop_recognize"
    sentence = refused["data"]
    assert "alice has voiceprints made with the simple speaker engine, but this sandbox uses other-test" in sentence
    assert "Enrol alice again" in sentence and f"{registry.ENV_ENGINE}=simple" in sentence
    assert nobody["status"] == 404 and "simple" not in nobody["data"]  # never enrolled anywhere: no hint
    assert accepted["status"] == 200, accepted
    assert [name for name, _ in parse_result(accepted["data"])[0]] == ["alice"]  # simple's 李雷 is not a candidate
    assert still["status"] == 404 and "李雷 has voiceprints made with the simple speaker engine" in still["data"]

    monkeypatch.setenv(registry.ENV_ENGINE, "simple")
    with running(tmp_path) as thread, Raw(thread) as raw:  # the first engine's voiceprints are intact
        again = raw.verify("李雷", speech("bob", 4))
    assert again["status"] == 200, again
