"""History of enrolment and verification attempts (SQLite, WAL).

No audio and no secrets are stored: the result, the decision, the quality metrics and the error
sentence. Other components (calls, warrants) keep their own tables in the same file.
"""

from __future__ import annotations

import csv
import json
import threading
import time
from pathlib import Path
from typing import Any

from desktop import untrusted
from desktop.store import audit
from desktop.store.db import migrate, open_db, select, transaction

MIGRATIONS = [
    """
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created REAL NOT NULL,
        profile TEXT NOT NULL,
        kind TEXT NOT NULL,            -- enrol | verify
        user TEXT NOT NULL,            -- the enrolled or claimed user
        source TEXT NOT NULL DEFAULT '',  -- mic | file
        status INTEGER,
        decision TEXT NOT NULL,        -- enrolled | refused | accepted | rejected | not_checked | error
        top_name TEXT,
        top_score REAL,
        candidates TEXT NOT NULL DEFAULT '[]',
        number TEXT NOT NULL DEFAULT '',
        prompt TEXT NOT NULL DEFAULT '',
        digits_match INTEGER,
        replayed INTEGER NOT NULL DEFAULT 0,
        audio_s REAL,
        latency_s REAL,
        quality TEXT NOT NULL DEFAULT '{}',
        message TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX attempts_user ON attempts(user);
    CREATE INDEX attempts_created ON attempts(created)
    """,
    # v2: consent is recorded with every enrolment (the operator ticked it, or not).
    "ALTER TABLE attempts ADD COLUMN consent INTEGER",
    # v3: who was at the keyboard (desktop.store.audit.current_operator); shown in the CSV export.
    "ALTER TABLE attempts ADD COLUMN operator TEXT NOT NULL DEFAULT ''",
    # v4: the case or customer reference the operator typed for a verification.
    "ALTER TABLE attempts ADD COLUMN reference TEXT",
]

COLUMNS = [
    "id", "created", "profile", "kind", "user", "source", "status", "decision", "top_name", "top_score",
    "candidates", "number", "prompt", "digits_match", "replayed", "audio_s", "latency_s", "quality",
    "message", "error", "consent", "operator", "own_score", "best_other", "reference",
]  # fmt: skip


def decision_of(kind: str, result: Any | None, error: str | None) -> str:
    if error or result is None:
        return "error"
    if not result.checked:
        return "not_checked"
    if kind == "enrol":
        return "enrolled" if result.accepted else "refused"
    if result.status == 404:  # the claimed user is not enrolled: not an impostor turned away
        return "not_enrolled"
    return "accepted" if result.accepted else "rejected"


_LATEST = 253402300799.0  # 9999-12-31T23:59:59Z: the last second ``time.localtime`` shows everywhere
_TEXT = ("profile", "kind", "user", "source", "decision", "top_name", "number", "prompt", "message", "error")
_FLOATS = ("top_score", "audio_s", "latency_s")
_FLAGS = ("digits_match", "consent")


def _json_cell(value: Any, empty: Any) -> Any:
    if isinstance(value, type(empty)):  # already decoded (a row that went through safe_row once)
        return untrusted.clean_value(value)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str) or not value:
        return empty
    try:
        decoded = untrusted.clean_value(untrusted.loads(value, max_bytes=1 << 20))
    except ValueError:
        return empty
    return decoded if isinstance(decoded, type(empty)) else empty


def safe_row(d: dict[str, Any]) -> dict[str, Any]:
    """A stored row with every column of the type its readers expect, whatever the file holds:
    a row written by another version, another tool or a damaged page must not stop ``vpw
    history``, the CSV export or the History panel. Unknown columns pass through, cleaned."""
    for key, value in d.items():
        if isinstance(value, bytes):
            d[key] = value.decode("utf-8", "replace")
        if not isinstance(d[key], list | dict):  # decoded already (a row read once); _json_cell cleans it
            d[key] = untrusted.storable(d[key])
    created = untrusted.finite_float(d.get("created"))
    d["created"] = created if created is not None and 0.0 <= created <= _LATEST else 0.0
    for key in _TEXT:
        if key not in d:
            continue
        if d[key] is None:
            d[key] = None if key == "top_name" else ""  # top_name alone may be empty (no candidate)
        elif not isinstance(d[key], str):
            d[key] = untrusted.clean_text(d[key])  # a number where text belongs
    for key in _FLOATS:
        if key in d:
            d[key] = untrusted.finite_float(d[key])
    if "status" in d:
        d["status"] = untrusted.int64(d["status"]) if not isinstance(d["status"], float) else None
    d["candidates"] = [
        {"name": c["name"] if isinstance(c.get("name"), str) else "", "score": untrusted.finite_float(c.get("score"))}
        for c in _json_cell(d.get("candidates"), [])
        if isinstance(c, dict)
    ]
    d["quality"] = _json_cell(d.get("quality"), {})
    for key in _FLAGS:
        if key in d:
            d[key] = None if d[key] is None else bool(d[key])
    d["replayed"] = bool(d.get("replayed"))
    return d


