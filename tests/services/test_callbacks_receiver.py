"""The callback receiver on a real loopback port: signatures, idempotence, garbage, limits.

Refusals are strict mode's (``server`` here is strict); the default record mode, which stores
what strict mode refuses, is tested in test_callbacks_record.py.
"""

from __future__ import annotations

import json
import secrets
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from desktop.errors import ConnectionFailure
from desktop.services.callbacks import CallbackEvent, CallbackReceiver, CallbackServer
from desktop.store.calls import CallStore
from tests.services.voicecall_support import callback_headers

KEY, SECRET = "appKeyRx", "rx-secret-0001"


def created(offset_s: float = 0, hours: int = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=offset_s, hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CallStore]:
    s = CallStore(tmp_path / "history.sqlite3")
    yield s
    s.close()


@pytest.fixture
def events() -> list[CallbackEvent]:
    return []


@pytest.fixture
def server(store: CallStore, events: list[CallbackEvent]) -> Iterator[CallbackServer]:
    rx = CallbackReceiver(
        store, app_key=KEY, app_secret=SECRET, observer=events.append, max_body=64 * 1024, strict=True
    )
    srv = CallbackServer(rx, "127.0.0.1", 0).start()
    yield srv
    srv.stop()


def post(
    srv: CallbackServer,
    path: str,
    doc: Any,
    *,
    secret: str = SECRET,
    key: str = KEY,
    when: str | None = None,
    nonce: str | None = None,
    sign_url: str | None = None,
) -> requests.Response:
    url = srv.base_url + path
    headers = callback_headers(key, secret, sign_url or url, nonce or secrets.token_hex(8), when or created())
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return requests.post(url, data=data, headers=headers, timeout=5)


def status(event: str, sid: str = "s1@host", ts: str = "2026-01-01 00:00:01", **extra: Any) -> dict[str, Any]:
    return {
        "eventType": event,
        "statusInfo": {
            "sessionId": sid,
            "timestamp": ts,
            "caller": "+8657100000000",
            "called": "+8613800000001",
            **extra,
        },
    }


def bill(icid: str = "CAE-1", sid: str = "s1@host") -> dict[str, Any]:
    return {
        "direction": 0,
        "icid": icid,
        "sessionId": sid,
        "callerNum": "+8657100000000",
        "calleeNum": "+8613800000001",
        "callEndTime": "2026-01-01 00:00:09",
        "someFutureField": [1, 2],
    }


def test_signed_events_on_every_path_are_stored_once_each(
    server: CallbackServer, store: CallStore, events: list[CallbackEvent]
) -> None:
    for path, ev in [
        ("/status", "callout"),
        ("/status", "alerting"),
        ("/", "answer"),
        ("/status", "collectInfo"),
        ("/status", "disconnect"),
    ]:
        extra = {"stateCode": 0, "stateDesc": "ok"} if ev == "disconnect" else {}
        r = post(server, path, status(ev, ts=f"2026-01-01 00:00:0{len(events)}", **extra))
        assert r.status_code == 200 and r.json()["resultcode"] == "0"
    assert post(server, "/fee", {"eventType": "fee", "feeLst": [bill()]}).status_code == 200
    assert post(server, "/", {"eventType": "fee", "feeLst": [bill("CAE-2")]}).status_code == 200
    assert [e["event_type"] for e in store.events("s1@host")] == [
        "callout",
        "alerting",
        "answer",
        "collectInfo",
        "disconnect",
    ]
    assert store.events("s1@host")[-1]["state_code"] == "0"
    assert len(store.bills("s1@host")) == 2
    assert [e.kind for e in events] == ["status"] * 5 + ["fee", "fee"]
    assert json.loads(store.bills()[0]["payload"])["someFutureField"] == [1, 2]  # extra fields kept


