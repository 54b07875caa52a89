"""Voice-call history: placed calls, status events, bills and refused callbacks.

Lives in the shared history database (its own ``call_*`` tables). The platform re-pushes a
callback it thinks failed (bills up to six times), so every push is stored under a natural key
and a repeat only bumps ``push_count``: what the operator sees is stored once.
The verification code itself is never stored: it is a one-time secret; only its length is kept.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.store.db import migrate, open_db

MAX_REJECTED_ROWS = 10_000  # a flood of forged callbacks must not fill the disk

MIGRATIONS = [
    """
    CREATE TABLE call_sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT UNIQUE,
        placed_at REAL NOT NULL,
        profile TEXT NOT NULL DEFAULT '',
        callee TEXT NOT NULL,
        display TEXT NOT NULL DEFAULT '',
        language_type INTEGER,
        pre_tone TEXT NOT NULL DEFAULT '',
        times INTEGER,
        code_length INTEGER,
        resultcode TEXT NOT NULL,
        resultdesc TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE call_status_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_key TEXT NOT NULL UNIQUE,
        session_id TEXT NOT NULL DEFAULT '',
        event_type TEXT NOT NULL,
        timestamp TEXT NOT NULL DEFAULT '',
        state_code TEXT,
        state_desc TEXT,
        payload TEXT NOT NULL,
        received_at REAL NOT NULL,
        push_count INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX call_status_events_session ON call_status_events(session_id, id);
    CREATE TABLE call_bills (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bill_key TEXT NOT NULL UNIQUE,
        icid TEXT NOT NULL DEFAULT '',
        session_id TEXT NOT NULL DEFAULT '',
        caller_num TEXT NOT NULL DEFAULT '',
        callee_num TEXT NOT NULL DEFAULT '',
        call_end_time TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL,
        received_at REAL NOT NULL,
        push_count INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX call_bills_session ON call_bills(session_id, id);
    CREATE TABLE call_rejected_callbacks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at REAL NOT NULL,
        remote TEXT NOT NULL DEFAULT '',
        path TEXT NOT NULL DEFAULT '',
        status INTEGER NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        username TEXT NOT NULL DEFAULT '',
        nonce TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL DEFAULT '',
        body_len INTEGER NOT NULL DEFAULT 0,
        body_sha256 TEXT NOT NULL DEFAULT ''
    )
    """,
    # v2 (operator): what the person read back to the operator, and the verification the call
    # was placed for (attempts.id in the history tables of the same file).
    """
    ALTER TABLE call_sessions ADD COLUMN read_back TEXT;
    ALTER TABLE call_sessions ADD COLUMN attempt_id INTEGER
    """,
]

READ_BACK = ("correct", "wrong", "no_answer")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _canonical_hash(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def status_key(info: dict[str, Any], event_type: str) -> str:
    """sessionId + eventType + timestamp; without them, the content itself identifies the push."""
    sid, ts = _text(info.get("sessionId")), _text(info.get("timestamp"))
    if sid and ts:
        return f"{sid}|{event_type}|{ts}"
    return "sha256:" + _canonical_hash({"eventType": event_type, "statusInfo": info})


def bill_key(record: dict[str, Any]) -> str:
    """``icid`` names one call record; else the sessionId; else the content."""
    icid, sid = _text(record.get("icid")), _text(record.get("sessionId"))
    if icid:
        return "icid:" + icid
    if sid:
        return "session:" + sid
    return "sha256:" + _canonical_hash(record)


@dataclass(frozen=True)
class Rejection:
    remote: str
    path: str
    status: int
    reason: str
    detail: str = ""
    username: str = ""
    nonce: str = ""
    created: str = ""
    body_len: int = 0
    body_sha256: str = ""


class CallStore:
    """Thread-safe access to the ``call_*`` tables (the receiver writes from its own thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = open_db(path)
        self._lock = threading.RLock()
        migrate(self._conn, "calls", MIGRATIONS)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # -- writes ------------------------------------------------------------------------------

    def record_call(
        self,
        *,
        callee: str,
        resultcode: str,
        session_id: str | None = None,
        resultdesc: str = "",
        profile: str = "",
        display: str = "",
        language_type: int | None = None,
        pre_tone: str = "",
        times: int | None = None,
        code_length: int | None = None,
    ) -> None:
        """One attempt to place a call, accepted (with its sessionId) or refused (without)."""
        with self._tx() as c:
            c.execute(
                "INSERT INTO call_sessions(session_id, placed_at, profile, callee, display, language_type,"
                " pre_tone, times, code_length, resultcode, resultdesc) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(session_id) DO NOTHING",
                (
                    session_id or None,
                    time.time(),
                    profile,
                    callee,
                    display,
                    language_type,
                    pre_tone,
                    times,
                    code_length,
                    resultcode,
                    resultdesc,
                ),
            )

    def add_status(self, event_type: str, info: dict[str, Any]) -> bool:
        """Store a status event; False when the same event was already stored (a re-push)."""
        key = status_key(info, event_type)
        with self._tx() as c:
            cur = c.execute(
                "INSERT OR IGNORE INTO call_status_events(event_key, session_id, event_type, timestamp,"
                " state_code, state_desc, payload, received_at) VALUES (?,?,?,?,?,?,?,?)",
                (
                    key,
                    _text(info.get("sessionId")),
                    event_type,
                    _text(info.get("timestamp")),
                    None if info.get("stateCode") is None else _text(info.get("stateCode")),
                    None if info.get("stateDesc") is None else _text(info.get("stateDesc")),
                    json.dumps(info, ensure_ascii=False),
                    time.time(),
                ),
            )
            if cur.rowcount == 0:
                c.execute("UPDATE call_status_events SET push_count = push_count + 1 WHERE event_key = ?", (key,))
                return False
            return True

    def add_bills(self, records: list[dict[str, Any]]) -> list[bool]:
        """Store bill records in one transaction; per record, True when it was new."""
        out: list[bool] = []
        now = time.time()
        with self._tx() as c:
            for rec in records:
                key = bill_key(rec)
                cur = c.execute(
                    "INSERT OR IGNORE INTO call_bills(bill_key, icid, session_id, caller_num, callee_num,"
                    " call_end_time, payload, received_at) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        key,
                        _text(rec.get("icid")),
                        _text(rec.get("sessionId")),
                        _text(rec.get("callerNum")),
                        _text(rec.get("calleeNum")),
                        _text(rec.get("callEndTime")),
                        json.dumps(rec, ensure_ascii=False),
                        now,
                    ),
                )
                if cur.rowcount == 0:
                    c.execute("UPDATE call_bills SET push_count = push_count + 1 WHERE bill_key = ?", (key,))
                out.append(cur.rowcount == 1)
        return out

    def add_rejection(self, r: Rejection) -> None:
        with self._tx() as c:
            cur = c.execute(
                "INSERT INTO call_rejected_callbacks(received_at, remote, path, status, reason, detail, username,"
                " nonce, created, body_len, body_sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    time.time(),
                    r.remote,
                    r.path,
                    r.status,
                    r.reason,
                    r.detail[:500],
                    r.username[:200],
                    r.nonce[:200],
                    r.created[:64],
                    r.body_len,
                    r.body_sha256,
                ),
            )
            if (cur.lastrowid or 0) % 100 == 0:  # prune now and then, not on every insert
                c.execute(
                    "DELETE FROM call_rejected_callbacks WHERE id <= ?",
                    ((cur.lastrowid or 0) - MAX_REJECTED_ROWS,),
                )

    def set_read_back(self, session_id: str, read_back: str) -> bool:
        """What the person read back for this call: correct, wrong or no_answer; False when no
        call of that session is stored."""
        if read_back not in READ_BACK:
            raise ValueError(f"read_back must be one of {READ_BACK}")
        with self._tx() as c:
            cur = c.execute("UPDATE call_sessions SET read_back = ? WHERE session_id = ?", (read_back, session_id))
            return cur.rowcount == 1

    def link_attempt(self, session_id: str, attempt_id: int) -> bool:
        """Link the call to the verification attempt it was placed for."""
        with self._tx() as c:
            cur = c.execute("UPDATE call_sessions SET attempt_id = ? WHERE session_id = ?", (attempt_id, session_id))
            return cur.rowcount == 1

    def last_callee(self, attempt_ids: list[int]) -> str:
        """The number last called for any of these attempts ("" when none was)."""
        ids = [int(i) for i in attempt_ids][:500]
        if not ids:
            return ""
        marks = ",".join("?" for _ in ids)
        rows = self._rows(
            f"SELECT callee FROM call_sessions WHERE attempt_id IN ({marks}) ORDER BY id DESC LIMIT 1", tuple(ids)
        )
        return str(rows[0]["callee"]) if rows else ""

    # -- reads -------------------------------------------------------------------------------

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self._conn.execute(sql, args).fetchall()]

    def calls(self, limit: int = 100) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM call_sessions ORDER BY id DESC LIMIT ?", (limit,))

    def call(self, session_id: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM call_sessions WHERE session_id = ?", (session_id,))
        return rows[0] if rows else None

    def events(self, session_id: str | None = None) -> list[dict[str, Any]]:
        if session_id is None:
            return self._rows("SELECT * FROM call_status_events ORDER BY id")
        return self._rows("SELECT * FROM call_status_events WHERE session_id = ? ORDER BY id", (session_id,))

    def bills(self, session_id: str | None = None) -> list[dict[str, Any]]:
        if session_id is None:
            return self._rows("SELECT * FROM call_bills ORDER BY id")
        return self._rows("SELECT * FROM call_bills WHERE session_id = ? ORDER BY id", (session_id,))

    def rejected(self, limit: int = 100) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM call_rejected_callbacks ORDER BY id DESC LIMIT ?", (limit,))

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {
                table: int(self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
                for table in ("call_sessions", "call_status_events", "call_bills", "call_rejected_callbacks")
            }


def default_store() -> CallStore:
    """The store in the app's history database (shared with the history component)."""
    from desktop.config import data_dir

    return CallStore(data_dir() / "history.sqlite3")
