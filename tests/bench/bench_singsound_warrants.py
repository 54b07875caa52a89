"""What the warrant cache and the single flight save, against the local sandbox.

Run: ``.venv/bin/python tests/bench/bench_singsound_warrants.py``

Prints, side by side, the median latency of a warrant fetched from SingSound (the sandbox,
loopback), served from the client's cache, and fetched by a device through the merchant warrant
service; then how many upstream calls a burst of concurrent requests costs when they are for one
user (shared) and for distinct users, and the fail-over cost when the first gateway is down or
slow. Loopback numbers: they show the ratios, not production latency.
"""

from __future__ import annotations

import logging
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.sandbox import defaults
from desktop.services.singsound import WarrantClient
from desktop.services.warrant_server import DeviceTokens, WarrantServerThread, WarrantService
from tests.services.singsound_support import calls, reset, singsound_sandbox, urls

TOKEN = "bench-device-token-0123456789abcdef"


def median_ms(fn: Callable[[int], object], n: int) -> float:
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def burst(fn: Callable[[int], object], n: int) -> float:
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        barrier.wait()
        fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    logging.basicConfig(level=logging.ERROR)  # the fail-over runs log a warning per skipped gateway
    with tempfile.TemporaryDirectory() as tmp, singsound_sandbox(Path(tmp)) as sb:
        client = WarrantClient(urls(sb), defaults.SINGSOUND_APPID, defaults.SINGSOUND_APP_SECRET, timeout_s=0.5)
        upstream = median_ms(lambda i: client.get_warrant(f"u{i}", "203.0.113.1", use_cache=False), 100)
        client.get_warrant("cached", "203.0.113.1")
        cached = median_ms(lambda i: client.get_warrant("cached", "203.0.113.1"), 2000)
        service = WarrantService(client, DeviceTokens(TOKEN), rate_per_min=1e6, burst=10**6)
        with WarrantServerThread(service) as srv, requests.Session() as http:
            headers = {"Authorization": f"Bearer {TOKEN}"}
            via_service = median_ms(
                lambda i: http.post(srv.url, json={"user_id": "cached"}, headers=headers, timeout=5), 300
            )
        print(f"{'median latency (ms)':<34}{'upstream':>10}{'cache':>10}{'via service':>13}{'ratio up/cache':>16}")
        print(f"{'':<34}{upstream:>10.3f}{cached:>10.4f}{via_service:>13.3f}{upstream / cached:>16.0f}")

        n = 50
        reset(sb, {"slow": 0.05})
        client.invalidate()
        shared_ms = burst(lambda i: client.get_warrant("one-pupil", "203.0.113.1"), n)
        shared_calls = sum(calls(sb).values())
        reset(sb, {"slow": 0.05})
        distinct_ms = burst(lambda i: client.get_warrant(f"pupil-{i}", "203.0.113.1"), n)
        distinct_calls = sum(calls(sb).values())
        print(f"\n{n} concurrent requests, gateway answering in 50 ms:")
        print(f"{'':<20}{'upstream calls':>16}{'wall ms':>10}")
        print(f"{'same user':<20}{shared_calls:>16}{shared_ms:>10.1f}")
        print(f"{'distinct users':<20}{distinct_calls:>16}{distinct_ms:>10.1f}")

        print("\nfail-over cost (median of 20, timeout 0.5 s):")
        for label, faults in (
            ("all up", {}),
            ("gate-01 HTTP 500", {"gate-01.down": True}),
            ("gate-01 drops", {"gate-01.down": "close"}),
            ("gate-01 slow > timeout", {"gate-01.slow": 2}),
        ):
            reset(sb, faults)
            ms = median_ms(
                lambda i: client.get_warrant(f"f{i}", "203.0.113.1", use_cache=False), 20 if "slow" not in label else 5
            )
            print(f"  {label:<26}{ms:>9.1f} ms")
        reset(sb)
        client.close()


if __name__ == "__main__":
    main()
