"""Voiceprints into the store in bulk: the JSON files of the previous layout, and benchmarks.

Migration. Until this store, each engine kept one JSON file per speaker,
``<root>/<engine>/<sha256 of the name, 32 hex>.json`` holding ``{"version": 1, "name": ...,
"takes": [{"embedding": [...], "speech_s": ..., "created": ...}]}``. On first load every such file
is imported into the database (its engine is the folder's name) and then removed; the file's
path is recorded in ``migrated`` in the same transaction, so a crash between the commit and the
removal cannot import it twice. A file that cannot be read is left where it is, for a human, and
logged at every start until someone moves it; it never stops the service.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from desktop.sandbox.voiceprint import db as db_
from desktop.sandbox.voiceprint import search

log = logging.getLogger(__name__)

BATCH = 65536
COMMIT_EVERY = 1000  # files imported per transaction: one sync per thousand speakers, not per file


def migrate(db: sqlite3.Connection, root: Path) -> int:
    """Import every readable ``<root>/<engine>/*.json``; returns how many speakers were imported."""
    imported = 0
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted(folder.glob("*.json"))
        for start in range(0, len(files), COMMIT_EVERY):
            imported += _migrate_files(db, folder.name, files[start : start + COMMIT_EVERY])
        if files:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: unreadable files stay with their folder
    if imported:
        log.info("voiceprint store: %d speakers imported from the JSON files of the previous layout", imported)
    return imported


def _migrate_files(db: sqlite3.Connection, engine: str, files: list[Path]) -> int:
    done: list[Path] = []
    with db_.transaction(db):
        for path in files:
            key = f"{engine}/{path.name}"
            if db.execute("SELECT 1 FROM migrated WHERE file = ?", (key,)).fetchone():
                done.append(path)  # imported before a crash kept the file: just remove it
                continue
            try:
                name, takes = read_json(path)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("voiceprint file %s cannot be read, kept for a human: %s", path, exc)
                continue
            speaker = db_.speaker_id(db, engine, name, create=True)
            assert speaker is not None
            for embedding, speech_s, created in takes:
                db_.insert_take(db, engine, speaker, embedding, speech_s, created)
            db_.trim(db, speaker)
            db.execute("INSERT INTO migrated(file, at) VALUES (?, ?)", (key, db_.now()))
            done.append(path)
    for path in done:
        try:
            path.unlink()
        except OSError as exc:  # imported and recorded: the next start removes it
            log.warning("could not remove migrated voiceprint file %s: %s", path, exc)
    return len(done)


def read_json(path: Path) -> tuple[str, list[tuple[npt.NDArray[np.float32], float, str]]]:
    """The name and takes of one file of the previous layout; ValueError/KeyError/TypeError when
    it is not one."""
    doc: Any = json.loads(path.read_text("utf-8"))
    name = db_.check_name(doc["name"])
    takes = []
    for take in doc["takes"]:
        embedding = np.asarray(take["embedding"], dtype=np.float32).reshape(-1)
        if not embedding.size or not np.isfinite(embedding).all():
            raise ValueError("an embedding is empty or not finite")
        takes.append((embedding, round(float(take["speech_s"]), 3), str(take["created"])))
    if not takes:
        raise ValueError("no takes")
    if len({t[0].size for t in takes}) != 1:
        raise ValueError("takes of different sizes")
    return name, takes


def bulk_enrol(root: Path, engine: str, names: Sequence[str], embeddings: npt.ArrayLike, speech_s: float = 3.0) -> int:
    """Enrol many new speakers, one take each, in one transaction (benchmarks, imports): about
    20 s for a million. A name already enrolled with ``engine`` makes it fail and store nothing."""
    matrix = np.atleast_2d(np.asarray(embeddings, dtype=np.float32))
    if len(names) != len(matrix):
        raise ValueError(f"{len(names)} names for {len(matrix)} embeddings")
    root.mkdir(parents=True, exist_ok=True)
    db = db_.connect(root / db_.DB_NAME)
    created = db_.now()
    try:
        db.execute("PRAGMA synchronous=OFF")  # one sync at the end instead of one per page
        with db_.transaction(db):
            next_speaker = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM speakers").fetchone()[0]) + 1
            used = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'takes'").fetchone()
            next_take = (
                max(
                    int(used[0]) if used else 0, int(db.execute("SELECT COALESCE(MAX(id), 0) FROM takes").fetchone()[0])
                )
                + 1
            )
            for start in range(0, len(matrix), BATCH):
                chunk = matrix[start : start + BATCH]
                batch = [db_.check_name(n) for n in names[start : start + BATCH]]
                speakers = range(next_speaker + start, next_speaker + start + len(chunk))
                takes = range(next_take + start, next_take + start + len(chunk))
                db.executemany(
                    "INSERT INTO speakers(id, engine, name) VALUES (?, ?, ?)",
                    ((s, engine, n) for s, n in zip(speakers, batch, strict=True)),
                )
                db.executemany(
                    "INSERT INTO takes(id, speaker, embedding, speech_s, created) VALUES (?, ?, ?, ?, ?)",
                    (
                        (t, s, r.astype("<f4").tobytes(), speech_s, created)
                        for t, s, r in zip(takes, speakers, chunk, strict=True)
                    ),
                )
                db.executemany(
                    "INSERT INTO codes(take, engine, speaker, code) VALUES (?, ?, ?, ?)",
                    (
                        (t, engine, s, blob)
                        for t, s, blob in zip(takes, speakers, search.encode(chunk, takes, speakers), strict=True)
                    ),
                )
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return len(matrix)
