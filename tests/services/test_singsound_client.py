"""WarrantClient against a scripted transport: reply parsing, error mapping, cache timing,
single flight and the secret's absence from everything it produces."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from desktop.errors import AuthFailure, ConfigError, ConnectionFailure, InputError, ProtocolFailure, ServiceRefused
from desktop.services.singsound import WarrantClient, request_sign

SECRET = "TopSecretAppSecret-0123456789"
URLS = ["https://gate-01.example/auth/authorize", "https://gate-02.example/auth/authorize"]


class FakeResponse:
    def __init__(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.status_code = status
        self._body = body
        self.headers = headers or {}

    def iter_content(self, size: int) -> Any:
        for i in range(0, len(self._body), size):
            yield self._body[i : i + size]

    def close(self) -> None:
        pass


Handler = Callable[[str, dict[str, str]], FakeResponse]


class FakeSession:
    """Records every POST and answers with ``handler(url, form)`` (which may raise)."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.posts: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.lock = threading.Lock()

    def post(self, url: str, data: dict[str, str], **kw: Any) -> FakeResponse:
        with self.lock:
            self.posts.append((url, dict(data), kw))
        return self.handler(url, dict(data))

    def close(self) -> None:
        pass


def ok(warrant_id: str = "w-1", lifetime: int = 7200, key: str = "message", **extra: Any) -> Handler:
    def handler(url: str, form: dict[str, str]) -> FakeResponse:
        now = int(form["timestamp"])
        data = {"warrant_id": warrant_id, "expire_at": now + lifetime, "timestamp": str(now), **extra}
        return FakeResponse(200, json.dumps({"code": 0, key: "success", "data": data}).encode())

    return handler


def reply(body: Any, status: int = 200) -> Handler:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return lambda url, form: FakeResponse(status, raw)


def make(handler: Handler, clock: Callable[[], float] = time.time, **kw: Any) -> tuple[WarrantClient, FakeSession]:
    session = FakeSession(handler)
    client = WarrantClient(URLS, "app-1", SECRET, timeout_s=1.0, clock=clock, session_factory=lambda: session, **kw)
    return client, session


def test_form_fields_are_the_seeds_and_the_sign_checks_out() -> None:
    client, session = make(ok())
    w = client.get_warrant("user-1", "203.0.113.9", 600)
    assert w.warrant_id == "w-1" and w.gateway == URLS[0] and w.source == "upstream"
    _url, form, kw = session.posts[0]
    assert set(form) == {"appid", "timestamp", "user_id", "user_client_ip", "request_sign", "warrant_available"}
    assert len(form["timestamp"]) == 10 and form["timestamp"].isdigit()
    assert form["warrant_available"] == "600"
    assert form["request_sign"] == request_sign("app-1", form["timestamp"], "user-1", "203.0.113.9", SECRET)
    assert SECRET not in json.dumps(form)  # the secret is signed, never sent
    assert kw["verify"] is True and kw["timeout"] == 1.0


def test_ca_bundle_is_passed_as_verify() -> None:
    client, session = make(ok(), ca_bundle="/etc/ssl/private-ca.pem")
    client.get_warrant("u", "10.0.0.1")
    assert session.posts[0][2]["verify"] == "/etc/ssl/private-ca.pem"


@pytest.mark.parametrize("key", ["message", "msg"])
def test_both_message_and_msg_are_read(key: str) -> None:
    client, _ = make(reply({"code": 430005, key: "appid unknown here"}))
    with pytest.raises(AuthFailure) as info:
        client.get_warrant("u", "10.0.0.1")
    assert "appid unknown here" in str(info.value)
    assert info.value.code == "430005"
    assert "trial" in str(info.value)  # the seed's advice about environments


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (430001, ProtocolFailure),
        (430004, ProtocolFailure),
        (430007, ProtocolFailure),
        (430008, AuthFailure),
        (430005, AuthFailure),
        (499999, ServiceRefused),
    ],
)
def test_business_codes_become_typed_errors_without_fail_over(code: int, kind: type) -> None:
    client, session = make(reply({"code": code, "msg": "no"}))
    with pytest.raises(kind) as info:
        client.get_warrant("u", "10.0.0.1")
    assert getattr(info.value, "code", None) == str(code)
    assert len(session.posts) == 1  # the same request would fail the same way elsewhere


