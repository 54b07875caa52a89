"""The voiceprint database: schema, connection and the few statements every writer shares.

See ``store`` for the layout and why it is so. Each helper that writes must run inside
``transaction``: a take, its search codes and the trimming of old takes commit together or not
at all.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from desktop.sandbox.engines.base import Embedding
from desktop.sandbox.voiceprint import search

log = logging.getLogger(__name__)

DB_NAME = "voiceprints.sqlite3"
MAX_TAKES = 20  # newest kept: bounds scoring time for a speaker enrolled over and over
LOAD_BATCH = 65536
SQL_VARS = 500  # ids per ``IN (...)``: far below SQLite's limit on host parameters

SCHEMA = """
CREATE TABLE IF NOT EXISTS speakers(
    id INTEGER PRIMARY KEY, engine TEXT NOT NULL, name TEXT NOT NULL, UNIQUE(engine, name));
CREATE INDEX IF NOT EXISTS speakers_by_name ON speakers(name);
CREATE TABLE IF NOT EXISTS takes(
    id INTEGER PRIMARY KEY AUTOINCREMENT, speaker INTEGER NOT NULL, embedding BLOB NOT NULL,
    speech_s REAL NOT NULL, created TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS takes_by_speaker ON takes(speaker);
CREATE TABLE IF NOT EXISTS codes(
    take INTEGER PRIMARY KEY, engine TEXT NOT NULL, speaker INTEGER NOT NULL, code BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS migrated(file TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dropped(take INTEGER PRIMARY KEY, engine TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Take:
    embedding: Embedding
    speech_s: float
    created: str


def check_name(name: object) -> str:
    """``name`` when it can be stored (non-empty text that UTF-8 can encode), else ValueError."""
    if not isinstance(name, str) or not name:
        raise ValueError("a speaker name must be non-empty text")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("a speaker name may not contain lone surrogates") from None
    return name


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: Path) -> sqlite3.Connection:
    """The store's connection, schema created; a file that is not a database is moved aside."""
    try:
        return _connect(path)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError):
            raise  # locked, read-only, no space: nothing wrong with the file itself
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            old = path.with_name(path.name + suffix)
            if old.exists():
                old.replace(old.with_name(f"{old.name}.broken-{stamp}"))
        log.error(
            "%s is not a readable database (%s): kept as %s.broken-%s, starting empty", path, exc, path.name, stamp
        )
        return _connect(path)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10.0)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")  # an enrolment answered 200 survives a power cut
        db.executescript(SCHEMA)
    except BaseException:
        db.close()
        raise
    return db


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def speaker_id(db: sqlite3.Connection, engine: str, name: str, create: bool = False) -> int | None:
    row = db.execute("SELECT id FROM speakers WHERE engine = ? AND name = ?", (engine, name)).fetchone()
    if row is not None:
        return int(row[0])
    if not create:
        return None
    return int(db.execute("INSERT INTO speakers(engine, name) VALUES (?, ?)", (engine, name)).lastrowid or 0)


def insert_take(
    db: sqlite3.Connection, engine: str, speaker: int, embedding: Embedding, speech_s: float, created: str
) -> int:
    """One take and its search codes; returns the take's id. Call inside a transaction."""
    cur = db.execute(
        "INSERT INTO takes(speaker, embedding, speech_s, created) VALUES (?, ?, ?, ?)",
        (speaker, embedding.astype("<f4").tobytes(), speech_s, created),
    )
    take = int(cur.lastrowid or 0)
    db.execute(
        "INSERT INTO codes(take, engine, speaker, code) VALUES (?, ?, ?, ?)",
        (take, engine, speaker, search.encode(embedding, take, speaker)[0]),
    )
    return take


def trim(db: sqlite3.Connection, speaker: int) -> list[int]:
    """Delete all but the newest ``MAX_TAKES`` takes of ``speaker``; returns the deleted ids."""
    old = [
        int(r[0])
        for r in db.execute(
            "SELECT id FROM takes WHERE speaker = ? ORDER BY id DESC LIMIT -1 OFFSET ?", (speaker, MAX_TAKES)
        )
    ]
    delete_takes(db, old)
    return old


def delete_takes(db: sqlite3.Connection, takes: list[int]) -> None:
    """Delete takes and their codes, leaving a tombstone for a search snapshot that holds them."""
    for batch in batches(takes):
        marks = ",".join("?" * len(batch))
        db.execute(
            f"INSERT OR IGNORE INTO dropped(take, engine) SELECT take, engine FROM codes WHERE take IN ({marks})", batch
        )
        db.execute(f"DELETE FROM codes WHERE take IN ({marks})", batch)
        db.execute(f"DELETE FROM takes WHERE id IN ({marks})", batch)


def batches(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), SQL_VARS):
        yield list(ids[start : start + SQL_VARS])


def as_embedding(blob: object, dim: int | None = None) -> Embedding | None:
    """A stored embedding, or None when the bytes are not one (wrong size, not finite)."""
    if not isinstance(blob, bytes) or not blob or len(blob) % 4 or (dim is not None and len(blob) != 4 * dim):
        return None
    vector = np.frombuffer(blob, dtype="<f4").astype(np.float32)
    return vector if np.isfinite(vector).all() else None
