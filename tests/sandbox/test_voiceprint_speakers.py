"""Enrol and verify synthetic speakers through the sandbox: decisions, status codes, the top-3
list, net-speech minimums, several takes, persistence across restarts, a pluggable engine that
is slow or broken, and a digit reader."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import sys
import threading
import time
import types
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from desktop.sandbox.engines import registry
from desktop.sandbox.engines.base import Embedding, Pcm
from desktop.sandbox.engines.simple import SimpleEngine
from desktop.sandbox.server import SandboxThread
from tests.sandbox.speech import RATE, speech
from tests.sandbox.store_support import stored_names, stored_takes
from tests.sandbox.voiceprint_support import Raw, parse_result, reset, running, set_faults


@pytest.fixture(scope="module")
def enrolled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxThread]:
    """A sandbox where alice, bob and dave have enrolled (texts 0 and 1)."""
    with running(tmp_path_factory.mktemp("vp-speakers")) as thread, Raw(thread) as raw:
        for who in ("alice", "bob", "dave"):
            reply = raw.enrol(who, speech(who, 0, 1))
            assert reply["status"] == 200, reply
        yield thread


@pytest.fixture
def vp(enrolled: SandboxThread) -> Iterator[SandboxThread]:
    reset(enrolled)
    yield enrolled
    reset(enrolled)


@pytest.mark.parametrize("who", ["alice", "bob", "dave"])
def test_each_speaker_is_accepted_as_themselves_on_new_text(vp: SandboxThread, who: str) -> None:
    with Raw(vp) as raw:
        reply = raw.verify(who, speech(who, 3))
    assert reply["type"] == "stop_recognize" and reply["status"] == 200, reply
    candidates, number = parse_result(reply["data"])
    assert candidates[0][0] == who
    assert sorted(c[0] for c in candidates) == ["alice", "bob", "dave"]  # top-3 of three enrolled
    assert [c[1] for c in candidates] == sorted((c[1] for c in candidates), reverse=True)
    assert candidates[0][1] >= SimpleEngine.default_threshold
    assert number is not None and re.fullmatch(r"\d*", number)


@pytest.mark.parametrize(("claimed", "speaker"), [("alice", "bob"), ("bob", "alice"), ("dave", "bob"), ("bob", "dave")])
def test_another_voice_claiming_a_name_is_rejected(vp: SandboxThread, claimed: str, speaker: str) -> None:
    with Raw(vp) as raw:
        reply = raw.verify(claimed, speech(speaker, 4))
    assert reply["status"] == 403, reply
    candidates, _ = parse_result(reply["data"])  # the list still comes with a refusal
    assert candidates[0][0] == speaker


def test_a_strict_threshold_rejects_even_the_right_voice(vp: SandboxThread) -> None:
    vp.cfg.threshold = 0.9999
    with Raw(vp) as raw:
        reply = raw.verify("alice", speech("alice", 3))
    assert reply["status"] == 403
    assert parse_result(reply["data"])[0][0][0] == "alice"


def test_a_name_nobody_enrolled_is_404_with_the_list(vp: SandboxThread) -> None:
    with Raw(vp) as raw:
        reply = raw.verify("nobody-by-this-name", speech("alice", 3))
    assert reply["status"] == 404
    assert parse_result(reply["data"])[0][0][0] == "alice"


def test_too_little_speech_to_verify_is_400(vp: SandboxThread) -> None:
    with Raw(vp) as raw:
        silence = raw.verify("alice", np.zeros(3 * RATE, np.int16))
        short = raw.verify("alice", speech("alice", 3)[: RATE // 2])
    for reply in (silence, short):
        assert reply["status"] == 400 and "too short" in reply["data"].lower()


def test_enrolment_needs_net_speech_not_duration(vp: SandboxThread) -> None:
    padded = np.concatenate([np.zeros(8 * RATE, np.int16), speech("erin", 0)[: 2 * RATE]])  # 10 s, 2 s of speech
    with Raw(vp) as raw:
        reply = raw.enrol("erin", padded)
        assert reply["status"] == 400 and "too short" in reply["data"].lower(), reply
        nothing_stored = raw.verify("erin", speech("erin", 3))
    assert nothing_stored["status"] == 404


def test_minimum_enrolment_speech_is_a_live_setting(vp: SandboxThread) -> None:
    with Raw(vp) as raw:
        set_faults(vp, min_enrol_speech_s=30.0)
        refused = raw.enrol("erin", speech("erin", 0, 1))
        set_faults(vp, min_enrol_speech_s=1.0)
        accepted = raw.enrol("erin-short", speech("erin", 0)[: 2 * RATE])
    assert refused["status"] == 400 and "30.0" in refused["data"]
    assert accepted["status"] == 200, accepted


def test_enrolling_again_adds_a_take_to_the_same_speaker(tmp_path: Path) -> None:
    with running(tmp_path) as thread, Raw(thread) as raw:
        first = raw.enrol("carol", speech("carol", 0))
        second = raw.enrol("carol", speech("carol", 1))
    assert first["status"] == second["status"] == 200
    # Issue 14: "take 1" read as jargon to operators; the count is now "recording N of this name".
    assert "recording 1 of" in first["data"] and "recording 2 of" in second["data"]
    assert [name for _, name in stored_names(tmp_path / "voiceprint")] == ["carol"]
    assert stored_takes(tmp_path, registry.get_engine().name, "carol") == 2


def test_voiceprints_survive_a_restart_cjk_names_included(tmp_path: Path) -> None:
    with running(tmp_path) as thread, Raw(thread) as raw:
        assert raw.enrol("李雷", speech("bob", 0, 1))["status"] == 200
        assert raw.enrol("alice", speech("alice", 0, 1))["status"] == 200
    assert sorted(name for _, name in stored_names(tmp_path / "voiceprint")) == sorted(["李雷", "alice"])
    # One database, no stray files (the JSON layout of before, temporary files).
    assert (
        sorted(p.name for p in (tmp_path / "voiceprint").iterdir() if not p.name.startswith("voiceprints.sqlite3"))
        == []
    )
    with running(tmp_path) as thread, Raw(thread) as raw:
        bob = raw.verify("李雷", speech("bob", 5))
        alice = raw.verify("李雷", speech("alice", 5))
    assert bob["status"] == 200, bob
    assert parse_result(bob["data"])[0][0][0] == "李雷"
    assert alice["status"] == 403


# -- pluggable engines ---------------------------------------------------------------------------


class _SlowEngine(SimpleEngine):
    name = "slow-test"

    def embed(self, pcm: Pcm) -> Embedding:
        time.sleep(2.0)  # a blocked event loop would hold every ping this long
        return super().embed(pcm)


class _BrokenEngine(SimpleEngine):
    name = "broken-test"

    def embed(self, pcm: Pcm) -> Embedding:
        raise RuntimeError("model exploded")

    def score(self, probe: Embedding, references: Sequence[Embedding]) -> float:
        raise AssertionError("never reached")


@contextlib.contextmanager
def sandbox_with_engine(
    engine: type[SimpleEngine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SandboxThread]:
    """A fresh sandbox whose speaker engine is ``engine`` (registered and chosen by environment)."""
    monkeypatch.setitem(registry._FACTORIES, engine.name, engine)
    monkeypatch.setenv(registry.ENV_ENGINE, engine.name)
    with running(tmp_path) as thread:
        yield thread


def test_embedding_runs_off_the_event_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    latencies: list[float] = []
    with sandbox_with_engine(_SlowEngine, tmp_path, monkeypatch) as thread, Raw(thread) as busy, Raw(thread) as other:
        done = threading.Event()

        def enrol() -> None:
            busy.enrol("patient", speech("bob", 0, 1))
            done.set()

        worker = threading.Thread(target=enrol)
        worker.start()
        time.sleep(0.5)  # the slow embedding is under way now
        while not done.is_set():
            t0 = time.monotonic()
            assert other.ping() == {"type": "pong"}
            latencies.append(time.monotonic() - t0)
            time.sleep(0.1)
        worker.join(10)
    assert latencies, "the enrolment finished before any ping"
    assert max(latencies) < 1.0, latencies


def test_a_failing_engine_answers_500_and_keeps_the_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with sandbox_with_engine(_BrokenEngine, tmp_path, monkeypatch) as thread, Raw(thread) as raw:
        reply = raw.enrol("victim", speech("bob", 0, 1))
        assert reply["status"] == 500 and reply["type"] == "stop_train"
        assert "model exploded" not in reply["data"]  # internals stay in the log
        assert raw.ping() == {"type": "pong"}


def test_a_digit_reader_fills_number(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class Reader:
        def read_digits(self, pcm: Pcm) -> str:
            return f"7 5 3-{len(pcm) % 10}"  # anything not a digit is dropped from the reply

    module = types.ModuleType("desktop.sandbox.engines.digits")
    module.load = Reader  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "desktop.sandbox.engines.digits", module)
    probe = speech("alice", 3)
    with running(tmp_path) as thread, Raw(thread) as raw:
        raw.enrol("alice", speech("alice", 0, 1))
        reply = raw.verify("alice", probe)
    assert reply["status"] == 200
    assert parse_result(reply["data"])[1] == f"753{len(probe) % 10}"
    assert reply["data"].endswith(f";, number = 753{len(probe) % 10}")


def test_a_full_disk_answers_500_and_the_service_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    with running(tmp_path) as thread, Raw(thread) as raw:
        with monkeypatch.context() as patch:
            # The take is inserted, then the transaction fails: nothing of it may stay.
            patch.setattr("desktop.sandbox.voiceprint.db.trim", disk_full)
            failed = raw.enrol("unlucky", speech("dave", 0, 1))
        assert failed["type"] == "stop_train" and failed["status"] == 500
        assert raw.verify("unlucky", speech("dave", 3))["status"] == 404  # nothing half-stored
        assert raw.enrol("unlucky", speech("dave", 0, 1))["status"] == 200
