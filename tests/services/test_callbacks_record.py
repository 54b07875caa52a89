"""Record mode (the default): every push the platform may send is stored and answered 200, with
a signature mark; each documented signing variant verifies; unreadable bodies are kept raw."""

from __future__ import annotations

import base64
import itertools
import json
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from desktop.errors import ConfigError
from desktop.sandbox import voicecall_sign
from desktop.sandbox.voicecall_sign import Variant
from desktop.services.callbacks import CallbackEvent, CallbackReceiver, CallbackServer
from desktop.store.calls import CallStore
from tests.services.voicecall_support import assert_readable

KEY, SECRET = "appKeyRec", "rec-secret-0001"
PUBLIC_STATUS = "https://cb.example.com/vpw/status"
PUBLIC_FEE = "https://cb.example.com/vpw/fee?x=1"


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
        store,
        app_key=KEY,
        app_secret=SECRET,
        push_urls=[PUBLIC_STATUS, PUBLIC_FEE],
        observer=events.append,
        max_body=64 * 1024,
    )
    srv = CallbackServer(rx, "127.0.0.1", 0).start()
    yield srv
    srv.stop()


def status(event: str = "callout", sid: str = "s1@host", ts: str = "2026-01-01 00:00:01") -> dict[str, Any]:
    info = {"sessionId": sid, "timestamp": ts, "caller": "+8657100000000", "called": "+8613800000001"}
    return {"eventType": event, "statusInfo": info}


def fee(icid: str = "CAE-1", **extra: Any) -> dict[str, Any]:
    return {"eventType": "fee", "feeLst": [{"icid": icid, "sessionId": "s1@host", **extra}]}


def send(
    srv: CallbackServer, path: str, doc: Any, headers: dict[str, str] | None = None, **kw: Any
) -> requests.Response:
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return requests.post(srv.base_url + path, data=data, headers=headers or {}, timeout=5, **kw)


def signed(
    srv: CallbackServer, path: str, variant: Variant | None = None, sign_url: str = "", **kw: Any
) -> dict[str, str]:
    url = sign_url or srv.base_url + path
    return voicecall_sign.headers(KEY, kw.pop("secret", SECRET), url, variant or Variant(), **kw)


VARIANTS = [
    Variant(sep=sep, zone_hours=zone, url_form=form)
    for sep, zone, form in itertools.product(("\n", ""), (0, 8), ("plain", "base64"))
]


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"sep{len(v.sep)}-utc+{v.zone_hours}-{v.url_form}")
@pytest.mark.parametrize("which", ["own", "status_url", "fee_url"])
def test_every_documented_variant_verifies(
    server: CallbackServer, store: CallStore, variant: Variant, which: str
) -> None:
    sign_url = {"own": "", "status_url": PUBLIC_STATUS, "fee_url": PUBLIC_FEE}[which]
    r = send(server, "/status", status(), signed(server, "/status", variant, sign_url))
    assert r.status_code == 200 and r.json()["resultcode"] == "0"
    (row,) = store.events()
    assert row["signature"] == "verified", row["signature_detail"]
    detail = row["signature_detail"]
    assert ("url+nonce+created" in detail) == (variant.sep == "")
    assert f"{variant.url_form} URL" in detail and ("UTC+8" in detail) == (variant.zone_hours == 8)


def test_an_unverifiable_push_is_stored_and_answered_200(
    server: CallbackServer, store: CallStore, events: list[CallbackEvent]
) -> None:
    assert send(server, "/status", status()).status_code == 200  # no headers, as the seed's samples
    assert send(server, "/fee", fee(), {"X-AKSK": "UsernameToken ???"}).status_code == 200
    (ev,) = store.events()
    (bill,) = store.bills()
    assert ev["signature"] == "unverified" and "no Authorization or X-AKSK" in ev["signature_detail"]
    assert bill["signature"] == "bad_signature" and "malformed" in bill["signature_detail"]
    assert [(e.kind, e.signature) for e in events] == [("status", "unverified"), ("fee", "bad_signature")]
    assert store.rejected() == []