def test_duplicated_bill_is_stored_once(server: CallbackServer, store: CallStore, events: list[CallbackEvent]) -> None:
    doc = {"eventType": "fee", "feeLst": [bill("CAE-dup")]}
    for _ in range(3):  # the platform re-pushes (each time freshly signed)
        assert post(server, "/fee", doc).status_code == 200
    rows = store.bills()
    assert len(rows) == 1 and rows[0]["push_count"] == 3
    assert len([e for e in events if e.kind == "fee"]) == 1
    assert server.receiver.stats["duplicates"] == 2


def test_repeated_status_event_is_stored_once(server: CallbackServer, store: CallStore) -> None:
    for _ in range(2):
        assert post(server, "/status", status("alerting")).status_code == 200
    assert len(store.events()) == 1 and store.events()[0]["push_count"] == 2


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"secret": "wrong-secret"}, "bad_digest"),
        ({"key": "someoneElse"}, "wrong_app_key"),
        ({"when": created(-3600)}, "stale"),
        ({"when": created(+3600)}, "stale"),
        ({"sign_url": "http://evil.example.com/status"}, "bad_digest"),
    ],
)
def test_forged_or_stale_callbacks_are_refused_and_recorded(
    server: CallbackServer, store: CallStore, events: list[CallbackEvent], kwargs: dict[str, Any], reason: str
) -> None:
    r = post(server, "/status", status("callout"), **kwargs)
    assert r.status_code == 401
    assert r.json()["resultdesc"] == "Unauthorized"  # which check failed is ours to know, not the caller's
    assert store.events() == []
    (row,) = store.rejected()
    assert row["status"] == 401 and row["reason"] == reason and row["path"] == "/status"
    assert row["remote"] == "127.0.0.1"
    assert [e.kind for e in events] == ["rejected"]
    assert SECRET not in json.dumps(row)


def test_unsigned_and_garbled_headers_are_refused(server: CallbackServer, store: CallStore) -> None:
    url = server.base_url + "/fee"
    body = json.dumps({"eventType": "fee", "feeLst": [bill()]})
    assert requests.post(url, data=body, timeout=5).status_code == 401
    assert (
        requests.post(
            url, data=body, headers={"Authorization": 'AKSK realm="SDP"', "X-AKSK": "UsernameToken ???"}, timeout=5
        ).status_code
        == 401
    )
    # No headers at all is "missing" (record mode marks it unverified); broken ones are "malformed".
    assert store.bills() == [] and [r["reason"] for r in store.rejected()] == ["malformed", "missing"]


def test_replayed_request_is_refused(server: CallbackServer, store: CallStore) -> None:
    when, nonce = created(), "replayme01"
    assert post(server, "/status", status("answer"), when=when, nonce=nonce).status_code == 200
    assert post(server, "/status", status("answer"), when=when, nonce=nonce).status_code == 401
    assert store.rejected()[0]["reason"] == "replayed" and len(store.events()) == 1


def test_created_in_the_other_zone_is_accepted_and_names_the_setting(
    server: CallbackServer, store: CallStore, events: list[CallbackEvent]
) -> None:
    # Huawei documents Created in UTC and in UTC+8: both verify, and the mark says which to set.
    assert post(server, "/status", status("callout"), when=created(hours=8)).status_code == 200
    (row,) = store.events()
    assert row["signature"] == "verified" and "created_zone = UTC+8" in row["signature_detail"]
    assert post(server, "/status", status("alerting"), when=created(hours=8, offset_s=-3600)).status_code == 401
    assert "created_zone = UTC+8" not in store.rejected()[0]["detail"]  # an hour off in either zone


@pytest.mark.parametrize(
    ("body", "code", "reason"),
    [
        (b"<xml>not json</xml>", 400, "not_json"),
        (b"\xff\xfe\x00garbage", 400, "not_json"),
        (b"[1, 2, 3]", 400, "not_event"),
        (b'{"statusInfo": {}}', 400, "not_event"),
        (b'{"eventType": "fee", "feeLst": {"icid": "x"}}', 400, "not_event"),
        (b"", 400, "not_json"),
    ],
)
def test_garbage_bodies_get_400(server: CallbackServer, store: CallStore, body: bytes, code: int, reason: str) -> None:
    r = post(server, "/", body)
    assert r.status_code == code
    assert store.rejected()[0]["reason"] == reason and store.events() == [] and store.bills() == []


