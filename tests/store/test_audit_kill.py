"""The audit write path under ``kill -9``: a writer process appends as fast as it can and is
killed mid-write; the chain must still verify, and every event it reported committed is there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from desktop.store.audit import AuditLog

WRITER = r"""
import sys
from pathlib import Path
from desktop.store.audit import AuditLog

log = AuditLog(Path(sys.argv[1]))
i = 0
while True:
    i += 1
    seq = log.record("verify", subject=f"user{i}", outcome="accepted", profile="sandbox",
                     details={"attempt": i, "pad": "x" * (i % 500)})
    print(seq, flush=True)  # only after COMMIT returned
"""


def test_kill_9_mid_write_loses_no_committed_event(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    AuditLog(db).close()  # the table exists before the writers race to create it
    reported: list[int] = []
    for round_ in range(4):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert proc.stdout is not None
        want = 20 + 15 * round_  # kill at a different point each round
        deadline = time.monotonic() + 60
        seen = 0
        while seen < want and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            reported.append(int(line))
            seen += 1
        os.kill(proc.pid, signal.SIGKILL)  # mid-write: it is inside its next append
        proc.wait(10)
        # Whatever it printed before dying is also committed (print follows COMMIT).
        reported.extend(int(x) for x in proc.stdout.read().split())
        assert seen == want, f"writer stopped early in round {round_}"
    log = AuditLog(db)
    try:
        count, problem = log.verify()
        assert problem is None, problem
        stored = {e["seq"] for e in log.events()}
    finally:
        log.close()
    assert set(reported) <= stored
    assert count == len(stored) >= len(reported)
    assert sorted(stored) == list(range(1, count + 1))  # no gap, no fork


ATTEMPT_WRITER = r"""
import sys
from pathlib import Path
from desktop.store.history import History

h = History(Path(sys.argv[1]))
i = 0
while True:
    i += 1
    h.record(profile="sandbox", kind="verify", user=f"caller{i}", error="no answer", operator="op")
    print(i, flush=True)
"""


def test_two_writers_one_chain_killed_together(tmp_path: Path) -> None:
    """An attempt writer (History.record) and an event writer (AuditLog) in two processes extend
    one chain; both killed mid-write, it verifies with no fork, and every reported write is there."""
    db = tmp_path / "history.sqlite3"
    from desktop.store.history import History

    History(db).close()
    root = Path(__file__).resolve().parents[2]
    procs = [
        subprocess.Popen([sys.executable, "-c", src, str(db)], stdout=subprocess.PIPE, text=True, cwd=root)
        for src in (WRITER, ATTEMPT_WRITER)
    ]
    counts = [0, 0]
    deadline = time.monotonic() + 60
    while min(counts) < 40 and time.monotonic() < deadline:
        for i, p in enumerate(procs):
            assert p.stdout is not None
            if counts[i] < 40 and p.stdout.readline():
                counts[i] += 1
    for p in procs:
        os.kill(p.pid, signal.SIGKILL)
    for i, p in enumerate(procs):
        p.wait(10)
        assert p.stdout is not None
        counts[i] += len(p.stdout.read().split())
    assert min(counts) >= 40
    log = AuditLog(db)
    history = History(db)
    try:
        count, problem = log.verify()
        assert problem is None, problem
        events = log.events(newest_first=False)
        attempts = history.rows()
    finally:
        log.close()
        history.close()
    assert [e["seq"] for e in events] == list(range(1, count + 1))
    assert len(attempts) >= counts[1]
    assert sum(e["action"] == "verify" and e["subject"].startswith("user") for e in events) >= counts[0]
    # Every attempt committed has its audit event (one transaction), and no event lacks its attempt.
    linked = {e["details"]["attempt"] for e in events if e["subject"].startswith("caller")}
    assert linked == {a["id"] for a in attempts}
