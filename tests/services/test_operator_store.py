"""Issue 14's two columns: what the person read back and the attempt a call was for (calls v2), and
the case reference of an attempt (history v3), added to databases that already hold rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.store import calls, history
from desktop.store.calls import CallStore
from desktop.store.db import migrate, open_db
from desktop.store.history import History


def test_an_existing_calls_database_gains_read_back_and_attempt(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    conn = open_db(path)
    migrate(conn, "calls", calls.MIGRATIONS[:1])  # a database from before
    conn.execute(
        "INSERT INTO call_sessions(session_id, placed_at, callee, resultcode) VALUES ('s1', 0, '+8613800000001', '0')"
    )
    conn.close()
    store = CallStore(path)
    try:
        assert store.call("s1")["read_back"] is None  # the old row is kept, with nothing recorded
        assert store.set_read_back("s1", "no_answer") and store.call("s1")["read_back"] == "no_answer"
        assert not store.set_read_back("nope", "correct")
        with pytest.raises(ValueError):
            store.set_read_back("s1", "maybe")
        assert store.link_attempt("s1", 42) and store.call("s1")["attempt_id"] == 42
        assert store.last_callee([41, 42]) == "+8613800000001" and store.last_callee([7]) == ""
    finally:
        store.close()


def test_an_existing_history_gains_the_reference(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    conn = open_db(path)
    migrate(conn, "history", history.MIGRATIONS[:2])
    conn.close()
    h = History(path)
    try:
        h.record(profile="sandbox", kind="verify", user="alice", error="offline", reference="CASE-1")
        h.record(profile="sandbox", kind="verify", user="bob", error="offline")
        rows = {r["user"]: r for r in h.rows()}
        assert rows["alice"]["reference"] == "CASE-1" and rows["bob"]["reference"] is None
    finally:
        h.close()
    assert sqlite3.connect(path).execute("SELECT version FROM schema_versions WHERE component='history'").fetchone()[
        0
    ] == len(history.MIGRATIONS)
