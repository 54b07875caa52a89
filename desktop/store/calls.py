"""Voice-call history: placed calls, status events, bills and refused callbacks.

Lives in the shared history database (its own ``call_*`` tables). The platform re-pushes a
callback it thinks failed (bills up to six times), so every push is stored under a natural key
and a repeat only bumps ``push_count``: what the operator sees is stored once.
The verification code itself is never stored: it is a one-time secret; only its length is kept.

Every stored event and bill carries the receiver's signature mark (``signature``: one of
``MARKS``, ``unknown`` for rows from before marks existed) and how it was reached
(``signature_detail``). A re-push with a better mark (a verified copy of a bill first stored
unverified) replaces the stored copy: whoever can sign wins over whoever cannot.
Pushes that are not readable JSON events are kept raw (``call_unparsed_pushes``, base64) so that
nothing the platform may send is lost; their text columns are always clean, printable strings.
"""

from __future__ import annotations

import base64
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

from desktop.store import audit
from desktop.store.calls_schema import MIGRATIONS
from desktop.store.db import migrate, open_db, transaction
from desktop.untrusted import clean_field

MAX_REJECTED_ROWS = 10_000  # a flood of forged callbacks must not fill the disk
MAX_UNPARSED_ROWS = 200  # raw bodies are up to the receiver's cap (256 kB) each: ~70 MB at worst

# Signature marks, best first. "stale": signed with the secret but Created outside the window
# (a late re-push, or a replay after the window); "replayed": a Nonce seen before with new content.
VERIFIED, STALE, REPLAYED, UNVERIFIED, BAD_SIGNATURE = "verified", "stale", "replayed", "unverified", "bad_signature"
MARKS = (VERIFIED, STALE, REPLAYED, UNVERIFIED, BAD_SIGNATURE)
_RANK = {m: len(MARKS) - i for i, m in enumerate(MARKS)}  # "unknown" (old rows) ranks 0

READ_BACK = ("correct", "wrong", "no_answer")


def _text(value: Any, limit: int = 256) -> str:
    """A column value: printable, without lone surrogates, bounded (the payload keeps it all)."""
    return clean_field(value, limit)


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)


