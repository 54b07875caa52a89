"""Property-based fuzz of the callback body parser and of the receiver end to end.

Fails on any uncaught exception (the parser may only raise ``Unparseable``; the server must never
answer 500, aiohttp's answer to a handler that raised) and on any stored row a later command could
not read. CI runs a short budget; run longer by hand with e.g. ``VPW_FUZZ_EXAMPLES=2000``.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.sandbox import voicecall_sign
from desktop.sandbox.voicecall_sign import Variant
from desktop.services.callback_body import Unparseable, parse_push
from desktop.services.callbacks import CallbackReceiver, CallbackServer
from desktop.store.calls import CallStore
from tests.services.voicecall_support import assert_readable

EXAMPLES = int(os.environ.get("VPW_FUZZ_EXAMPLES", "60"))
KEY, SECRET = "fuzzKey", "fuzz-secret"

# Strings with lone surrogates and control characters; numbers beyond 64 bits; NaN and infinities.
# Hypothesis draws surrogates and controls rarely on its own: ask for them explicitly.
chars = st.one_of(
    st.characters(exclude_categories=[]),
    st.characters(categories=["Cs"]),  # lone surrogates: excluded unless asked for by category
    st.sampled_from("\x00\x07\x1b\u202e\u2066\n\t\ufeff"),
)
texts = st.lists(chars, max_size=40).map("".join)  # st.text() drops surrogates whatever the alphabet
scalars = st.none() | st.booleans() | st.integers(-(2**200), 2**200) | st.floats() | texts
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(texts, inner, max_size=5),
    max_leaves=30,
)
events = st.sampled_from(["callout", "alerting", "answer", "collectInfo", "disconnect", "fee"]) | texts
status_info = st.fixed_dictionaries(
    {"sessionId": texts | st.just("s1@host"), "timestamp": texts | st.just("2026-01-01 00:00:01")},
    optional={"stateCode": scalars, "stateDesc": texts, "digitInfo": texts, "extra": json_values},
)
pushes = st.fixed_dictionaries(
    {"eventType": events},
    optional={
        "statusInfo": status_info | json_values,
        "feeLst": st.lists(st.dictionaries(texts, json_values, max_size=6) | json_values, max_size=8) | json_values,
    },
)


def _dump(doc: Any, ascii_only: bool) -> bytes:
    return json.dumps(doc, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


bodies = st.one_of(
    st.binary(max_size=600),
    st.builds(_dump, pushes, st.booleans()),
    st.builds(_dump, json_values, st.just(True)),
    st.integers(0, 6000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(0, 6000).map(lambda n: b'{"eventType":"fee","feeLst":' + b"[" * n + b"]" * n + b"}"),
    st.integers(4000, 5000).map(lambda n: b'{"eventType":"answer","statusInfo":{"n":' + b"7" * n + b"}}"),
)


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(bodies)
def test_the_parser_raises_nothing_but_unparseable(body: bytes) -> None:
    try:
        push = parse_push(body)
    except Unparseable as exc:
        assert exc.reason in ("not_json", "not_event", "too_deep")
        return
    # What is kept must serialise as strict JSON and encode as UTF-8 (what SQLite needs).
    kept = push.bills if push.bills is not None else push.status_info
    json.dumps(kept, allow_nan=False, ensure_ascii=False).encode("utf-8")


header_values = st.text(
    st.characters(min_codepoint=32, max_codepoint=255, exclude_categories=["Cc"]), max_size=120
).map(str.strip)
variants = st.builds(
    Variant,
    sep=st.sampled_from(["\n", ""]),
    zone_hours=st.sampled_from([0, 8, 3]),
    url_form=st.sampled_from(["plain", "base64"]),
    unsigned=st.booleans(),
)
header_sets: st.SearchStrategy[Any] = st.one_of(
    st.just({}),
    st.fixed_dictionaries({}, optional={"Authorization": header_values, "X-AKSK": header_values}),
    st.tuples(variants, st.sampled_from([SECRET, "guess"])).map(lambda v: ("sign", *v)),
)


def _run_receiver(tmp_path: Path, strict: bool) -> None:
    store = CallStore(tmp_path / f"fuzz-{strict}.sqlite3")
    rx = CallbackReceiver(store, app_key=KEY, app_secret=SECRET, max_body=32 * 1024, strict=strict)
    allowed = {200, 400, 401, 413} if strict else {200, 413}
    http = requests.Session()
    with CallbackServer(rx, "127.0.0.1", 0) as srv:

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        @given(body=bodies, headers=header_sets, path=st.sampled_from(["/", "/status", "/fee"]))
        def push(body: bytes, headers: Any, path: str) -> None:
            url = srv.base_url + path
            if isinstance(headers, tuple):
                _, variant, secret = headers
                headers = voicecall_sign.headers(KEY, secret, url, variant, nonce=secrets.token_hex(8))
            r = http.post(url, data=body, headers=headers, timeout=10)
            assert r.status_code in allowed, (r.status_code, r.text[:200])
            if r.status_code != 400:  # the handler's own answers are JSON; 400 may be aiohttp's
                assert r.json()["resultcode"] == ("0" if r.status_code == 200 else str(r.status_code))

        push()
    http.close()
    assert_readable(store)
    store.close()


def test_the_receiver_answers_every_push_and_stores_only_readable_rows(tmp_path: Path) -> None:
    _run_receiver(tmp_path, strict=False)


def test_strict_receiver_answers_every_push(tmp_path: Path) -> None:
    _run_receiver(tmp_path, strict=True)
