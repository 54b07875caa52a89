"""The call_* tables: shared database file, idempotent keys, concurrent writers, bounded refusals."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop.store import audit, calls
from desktop.store.calls import CallStore, Rejection, bill_key, status_key
from desktop.store.db import migrate, open_db


def test_lives_beside_other_components_in_one_file(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    conn = open_db(db)
    migrate(conn, "history", ["CREATE TABLE history_entries (id INTEGER PRIMARY KEY, what TEXT)"])
    conn.execute("INSERT INTO history_entries(what) VALUES ('enrol')")
    s = CallStore(db)
    s.close()
    s = CallStore(db)  # migrating again is a no-op
    versions = dict(conn.execute("SELECT component, version FROM schema_versions").fetchall())
    assert versions == {"history": 1, "calls": len(calls.MIGRATIONS), "audit": len(audit.MIGRATIONS)}
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {t for t in tables if t.startswith("call")} == {
        "call_sessions",
        "call_status_events",
        "call_bills",
        "call_rejected_callbacks",
        "call_unparsed_pushes",
    }
    assert conn.execute("SELECT what FROM history_entries").fetchone()[0] == "enrol"
    s.close()
    conn.close()


def test_record_call_keeps_the_session_but_not_the_code(tmp_path: Path) -> None:
    s = CallStore(tmp_path / "h.sqlite3")
    s.record_call(session_id="sid-1", callee="+8613800000001", resultcode="0", code_length=6, times=3)
    s.record_call(session_id="sid-1", callee="+8613800000001", resultcode="0")  # same session: once
    s.record_call(callee="+8613800000002", resultcode="1010023", resultdesc="Display number invalid.")
    s.record_call(callee="+8613800000003", resultcode="1010013")
    rows = s.calls()
    assert len(rows) == 3
    assert s.call("sid-1") == next(r for r in rows if r["session_id"] == "sid-1")
    assert s.call("sid-1")["code_length"] == 6  # type: ignore[index]
    assert not any(k == "code" or k == "verify_code" for k in rows[0])
    s.close()


def test_keys_for_events_and_bills() -> None:
    info = {"sessionId": "s", "timestamp": "2026-01-01 00:00:00"}
    assert status_key(info, "answer") == "s|answer|2026-01-01 00:00:00"
    assert status_key(info, "answer") != status_key(info, "alerting")
    assert status_key({"x": 1}, "callout") == status_key({"x": 1}, "callout") != status_key({"x": 2}, "callout")
    assert bill_key({"icid": "I", "sessionId": "s"}) == "icid:I"
    assert bill_key({"sessionId": "s"}) == "session:s"
    assert bill_key({"a": 1}).startswith("sha256:")


def test_concurrent_writers_store_each_bill_once(tmp_path: Path) -> None:
    s = CallStore(tmp_path / "h.sqlite3")
    results: list[list[bool]] = []

    def push(worker: int) -> None:
        for i in range(50):
            results.append(s.add_bills([{"icid": f"I{i}", "sessionId": f"s{i}", "w": worker}]))

    threads = [threading.Thread(target=push, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(s.bills()) == 50
    assert sum(r[0] for r in results) == 50  # exactly one writer saw each bill as new
    assert {b["push_count"] for b in s.bills()} == {4}
    s.close()


def test_refusals_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calls, "MAX_REJECTED_ROWS", 150)
    s = CallStore(tmp_path / "h.sqlite3")
    for i in range(400):
        s.add_rejection(Rejection(remote="10.0.0.1", path="/", status=401, reason="bad_digest", nonce=str(i)))
    assert s.counts()["call_rejected_callbacks"] <= 250
    assert s.rejected(1)[0]["nonce"] == "399"
    s.close()


def test_rows_from_before_marks_migrate_as_unknown(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    conn = open_db(db)
    migrate(conn, "calls", calls.MIGRATIONS[:1])  # a database written by the previous version
    conn.execute("INSERT INTO call_bills(bill_key, icid, payload, received_at) VALUES ('icid:OLD', 'OLD', '{}', 0)")
    conn.close()
    s = CallStore(db)
    (row,) = s.bills()
    assert row["signature"] == "unknown" and row["signature_detail"] == ""
    # A verified re-push of an old row ranks above "unknown" and replaces it.
    assert s.add_bills([{"icid": "OLD", "x": 1}], calls.Mark(calls.VERIFIED, "test")) == [False]
    assert s.bills()[0]["signature"] == "verified" and s.marks() == {"verified": 1}
    s.close()


def test_pushes_lists_every_kind_with_its_mark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = CallStore(tmp_path / "h.sqlite3")
    ticks = iter(range(1_000_000, 2_000_000))
    monkeypatch.setattr(calls.time, "time", lambda: float(next(ticks)))  # distinct, increasing times
    s.add_status("callout", {"sessionId": "s1", "timestamp": "t1"}, calls.Mark(calls.VERIFIED))
    s.add_bills([{"icid": "I1", "sessionId": "s1"}], calls.Mark(calls.BAD_SIGNATURE, "bad_digest"))
    s.add_status("callout", {"sessionId": "s2", "timestamp": "t1"})
    s.add_unparsed(b"\x00junk", reason="not_json")
    rows = s.pushes()
    assert [(r["kind"], r["what"], r["signature"]) for r in rows] == [
        ("unparsed", "not_json", "unverified"),
        ("status", "callout", "unverified"),
        ("fee", "I1", "bad_signature"),
        ("status", "callout", "verified"),
    ]
    assert [(r["kind"], r["signature"]) for r in s.pushes(session_id="s1")] == [
        ("fee", "bad_signature"),
        ("status", "verified"),
    ]
    s.close()
