"""``vpw enroll`` / ``vpw verify`` end to end against a real sandbox (in-process CLI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests
import soundfile as sf

from desktop.cli import main
from tests.sandbox.speech import speech


def _wav(tmp_path: Path, name: str, pcm: np.ndarray, rate: int = 16000) -> Path:
    path = tmp_path / f"{name}.wav"
    sf.write(path, pcm, rate, subtype="PCM_16")
    return path


@pytest.fixture
def takes(tmp_path: Path) -> dict[str, Path]:
    return {
        "alice_enrol": _wav(tmp_path, "alice_enrol", speech("alice", 0, 1, 2)),
        "alice_probe": _wav(tmp_path, "alice_probe", speech("alice", 3, 4)),
        "bob_enrol": _wav(tmp_path, "bob_enrol", speech("bob", 0, 1, 2)),
        "bob_probe": _wav(tmp_path, "bob_probe", speech("bob", 3, 4)),
        "short": _wav(tmp_path, "short", speech("alice", 0)[:8000]),
    }


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    if "--json" in argv and out.strip():
        return code, json.loads(out), err
    return code, out, err


def faults(sandbox: Any, switches: dict[str, Any]) -> None:
    r = requests.post(f"http://127.0.0.1:{sandbox.port}/_sandbox/faults", json={"voiceprint": switches}, timeout=5)
    r.raise_for_status()


def enrol_both(capsys: pytest.CaptureFixture[str], takes: dict[str, Path]) -> None:
    for who in ("alice", "bob"):
        code, out, _ = run_cli(capsys, "enroll", "--consent", "--user", who, str(takes[f"{who}_enrol"]), "--json")
        assert code == 0, out
        assert isinstance(out, dict) and out["status"] == 200 and out["accepted"] is True


def test_enrol_two_and_verify_each_way(
    sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    enrol_both(capsys, takes)
    for who, other in (("alice", "bob"), ("bob", "alice")):
        code, out, _ = run_cli(capsys, "verify", "--user", who, str(takes[f"{who}_probe"]), "--json")
        assert code == 0, out
        assert isinstance(out, dict)
        assert out["accepted"] is True and out["status"] == 200 and out["replayed"] is False
        assert out["candidates"][0]["name"] == who
        assert {c["name"] for c in out["candidates"]} == {"alice", "bob"}
        for key in ("status", "accepted", "candidates", "number", "prompt", "digits_match", "replayed", "raw"):
            assert key in out
        # The other speaker's take claims this user: the service says no, exit 1.
        code, out, _ = run_cli(capsys, "verify", "--user", who, str(takes[f"{other}_probe"]), "--json")
        assert code == 1, out
        assert isinstance(out, dict) and out["accepted"] is False and out["status"] != 200
    # Human-readable output names the decision and the candidates.
    code, text, _ = run_cli(capsys, "verify", "--user", "alice", str(takes["alice_probe"]))
    assert code == 0 and "ACCEPTED: alice" in str(text) and "bob" in str(text)
    # Every attempt went to the history.
    code, rows, _ = run_cli(capsys, "history", "--json")
    assert code == 0
    assert isinstance(rows, list)
    decisions = [r["decision"] for r in rows]
    assert decisions.count("enrolled") == 2 and decisions.count("accepted") == 3 and decisions.count("rejected") == 2


def test_wrong_appcode_exit_3_names_apig_code(
    sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VPW_VOICEPRINT_APPCODE", "wrong" * 13)
    code, _, err = run_cli(capsys, "enroll", "--consent", "--user", "alice", str(takes["alice_enrol"]))
    assert code == 3
    assert "APIG.0303" in err and "AppCode" in err
    assert "wrong" * 13 not in err  # the secret itself is never echoed


def test_too_short_enrolment_exit_1(sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "enroll", "--consent", "--user", "alice", str(takes["short"]), "--json")
    assert code == 1
    assert isinstance(out, dict) and out["accepted"] is False and out["status"] != 200


def test_drop_mid_verification_is_replayed(
    sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    enrol_both(capsys, takes)
    faults(sandbox, {"drop_after_frames": 5, "drop_times": 1})
    code, out, _ = run_cli(capsys, "verify", "--user", "alice", str(takes["alice_probe"]), "--json")
    assert code == 0, out
    assert isinstance(out, dict) and out["accepted"] is True and out["replayed"] is True
    assert out["audio_s"] == pytest.approx(len(speech("alice", 3, 4)) / 16000, abs=0.01)


def test_prompt_digits_compared(sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    enrol_both(capsys, takes)
    code, out, _ = run_cli(capsys, "verify", "--user", "alice", "--prompt", "4711", str(takes["alice_probe"]), "--json")
    assert isinstance(out, dict) and out["prompt"] == "4711"
    # The probe reads no digits: either the engine heard none (not compared) or others (mismatch).
    if out["number"]:
        assert out["digits_match"] is False and code == 1
    else:
        assert out["digits_match"] is None and code == 0


def test_unknown_messages_and_garbage(sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    enrol_both(capsys, takes)
    faults(sandbox, {"unknown_message": True})
    code, out, _ = run_cli(capsys, "verify", "--user", "alice", str(takes["alice_probe"]), "--json")
    assert code == 0, out
    faults(sandbox, {"unknown_message": None, "garbage": True})
    code, out, _ = run_cli(capsys, "verify", "--user", "alice", str(takes["alice_probe"]), "--json")
    assert code == 3  # nothing was decided: not a rejection
    assert isinstance(out, dict) and out["checked"] is False and out["accepted"] is False and out["raw"]
    code, rows, _ = run_cli(capsys, "history", "--json", "--limit", "1")
    assert isinstance(rows, list) and rows[0]["decision"] == "not_checked"


def test_reply_that_never_comes_times_out(
    sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VPW_VOICEPRINT_REPLY_TIMEOUT_S", "1.5")
    faults(sandbox, {"never_reply": True})
    code, _, err = run_cli(capsys, "enroll", "--consent", "--user", "alice", str(takes["alice_enrol"]))
    assert code == 3 and "did not answer within 1.5 s" in err


@pytest.mark.parametrize(("status", "code_name"), [(403, "APIG.0304"), (429, "APIG.0308")])
def test_gateway_refusals(
    sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str], status: int, code_name: str
) -> None:
    faults(sandbox, {"auth_status": status})
    code, _, err = run_cli(capsys, "enroll", "--consent", "--user", "alice", str(takes["alice_enrol"]))
    assert code == 3 and code_name in err


def test_unreachable_service_exit_3(
    takes: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VPW_PROFILE", "sandbox")
    monkeypatch.setenv("VPW_VOICEPRINT_URL", "ws://127.0.0.1:9/voiceprint")  # nothing listens on port 9
    code, _, err = run_cli(capsys, "enroll", "--consent", "--user", "alice", str(takes["alice_enrol"]))
    assert code == 3 and "Cannot reach" in err


def test_bad_input_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF\x00\x00junk")
    code, _, err = run_cli(capsys, "enroll", "--consent", "--user", "alice", str(junk))
    assert code == 2 and err.strip() and "\n" not in err.strip()
    code, _, err = run_cli(capsys, "verify", "--user", "a;b", str(junk))
    assert code == 2
    code, _, err = run_cli(capsys, "enroll", "--consent", "--user", "alice")
    assert code == 2 and "--mic" in err
    code, _, _ = run_cli(capsys, "verify", "--user", "alice", "--prompt", "12ab", str(junk))
    assert code == 2


def test_cli_starts_its_own_sandbox_when_none_listens(
    takes: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as s:  # a free port for this test's sandbox
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("VPW_SANDBOX_PORT", str(port))
    code, out, _ = run_cli(capsys, "enroll", "--consent", "--user", "alice", str(takes["alice_enrol"]), "--json")
    assert code == 0, out
    # State is on disk: a second in-process sandbox sees the speaker enrolled by the first.
    code, out, _ = run_cli(capsys, "verify", "--user", "alice", str(takes["alice_probe"]), "--json")
    assert code == 0 and isinstance(out, dict) and out["candidates"][0]["name"] == "alice"


def test_verifying_a_name_nobody_enrolled_says_not_enrolled(
    sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 14: a 404 is NOT ENROLLED, never REJECTED (exit 1 all the same: nobody was verified).
    enrol_both(capsys, takes)
    code, text, _ = run_cli(capsys, "verify", "--user", "carol", str(takes["alice_probe"]))
    assert code == 1 and "NOT ENROLLED: carol" in str(text) and "REJECTED" not in str(text)
    code, rows, _ = run_cli(capsys, "history", "--json")
    assert isinstance(rows, list) and rows[0]["decision"] == "not_enrolled"


def test_a_mic_verification_on_the_sandbox_asks_for_english_digits(
    sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    enrol_both(capsys, takes)
    probe = sf.read(takes["alice_probe"], dtype="int16")[0]
    monkeypatch.setattr("desktop.audio.capture.record", lambda seconds, device=None: probe)
    code, _out, err = run_cli(capsys, "verify", "--user", "alice", "--mic", "3")
    assert code in (0, 1), err
    asked = [line for line in err.splitlines() if "Read these digits aloud" in line]
    assert asked and "in English" in asked[0] and asked[0][-8:].isdigit()
