"""``vpw call`` and ``vpw callbacks`` in-process against a real sandbox (conftest's ``sandbox``)."""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from desktop import config
from desktop.cli import main
from desktop.sandbox import defaults
from desktop.store.calls import CallStore
from tests.services.voicecall_support import callback_headers, fast, sandbox_calls, wait_until

CALLEE = "+8613800000001"


@pytest.fixture(autouse=True)
def any_callback_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPW_VOICECALL_CALLBACK_PORT", "0")


def stored() -> CallStore:
    return CallStore(config.data_dir() / "history.sqlite3")


def test_call_and_follow_it(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    fast(sandbox)
    assert main(["call", "--callee", "+86 138 0000 0001", "--code", "4321", "--times", "3", "--wait"]) == 0
    out = capsys.readouterr().out
    assert "Verification code: 4321" in out
    for text in ["Dialling", "ringing", "Answered", "ended normally", "Bill CAE-"]:
        assert text in out, text
    store = stored()
    (call,) = store.calls()
    assert call["callee"] == CALLEE and call["resultcode"] == "0" and call["times"] == 3 and call["code_length"] == 4
    assert "4321" not in json.dumps(call)  # the code itself is not kept
    assert [e["event_type"] for e in store.events(call["session_id"])] == [
        "callout",
        "alerting",
        "answer",
        "disconnect",
    ]
    assert len(store.bills(call["session_id"])) == 1
    store.close()


def test_call_json_prints_the_platforms_answer(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    fast(sandbox)
    assert main(["call", "--callee", CALLEE, "--idle-port", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["answer"]["resultcode"] == "0" and doc["answer"]["idlePort"] == "10"
    assert doc["sessionId"] == doc["answer"]["sessionId"] and len(doc["verifyCode"]) == 6
    assert main(["call", "--callee", CALLEE, "--json", "--wait"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [e["eventType"] for e in doc["events"]] == ["callout", "alerting", "answer", "disconnect"]
    assert doc["stateCode"] == "0" and len(doc["bills"]) == 1


def test_chinese_output(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    fast(sandbox)
    assert main(["--lang", "zh", "call", "--callee", CALLEE, "--lang", "2", "--wait"]) == 0
    out = capsys.readouterr().out
    assert "验证码" in out and "通话正常结束" in out and "话单" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--callee", "13800000001"],
        ["--callee", CALLEE, "--code", "1"],
        ["--callee", CALLEE, "--times", "12"],
        ["--callee", CALLEE, "--lang", "zh"],
        ["--callee", CALLEE, "--pretone", "x.mp3"],
        ["--callee", CALLEE, "--status-url", "ftp://x/status"],
        ["--callee", CALLEE, "--display", "0571"],
    ],
)
def test_bad_input_exits_2_and_sends_nothing(sandbox: Any, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert main(["call", *args, "--wait"]) == 2
    err = capsys.readouterr().err
    assert err.strip() and "Traceback" not in err
    assert sandbox_calls(sandbox.port) == {}


def test_refusal_exits_1_and_is_recorded(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["call", "--callee", CALLEE, "--display", "+8657199999999"]) == 1
    assert "display number" in capsys.readouterr().err.lower()
    store = stored()
    assert [(c["session_id"], c["resultcode"]) for c in store.calls()] == [(None, "1010023")]
    store.close()
    assert main(["call", "--callee", CALLEE, "--display", "+8657199999999", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False and doc["resultcode"] == "1010023" and "display number" in doc["error"].lower()


def test_wrong_secret_exits_3(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VPW_VOICECALL_APP_SECRET", "wrong-secret-value")
    assert main(["call", "--callee", CALLEE]) == 3
    err = capsys.readouterr().err
    assert "1010010" in err and "wrong-secret-value" not in err


def test_created_zone_retry_says_which_setting_worked_and_the_fix(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The platform wants Beijing time: the 1010013 is retried once on UTC+8, which works, and the
    # operator is told which setting to keep (the call is placed once, not twice).
    fast(sandbox, created_zone="UTC+8")
    assert main(["call", "--callee", CALLEE]) == 0
    out = capsys.readouterr().out
    assert "VPW_VOICECALL_CREATED_ZONE=UTC+8" in out and "accepted it on UTC+8" in out
    assert len(sandbox_calls(sandbox.port)) == 1
    assert main(["call", "--callee", CALLEE, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["createdZone"] == "UTC+8" and "UTC+8" in doc["notes"][0]
    monkeypatch.setenv("VPW_VOICECALL_CREATED_ZONE", "UTC+8")
    assert main(["call", "--callee", CALLEE, "--wait"]) == 0
    assert "Note:" not in capsys.readouterr().out


def test_a_clock_wrong_in_both_zones_exits_3_and_says_so(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    fast(sandbox, created_skew=3 * 3600)
    assert main(["call", "--callee", CALLEE]) == 3
    err = capsys.readouterr().err
    assert "1010013" in err or "Created" in err
    assert "clock" in err and "Traceback" not in err


def test_unanswered_call_exits_1(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    fast(sandbox, no_answer=True)
    assert main(["call", "--callee", CALLEE, "--wait"]) == 1
    assert "Nobody answered" in capsys.readouterr().out


def test_wait_without_callbacks_times_out_readably(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    fast(sandbox)
    code = main(
        [
            "call",
            "--callee",
            CALLEE,
            "--wait",
            "--wait-timeout",
            "0.5",
            "--status-url",
            "http://127.0.0.1:9/status",
            "--fee-url",
            "http://127.0.0.1:9/fee",
        ]
    )
    assert code == 3
    assert "No end of call" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_callbacks_command_receives_and_refuses(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    port = _free_port()
    result: dict[str, int] = {}
    args = ["callbacks", "--strict", "--port", str(port), "--duration", "1.5"]
    t = threading.Thread(target=lambda: result.update(rc=main(args)))
    t.start()
    base = f"http://127.0.0.1:{port}"
    assert wait_until(lambda: _up(base), 5)
    url = base + "/status"
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    doc = {"eventType": "alerting", "statusInfo": {"sessionId": "cli-1", "timestamp": "2026-01-01 00:00:00"}}
    good = callback_headers(defaults.VOICECALL_APP_KEY, defaults.VOICECALL_APP_SECRET, url, secrets.token_hex(8), when)
    forged = callback_headers(defaults.VOICECALL_APP_KEY, "guess", url, secrets.token_hex(8), when)
    assert requests.post(url, json=doc, headers=good, timeout=5).status_code == 200
    assert requests.post(url, json=doc, headers=forged, timeout=5).status_code == 401
    t.join(10)
    assert result["rc"] == 0
    captured = capsys.readouterr()
    assert "strict mode refuses" in captured.out
    assert "ringing" in captured.out and "cli-1" in captured.out and "REFUSED" in captured.out
    assert "Stored 1" in captured.err and "refused 1" in captured.err
    store = stored()
    assert len(store.events("cli-1")) == 1 and store.rejected()[0]["reason"] == "bad_digest"
    store.close()


def _up(base: str) -> bool:
    try:
        return requests.get(base + "/", timeout=0.5).ok
    except requests.RequestException:
        time.sleep(0.05)
        return False


def test_callbacks_command_records_by_default_and_shows_each_mark(
    sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _free_port()
    result: dict[str, int] = {}
    args = ["callbacks", "--port", str(port), "--duration", "1.5"]
    t = threading.Thread(target=lambda: result.update(rc=main(args)))
    t.start()
    base = f"http://127.0.0.1:{port}"
    assert wait_until(lambda: _up(base), 5)
    url = base + "/status"
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    key, secret = defaults.VOICECALL_APP_KEY, defaults.VOICECALL_APP_SECRET

    def doc(sid: str) -> dict[str, Any]:
        return {"eventType": "alerting", "statusInfo": {"sessionId": sid, "timestamp": "2026-01-01 00:00:00"}}

    good = callback_headers(key, secret, url, secrets.token_hex(8), when)
    forged = callback_headers(key, "guess", url, secrets.token_hex(8), when)
    assert requests.post(url, json=doc("rec-1"), headers=good, timeout=5).status_code == 200
    assert requests.post(url, json=doc("rec-2"), headers=forged, timeout=5).status_code == 200
    assert requests.post(url, json=doc("rec-3"), timeout=5).status_code == 200
    assert requests.post(url, data=b"\x00not json", timeout=5).status_code == 200
    t.join(10)
    assert result["rc"] == 0
    captured = capsys.readouterr()
    assert "every push is stored with its mark" in captured.out
    lines = captured.out.splitlines()
    assert any("rec-1" in x and "[verified]" in x for x in lines)
    assert any("rec-2" in x and "[BAD SIGNATURE]" in x for x in lines)
    assert any("rec-3" in x and "[unverified]" in x for x in lines)
    assert any("KEPT an unreadable push" in x for x in lines) and "REFUSED" not in captured.out
    assert "Stored 3 (verified 1, unverified 1, bad signature 1" in captured.err and "kept raw 1" in captured.err
    store = stored()
    assert [e["signature"] for e in store.events()] == ["verified", "bad_signature", "unverified"]
    assert store.rejected() == [] and len(store.unparsed()) == 1
    store.close()


def test_strict_callbacks_without_a_secret_is_a_readable_error(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VPW_VOICECALL_APP_SECRET", "")
    monkeypatch.setenv("VPW_VOICECALL_CALLBACK_MODE", "strict")
    code = main(["callbacks", "--port", "0", "--duration", "0.1"])
    err = capsys.readouterr().err
    assert code == 2 and "app_secret" in err and "Traceback" not in err


def test_callbacks_json_carries_the_mark(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    port = _free_port()
    result: dict[str, int] = {}
    args = ["callbacks", "--json", "--port", str(port), "--duration", "1.0"]
    t = threading.Thread(target=lambda: result.update(rc=main(args)))
    t.start()
    base = f"http://127.0.0.1:{port}"
    assert wait_until(lambda: _up(base), 5)
    doc = {"eventType": "fee", "feeLst": [{"icid": "CAE-json", "sessionId": "j-1"}]}
    assert requests.post(base + "/fee", json=doc, timeout=5).status_code == 200
    t.join(10)
    assert result["rc"] == 0
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert line["kind"] == "fee" and line["signature"] == "unverified"
    assert "no Authorization or X-AKSK" in line["signatureDetail"] and line["data"]["icid"] == "CAE-json"
