"""The audit trail: every action the workstation takes, in a SHA-256 hash chain (SQLite, WAL).

Each record holds time, operator, profile, action, subject, outcome and JSON details, plus
``prev`` (the hash of the record before it) and ``hash`` (the SHA-256 of its own fields and
``prev``). Changing a field breaks that record's hash; removing a record in the middle breaks
the next record's ``prev`` and its sequence number. ``verify`` names the first record that does
not match.

Appends run inside ``BEGIN IMMEDIATE`` (the database's write lock), so writers in other
connections and processes (the callback receiver, the warrant server, a CLI next to the GUI)
extend one chain without forking it. Other stores append in their own transaction with
``append(conn, ...)``, so a stored call and its audit event commit together or not at all.

Audit events are never deleted: deleting a person removes their personal data (scores,
candidates, digits, quality) from the attempts table, and the deletion is one more event. So
details carry no biometric data (no scores), only what happened.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import math
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.store.db import migrate, open_db, select, transaction

GENESIS = "0" * 64
MAX_TEXT = 2000  # one field; a hostile subject must not bloat every later verification
MAX_DEPTH = 8

MIGRATIONS = [
    """
    CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        seq INTEGER NOT NULL UNIQUE,
        at REAL NOT NULL,
        operator TEXT NOT NULL,
        profile TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL DEFAULT '',
        details TEXT NOT NULL DEFAULT '{}',
        prev TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX audit_events_subject ON audit_events(subject);
    CREATE INDEX audit_events_action ON audit_events(action)
    """,
]

FIELDS = ("seq", "at", "operator", "profile", "action", "subject", "outcome", "details", "prev")

# Actions (the History panel's kinds). Other strings are accepted and shown as they are.
ACTIONS = (
    "enrol", "verify", "delete", "deletion_request", "export", "call", "callback", "warrant",
    "threshold", "settings", "profile", "history_export",
)  # fmt: skip


# -- who ---------------------------------------------------------------------------------------

_settings_operator: str = ""


def set_settings_operator(name: str) -> None:
    """The name set in Settings (the config file's ``operator``); used when ``VPW_OPERATOR`` is unset."""
    global _settings_operator
    _settings_operator = clean_text(name or "").strip()[:100]


def current_operator() -> str:
    """``VPW_OPERATOR``, else the name set in Settings, else the OS user, else "unknown"."""
    env = clean_text(os.environ.get("VPW_OPERATOR", "")).strip()
    if env:
        return env[:100]
    if _settings_operator:
        return _settings_operator
    try:
        return clean_text(getpass.getuser())[:100] or "unknown"
    except (OSError, KeyError, ImportError):  # no login name (a container without a passwd entry)
        return "unknown"


# -- values that can always be stored and read back ---------------------------------------------


def clean_text(value: str, limit: int = MAX_TEXT) -> str:
    """Valid UTF-8 text: lone surrogates become ``\\udxxx`` escapes (SQLite and the hash need
    encodable text), and overlong text is cut with a mark that says so."""
    text = value.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) > limit:
        text = text[:limit] + f"…(+{len(text) - limit})"
    return text


def clean_value(value: Any, depth: int = 0) -> Any:
    """A JSON-safe copy: finite floats, ints a JSON reader takes back (|n| < 2**63, else text),
    clean strings, bounded depth; anything else becomes its text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if -(2**63) < value < 2**63:
            return value
        # As text; beyond ~4300 digits Python refuses even to print it, so say how big it was.
        return str(value) if value.bit_length() <= 1000 else f"<integer of {value.bit_length()} bits>"
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return clean_text(value)
    if depth >= MAX_DEPTH:
        return clean_text(repr(value)[:200])
    if isinstance(value, dict):
        return {clean_text(str(k), 200): clean_value(v, depth + 1) for k, v in list(value.items())[:100]}
    if isinstance(value, list | tuple):
        return [clean_value(v, depth + 1) for v in list(value)[:100]]
    return clean_text(str(value))


def _canonical(record: dict[str, Any]) -> bytes:
    body = {k: record[k] for k in FIELDS}
    return json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode("ascii")


def record_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical(record)).hexdigest()


# -- writing -------------------------------------------------------------------------------------


def append(
    conn: sqlite3.Connection,
    *,
    action: str,
    subject: str = "",
    outcome: str = "",
    profile: str = "",
    details: dict[str, Any] | None = None,
    operator: str | None = None,
) -> int:
    """Append one event on ``conn`` inside the caller's open write transaction (``BEGIN
    IMMEDIATE``); returns its sequence number. The audit table must have been migrated."""
    last = conn.execute("SELECT seq, hash FROM audit_events ORDER BY id DESC LIMIT 1").fetchone()
    seq = int(last[0]) + 1 if last else 1
    record: dict[str, Any] = {
        "seq": seq,
        "at": time.time(),
        "operator": clean_text(operator if operator is not None else current_operator(), 100),
        "profile": clean_text(profile, 100),
        "action": clean_text(action, 50),
        "subject": clean_text(subject, 200),
        "outcome": clean_text(outcome, 200),
        "details": json.dumps(clean_value(details or {}), sort_keys=True, ensure_ascii=False, allow_nan=False),
        "prev": str(last[1]) if last else GENESIS,
    }
    record["hash"] = record_hash(record)
    names = ", ".join(record)
    marks = ", ".join("?" for _ in record)
    conn.execute(f"INSERT INTO audit_events ({names}) VALUES ({marks})", tuple(record.values()))
    return seq


def ensure_table(conn: sqlite3.Connection) -> None:
    """Migrate the audit table on another store's connection (same database file)."""
    migrate(conn, "audit", MIGRATIONS)


