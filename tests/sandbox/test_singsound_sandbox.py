"""The sandbox's /auth/authorize on the wire: field checks in the seed's order, the signature,
lifetimes, form encodings, fault switches and the call counters. Signs with hashlib directly,
never with the client, so a shared mistake cannot pass both."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from desktop.sandbox import defaults
from desktop.sandbox.server import SandboxThread
from tests.services.singsound_support import base, calls, reset, singsound_sandbox, urls, warrant_info

APPID, SECRET = defaults.SINGSOUND_APPID, defaults.SINGSOUND_APP_SECRET


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxThread]:
    with singsound_sandbox(tmp_path_factory.mktemp("singsound-sandbox")) as thread:
        yield thread


@pytest.fixture
def sb(sandbox: SandboxThread) -> Iterator[SandboxThread]:
    reset(sandbox)
    yield sandbox
    reset(sandbox)


def signed_form(
    user: str = "u-1",
    ip: str = "198.51.100.4",
    ts: str | None = None,
    secret: str = SECRET,
    appid: str = APPID,
    **extra: str,
) -> dict[str, str]:
    ts = ts or str(int(time.time()))
    text = f"app_secret={secret}&appid={appid}&timestamp={ts}&user_client_ip={ip}&user_id={user}"
    form = {
        "appid": appid,
        "timestamp": ts,
        "user_id": user,
        "user_client_ip": ip,
        "request_sign": hashlib.md5(text.encode()).hexdigest(),
    }
    form.update(extra)
    return form


def post(thread: SandboxThread, form: dict[str, str] | None, gate: int = 0, **kw: Any) -> requests.Response:
    return requests.post(urls(thread)[gate], data=form, timeout=5, **kw)


def test_good_request_gets_a_warrant_for_the_default_lifetime(sb: SandboxThread) -> None:
    body = post(sb, signed_form()).json()
    assert body["code"] == 0 and body["message"] == "success"
    data = body["data"]
    assert data["expire_at"] - int(data["timestamp"]) == 7200
    assert data["user_data"] == {"user_id": "u-1"} and len(data["warrant_id"]) >= 20
    assert warrant_info(sb, data["warrant_id"])["valid"] is True  # type: ignore[index]


def test_requested_lifetime_is_honoured_and_multipart_works(sb: SandboxThread) -> None:
    form = signed_form(warrant_available="120")
    resp = requests.post(urls(sb)[1], files={k: (None, v) for k, v in form.items()}, timeout=5)
    data = resp.json()["data"]
    assert data["expire_at"] - int(data["timestamp"]) == 120


def test_warrant_available_is_not_signed(sb: SandboxThread) -> None:
    # Changing it after signing must not break the signature.
    assert post(sb, signed_form(warrant_available="60")).json()["code"] == 0


@pytest.mark.parametrize("bad", ["0", "-3", "abc", "1.5"])
def test_bad_lifetime_is_refused(sb: SandboxThread, bad: str) -> None:
    assert post(sb, signed_form(warrant_available=bad)).status_code == 400


def _without(form: dict[str, str], *names: str) -> dict[str, str]:
    return {k: v for k, v in form.items() if k not in names}


@pytest.mark.parametrize(
    ("drop", "code"),
    [
        (("appid", "timestamp", "user_id", "user_client_ip", "request_sign"), 430001),
        (("timestamp",), 430002),
        (("timestamp", "request_sign", "appid"), 430002),  # the earliest check wins
        (("request_sign",), 430003),
        (("request_sign", "appid", "user_id"), 430003),
        (("appid",), 430004),
        (("appid", "user_id", "user_client_ip"), 430004),
        (("user_id",), 430006),
        (("user_id", "user_client_ip"), 430006),
        (("user_client_ip",), 430007),
    ],
)
def test_missing_fields_in_the_seeds_order(sb: SandboxThread, drop: tuple[str, ...], code: int) -> None:
    body = post(sb, _without(signed_form(), *drop)).json()
    assert body["code"] == code and body["message"]


def test_empty_values_count_as_missing(sb: SandboxThread) -> None:
    assert post(sb, signed_form() | {"user_id": ""}).json()["code"] == 430006


def test_unknown_appid_is_430005_before_a_missing_user(sb: SandboxThread) -> None:
    form = _without(signed_form(appid="someone-else"), "user_id")
    assert post(sb, form).json()["code"] == 430005


@pytest.mark.parametrize(
    "forge",
    [
        lambda f: f | {"request_sign": f["request_sign"].upper()},
        lambda f: f | {"request_sign": "0" * 32},
        lambda f: f | {"user_id": "someone-else"},  # signed for another user
        lambda f: f | {"user_client_ip": "192.0.2.1"},
        lambda f: signed_form(secret="wrong-secret"),
        lambda f: signed_form(ts=str(int(time.time()) - 1)) | {"timestamp": str(int(time.time()))},
    ],
)
def test_forged_or_mismatched_signatures_are_430008(sb: SandboxThread, forge: Any) -> None:
    body = post(sb, forge(signed_form())).json()
    assert body["code"] == 430008
    assert SECRET not in body["message"] and "app_secret=***" in body["message"]


@pytest.mark.parametrize("ts", ["1603885321123", "160388532", "16038853xx", " "])
def test_timestamp_must_be_ten_digits(sb: SandboxThread, ts: str) -> None:
    assert post(sb, signed_form(ts=ts)).json()["code"] == 430002


def test_garbage_bodies_are_430001(sb: SandboxThread) -> None:
    assert post(sb, None).json()["code"] == 430001
    r = requests.post(
        urls(sb)[0], data=b"\x00\xff garbage", timeout=5, headers={"Content-Type": "application/octet-stream"}
    )
    assert r.json()["code"] == 430001
    r = requests.post(urls(sb)[0], json=signed_form(), timeout=5)  # JSON is not a form
    assert r.json()["code"] == 430001
    r = requests.post(
        urls(sb)[0], data=b"--x\r\nbroken", timeout=5, headers={"Content-Type": "multipart/form-data; boundary=x"}
    )
    assert r.json()["code"] == 430001


def test_unknown_gateway_is_404(sb: SandboxThread) -> None:
    r = requests.post(f"{base(sb)}/gate-07/auth/authorize", data=signed_form(), timeout=5)
    assert r.status_code == 404


def test_faults_per_gateway_and_counters(sb: SandboxThread) -> None:
    reset(sb, {"gate-01.down": True, "gate-02.code_430009": True, "gate-03.msg_key": "msg"})
    assert post(sb, signed_form(), 0).status_code == 500
    assert post(sb, signed_form(), 1).json()["code"] == 430009
    body = post(sb, signed_form(), 2).json()
    assert body["code"] == 0 and body["msg"] == "success" and "message" not in body
    assert calls(sb) == {"gate-01": 1, "gate-02": 1, "gate-03": 1}
    reset(sb)
    assert calls(sb) == {"gate-01": 0, "gate-02": 0, "gate-03": 0}


def test_fault_for_all_gateways_and_custom_status(sb: SandboxThread) -> None:
    reset(sb, {"down": 503})
    assert [post(sb, signed_form(), g).status_code for g in range(3)] == [503, 503, 503]


def test_down_close_drops_the_connection(sb: SandboxThread) -> None:
    reset(sb, {"gate-02.down": "close"})
    with pytest.raises(requests.ConnectionError):
        post(sb, signed_form(), 1)
    assert post(sb, signed_form(), 0).json()["code"] == 0


def test_slow_delays_the_answer(sb: SandboxThread) -> None:
    reset(sb, {"gate-01.slow": 0.5})
    with pytest.raises(requests.Timeout):
        requests.post(urls(sb)[0], data=signed_form(), timeout=0.2)
    started = time.monotonic()
    assert post(sb, signed_form(), 1).json()["code"] == 0
    assert time.monotonic() - started < 0.4


def test_warrant_lookup_of_an_unknown_id(sb: SandboxThread) -> None:
    assert warrant_info(sb, "nope") is None