def test_oversized_body_gets_413(server: CallbackServer, store: CallStore) -> None:
    big = json.dumps({"eventType": "fee", "feeLst": [bill(f"CAE-{i}") | {"pad": "x" * 2000} for i in range(40)]})
    assert post(server, "/fee", big.encode()).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap must hold while reading
        yield big.encode()

    url = server.base_url + "/fee"
    headers = callback_headers(KEY, SECRET, url, secrets.token_hex(8), created())
    assert requests.post(url, data=chunks(), headers=headers, timeout=5).status_code == 413
    assert store.bills() == [] and [r["status"] for r in store.rejected()] == [413, 413]


def test_missing_and_extra_fields_never_crash(server: CallbackServer, store: CallStore) -> None:
    for doc in [
        {"eventType": "callout"},
        {"eventType": "disconnect", "statusInfo": "not-an-object"},
        {"eventType": "alerting", "statusInfo": {"sessionId": None, "timestamp": 12}},
        {"eventType": "someNewEvent", "statusInfo": {"sessionId": "s9", "timestamp": "t", "x": {"y": 1}}},
        {"eventType": "fee", "feeLst": []},
        {"eventType": "fee", "feeLst": [None, 3, "x", {}]},
        {"eventType": "fee", "feeLst": [{"sessionId": "only-session"}], "extra": True},
    ]:
        assert post(server, "/", doc).status_code == 200, doc
    assert len(store.events()) == 4 and len(store.bills()) == 2
    assert post(server, "/", {"eventType": "callout"}).status_code == 200
    assert len(store.events()) == 4  # the same content again is a re-push


def test_a_push_of_fifty_bills(server: CallbackServer, store: CallStore) -> None:
    doc = {"eventType": "fee", "feeLst": [bill(f"CAE-{i}", f"s{i}") for i in range(50)]}
    assert post(server, "/fee", doc).status_code == 200
    assert len(store.bills()) == 50


def test_without_a_secret_unsigned_pushes_are_accepted(store: CallStore) -> None:
    with CallbackServer(CallbackReceiver(store), "127.0.0.1", 0) as srv:
        r = requests.post(srv.status_url, json=status("callout"), timeout=5)
        assert r.status_code == 200
    assert len(store.events()) == 1


def test_a_failing_observer_does_not_fail_the_push(store: CallStore) -> None:
    def boom(ev: CallbackEvent) -> None:
        raise RuntimeError("window closed")

    with CallbackServer(CallbackReceiver(store, observer=boom), "127.0.0.1", 0) as srv:
        assert requests.post(srv.fee_url, json={"eventType": "fee", "feeLst": [bill()]}, timeout=5).status_code == 200
    assert len(store.bills()) == 1


def test_dropped_connections_and_non_http_garbage_leave_it_serving(server: CallbackServer, store: CallStore) -> None:
    for payload in [
        b'POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{"eventType":',
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(64),
        b"GARBAGE\r\n\r\n",
    ]:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(payload)
        time.sleep(0.05)
    assert post(server, "/status", status("callout")).status_code == 200
    assert len(store.events()) == 1
    assert requests.get(server.base_url + "/", timeout=5).json()["ok"] is True


def test_port_zero_picks_a_free_port_and_a_taken_port_is_a_readable_error(store: CallStore) -> None:
    with CallbackServer(CallbackReceiver(store), "127.0.0.1", 0) as a:
        assert a.port > 0
        with pytest.raises(ConnectionFailure, match="callback_port"):
            CallbackServer(CallbackReceiver(store), "127.0.0.1", a.port).start()
