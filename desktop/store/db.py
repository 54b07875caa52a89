"""Open the app's SQLite database and migrate each component's tables.

Components (history, calls, warrants, ...) keep their own ordered migration lists, so each
module owns its tables while all share one file and one ``schema_versions`` table.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

_migrate_lock = threading.Lock()
SQLITE_MAX_INT = 2**63 - 1  # SQLite's integers end here; Python's do not


def select(table: str, *, equal: dict[str, object | None], order: str, limit: int | None) -> tuple[str, list[object]]:
    """``SELECT * FROM table`` with a ``column = ?`` test for each filter that is not None, the
    ``order``, and a limit (one beyond SQLite's integers reads everything: it cannot mean fewer
    rows, and passed as given it raised OverflowError). Table and column names are the caller's
    constants; only values are parameters."""
    sql = f"SELECT * FROM {table}"
    tests = [(column, value) for column, value in equal.items() if value is not None]
    args: list[object] = [value for _, value in tests]
    if tests:
        sql += " WHERE " + " AND ".join(f"{column} = ?" for column, _ in tests)
    sql += f" ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(min(limit, SQLITE_MAX_INT))
    return sql, args


def open_db(path: Path) -> sqlite3.Connection:
    """A connection in WAL mode, usable from any thread (callers serialise their own writes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, holding the database's write lock from the start (``BEGIN
    IMMEDIATE``: no other process can slip a write in between our read and our write); rolled
    back on any exception. Callers still serialise their own threads (a connection is shared)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate(conn: sqlite3.Connection, component: str, migrations: Sequence[str]) -> int:
    """Apply ``migrations[v:]`` where ``v`` is the component's stored version; returns the new one.

    Each migration is a SQL script run in one transaction with its version bump, so a crash
    half-way leaves the previous version intact.
    """
    with _migrate_lock:
        row = conn.execute("SELECT version FROM schema_versions WHERE component = ?", (component,)).fetchone()
        version = int(row[0]) if row else 0
        if version > len(migrations):
            raise RuntimeError(
                f"database schema of {component} is version {version}, newer than this app "
                f"({len(migrations)}); upgrade the app"
            )
        for i, script in enumerate(migrations[version:], start=version + 1):
            with transaction(conn):
                for statement in _split(script):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_versions(component, version) VALUES (?, ?) "
                    "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                    (component, i),
                )
        return len(migrations)


def _split(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
