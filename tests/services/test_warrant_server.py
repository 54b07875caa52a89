"""The merchant warrant service over HTTP, with the sandbox as SingSound: device tokens, rate
limits, client IPs, answers that carry only the warrant, and no secret in any answer or log."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from desktop.errors import ConfigError
from desktop.sandbox import defaults
from desktop.sandbox.server import SandboxThread
from desktop.services.singsound import WarrantClient
from desktop.services.warrant_server import DeviceTokens, TokenBuckets, WarrantServerThread, WarrantService
from tests.services.singsound_support import calls, reset, singsound_sandbox, urls, warrant_info

TOKEN_A = "device-token-A-0123456789abcdef"
TOKEN_B = "device-token-B-fedcba9876543210"
SECRET = defaults.SINGSOUND_APP_SECRET


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxThread]:
    with singsound_sandbox(tmp_path_factory.mktemp("singsound-sandbox")) as thread:
        yield thread


@pytest.fixture
def sb(sandbox: SandboxThread) -> Iterator[SandboxThread]:
    reset(sandbox)
    yield sandbox
    reset(sandbox)


def start(sb: SandboxThread, secret: str = SECRET, **kw: Any) -> WarrantServerThread:
    client = WarrantClient(urls(sb), defaults.SINGSOUND_APPID, secret, timeout_s=0.5)
    tokens = DeviceTokens(f"tablet-a:{TOKEN_A},{TOKEN_B}")
    return WarrantServerThread(WarrantService(client, tokens, **kw)).start()


@pytest.fixture
def server(sb: SandboxThread) -> Iterator[WarrantServerThread]:
    srv = start(sb, lifetime_s=900)
    yield srv
    srv.stop()


def ask(srv: WarrantServerThread, token: str | None = TOKEN_A, user: Any = "pupil-1", **kw: Any) -> requests.Response:
    headers = dict(kw.pop("headers", {}))
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    body = kw.pop("json", {"user_id": user})
    return requests.post(srv.url, json=body, headers=headers, timeout=5, **kw)


def test_a_known_device_gets_only_the_warrant(server: WarrantServerThread, sb: SandboxThread) -> None:
    r = ask(server)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"warrant_id", "expire_at"}
    assert r.headers["Cache-Control"] == "no-store"
    info = warrant_info(sb, body["warrant_id"])
    assert info is not None and info["user_id"] == "pupil-1" and info["user_client_ip"] == "127.0.0.1"
    assert info["expire_at"] == body["expire_at"]


def test_form_bodies_and_the_second_token_work(server: WarrantServerThread) -> None:
    r = requests.post(
        server.url, data={"user_id": "pupil-2"}, headers={"Authorization": f"Bearer {TOKEN_B}"}, timeout=5
    )
    assert r.status_code == 200 and r.json()["warrant_id"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Bearer {TOKEN_A}x"},
        {"Authorization": f"Bearer {TOKEN_A[:-1]}"},
        {"Authorization": f"Basic {TOKEN_A}"},
        {"Authorization": f"Token {TOKEN_A}"},
        {"Authorization": "Bearer tablet-a"},  # the device's name is not its token
        {"X-Device-Token": TOKEN_A},
    ],
)
def test_missing_or_wrong_token_is_refused(
    server: WarrantServerThread, sb: SandboxThread, headers: dict[str, str]
) -> None:
    r = ask(server, token=None, headers=headers)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
    assert "warrant_id" not in r.text
    assert sum(calls(sb).values()) == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"user_id": ""},
        {"user_id": 42},
        {"user_id": None},
        ["pupil"],
        {"user": "pupil"},
        {"user_id": "a b"},
        {"user_id": "x" * 200},
    ],
)
def test_bad_bodies_are_400(server: WarrantServerThread, sb: SandboxThread, body: Any) -> None:
    r = ask(server, json=body)
    assert r.status_code == 400 and "user" in r.json()["error"] and "{" not in r.json()["error"]
    assert sum(calls(sb).values()) == 0


def test_garbage_and_oversized_bodies(server: WarrantServerThread) -> None:
    auth = {"Authorization": f"Bearer {TOKEN_A}"}
    r = requests.post(server.url, data=b"{not json", headers=auth | {"Content-Type": "application/json"}, timeout=5)
    assert r.status_code == 400
    r = requests.post(server.url, data=b"\xff" * 100, headers=auth | {"Content-Type": "application/json"}, timeout=5)
    assert r.status_code == 400
    r = requests.post(server.url, data={"user_id": "x" * 10_000}, headers=auth, timeout=5)
    assert r.status_code == 413


def test_rate_limit_per_device(sb: SandboxThread) -> None:
    srv = start(sb, rate_per_min=1.0, burst=3)
    try:
        codes = [ask(srv, user=f"p{i}").status_code for i in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = ask(srv, user="p9")
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        assert ask(srv, token=TOKEN_B, user="p10").status_code == 200  # other devices are not affected
    finally:
        srv.stop()


def test_failed_authentication_is_rate_limited_per_peer(sb: SandboxThread) -> None:
    srv = start(sb, rate_per_min=1.0, burst=2)
    try:
        codes = [ask(srv, token=f"guess-{i}-0123456789abcdef").status_code for i in range(4)]
        assert codes == [401, 401, 429, 429]
    finally:
        srv.stop()


def test_token_bucket_refills() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate_per_s=0.5, burst=2, clock=lambda: now[0])
    assert [buckets.take("d"), buckets.take("d")] == [0.0, 0.0]
    assert buckets.take("d") == pytest.approx(2.0)
    now[0] += 2.0
    assert buckets.take("d") == 0.0 and buckets.take("d") > 0
    assert buckets.take("other") == 0.0


def test_trusted_proxy_header_gives_the_client_ip(sb: SandboxThread) -> None:
    srv = start(sb, trusted_proxy_header="X-Forwarded-For")
    try:
        r = ask(srv, headers={"X-Forwarded-For": "10.9.9.9, 203.0.113.50"})
        assert warrant_info(sb, r.json()["warrant_id"])["user_client_ip"] == "203.0.113.50"  # type: ignore[index]
        r = ask(srv, user="pupil-x", headers={"X-Forwarded-For": "not-an-ip"})
        assert warrant_info(sb, r.json()["warrant_id"])["user_client_ip"] == "127.0.0.1"  # type: ignore[index]
    finally:
        srv.stop()


def test_proxy_header_is_ignored_unless_configured(server: WarrantServerThread, sb: SandboxThread) -> None:
    r = ask(server, headers={"X-Forwarded-For": "203.0.113.50"})
    assert warrant_info(sb, r.json()["warrant_id"])["user_client_ip"] == "127.0.0.1"  # type: ignore[index]


def test_repeat_requests_are_served_from_the_cache(server: WarrantServerThread, sb: SandboxThread) -> None:
    first = ask(server).json()
    second = ask(server, token=TOKEN_B).json()
    assert first == second and sum(calls(sb).values()) == 1


def test_concurrent_devices_for_one_user_cost_one_upstream_call(sb: SandboxThread) -> None:
    reset(sb, {"slow": 0.2})
    srv = start(sb, burst=20)
    try:
        barrier = threading.Barrier(6)
        ids: list[str] = []

        def go() -> None:
            barrier.wait(5)
            ids.append(ask(srv, user="same-pupil").json()["warrant_id"])

        threads = [threading.Thread(target=go) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert len(ids) == 6 and len(set(ids)) == 1 and sum(calls(sb).values()) == 1
    finally:
        srv.stop()


def test_upstream_failures_are_explained_not_leaked(sb: SandboxThread) -> None:
    reset(sb, {"down": True})
    srv = start(sb)
    try:
        r = ask(srv)
        assert r.status_code == 504 and "gate-03" in r.json()["error"]
    finally:
        srv.stop()


def test_secret_and_tokens_never_in_any_response_or_log(sb: SandboxThread, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    audit: list[tuple[Any, ...]] = []
    responses: list[str] = []
    # A wrong secret makes SingSound (the sandbox) refuse with 430008, whose message describes the
    # signed string; a right one issues warrants. Exercise refusals, successes and rejections.
    for secret in ("wrong-" + SECRET, SECRET):
        srv = start(sb, secret=secret, audit=lambda *a: audit.append(a), rate_per_min=60, burst=5)
        try:
            for token in (TOKEN_A, TOKEN_B, "bad-token-0123456789abcdef", None):
                for user in ("pupil-s", "pupil-t", ""):
                    r = ask(srv, token=token, user=user)
                    responses.append(r.text + repr(dict(r.headers)))
        finally:
            srv.stop()
    assert any('"code": "430008"' in text for text in responses)  # the refusal path was exercised
    assert any("warrant_id" in text for text in responses)  # and the success path
    logged = "\n".join(rec.getMessage() + repr(rec.args) + str(rec.exc_info) for rec in caplog.records)
    assert caplog.records  # something was logged, so the scan means something
    for needle in (SECRET, TOKEN_A, TOKEN_B):
        assert needle not in logged
        assert not any(needle in text for text in responses)
        assert needle not in repr(audit)
    assert audit and any(entry[3] is not None for entry in audit) and any(entry[4] is not None for entry in audit)


def test_device_token_configuration() -> None:
    tokens = DeviceTokens(f" tablet-a : {TOKEN_A} , {TOKEN_B},, ")
    assert len(tokens) == 2
    assert tokens.identify(TOKEN_A) == "tablet-a" and tokens.identify(TOKEN_B) == "device-2"
    assert tokens.identify("") is None and tokens.identify("é" + TOKEN_A) is None
    assert TOKEN_A not in repr(tokens)
    with pytest.raises(ConfigError):
        DeviceTokens("")
    with pytest.raises(ConfigError):
        DeviceTokens("short")
    with pytest.raises(ConfigError):
        TokenBuckets(0, 1)


def test_from_settings(sb: SandboxThread) -> None:
    from desktop.config import sandbox_profile

    p = sandbox_profile(port=sb.port)
    p.singsound.device_tokens = TOKEN_A
    service = WarrantService.from_settings(p.singsound)
    assert len(service.tokens) == 1 and service.lifetime_s == 7200
    p.singsound.device_tokens = ""
    with pytest.raises(ConfigError, match="VPW_WARRANT_DEVICE_TOKENS"):
        WarrantService.from_settings(p.singsound)


def test_health_needs_no_token(server: WarrantServerThread) -> None:
    r = requests.get(server.url.replace("/warrant", "/health"), timeout=5)
    assert r.json() == {"ok": True}