def test_a_server_message_echoing_the_secret_is_scrubbed() -> None:
    client, _ = make(reply({"code": 430008, "message": f"expected md5(app_secret={SECRET}&appid=app-1...)"}))
    with pytest.raises(AuthFailure) as info:
        client.get_warrant("u", "10.0.0.1")
    assert SECRET not in str(info.value) and "********" in str(info.value)
    assert SECRET not in repr(client)


@pytest.mark.parametrize(
    "body",
    [
        b"<html>proxy error</html>",
        b"[1,2]",
        b'{"code": "x"}',
        b'{"code": 0}',
        b'{"code": 0, "data": {}}',
        b'{"code": 0, "data": {"warrant_id": "w", "expire_at": "soon"}}',
        b"\xff\xfe",
        b"x" * 70_000,
        b'{"code": 0, "data": {"warrant_id": "w", "expire_at": 100, "timestamp": "200"}}',
    ],
)
def test_garbage_replies_are_protocol_failures(body: bytes) -> None:
    client, session = make(reply(body))
    with pytest.raises(ProtocolFailure):
        client.get_warrant("u", "10.0.0.1")
    assert len(session.posts) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 429])
def test_4xx_does_not_fail_over(status: int) -> None:
    client, session = make(reply({"code": 0}, status=status))
    with pytest.raises(ProtocolFailure) as info:
        client.get_warrant("u", "10.0.0.1")
    assert str(status) in str(info.value)
    assert len(session.posts) == 1


def test_redirect_is_reported_not_followed() -> None:
    client, session = make(lambda u, f: FakeResponse(301, b"", {"Location": "https://new.example/auth/authorize"}))
    with pytest.raises(ProtocolFailure) as info:
        client.get_warrant("u", "10.0.0.1")
    assert "https://new.example" in str(info.value) and len(session.posts) == 1
    assert session.posts[0][2]["allow_redirects"] is False


def test_connection_errors_timeouts_and_5xx_fail_over_and_are_reported() -> None:
    script: list[Any] = [requests.ConnectionError("Connection refused"), FakeResponse(503, b"busy")]

    def handler(url: str, form: dict[str, str]) -> FakeResponse:
        step = script.pop(0) if script else None
        if isinstance(step, Exception):
            raise step
        return step if step is not None else ok()(url, form)

    session = FakeSession(handler)
    client = WarrantClient(URLS * 2, "app-1", SECRET, timeout_s=1.0, session_factory=lambda: session)
    w = client.get_warrant("u", "10.0.0.1")
    assert w.gateway == URLS[0] and len(session.posts) == 3  # third try: the list wrapped to gate-01
    assert "connection refused" in w.skipped[0].reason and "503" in w.skipped[1].reason


def test_all_gateways_failing_is_a_connection_failure_naming_each() -> None:
    def handler(url: str, form: dict[str, str]) -> FakeResponse:
        raise requests.ReadTimeout("read timed out")

    client, session = make(handler)
    with pytest.raises(ConnectionFailure) as info:
        client.get_warrant("u", "10.0.0.1")
    assert all(u in str(info.value) for u in URLS) and len(session.posts) == 2


@pytest.mark.parametrize(
    ("user", "ip", "life"),
    [
        ("", "10.0.0.1", None),
        ("has space", "10.0.0.1", None),
        ("x" * 129, "10.0.0.1", None),
        ("u\x00", "10.0.0.1", None),
        ("u", "999.1.1.1", None),
        ("u", "example.com", None),
        ("u", "", None),
        ("u", "10.0.0.1", 0),
        ("u", "10.0.0.1", -5),
        ("u", "10.0.0.1", "abc"),
        ("u", "10.0.0.1", 10**9),
        ("u", "10.0.0.1", True),
    ],
)
def test_bad_input_is_refused_before_any_request(user: str, ip: str, life: Any) -> None:
    client, session = make(ok())
    with pytest.raises(InputError):
        client.get_warrant(user, ip, life)
    assert session.posts == []


