"""CAM++ as the sandbox's engine, through the real sandbox and its wire protocol: enrolment, a take
by another voice refused, verification of the genuine speaker and of an impostor, in both languages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop.sandbox.engines import campp, registry
from tests.sandbox.speech import Voice, speech, synthesize
from tests.sandbox.voiceprint_support import Raw, running

pytestmark = pytest.mark.skipif(not campp.weights_available(), reason="the CAM++ checkpoint is not installed")

ZH_M, ZH_F = Voice("cmn", pitch=40), Voice("cmn+f3", pitch=65)


def zh(voice: Voice, *texts: str) -> np.ndarray:
    gap = np.zeros(4800, np.int16)
    return np.concatenate([part for t in texts for part in (synthesize(t, voice), gap)])


def test_campp_is_the_sandbox_default_and_refuses_an_intruding_take(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(registry.ENV_ENGINE, raising=False)
    with running(tmp_path) as thread, Raw(thread) as raw:
        first = raw.enrol("alice", speech("alice", 0, 1))
        intruder = raw.enrol("alice", speech("bob", 2, 3))
        second = raw.enrol("alice", speech("alice", 2, 3))
        genuine = raw.verify("alice", speech("alice", 4))
        bob_as_alice = raw.verify("alice", speech("bob", 4))
    assert first["status"] == 200, first
    assert intruder["status"] == 400 and "does not sound like the speaker's other takes" in intruder["data"]
    assert second["status"] == 200 and "take 2" in second["data"], second
    assert genuine["status"] == 200, genuine
    assert bob_as_alice["status"] == 403, bob_as_alice


def test_mandarin_speakers_are_told_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(registry.ENV_ENGINE, "campp")
    with running(tmp_path) as thread, Raw(thread) as raw:
        assert (
            raw.enrol("张三", zh(ZH_M, "三一四一五九二六五三", "我的声音就是我的密码，请核对我的身份。"))["status"]
            == 200
        )
        assert (
            raw.enrol("李四", zh(ZH_F, "三一四一五九二六五三", "我的声音就是我的密码，请核对我的身份。"))["status"]
            == 200
        )
        genuine = raw.verify("张三", zh(ZH_M, "今天天气很好，我们一起去公园散步吧。"))
        impostor = raw.verify("张三", zh(ZH_F, "今天天气很好，我们一起去公园散步吧。"))
    assert genuine["status"] == 200, genuine
    assert impostor["status"] == 403, impostor
