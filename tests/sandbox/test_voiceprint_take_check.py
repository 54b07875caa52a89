"""Enrolment takes are checked against the speaker's stored takes before they are stored: a take
by another voice under an existing name is refused (400, nothing stored), another take by the
same voice is kept. Through the real sandbox over its wire protocol."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from desktop.sandbox.engines import ge2e, registry
from desktop.sandbox.engines.base import Embedding
from desktop.sandbox.engines.simple import SimpleEngine
from desktop.sandbox.server import SandboxThread
from tests.sandbox.speech import speech
from tests.sandbox.store_support import stored_takes
from tests.sandbox.voiceprint_support import Raw, running


@contextlib.contextmanager
def sandbox_with(engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxThread]:
    monkeypatch.setenv(registry.ENV_ENGINE, engine)
    with running(tmp_path) as thread:
        yield thread


# -- the neural engine on synthetic voices ---------------------------------------------------------


@pytest.mark.skipif(not ge2e.weights_available(), reason="resemblyzer's weights are not installed")
def test_another_voice_under_an_enrolled_name_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with sandbox_with("ge2e", tmp_path, monkeypatch) as thread, Raw(thread) as raw:
        first = raw.enrol("alice", speech("alice", 0, 1))
        intruder = raw.enrol("alice", speech("bob", 2, 3))
        after_intruder = stored_takes(tmp_path, "ge2e", "alice")
        second = raw.enrol("alice", speech("alice", 2, 3))
        bob_as_alice = raw.verify("alice", speech("bob", 4))
    assert first["status"] == 200, first
    assert intruder["type"] == "stop_train" and intruder["status"] == 400, intruder
    assert "Take refused" in intruder["data"] and "alice" in intruder["data"]
    assert "does not sound like the speaker's other takes" in intruder["data"]  # the engine's reason
    assert after_intruder == 1  # nothing of bob was stored
    assert second["status"] == 200 and "recording 2 of" in second["data"], second
    assert stored_takes(tmp_path, "ge2e", "alice") == 2
    assert bob_as_alice["status"] == 403, bob_as_alice


@pytest.mark.skipif(not ge2e.weights_available(), reason="resemblyzer's weights are not installed")
def test_the_refusal_reads_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPW_LANG", "zh")
    with sandbox_with("ge2e", tmp_path, monkeypatch) as thread, Raw(thread) as raw:
        assert raw.enrol("张三", speech("carol", 0, 1))["status"] == 200
        refused = raw.enrol("张三", speech("dave", 2, 3))
    assert refused["status"] == 400, refused
    assert "张三 的本次录入被拒绝" in refused["data"] and "不一致" in refused["data"]


# -- any engine: the check is the engine's, the refusal the service's ------------------------------


class _Checking(SimpleEngine):
    """The simple engine plus a take check whose answer the test sets."""

    name = "checking-test"
    answer: str | None = None
    raise_error = False
    calls: ClassVar[list[int]] = []

    def check_take(self, new: Embedding, existing: Sequence[Embedding]) -> str | None:
        assert isinstance(new, np.ndarray) and all(e.shape == new.shape for e in existing)
        type(self).calls.append(len(existing))
        if type(self).raise_error:
            raise RuntimeError("checker exploded")
        return type(self).answer


@pytest.fixture
def checking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxThread]:
    monkeypatch.setattr(_Checking, "calls", [])
    monkeypatch.setattr(_Checking, "answer", None)
    monkeypatch.setattr(_Checking, "raise_error", False)
    monkeypatch.setitem(registry._FACTORIES, _Checking.name, _Checking)
    with sandbox_with(_Checking.name, tmp_path, monkeypatch) as thread:
        yield thread


def test_the_first_take_is_not_checked_later_ones_are(checking: SandboxThread, tmp_path: Path) -> None:
    with Raw(checking) as raw:
        assert raw.enrol("erin", speech("erin", 0))["status"] == 200
        assert _Checking.calls == []  # nothing to compare with yet
        assert raw.enrol("erin", speech("erin", 1))["status"] == 200
        assert raw.enrol("bob", speech("bob", 1))["status"] == 200  # another name: its own takes
    assert _Checking.calls == [1]
    assert stored_takes(tmp_path, _Checking.name, "erin") == 2


def test_a_refused_take_is_400_with_the_engines_reason_and_nothing_stored(
    checking: SandboxThread, tmp_path: Path
) -> None:
    with Raw(checking) as raw:
        assert raw.enrol("erin", speech("erin", 0))["status"] == 200
        _Checking.answer = "the voice changed"
        refused = raw.enrol("erin", speech("erin", 1))
        assert raw.ping() == {"type": "pong"}  # the connection goes on
        _Checking.answer = None
        kept = raw.enrol("erin", speech("erin", 2))
    assert refused == {
        "status": 400, "type": "stop_train", "data": "Take refused, nothing stored for erin: the voice changed",
    }  # fmt: skip
    assert kept["status"] == 200 and "recording 2 of" in kept["data"]
    assert stored_takes(tmp_path, _Checking.name, "erin") == 2


def test_a_failing_check_stores_nothing_and_answers_500(checking: SandboxThread, tmp_path: Path) -> None:
    with Raw(checking) as raw:
        assert raw.enrol("erin", speech("erin", 0))["status"] == 200
        _Checking.raise_error = True
        failed = raw.enrol("erin", speech("erin", 1))
    assert failed["status"] == 500 and failed["type"] == "stop_train"
    assert "checker exploded" not in failed["data"]  # internals stay in the log
    assert stored_takes(tmp_path, _Checking.name, "erin") == 1


def test_the_simple_engine_offers_no_check() -> None:
    # Deliberate (see SimpleEngine's docstring): its takes of one voice do not agree well enough.
    assert not hasattr(SimpleEngine(), "check_take")
    assert callable(getattr(ge2e.Ge2eEngine, "check_take", None))