def test_missing_configuration_is_a_config_error_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="VPW_SINGSOUND_APP_SECRET"):
        WarrantClient(URLS, "app-1", "")
    with pytest.raises(ConfigError, match="VPW_SINGSOUND_APPID"):
        WarrantClient(URLS, "", SECRET)
    with pytest.raises(ConfigError):
        WarrantClient([], "app-1", SECRET)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_cache_serves_until_shortly_before_expiry_then_refreshes() -> None:
    clock = Clock(1_700_000_000.0)
    counter = iter(range(1, 100))
    client, session = make(lambda u, f: ok(f"w-{next(counter)}", lifetime=7200)(u, f), clock=clock)
    first = client.get_warrant("u", "10.0.0.1")
    clock.now += 7000
    second = client.get_warrant("u", "10.0.0.2")
    assert second.warrant_id == first.warrant_id and second.source == "cache" and len(session.posts) == 1
    clock.now += 150  # 50 s before expiry: inside the 60 s margin
    third = client.get_warrant("u", "10.0.0.1")
    assert third.warrant_id != first.warrant_id and third.source == "upstream" and len(session.posts) == 2
    other = client.get_warrant("someone-else", "10.0.0.1")
    assert other.warrant_id not in (first.warrant_id, third.warrant_id)


def test_cache_uses_the_servers_clock_for_the_lifetime() -> None:
    # The merchant's clock is an hour fast; SingSound says the warrant lives 600 s from *its* now.
    clock = Clock(1_700_003_600.0)

    def handler(url: str, form: dict[str, str]) -> FakeResponse:
        data = {"warrant_id": "w", "expire_at": 1_700_000_600, "timestamp": "1700000000"}
        return FakeResponse(200, json.dumps({"code": 0, "message": "success", "data": data}).encode())

    client, session = make(handler, clock=clock)
    client.get_warrant("u", "10.0.0.1")
    clock.now += 500
    assert client.get_warrant("u", "10.0.0.1").source == "cache"
    clock.now += 60  # 40 s left by the server's measure; margin is 10% of 600 = 60 s
    client.get_warrant("u", "10.0.0.1")
    assert len(session.posts) == 2


def test_use_cache_false_and_invalidate_force_a_new_call() -> None:
    client, session = make(ok())
    client.get_warrant("u", "10.0.0.1")
    client.get_warrant("u", "10.0.0.1", use_cache=False)
    client.invalidate("u")
    client.get_warrant("u", "10.0.0.1")
    assert len(session.posts) == 3


def count_followers(client: WarrantClient) -> Callable[[], int]:
    """How many callers have joined another caller's in-flight request so far: a test waits for
    them to arrive instead of sleeping (on a loaded machine a thread may start late)."""
    joined: list[str] = []
    real = client._follow

    def follow(flight: Any, user_id: str) -> Any:
        joined.append(user_id)
        return real(flight, user_id)

    client._follow = follow  # type: ignore[method-assign]
    return lambda: len(joined)


def wait_for(condition: Callable[[], bool], timeout_s: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_concurrent_requests_for_one_user_share_one_call() -> None:
    release = threading.Event()
    entered = threading.Event()

    def handler(url: str, form: dict[str, str]) -> FakeResponse:
        entered.set()
        release.wait(30)
        return ok("shared-w")(url, form)

    client, session = make(handler)
    followers = count_followers(client)
    results: list[Any] = []

    def ask() -> None:
        results.append(client.get_warrant("pupil", "10.0.0.1"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    threads[0].start()
    assert entered.wait(20)
    for t in threads[1:]:
        t.start()
    assert wait_for(lambda: followers() == 7)  # every follower is waiting on the leader's flight
    release.set()
    for t in threads:
        t.join(20)
    assert len(results) == 8 and {w.warrant_id for w in results} == {"shared-w"}
    assert len(session.posts) == 1
    assert sorted(w.source for w in results).count("upstream") == 1


def test_concurrent_followers_share_the_leaders_error() -> None:
    release = threading.Event()

    def handler(url: str, form: dict[str, str]) -> FakeResponse:
        release.wait(30)
        return reply({"code": 430008, "msg": "bad sign"})(url, form)

    client, session = make(handler)
    followers = count_followers(client)
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            client.get_warrant("pupil", "10.0.0.1")
        except AuthFailure as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    # A follower that arrived after the leader failed would make a second call (errors are not
    # cached): wait until all three are waiting on the leader's flight, not a fixed 0.2 s.
    assert wait_for(lambda: followers() == 3)
    release.set()
    for t in threads:
        t.join(20)
    assert len(errors) == 4 and len(session.posts) == 1
    # A failure is not cached: the next request tries again.
    release.set()
    with pytest.raises(AuthFailure):
        client.get_warrant("pupil", "10.0.0.1")
    assert len(session.posts) == 2
