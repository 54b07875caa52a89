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

from desktop.store.db import migrate, open_db

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
    # v3 (operator): the case or customer reference the operator typed for a verification.
    "ALTER TABLE attempts ADD COLUMN reference TEXT",
]

COLUMNS = [
    "id", "created", "profile", "kind", "user", "source", "status", "decision", "top_name", "top_score",
    "candidates", "number", "prompt", "digits_match", "replayed", "audio_s", "latency_s", "quality",
    "message", "error", "consent", "reference",
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


class History:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = open_db(path)
        self._lock = threading.Lock()
        migrate(self._conn, "history", MIGRATIONS)

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
        reference: str | None = None,
    ) -> int:
        """Store one attempt; ``result`` is a ``SessionResult`` (or None when it failed early)."""
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
        with self._lock:
            cur = self._conn.execute(f"INSERT INTO attempts ({names}) VALUES ({marks})", tuple(row.values()))
        return int(cur.lastrowid or 0)

    def rows(
        self, *, limit: int | None = None, user: str | None = None, kind: str | None = None
    ) -> list[dict[str, Any]]:
        """Newest first, with JSON columns decoded."""
        sql = "SELECT * FROM attempts"
        where: list[str] = []
        args: list[object] = []
        if user is not None:
            where.append("user = ?")
            args.append(user)
        if kind is not None:
            where.append("kind = ?")
            args.append(kind)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._lock:
            found = self._conn.execute(sql, args).fetchall()
        out = []
        for r in found:
            d = dict(r)
            d["candidates"] = json.loads(d["candidates"] or "[]")
            d["quality"] = json.loads(d["quality"] or "{}")
            d["digits_match"] = None if d["digits_match"] is None else bool(d["digits_match"])
            d["replayed"] = bool(d["replayed"])
            d["consent"] = None if d["consent"] is None else bool(d["consent"])
            out.append(d)
        return out

    def enrolled_users(self) -> list[str]:
        with self._lock:
            found = self._conn.execute(
                "SELECT DISTINCT user FROM attempts WHERE kind = 'enrol' AND decision = 'enrolled' ORDER BY user"
            ).fetchall()
        return [r[0] for r in found]

    def delete_user(self, user: str) -> int:
        """A privacy request: every attempt by or claiming ``user``; returns how many went."""
        with self._lock:
            cur = self._conn.execute("DELETE FROM attempts WHERE user = ? OR top_name = ?", (user, user))
        return int(cur.rowcount)

    def export_csv(self, path: Path, rows: list[dict[str, Any]] | None = None) -> int:
        rows = self.rows() if rows is None else rows
        tmp = path.with_name(path.name + ".part")
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for r in rows:
                flat = dict(r)
                flat["created"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(r["created"]))
                flat["candidates"] = json.dumps(r["candidates"], ensure_ascii=False)
                flat["quality"] = json.dumps(r["quality"], ensure_ascii=False)
                writer.writerow(flat)
        tmp.replace(path)
        return len(rows)