@pytest.mark.parametrize(
    ("kwargs", "mark"),
    [
        ({"secret": "wrong"}, "bad_signature"),
        ({"sign_url": "http://evil.example.com/status"}, "bad_signature"),
        ({"now": datetime.now(UTC) - timedelta(hours=2)}, "stale"),
    ],
)
def test_forged_and_stale_pushes_are_stored_with_their_mark(
    server: CallbackServer, store: CallStore, kwargs: dict[str, Any], mark: str
) -> None:
    sign_url = kwargs.pop("sign_url", "")
    assert send(server, "/status", status(), signed(server, "/status", sign_url=sign_url, **kwargs)).status_code == 200
    assert [e["signature"] for e in store.events()] == [mark]


def test_a_repush_with_identical_headers_is_answered_200_and_stored_once(
    server: CallbackServer, store: CallStore, events: list[CallbackEvent]
) -> None:
    headers = signed(server, "/fee")
    for _ in range(3):
        assert send(server, "/fee", fee(), headers).status_code == 200
    (row,) = store.bills()
    assert row["push_count"] == 3 and row["signature"] == "verified"  # a replay never downgrades it
    assert len(events) == 1 and server.receiver.stats["duplicates"] == 2
    # The same headers on different content: stored, but marked as the replay it is.
    assert send(server, "/fee", fee("CAE-other"), headers).status_code == 200
    assert store.bills()[-1]["signature"] == "replayed"


def test_a_verified_copy_replaces_a_forged_one(server: CallbackServer, store: CallStore) -> None:
    send(server, "/fee", fee(callEndTime="forged"), signed(server, "/fee", secret="guess"))
    assert store.bills()[0]["signature"] == "bad_signature"
    send(server, "/fee", fee(callEndTime="2026-01-01 00:00:09"), signed(server, "/fee"))
    (row,) = store.bills()
    assert row["signature"] == "verified" and row["call_end_time"] == "2026-01-01 00:00:09"
    assert json.loads(row["payload"])["callEndTime"] == "2026-01-01 00:00:09" and row["push_count"] == 2
    send(server, "/fee", fee(callEndTime="forged again"), {})  # and an unsigned copy cannot undo it
    assert store.bills()[0]["call_end_time"] == "2026-01-01 00:00:09"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<xml>not json</xml>", "not_json"),
        (b"\xff\xfe\x00garbage", "not_json"),
        (b"[1, 2, 3]", "not_event"),
        (b"null", "not_event"),
        (b'"fee"', "not_event"),
        (b'{"statusInfo": {}}', "not_event"),
        (b'{"eventType": "fee", "feeLst": {"icid": "x"}}', "not_event"),
        (b"[" * 5000 + b"]" * 5000, "too_deep"),
        (b'{"eventType": "fee", "feeLst": [' + b'{"a":' * 40 + b"1" + b"}" * 40 + b"]}", "too_deep"),
        (b'{"eventType": "fee", "n": ' + b"9" * 5000 + b"}", "not_json"),
        (b"", "not_json"),
    ],
)
def test_unreadable_bodies_are_kept_raw_and_answered_200(
    server: CallbackServer, store: CallStore, events: list[CallbackEvent], body: bytes, reason: str
) -> None:
    assert send(server, "/status", body, signed(server, "/status")).status_code == 200
    (row,) = store.unparsed()
    assert row["reason"] == reason and row["signature"] == "verified"
    assert base64.b64decode(row["body_b64"]) == body and row["body_len"] == len(body)
    assert [(e.kind, e.event_type) for e in events] == [("unparsed", reason)]
    assert send(server, "/status", body, signed(server, "/status")).status_code == 200
    assert store.unparsed()[0]["push_count"] == 2 and len(store.unparsed()) == 1


def test_gbk_and_bom_bodies_are_read(server: CallbackServer, store: CallStore) -> None:
    doc = status()
    doc["statusInfo"]["stateDesc"] = "用户挂机"
    send(server, "/status", json.dumps(doc, ensure_ascii=False).encode("gbk"))
    send(server, "/status", b"\xef\xbb\xbf" + json.dumps(status("alerting")).encode())
    assert [e["event_type"] for e in store.events()] == ["callout", "alerting"]
    assert store.events()[0]["state_desc"] == "用户挂机"


