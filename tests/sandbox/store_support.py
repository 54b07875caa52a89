"""Reads the sandbox's voiceprint database with plain SQL, not through ``VoiceprintStore``, so
that a mistake in the store cannot hide itself from the tests."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from desktop.sandbox.voiceprint.db import DB_NAME


def database(voiceprint_dir: Path) -> Path:
    return voiceprint_dir / DB_NAME


def stored_takes(state_dir: Path, engine: str, name: str) -> int:
    """How many takes of ``name`` the sandbox under ``state_dir`` has stored for ``engine``."""
    path = database(state_dir / "voiceprint")
    if not path.exists():
        return 0
    with contextlib.closing(sqlite3.connect(path)) as db:
        row = db.execute(
            "SELECT COUNT(*) FROM takes t JOIN speakers s ON s.id = t.speaker WHERE s.engine = ? AND s.name = ?",
            (engine, name),
        ).fetchone()
    return int(row[0])


def stored_names(voiceprint_dir: Path) -> list[tuple[str, str]]:
    """Every ``(engine, name)`` in the database, sorted."""
    path = database(voiceprint_dir)
    if not path.exists():
        return []
    with contextlib.closing(sqlite3.connect(path)) as db:
        return sorted(db.execute("SELECT engine, name FROM speakers").fetchall())