class History:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = open_db(path)
        # A text cell that is not UTF-8 (written by another tool, or a damaged page) would make
        # every query that touches it raise; read it with replacement characters instead.
        self._conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
        self._lock = threading.Lock()
        # Each attempt commits with its audit event: FULL, so neither is lost even to a power cut.
        self._conn.execute("PRAGMA synchronous=FULL")
        migrate(self._conn, "history", MIGRATIONS)
        audit.ensure_table(self._conn)

    def close(self) -> None:
        self._conn.close()

    def record(
        self,
        *,
        profile: str,
        kind: str,
        user: str,
        result: Any | None = None,
        error: str | None = None,
        quality: dict[str, Any] | None = None,
        source: str = "",
        consent: bool | None = None,
        operator: str | None = None,
        reference: str | None = None,
    ) -> int:
        """Store one attempt and its audit event in one transaction; ``result`` is a
        ``SessionResult`` (or None when it failed early)."""
        operator = audit.current_operator() if operator is None else operator
        row: dict[str, Any] = {
            "created": time.time(),
            "profile": profile,
            "kind": kind,
            "user": user,
            "source": source,
            "decision": decision_of(kind, result, error),
            "quality": json.dumps(quality or {}, ensure_ascii=False),
            "error": error or "",
            "consent": None if consent is None else int(consent),
            "operator": operator,
            "reference": reference or None,
        }
        if result is not None:
            top = result.top()
            row.update(
                status=result.status,
                top_name=top.name if top else None,
                top_score=top.score if top else None,
                candidates=json.dumps([{"name": c.name, "score": c.score} for c in result.candidates]),
                number=result.number or "",
                prompt=result.prompt or "",
                digits_match=None if result.digits_match is None else int(result.digits_match),
                replayed=int(result.replayed),
                audio_s=result.audio_s,
                latency_s=result.stop_to_result_s,
                message=result.message,
            )
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        # Biometric figures stay in the attempt (deletable); the audit event says only what happened.
        details = {"status": row.get("status"), "source": source, "consent": consent}
        with self._lock, transaction(self._conn):
            values = tuple(untrusted.storable(v) for v in row.values())  # the attempt is kept, whatever it holds
            cur = self._conn.execute(f"INSERT INTO attempts ({names}) VALUES ({marks})", values)
            attempt_id = int(cur.lastrowid or 0)
            audit.append(
                self._conn, action=kind, subject=user, outcome=row["decision"], profile=profile,
                details={"attempt": attempt_id, **details}, operator=operator,
            )  # fmt: skip
        return attempt_id

    def rows(
        self, *, limit: int | None = None, user: str | None = None, kind: str | None = None
    ) -> list[dict[str, Any]]:
        """Newest first, with JSON columns decoded."""
        if user is not None and not untrusted.is_utf8(user):
            return []  # nothing stored holds a lone surrogate (record cleans text), so no row matches
        sql, args = select("attempts", equal={"user": user, "kind": kind}, order="created DESC, id DESC", limit=limit)
        with self._lock:
            found = self._conn.execute(sql, args).fetchall()
        return [safe_row(dict(r)) for r in found]

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Read-only SQL over this store's tables (desktop.store.speakers builds on it)."""
        with self._lock:
            return [dict(r) for r in self._conn.execute(sql, args).fetchall()]

    def enrolled_users(self) -> list[str]:
        with self._lock:
            found = self._conn.execute(
                "SELECT DISTINCT user FROM attempts WHERE kind = 'enrol' AND decision = 'enrolled' ORDER BY user"
            ).fetchall()
        # Names as text whatever the cell holds (a BLOB from another tool, a lone surrogate).
        return [
            untrusted.clean_text(r[0].decode("utf-8", "replace") if isinstance(r[0], bytes) else r[0]) for r in found
        ]

    def delete_user(self, user: str) -> int:
        """A privacy request: every attempt by or claiming ``user`` goes, and ``user``'s score is
        taken out of other people's candidate lists (their own attempts stay); returns how many
        attempts went. Audit events stay: they hold no scores, and the trail must survive."""
        if not untrusted.is_utf8(user):
            return 0
        with self._lock, transaction(self._conn):
            cur = self._conn.execute("DELETE FROM attempts WHERE user = ?", (user,))
            deleted = int(cur.rowcount)
            found = self._conn.execute(
                "SELECT id, candidates FROM attempts WHERE top_name = ? OR instr(candidates, ?) > 0",
                (user, json.dumps(user)[1:-1]),  # the name as ``json.dumps`` wrote it
            ).fetchall()
            for r in found:
                try:
                    cands = [c for c in json.loads(r["candidates"] or "[]") if c.get("name") != user]
                except (ValueError, AttributeError):
                    cands = []
                top = max(cands, key=lambda c: c.get("score") or 0, default=None)
                self._conn.execute(
                    "UPDATE attempts SET candidates = ?, top_name = ?, top_score = ? WHERE id = ?",
                    # Written as ``record`` writes it (ASCII escapes), so a later deletion finds names again.
                    (json.dumps(cands), top and top.get("name"), top and top.get("score"), r["id"]),
                )
        return deleted

    def export_csv(self, path: Path, rows: list[dict[str, Any]] | None = None) -> int:
        rows = self.rows() if rows is None else rows
        tmp = path.with_name(path.name + ".part")
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for r in rows:
                flat = safe_row(dict(r))
                if "own_score" not in flat:  # rows straight from ``rows()`` (the CLI's export)
                    from desktop.store.timeline import scores

                    flat["own_score"], flat["best_other"] = scores(flat)
                flat["created"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(flat["created"]))
                flat["candidates"] = untrusted.dumps(flat["candidates"])
                flat["quality"] = untrusted.dumps(flat["quality"])
                writer.writerow(flat)
        tmp.replace(path)
        return len(rows)
