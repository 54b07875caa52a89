"""A small burst of signed callbacks from several threads, half of them re-pushed: none lost, none doubled.

The 1,000-callback figure lives in tests/bench/bench_callbacks.py; this is the fast guard.
"""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from desktop.services.callbacks import CallbackEvent, CallbackReceiver, CallbackServer
from desktop.store.calls import CallStore
from tests.services.voicecall_support import callback_headers

KEY, SECRET = "burstKey", "burst-secret"
CALLS = 40  # 40 calls x (4 status events + 1 bill) = 200 distinct callbacks


def _pushes(base: str) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for c in range(CALLS):
        sid = f"burst-{c}@host"
        for n, ev in enumerate(["callout", "alerting", "answer", "disconnect"]):
            info = {
                "sessionId": sid,
                "timestamp": f"2026-01-01 00:00:{n:02d}",
                "caller": "+8657100000000",
                "called": "+8613800000001",
            }
            out.append((base + "/status", {"eventType": ev, "statusInfo": info}))
        out.append((base + "/fee", {"eventType": "fee", "feeLst": [{"icid": f"CAE-{c}", "sessionId": sid}]}))
    return out


def test_burst_with_repushes_none_lost_none_doubled(tmp_path: Path) -> None:
    store = CallStore(tmp_path / "history.sqlite3")
    seen: list[CallbackEvent] = []
    rx = CallbackReceiver(store, app_key=KEY, app_secret=SECRET, observer=seen.append)
    pushes = _pushes("")
    with CallbackServer(rx, "127.0.0.1", 0) as srv:
        # Every second push is sent again, as the platform does when it missed our 200.
        work = [(srv.base_url + p, d) for p, d in pushes] + [(srv.base_url + p, d) for p, d in pushes[::2]]
        local = threading_local_session()

        def send(item: tuple[str, dict[str, Any]]) -> int:
            url, doc = item
            when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            headers = callback_headers(KEY, SECRET, url, secrets.token_hex(12), when)
            return local().post(url, json=doc, headers=headers, timeout=10).status_code

        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(send, work))
    assert codes.count(200) == len(work)
    counts = store.counts()
    assert counts["call_status_events"] == CALLS * 4 and counts["call_bills"] == CALLS
    assert counts["call_rejected_callbacks"] == 0
    assert len(seen) == CALLS * 5  # the observer saw each event exactly once
    assert rx.stats["duplicates"] == len(pushes[::2])
    for c in range(CALLS):
        assert [e["event_type"] for e in store.events(f"burst-{c}@host")] != []
    store.close()


def threading_local_session() -> Any:
    import threading

    tl = threading.local()

    def get() -> requests.Session:
        if not hasattr(tl, "s"):
            tl.s = requests.Session()
        return tl.s  # type: ignore[no-any-return]

    return get
