"""Burst benchmark of the voice-call callback receiver on loopback.

Sends 1,000 distinct callbacks (200 calls x 4 status events + 1 bill), plus 10 % re-pushes, from
16 client threads, once with signature checking on and once off, and prints, side by side: the
stored count (must be 1,000: none lost, none stored twice), wall time, rate, and the median and
95th-percentile answer latency. Run: ``.venv/bin/python tests/bench/bench_callbacks.py [--calls N]``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import secrets
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.services.callbacks import CallbackReceiver, CallbackServer
from desktop.store.calls import CallStore

KEY, SECRET = "benchKey", "bench-secret"


def headers(url: str) -> dict[str, str]:
    # Signed the way PROTOCOLS §3 says the platform signs, computed here independently.
    nonce, created = secrets.token_hex(12), datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    mac = hmac.new(SECRET.encode(), f"{url}\n{nonce}\n{created}".encode(), hashlib.sha256).digest()
    return {
        "Authorization": 'AKSK realm="SDP",profile="UsernameToken",type="Appkey"',
        "X-AKSK": f'UsernameToken Username="{KEY}",PasswordDigest="{base64.b64encode(mac).decode()}",'
        f'Nonce="{nonce}",Created="{created}"',
    }


def pushes(calls: int) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for c in range(calls):
        sid = f"bench-{c}@host"
        for n, ev in enumerate(["callout", "alerting", "answer", "disconnect"]):
            info: dict[str, Any] = {
                "sessionId": sid,
                "timestamp": f"2026-01-01 00:00:{n:02d}",
                "caller": "+8657100000000",
                "called": "+8613800000001",
            }
            if ev == "disconnect":
                info |= {"stateCode": 0, "stateDesc": "ok"}
            out.append(("/status", {"eventType": ev, "statusInfo": info}))
        out.append(("/fee", {"eventType": "fee", "feeLst": [{"icid": f"CAE-{c}", "sessionId": sid}]}))
    return out


def run(calls: int, signed: bool, threads: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        store = CallStore(Path(tmp) / "history.sqlite3")
        observed: list[object] = []
        rx = CallbackReceiver(store, app_key=KEY, app_secret=SECRET if signed else "", observer=observed.append)
        work = pushes(calls)
        work = work + work[::10]  # 10 % re-pushed
        tl = threading.local()
        latencies: list[float] = []
        with CallbackServer(rx, "127.0.0.1", 0) as srv:

            def send(item: tuple[str, dict[str, Any]]) -> int:
                if not hasattr(tl, "s"):
                    tl.s = requests.Session()
                url = srv.base_url + item[0]
                t0 = time.perf_counter()
                code = int(tl.s.post(url, json=item[1], headers=headers(url) if signed else {}, timeout=30).status_code)
                latencies.append(time.perf_counter() - t0)
                return code

            t0 = time.perf_counter()
            with ThreadPoolExecutor(threads) as pool:
                codes = list(pool.map(send, work))
            wall = time.perf_counter() - t0
        counts = store.counts()
        store.close()
    stored = counts["call_status_events"] + counts["call_bills"]
    lat = sorted(latencies)
    return {
        "sent": len(work),
        "distinct": calls * 5,
        "http_200": codes.count(200),
        "stored": stored,
        "observed": len(observed),
        "wall_s": wall,
        "rate": len(work) / wall,
        "p50_ms": statistics.median(lat) * 1000,
        "p95_ms": lat[int(0.95 * (len(lat) - 1))] * 1000,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=200, help="calls (5 callbacks each); 200 = 1,000 callbacks")
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds per mode; medians are shown")
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (CI)")
    a = ap.parse_args()
    if a.quick:
        a.rounds = 1
    rounds: dict[str, list[dict[str, Any]]] = {"signed": [], "unsigned": []}
    for _ in range(a.rounds):  # alternate so that machine noise hits both modes alike
        rounds["signed"].append(run(a.calls, True, a.threads))
        rounds["unsigned"].append(run(a.calls, False, a.threads))
    results = {
        mode: {k: statistics.median(r[k] for r in rs) for k in rs[0]}
        | {"stored_all": all(r["stored"] == r["distinct"] == r["observed"] and r["http_200"] == r["sent"] for r in rs)}
        for mode, rs in rounds.items()
    }
    print(f"client and server share one process (and its GIL): the rates are a lower bound; {a.rounds} rounds, medians")
    print(f"{'':24}{'signed':>14}{'unsigned':>14}")
    rows = [
        ("callbacks sent", "sent", "{:.0f}"),
        ("distinct callbacks", "distinct", "{:.0f}"),
        ("answered 200", "http_200", "{:.0f}"),
        ("stored (distinct rows)", "stored", "{:.0f}"),
        ("observer calls", "observed", "{:.0f}"),
        ("wall time (s)", "wall_s", "{:.2f}"),
        ("rate (callbacks/s)", "rate", "{:.0f}"),
        ("median latency (ms)", "p50_ms", "{:.1f}"),
        ("p95 latency (ms)", "p95_ms", "{:.1f}"),
    ]
    for label, key, fmt in rows:
        print(f"{label:24}{fmt.format(results['signed'][key]):>14}{fmt.format(results['unsigned'][key]):>14}")
    ratio = results["unsigned"]["rate"] / results["signed"]["rate"]
    print(f"{'rate ratio unsigned/signed':24}{ratio:>14.2f}")
    ok = all(r["stored_all"] for r in results.values())
    print("every round: none lost, none stored twice" if ok else "MISMATCH: callbacks lost or stored twice")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
