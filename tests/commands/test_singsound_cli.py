"""``vpw warrant`` and ``vpw warrant-server`` in-process against the real sandbox (conftest's
``sandbox`` fixture: every service on a free port, the sandbox profile pointed at it)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from desktop import config
from desktop.cli import main
from desktop.commands import singsound as singsound_cmd
from desktop.sandbox import defaults
from desktop.store.warrants import WarrantLog, warrant_ref

TOKEN = "cli-test-device-token-0123456789"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def faults(sandbox: Any, switches: dict[str, Any]) -> None:
    r = requests.post(f"http://127.0.0.1:{sandbox.port}/_sandbox/faults", json={"singsound": switches}, timeout=5)
    r.raise_for_status()


def audit_rows() -> list[Any]:
    log = WarrantLog(config.data_dir() / "history.sqlite3")
    try:
        return log.recent()
    finally:
        log.close()


def test_warrant_prints_the_warrant_and_the_gateway(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "warrant", "--user-id", "pupil-1", "--client-ip", "203.0.113.5")
    assert code == 0, err
    assert "warrant_id: " in out and "gate-01/auth/authorize" in out and "in 7" in out
    rows = audit_rows()
    assert rows[0].outcome == "issued" and rows[0].origin == "cli" and rows[0].user_id == "pupil-1"
    assert rows[0].gateway.endswith("gate-01/auth/authorize")
    warrant_id = out.split("warrant_id: ")[1].split()[0]
    assert rows[0].warrant_ref == warrant_ref(warrant_id) and warrant_id not in repr(rows)


def test_warrant_json_with_lifetime_and_fail_over(sandbox: Any, capsys: pytest.CaptureFixture[str]) -> None:
    faults(sandbox, {"gate-01.down": "close", "gate-02.code_430009": True})
    code, out, err = run_cli(
        capsys, "warrant", "--user-id", "pupil-2", "--client-ip", "2001:db8::5", "--lifetime", "300", "--json"
    )
    assert code == 0, err
    body = json.loads(out)
    assert body["gateway"].endswith("gate-03/auth/authorize") and body["user_id"] == "pupil-2"
    assert [s["gateway"].split("/")[-3] for s in body["skipped"]] == ["gate-01", "gate-02"]
    info = requests.get(f"http://127.0.0.1:{sandbox.port}/singsound/_warrants/{body['warrant_id']}", timeout=5).json()
    assert info["expire_at"] == body["expire_at"] and info["user_client_ip"] == "2001:db8::5"
    assert abs(body["expire_at"] - 300 - time.time()) < 5  # the requested lifetime, not 7200


@pytest.mark.parametrize(
    "argv",
    [
        ["--user-id", "pupil", "--client-ip", "not-an-ip"],
        ["--user-id", "has space", "--client-ip", "10.0.0.1"],
        ["--user-id", "pupil", "--client-ip", "10.0.0.1", "--lifetime", "soon"],
        ["--user-id", "pupil", "--client-ip", "10.0.0.1", "--lifetime", "0"],
    ],
)
def test_bad_input_exits_2_with_a_sentence(sandbox: Any, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run_cli(capsys, "warrant", *argv)
    assert code == 2 and out == "" and err.strip() and "Traceback" not in err


def test_wrong_secret_is_explained_and_exits_3(
    sandbox: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VPW_SINGSOUND_APP_SECRET", "an-operator-typo-secret")
    code, out, err = run_cli(capsys, "warrant", "--user-id", "pupil-3", "--client-ip", "203.0.113.5")
    assert code == 3 and out == ""
    assert "430008" in err and "signature" in err and "an-operator-typo-secret" not in err
    rows = audit_rows()
    assert rows[0].outcome == "refused" and rows[0].code == "430008"
    assert "an-operator-typo-secret" not in repr(rows)


def test_chinese_messages(sandbox: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPW_SINGSOUND_APPID", "unknown-appid")
    code, _, err = run_cli(capsys, "--lang", "zh", "warrant", "--user-id", "p", "--client-ip", "10.0.0.1")
    assert code == 3 and "430005" in err and "测试环境" in err


def test_all_gateways_down_exits_3(
    sandbox: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VPW_SINGSOUND_TIMEOUT_S", "0.3")
    faults(sandbox, {"down": True, "gate-03.slow": 1.0})
    code, _, err = run_cli(capsys, "warrant", "--user-id", "p", "--client-ip", "10.0.0.1")
    assert code == 3 and "gate-01" in err and "gate-02" in err and "0.3 s" in err


def test_warrant_server_refuses_to_start_without_device_tokens(
    sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "warrant-server", "--port", "0")
    assert code == 2 and "VPW_WARRANT_DEVICE_TOKENS" in err


def test_warrant_server_serves_devices(
    sandbox: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VPW_WARRANT_DEVICE_TOKENS", f"tablet-1:{TOKEN}")
    seen: dict[str, Any] = {}

    def drive(server: Any) -> None:
        ok = requests.post(
            server.url, json={"user_id": "pupil-9"}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5
        )
        bad = requests.post(server.url, json={"user_id": "pupil-9"}, timeout=5)
        seen.update(ok=ok.status_code, body=ok.json(), bad=bad.status_code, url=server.url)

    monkeypatch.setattr(singsound_cmd, "wait_until_interrupted", drive)
    code, out, err = run_cli(capsys, "warrant-server", "--host", "127.0.0.1", "--port", "0")
    assert code == 0, err
    assert seen["ok"] == 200 and set(seen["body"]) == {"warrant_id", "expire_at"} and seen["bad"] == 401
    assert seen["url"] in out and "1 device" in out and TOKEN not in out + err
    assert defaults.SINGSOUND_APP_SECRET not in out + err
    rows = audit_rows()
    assert rows[0].origin == "device:tablet-1" and rows[0].user_id == "pupil-9" and rows[0].client_ip == "127.0.0.1"
    with pytest.raises(requests.ConnectionError):  # stopped with the command
        requests.get(seen["url"].replace("/warrant", "/health"), timeout=2)


def test_help_lists_both_commands(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "warrant-server" in out and "warrant" in out
