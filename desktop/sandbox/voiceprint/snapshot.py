"""A copy of one engine's search index on disk, so that a large store loads without reading
every row through SQLite (a million rows: ~1.5 s of SQLite's per-row work; the file: ~0.2 s).

The database stays the only source of truth; the snapshot is derived and may always be thrown
away. It holds the live rows of the index up to take ``last`` and is trusted only when its
``token`` equals the one the database recorded for it (``meta`` key ``snapshot:<engine>``, value
``<token> <last>``). Loading = the snapshot, minus the takes deleted since (the ``dropped``
tombstones of that engine, written in the same transaction as each deletion), plus the rows
added since (``codes`` with ``take > last``: a range of the primary key).

Writing: the file goes to a temporary name, is synced and renamed; then one transaction records
its token and clears the tombstones it has absorbed. A crash between the two leaves a file whose
token the database does not know: ignored, and the next load rebuilds it from the database.

File: ``b"VPWSNAP1\\n"``, one line of JSON ``{"engine", "dim", "rows", "last", "token"}``, then
``rows`` headers (``search.HEADER``) and ``rows * dim`` code bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import sqlite3
from pathlib import Path
from typing import IO

import numpy as np

from desktop.sandbox.voiceprint import db as db_
from desktop.sandbox.voiceprint import search

log = logging.getLogger(__name__)

MAGIC = b"VPWSNAP1\n"
MIN_ROWS = 50_000  # below, SQLite loads the rows in well under 0.1 s: no file needed
STALE_FRACTION = 0.1  # rewrite when the rows read from SQLite exceed this share of the index


def path_for(root: Path, engine: str) -> Path:
    safe = engine if re.fullmatch(r"[a-z0-9_-]{1,40}", engine) else hashlib.sha256(engine.encode()).hexdigest()[:16]
    return root / f"search-{safe}.snapshot"


def _meta_key(engine: str) -> str:
    return f"snapshot:{engine}"


def recorded(db: sqlite3.Connection, engine: str) -> tuple[str, int] | None:
    """The token and last take the database trusts for ``engine``'s snapshot."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (_meta_key(engine),)).fetchone()
    try:
        token, last = str(row[0]).split()
        return token, int(last)
    except (TypeError, ValueError):
        return None


def load(db: sqlite3.Connection, path: Path, engine: str) -> tuple[search.SearchIndex, int, int] | None:
    """The index stored in ``path`` with this engine's tombstones applied, the last take it
    covers and how many takes were deleted since; None when there is no trustworthy snapshot
    (then the caller reads the database)."""
    trusted = recorded(db, engine)
    if trusted is None or not path.exists():
        return None
    try:
        with path.open("rb") as fh:
            index, last = _read(fh, engine, trusted)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("search snapshot %s not used (%s): reading the database instead", path.name, exc)
        return None
    gone = [int(r[0]) for r in db.execute("SELECT take FROM dropped WHERE engine = ? AND take <= ?", (engine, last))]
    index.remove(gone)
    return index, last, len(gone)


def _read(fh: IO[bytes], engine: str, trusted: tuple[str, int]) -> tuple[search.SearchIndex, int]:
    if fh.read(len(MAGIC)) != MAGIC:
        raise ValueError("not a snapshot")
    info = json.loads(fh.readline(4096))
    dim, rows, last = int(info["dim"]), int(info["rows"]), int(info["last"])
    if info["token"] != trusted[0] or last != trusted[1] or info["engine"] != engine:
        raise ValueError("written for another state of the database")
    if dim <= 0 or rows < 0:
        raise ValueError("bad sizes")
    header = np.fromfile(fh, dtype=search.HEADER, count=rows)
    if len(header) != rows or not search.sane(header).all():
        raise ValueError("damaged headers")
    takes = header["take"]
    if rows and (np.any(np.diff(takes) <= 0) or takes[-1] > last):
        raise ValueError("takes out of order")
    index = search.SearchIndex(dim)
    for start in range(0, rows, search.BLOCK_ROWS):
        n = min(search.BLOCK_ROWS, rows - start)
        codes = np.fromfile(fh, dtype=np.uint8, count=n * dim)
        if len(codes) != n * dim:
            raise ValueError("truncated")
        index.add(header[start : start + n], codes.reshape(n, dim))
    if fh.read(1):
        raise ValueError("trailing bytes")
    return index, last


def write(db: sqlite3.Connection, path: Path, engine: str, index: search.SearchIndex) -> None:
    """Save the live rows of ``index`` and make the database trust them (tombstones absorbed)."""
    last = index.last_take
    rows = sum(len(h) for h, _ in index.live_blocks())
    token = secrets.token_hex(8)
    info = {"engine": engine, "dim": index.dim, "rows": rows, "last": last, "token": token}
    tmp = path.with_name(path.name + ".tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(MAGIC + json.dumps(info).encode() + b"\n")
            for header, _ in index.live_blocks():  # block by block: no second copy of the index
                fh.write(header.tobytes())
            for _, codes in index.live_blocks():
                fh.write(np.ascontiguousarray(codes).tobytes())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        with db_.transaction(db):
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (_meta_key(engine), f"{token} {last}"))
            db.execute("DELETE FROM dropped WHERE engine = ? AND take <= ?", (engine, last))
    except (OSError, sqlite3.Error) as exc:  # only slower next time: the database has everything
        log.warning("could not save the search snapshot %s: %s", path.name, exc)
        tmp.unlink(missing_ok=True)


def forget(db: sqlite3.Connection, engine: str) -> None:
    """Trust no snapshot of ``engine`` any more and drop its tombstones: the index was read from
    the database. (Never trusting the file again is what makes dropping the tombstones safe.)"""
    with db_.transaction(db):
        db.execute("DELETE FROM meta WHERE key = ?", (_meta_key(engine),))
        db.execute("DELETE FROM dropped WHERE engine = ?", (engine,))
