"""Audit trail figures: append rate (one fsync'd transaction per event, as the app writes them),
``verify`` time over the whole chain, and the History panel's timeline read (attempts + events).

Run: ``.venv/bin/python tests/bench/bench_audit.py [--quick]`` (quick: 1,000 events, else 20,000).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.store.audit import AuditLog, append
from desktop.store.history import History
from desktop.store.timeline import timeline


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 1_000 if args.quick else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "history.sqlite3"
        log = AuditLog(db)
        timed = min(n, 300)  # one fsync each: the rest go in bulk so the run stays short
        lat = []
        for i in range(timed):
            t = time.perf_counter()
            log.record("verify", subject=f"user{i % 500}", outcome="accepted", profile="sandbox", details={"i": i})
            lat.append(time.perf_counter() - t)
        conn = log._conn
        t = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for i in range(timed, n):
            append(conn, action="callback", subject=f"sid-{i}", outcome="answer", profile="sandbox")
        conn.execute("COMMIT")
        bulk = time.perf_counter() - t
        t = time.perf_counter()
        count, problem = log.verify()
        verify_s = time.perf_counter() - t
        assert problem is None and count == n
        history = History(db)
        t = time.perf_counter()
        rows = timeline(history, log)
        read_s = time.perf_counter() - t
        history.close()
        log.close()
    print(f"events                              {n}")
    print(f"append, own transaction (median ms) {statistics.median(lat) * 1000:.2f}")
    print(f"append, in a batch (us/event)       {bulk / max(1, n - timed) * 1e6:.0f}")
    print(f"verify whole chain (s)              {verify_s:.3f}  ({n / verify_s:,.0f} records/s)")
    print(f"History timeline read (s)           {read_s:.3f}  ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
