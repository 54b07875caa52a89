"""Audit log of SingSound warrants handed out (its own ``warrant_*`` tables in the history DB).

Who asked (device or CLI), for which user and client IP, which gateway answered, whether the
warrant came from the cache, or which code refused it. The warrant id is a bearer credential for
assessments, so only a short digest of it is kept (enough to correlate with a device's report);
the app secret never comes near this module.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.store import audit
from desktop.store.db import migrate, open_db, transaction

if TYPE_CHECKING:
    from desktop.errors import VpwError
    from desktop.services.singsound import Warrant

MAX_ROWS = 100_000  # a busy merchant server must not grow the history file without bound

MIGRATIONS = [
    """
    CREATE TABLE warrant_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        origin TEXT NOT NULL,
        user_id TEXT NOT NULL,
        client_ip TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        gateway TEXT NOT NULL DEFAULT '',
        expire_at INTEGER,
        warrant_ref TEXT NOT NULL DEFAULT '',
        code TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX warrant_events_at ON warrant_events(at)
    """,
]


def warrant_ref(warrant_id: str) -> str:
    return hashlib.sha256(warrant_id.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class WarrantEvent:
    at: float
    origin: str
    user_id: str
    client_ip: str
    outcome: str  # issued | refused
    source: str
    gateway: str
    expire_at: int | None
    warrant_ref: str
    code: str
    message: str


class WarrantLog:
    """Thread-safe: the warrant service writes from its executor threads."""

    def __init__(self, path: Path, profile: str = "") -> None:
        self.profile = profile  # named in each audit event
        self._conn = open_db(path)
        self._lock = threading.Lock()
        migrate(self._conn, "warrants", MIGRATIONS)
        audit.ensure_table(self._conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def record(
        self,
        origin: str,
        user_id: str,
        client_ip: str,
        warrant: Warrant | None = None,
        error: VpwError | None = None,
        *,
        message: str = "",
    ) -> None:
        """``message``: the error sentence as shown, already scrubbed of secrets by the caller."""
        row = (
            time.time(),
            origin,
            user_id,
            client_ip,
            "issued" if warrant is not None else "refused",
            warrant.source if warrant else "",
            warrant.gateway if warrant else "",
            warrant.expire_at if warrant else None,
            warrant_ref(warrant.warrant_id) if warrant else "",
            (error.code or "") if error else "",
            message[:500],
        )
        with self._lock, transaction(self._conn):
            self._conn.execute(
                "INSERT INTO warrant_events(at, origin, user_id, client_ip, outcome, source, gateway, "
                "expire_at, warrant_ref, code, message) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                row,
            )
            self._conn.execute(
                "DELETE FROM warrant_events WHERE id <= (SELECT MAX(id) FROM warrant_events) - ?", (MAX_ROWS,)
            )
            # The warrant log is pruned; its audit event is not (it holds only the reference).
            audit.append(
                self._conn, action="warrant", subject=user_id, outcome=row[4], profile=self.profile,
                details={"origin": origin, "client_ip": client_ip, "warrant_ref": row[8], "code": row[9]},
            )  # fmt: skip

    def recent(self, limit: int = 100) -> list[WarrantEvent]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT at, origin, user_id, client_ip, outcome, source, gateway, expire_at, warrant_ref, "
                "code, message FROM warrant_events ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [WarrantEvent(*tuple(r)) for r in rows]