@dataclass(frozen=True)
class Problem:
    """The first record that does not match: its sequence number (or id) and why."""

    seq: int
    record_id: int
    reason: str


class AuditLog:
    """Its own connection with ``synchronous=FULL``: an event the app reported as recorded
    survives a crash of the process or of the machine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = open_db(path)
        self._conn.execute("PRAGMA synchronous=FULL")
        # Bytes edited into the file by hand must read as a mismatch, not as a decoding crash.
        self._conn.text_factory = lambda b: b.decode("utf-8", "backslashreplace")
        self._lock = threading.Lock()
        ensure_table(self._conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def record(
        self,
        action: str,
        *,
        subject: str = "",
        outcome: str = "",
        profile: str = "",
        details: dict[str, Any] | None = None,
        operator: str | None = None,
    ) -> int:
        with self._lock, transaction(self._conn):
            return append(
                self._conn, action=action, subject=subject, outcome=outcome, profile=profile,
                details=details, operator=operator,
            )  # fmt: skip

    def events(
        self,
        *,
        limit: int | None = None,
        action: str | None = None,
        subject: str | None = None,
        newest_first: bool = True,
    ) -> list[dict[str, Any]]:
        sql, args = select(
            "audit_events", equal={"action": action, "subject": subject},
            order="id DESC" if newest_first else "id", limit=limit,
        )  # fmt: skip
        with self._lock:
            rows = [dict(r) for r in self._conn.execute(sql, args).fetchall()]
        for r in rows:
            r["details"] = decode_details(r.get("details"))
        return rows

    def verify(self) -> tuple[int, Problem | None]:
        """Walk the chain from the first record: (records checked, the first problem or None)."""
        with self._lock:
            cur = self._conn.execute(f"SELECT id, hash, {', '.join(FIELDS)} FROM audit_events ORDER BY id")
            return verify_rows(dict(r) for r in cur)


def decode_details(text: Any) -> Any:
    """Details as stored; text that is not JSON (edited by hand) is shown as it is, never raised."""
    try:
        return json.loads(text) if isinstance(text, str) and text else {}
    except ValueError:
        return text


def verify_rows(rows: Any) -> tuple[int, Problem | None]:
    prev_hash, prev_seq, checked = GENESIS, 0, 0
    for r in rows:
        checked += 1
        seq, rid = r.get("seq"), int(r["id"])
        try:
            expected = record_hash(r)
        except (TypeError, ValueError, KeyError) as exc:  # a value changed to something unencodable
            return checked, Problem(_int(seq, rid), rid, f"its fields cannot be read ({type(exc).__name__})")
        if r.get("prev") != prev_hash or seq != prev_seq + 1:
            if isinstance(seq, int) and seq > prev_seq + 1 and r.get("prev") != prev_hash:
                reason = f"record {prev_seq + 1} before it is missing"
            else:
                reason = "it does not follow the record before it"
            return checked, Problem(_int(seq, rid), rid, reason)
        if r.get("hash") != expected:
            return checked, Problem(_int(seq, rid), rid, "its content was changed after it was written")
        prev_hash, prev_seq = expected, seq
    return checked, None


def _int(value: Any, fallback: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else fallback


def default_log() -> AuditLog:
    from desktop.config import data_dir

    return AuditLog(data_dir() / "history.sqlite3")
