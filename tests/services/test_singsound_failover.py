"""WarrantClient against the sandbox's three gateways: fail-over, no fail-over, cache, single flight."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from desktop.errors import AuthFailure, ConnectionFailure
from desktop.sandbox import defaults
from desktop.sandbox.server import SandboxThread
from desktop.services.singsound import WarrantClient
from tests.services.singsound_support import calls, reset, singsound_sandbox, urls, warrant_info

TIMEOUT = 0.4


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxThread]:
    with singsound_sandbox(tmp_path_factory.mktemp("singsound-sandbox")) as thread:
        yield thread


@pytest.fixture
def fresh(sandbox: SandboxThread) -> Iterator[SandboxThread]:
    reset(sandbox)
    yield sandbox
    reset(sandbox)


def client(thread: SandboxThread, secret: str = defaults.SINGSOUND_APP_SECRET) -> WarrantClient:
    return WarrantClient(urls(thread), defaults.SINGSOUND_APPID, secret, timeout_s=TIMEOUT)


def test_first_down_second_slow_third_answers(fresh: SandboxThread) -> None:
    reset(fresh, {"gate-01.down": True, "gate-02.slow": TIMEOUT * 4})
    c = client(fresh)
    started = time.monotonic()
    w = c.get_warrant("pupil-1", "203.0.113.7", 900)
    elapsed = time.monotonic() - started
    assert w.gateway == urls(fresh)[2]
    assert [a.gateway for a in w.skipped] == urls(fresh)[:2]
    assert "500" in w.skipped[0].reason and "did not answer" in w.skipped[1].reason
    assert calls(fresh) == {"gate-01": 1, "gate-02": 1, "gate-03": 1}
    assert elapsed < TIMEOUT * 3  # the slow gateway cost one timeout, not its full delay
    info = warrant_info(fresh, w.warrant_id)
    assert info is not None and info["gateway"] == "gate-03" and info["user_id"] == "pupil-1"
    assert info["user_client_ip"] == "203.0.113.7" and info["expire_at"] == w.expire_at


def test_dropped_connection_fails_over(fresh: SandboxThread) -> None:
    reset(fresh, {"gate-01.down": "close"})
    w = client(fresh).get_warrant("pupil-2", "203.0.113.7")
    assert w.gateway == urls(fresh)[1] and "dropped" in w.skipped[0].reason


def test_cache_down_code_fails_over(fresh: SandboxThread) -> None:
    reset(fresh, {"gate-01.code_430009": True, "gate-02.down": 503})
    w = client(fresh).get_warrant("pupil-3", "203.0.113.7")
    assert w.gateway == urls(fresh)[2]
    assert w.skipped[0].code == "430009" and "gate-01" in w.skipped[0].reason and "cache" in w.skipped[0].reason
    assert "503" in w.skipped[1].reason and w.skipped[1].code is None


def test_bad_signature_does_not_fail_over(fresh: SandboxThread) -> None:
    c = client(fresh, secret="not-the-sandbox-secret")
    with pytest.raises(AuthFailure) as info:
        c.get_warrant("pupil-4", "203.0.113.7")
    assert info.value.code == "430008"
    assert calls(fresh) == {"gate-01": 1, "gate-02": 0, "gate-03": 0}
    assert "not-the-sandbox-secret" not in str(info.value)


def test_every_gateway_failing_names_them_all(fresh: SandboxThread) -> None:
    reset(fresh, {"down": True})
    with pytest.raises(ConnectionFailure) as info:
        client(fresh).get_warrant("pupil-5", "203.0.113.7")
    assert all(g in str(info.value) for g in ("gate-01", "gate-02", "gate-03"))
    assert calls(fresh) == {"gate-01": 1, "gate-02": 1, "gate-03": 1}


def test_nothing_listening_fails_over_to_a_live_gateway(fresh: SandboxThread) -> None:
    dead = f"http://127.0.0.1:{_free_port()}/auth/authorize"
    c = WarrantClient([dead, *urls(fresh)], defaults.SINGSOUND_APPID, defaults.SINGSOUND_APP_SECRET, timeout_s=TIMEOUT)
    w = c.get_warrant("pupil-6", "203.0.113.7")
    assert w.gateway == urls(fresh)[0] and "refused" in w.skipped[0].reason


def test_two_requests_within_lifetime_make_one_upstream_call(fresh: SandboxThread) -> None:
    c = client(fresh)
    first = c.get_warrant("pupil-7", "203.0.113.7", 600)
    second = c.get_warrant("pupil-7", "203.0.113.8", 600)
    assert second.warrant_id == first.warrant_id and second.source == "cache"
    assert sum(calls(fresh).values()) == 1
    assert first.expire_at - int(time.time()) in range(595, 601)  # the requested lifetime was honoured


def test_a_short_lived_warrant_is_refreshed(fresh: SandboxThread) -> None:
    c = client(fresh)
    first = c.get_warrant("pupil-8", "203.0.113.7", 1)
    time.sleep(1.0)  # past 90% of the 1 s lifetime
    second = c.get_warrant("pupil-8", "203.0.113.7", 1)
    assert second.warrant_id != first.warrant_id and sum(calls(fresh).values()) == 2


def test_concurrent_requests_share_one_upstream_call(fresh: SandboxThread) -> None:
    reset(fresh, {"slow": 0.2})  # keep the first call in flight while the others arrive
    c = client(fresh)
    barrier = threading.Barrier(10)
    results: list[str] = []

    def ask() -> None:
        barrier.wait(5)
        results.append(c.get_warrant("pupil-9", "203.0.113.7").warrant_id)

    threads = [threading.Thread(target=ask) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(results) == 10 and len(set(results)) == 1
    assert sum(calls(fresh).values()) == 1


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_cache_down_everywhere_keeps_the_code(fresh: SandboxThread) -> None:
    reset(fresh, {"code_430009": True})
    with pytest.raises(ConnectionFailure) as info:
        client(fresh).get_warrant("pupil-10", "203.0.113.7")
    assert info.value.code == "430009" and "cache" in str(info.value)
    assert calls(fresh) == {"gate-01": 1, "gate-02": 1, "gate-03": 1}
