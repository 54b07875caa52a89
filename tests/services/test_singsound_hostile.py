"""SingSound replies nobody should send: each ends in a warrant that can be stored and handed to
a device, or a typed error; never another exception."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from desktop.errors import ProtocolFailure, VpwError
from desktop.sandbox import defaults
from desktop.sandbox.server import SandboxThread
from desktop.services.singsound import WarrantClient
from desktop.services.singsound_wire import as_int, parse_reply, parse_warrant
from desktop.store.warrants import WarrantLog
from tests.fuzz import HOSTILE_DOCS, JSON_VALUES, fuzz
from tests.services.singsound_support import reset, singsound_sandbox, urls

HOSTILE_WARRANTS = [
    '{"code": 0, "data": {"warrant_id": "w\\ud800", "expire_at": 99999999999}}',
    '{"code": 0, "data": {"warrant_id": "w\\u001b[2J", "expire_at": 9999999999}}',
    '{"code": 0, "data": {"warrant_id": "w", "expire_at": ' + "9" * 30 + "}}",
    '{"code": 0, "data": {"warrant_id": "w", "expire_at": 1e999}}',
    '{"code": 0, "data": {"warrant_id": "w", "expire_at": NaN}}',
    '{"code": 0, "data": {"warrant_id": "w", "expire_at": "²"}}',
    '{"code": 0, "data": {"warrant_id": "w", "expire_at": 9999999999, "timestamp": -9223372036854775808}}',
    '{"code": ' + "1" * 4000 + ', "message": "x"}',
    '{"code": 430008, "message": "bad \\ud800 sign \\u0007"}',
    '{"code": 0, "data": []}',
    '{"code": "0", "data": {"warrant_id": "ok-id", "expire_at": "9999999999"}}',
]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxThread]:
    with singsound_sandbox(tmp_path_factory.mktemp("singsound-hostile")) as thread:
        yield thread


@pytest.mark.parametrize("doc", HOSTILE_DOCS + HOSTILE_WARRANTS)
def test_hostile_replies_end_to_end_and_audited(sandbox: SandboxThread, doc: str, tmp_path: Path) -> None:
    reset(sandbox, {"reply_body": doc})
    client = WarrantClient(urls(sandbox)[:1], defaults.SINGSOUND_APPID, defaults.SINGSOUND_APP_SECRET, timeout_s=2)
    audit = WarrantLog(tmp_path / "history.sqlite3")
    warrant: Any = None
    error: VpwError | None = None
    try:
        warrant = client.get_warrant("pupil-1", "203.0.113.7")
    except VpwError as exc:
        error = exc
        str(exc).encode("utf-8")
    finally:
        reset(sandbox)
    audit.record("cli", "pupil-1", "203.0.113.7", warrant, error)  # storing it must not fail either
    if warrant is not None:
        warrant.warrant_id.encode("utf-8")
        assert warrant.warrant_id.isprintable() and -(2**63) <= warrant.expire_at < 2**63
        json.dumps({"warrant_id": warrant.warrant_id, "expire_at": warrant.expire_at})


def test_a_good_reply_with_string_numbers_still_works(sandbox: SandboxThread) -> None:
    reset(sandbox, {"reply_body": HOSTILE_WARRANTS[-1]})
    try:
        w = WarrantClient(urls(sandbox)[:1], defaults.SINGSOUND_APPID, "s", timeout_s=2).get_warrant("p", "10.0.0.1")
    finally:
        reset(sandbox)
    assert w.warrant_id == "ok-id" and w.expire_at == 9999999999


def test_surrogate_warrant_id_is_refused() -> None:
    with pytest.raises(ProtocolFailure):
        parse_warrant("g", {"warrant_id": "w\ud800", "expire_at": 2_000_000_000}, 1_700_000_000)


@pytest.mark.parametrize("value", [True, float("nan"), float("inf"), 1e30, 10**30, "²", "--5", "", "1.5", 2.0])
def test_as_int_refuses_what_is_not_a_64_bit_integer(value: object) -> None:
    assert as_int(value) is None


@fuzz
@given(JSON_VALUES)
def test_fuzz_parse_reply_and_warrant(value: Any) -> None:
    for doc in (
        value,
        {"code": 0, "message": value, "data": value},
        {"code": 0, "data": {"warrant_id": value, "expire_at": value, "timestamp": value}},
    ):
        try:
            body = json.dumps(doc).encode("utf-8", "surrogatepass")
        except (ValueError, RecursionError):
            continue
        try:
            code, message, data = parse_reply("g", body)
            message.encode("utf-8")
            if code == 0:
                warrant_id, expire_at, lifetime = parse_warrant("g", data, 1_700_000_000)
                warrant_id.encode("utf-8")
                float(expire_at) + float(lifetime)
        except ProtocolFailure as exc:
            str(exc).encode("utf-8")


@fuzz
@given(st.binary(max_size=300))
def test_fuzz_parse_reply_bytes(body: bytes) -> None:
    with contextlib.suppress(ProtocolFailure):
        parse_reply("g", body)


def test_warrant_server_answers_hostile_device_bodies_with_400(tmp_path: Path) -> None:
    from tests.services.test_warrant_server import TOKEN_A, start

    with singsound_sandbox(tmp_path / "sb") as sb:
        srv = start(sb, lifetime_s=900)
        try:
            auth = {"Authorization": f"Bearer {TOKEN_A}", "Content-Type": "application/json"}
            for body in (b'{"user_id": ' + b"[" * 1500 + b"]" * 1500 + b"}", b'{"user_id": "\\ud800"}', b"null"):
                r = requests.post(srv.url, data=body, headers=auth, timeout=5)
                assert r.status_code == 400, (body[:30], r.status_code)
        finally:
            srv.stop()