def test_hostile_values_are_stored_readably(server: CallbackServer, store: CallStore) -> None:
    bodies = [
        b'{"eventType": "callout", "statusInfo": {"sessionId": "s\\ud800x", "timestamp": "t\\u0007\\u202e"}}',
        b'{"eventType": "fee", "feeLst": [{"icid": "big", "n": 123456789012345678901234567890, "f": NaN}]}',
        b'{"eventType": "fee", "feeLst": [{"icid": "inf", "f": 1e999, "g": -Infinity}]}',
        b'{"eventType": "disconnect", "statusInfo": {"sessionId": "s2", "timestamp": "x", "stateCode": 1e400}}',
        b'{"eventType": "answer\\u0000", "statusInfo": {}}',
    ]
    for body in bodies:
        assert send(server, "/", body).status_code == 200
    assert len(store.events()) == 2 and len(store.bills()) == 2 and len(store.unparsed()) == 1
    assert_readable(store)
    assert store.events()[0]["session_id"] == "s\ufffdx"
    assert json.loads(store.bills()[0]["payload"]) == {"icid": "big", "n": "123456789012345678901234567890", "f": "NaN"}


def test_oversized_bodies_still_get_413(server: CallbackServer, store: CallStore) -> None:
    assert send(server, "/fee", b"x" * (65 * 1024)).status_code == 413
    assert store.unparsed() == [] and [r["status"] for r in store.rejected()] == [413]


def test_without_a_secret_every_push_is_unverified(store: CallStore) -> None:
    with CallbackServer(CallbackReceiver(store), "127.0.0.1", 0) as srv:
        assert send(srv, "/status", status(), signed(srv, "/status")).status_code == 200
    assert store.events()[0]["signature"] == "unverified"
    assert "no app secret" in store.events()[0]["signature_detail"]


def test_strict_mode_without_a_secret_refuses_to_start(store: CallStore) -> None:
    with pytest.raises(ConfigError, match="app_secret"):
        CallbackServer(CallbackReceiver(store, strict=True), "127.0.0.1", 0).start()


def test_strict_mode_refuses_what_record_mode_marks(store: CallStore) -> None:
    rx = CallbackReceiver(store, app_key=KEY, app_secret=SECRET, strict=True)
    with CallbackServer(rx, "127.0.0.1", 0) as srv:
        assert send(srv, "/status", status()).status_code == 401
        assert send(srv, "/status", status(), signed(srv, "/status", secret="guess")).status_code == 401
        stale = signed(srv, "/status", now=datetime.now(UTC) - timedelta(hours=2))
        assert send(srv, "/status", status(), stale).status_code == 401
        headers = signed(srv, "/status", Variant(sep="", zone_hours=8, url_form="base64"))
        assert send(srv, "/status", status(), headers).status_code == 200
        assert send(srv, "/status", status(), headers).status_code == 401  # the same nonce again
        assert send(srv, "/status", b"not json", signed(srv, "/status")).status_code == 400
    assert [r["reason"] for r in store.rejected()] == ["not_json", "replayed", "stale", "bad_digest", "missing"]
    assert len(store.events()) == 1 and store.unparsed() == []


def test_random_nonces_make_each_variant_push_distinct() -> None:
    # Guard for the variant test: two signatures of one URL differ (fresh nonce each time).
    a = voicecall_sign.headers(KEY, SECRET, PUBLIC_STATUS)
    b = voicecall_sign.headers(KEY, SECRET, PUBLIC_STATUS)
    assert a["X-AKSK"] != b["X-AKSK"] and secrets.compare_digest(a["Authorization"], b["Authorization"])


def test_a_store_failure_answers_500_so_the_platform_pushes_again(
    server: CallbackServer, store: CallStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: Any, **kw: Any) -> Any:
        raise OSError("database or disk is full")

    monkeypatch.setattr(store, "add_bills", disk_full)
    r = send(server, "/fee", fee("CAE-full"), signed(server, "/fee"))
    assert r.status_code == 500 and r.json()["resultcode"] == "500"
    monkeypatch.undo()
    assert send(server, "/fee", fee("CAE-full"), signed(server, "/fee")).status_code == 200  # the re-push
    assert [b["icid"] for b in store.bills()] == ["CAE-full"]