def _canonical_hash(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def rank(mark: str) -> int:
    return _RANK.get(mark, 0)


@dataclass(frozen=True)
class Mark:
    """How the receiver judged a push's signature: one of ``MARKS`` and how it got there."""

    signature: str = UNVERIFIED
    detail: str = ""


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
        audit.ensure_table(self._conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock, transaction(self._conn) as conn:
            yield conn

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
            cur = c.execute(
                "INSERT INTO call_sessions(session_id, placed_at, profile, callee, display, language_type,"
                " pre_tone, times, code_length, resultcode, resultdesc) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(session_id) DO NOTHING",
                (
                    _text(session_id, 256) or None,
                    time.time(),
                    _text(profile, 128),
                    _text(callee, 64),
                    _text(display, 64),
                    language_type,
                    _text(pre_tone, 200),
                    times,
                    code_length,
                    _text(resultcode, 32),
                    _text(resultdesc, 1000),
                ),
            )
            if cur.rowcount == 0:
                return  # the same session again: one call, already audited
            # Audited in the same transaction: the call and its audit event commit together.
            audit.append(
                c, action="call", subject=callee, outcome="placed" if session_id else "refused", profile=profile,
                details={"session_id": session_id or "", "resultcode": resultcode, "code_length": code_length},
            )  # fmt: skip

    def add_status(self, event_type: str, info: dict[str, Any], mark: Mark | None = None) -> bool:
        """Store a status event; False when the same event was already stored (a re-push)."""
        mark = mark or Mark()
        key = status_key(info, event_type)
        with self._tx() as c:
            row = (
                _text(info.get("sessionId")),
                _text(event_type, 64),
                _text(info.get("timestamp"), 64),
                None if info.get("stateCode") is None else _text(info.get("stateCode"), 64),
                None if info.get("stateDesc") is None else _text(info.get("stateDesc"), 512),
                _json(info),
            )
            cur = c.execute(
                "INSERT OR IGNORE INTO call_status_events(event_key, session_id, event_type, timestamp,"
                " state_code, state_desc, payload, received_at, signature, signature_detail)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                (key, *row, time.time(), mark.signature, _text(mark.detail, 500)),
            )
            if cur.rowcount == 1:
                sid = row[0]
                audit.append(
                    c, action="callback", subject=sid, outcome=row[1], profile=self._profile_of(c, sid),
                    details={"state_code": row[3], "timestamp": row[2], "signature": mark.signature},
                )  # fmt: skip
                return True
            self._repush(
                c,
                "call_status_events",
                "event_key",
                key,
                mark,
                "session_id = ?, event_type = ?, timestamp = ?, state_code = ?, state_desc = ?, payload = ?",
                row,
            )
            return False

    def add_bills(self, records: list[dict[str, Any]], mark: Mark | None = None) -> list[bool]:
        """Store bill records in one transaction; per record, True when it was new."""
        mark = mark or Mark()
        out: list[bool] = []
        now = time.time()
        with self._tx() as c:
            for rec in records:
                key = bill_key(rec)
                row = (
                    _text(rec.get("icid")),
                    _text(rec.get("sessionId")),
                    _text(rec.get("callerNum"), 64),
                    _text(rec.get("calleeNum"), 64),
                    _text(rec.get("callEndTime"), 64),
                    _json(rec),
                )
                cur = c.execute(
                    "INSERT OR IGNORE INTO call_bills(bill_key, icid, session_id, caller_num, callee_num,"
                    " call_end_time, payload, received_at, signature, signature_detail) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (key, *row, now, mark.signature, _text(mark.detail, 500)),
                )
                if cur.rowcount == 0:
                    self._repush(
                        c,
                        "call_bills",
                        "bill_key",
                        key,
                        mark,
                        "icid = ?, session_id = ?, caller_num = ?, callee_num = ?, call_end_time = ?, payload = ?",
                        row,
                    )
                else:
                    sid = row[1]
                    audit.append(
                        c, action="callback", subject=sid, outcome="bill", profile=self._profile_of(c, sid),
                        details={"icid": row[0], "call_end_time": row[4], "signature": mark.signature},
                    )  # fmt: skip
                out.append(cur.rowcount == 1)
        return out

    @staticmethod
    def _profile_of(c: sqlite3.Connection, session_id: str) -> str:
        """The profile the call was placed on (a callback does not say)."""
        row = c.execute("SELECT profile FROM call_sessions WHERE session_id = ?", (session_id or None,)).fetchone()
        return str(row[0]) if row else ""

    @staticmethod
    def _repush(
        c: sqlite3.Connection, table: str, key_col: str, key: str, mark: Mark, columns: str, row: tuple[Any, ...]
    ) -> None:
        """Count a re-push; a better-signed copy replaces the stored one (a forger may have been first)."""
        old = c.execute(f"SELECT signature FROM {table} WHERE {key_col} = ?", (key,)).fetchone()
        if old is not None and rank(mark.signature) > rank(old[0]):
            c.execute(
                f"UPDATE {table} SET {columns}, signature = ?, signature_detail = ?, push_count = push_count + 1"
                f" WHERE {key_col} = ?",
                (*row, mark.signature, _text(mark.detail, 500), key),
            )
        else:
            c.execute(f"UPDATE {table} SET push_count = push_count + 1 WHERE {key_col} = ?", (key,))

    def add_unparsed(
        self,
        body: bytes,
        *,
        reason: str,
        detail: str = "",
        mark: Mark | None = None,
        remote: str = "",
        path: str = "",
        content_type: str = "",
    ) -> bool:
        """Keep a push we could not read, raw; False when the same bytes were already kept."""
        mark = mark or Mark()
        digest = hashlib.sha256(body).hexdigest()
        preview = _text(body[:400].decode("utf-8", "replace"), 400)
        with self._tx() as c:
            cur = c.execute(
                "INSERT OR IGNORE INTO call_unparsed_pushes(body_sha256, received_at, remote, path, content_type,"
                " reason, detail, signature, signature_detail, body_len, body_b64, preview)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    digest,
                    time.time(),
                    _text(remote, 64),
                    _text(path, 200),
                    _text(content_type, 200),
                    _text(reason, 64),
                    _text(detail, 500),
                    mark.signature,
                    _text(mark.detail, 500),
                    len(body),
                    base64.b64encode(body).decode("ascii"),
                    preview,
                ),
            )
            if cur.rowcount == 0:
                c.execute(
                    "UPDATE call_unparsed_pushes SET push_count = push_count + 1 WHERE body_sha256 = ?", (digest,)
                )
                return False
            c.execute("DELETE FROM call_unparsed_pushes WHERE id <= ?", ((cur.lastrowid or 0) - MAX_UNPARSED_ROWS,))
            return True

    def add_rejection(self, r: Rejection) -> None:
        with self._tx() as c:
            cur = c.execute(
                "INSERT INTO call_rejected_callbacks(received_at, remote, path, status, reason, detail, username,"
                " nonce, created, body_len, body_sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    time.time(),
                    _text(r.remote, 64),
                    _text(r.path, 200),
                    r.status,
                    _text(r.reason, 64),
                    _text(r.detail, 500),
                    _text(r.username, 200),
                    _text(r.nonce, 200),
                    _text(r.created, 64),
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

    def pushes(self, limit: int = 100, session_id: str | None = None) -> list[dict[str, Any]]:
        """Stored events, bills and raw pushes in one list, newest first, each with its mark: what a
        history view shows (``kind``: status / fee / unparsed; ``what``: event type, icid or reason)."""
        where, args = ("WHERE session_id = ?", (session_id,)) if session_id is not None else ("", ())
        raw = (
            ""
            if session_id is not None
            else (
                " UNION ALL SELECT 'unparsed', received_at, '', reason, signature, signature_detail, push_count"
                " FROM call_unparsed_pushes"
            )
        )
        sql = (
            "SELECT * FROM (SELECT 'status' AS kind, received_at, session_id, event_type AS what, signature,"
            f" signature_detail, push_count FROM call_status_events {where}"
            " UNION ALL SELECT 'fee', received_at, session_id, icid, signature, signature_detail, push_count"
            f" FROM call_bills {where}{raw}) ORDER BY received_at DESC LIMIT ?"
        )
        return self._rows(sql, (*args, *args, limit))

    def unparsed(self, limit: int = 100) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM call_unparsed_pushes ORDER BY id DESC LIMIT ?", (limit,))

    def marks(self) -> dict[str, int]:
        """How many stored events and bills carry each signature mark (for summaries and history)."""
        with self._lock:
            out: dict[str, int] = {}
            for table in ("call_status_events", "call_bills"):
                for mark, n in self._conn.execute(f"SELECT signature, COUNT(*) FROM {table} GROUP BY signature"):
                    out[mark] = out.get(mark, 0) + int(n)
            return out

    def rejected(self, limit: int = 100) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM call_rejected_callbacks ORDER BY id DESC LIMIT ?", (limit,))

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {
                table: int(self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
                for table in (
                    "call_sessions",
                    "call_status_events",
                    "call_bills",
                    "call_rejected_callbacks",
                    "call_unparsed_pushes",
                )
            }


def default_store() -> CallStore:
    """The store in the app's history database (shared with the history component)."""
    from desktop.config import data_dir

    return CallStore(data_dir() / "history.sqlite3")
