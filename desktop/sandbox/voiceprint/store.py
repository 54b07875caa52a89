"""Enrolled voiceprints: one SQLite database of every reference embedding, searched in memory.

File: ``<root>/voiceprints.sqlite3`` (WAL journal, ``synchronous=FULL``): each enrolment and each
deletion is one transaction touching a handful of rows, never a rewrite of the store, and a crash
(kill -9, power loss) leaves every committed take and nothing of an uncommitted one. Tables:

- ``speakers(id, engine, name)``: one row per enrolled name *per engine*. Embeddings of different
  engines are not comparable, so each engine sees only its own speakers; a name enrolled only
  with another engine is reported as such (``other_engines``), never scored.
- ``takes(id, speaker, embedding, speech_s, created)``: the reference embeddings (float32 bytes),
  the newest ``MAX_TAKES`` per speaker. Ids only grow (AUTOINCREMENT).
- ``codes(take, engine, speaker, code)``: each take's int8 codes for the 1:N search
  (``search.encode``), written in the same transaction. Kept apart from ``takes`` so that
  reading every row costs ~220 bytes a take instead of ~1 KB.
- ``dropped(take, engine)``: tombstones of deleted takes, for the search snapshot.
- ``meta(key, value)``: which search snapshot the database trusts.
- ``migrated(file)``: the JSON files of the previous layout already imported (``imports``).

At start the store builds its engine's ``search.SearchIndex`` (the only copy in memory: ~212
bytes a take; names and float32 embeddings stay on disk and are read only for the few candidates
of a search): from ``<root>/search-<engine>.snapshot`` when the database trusts it (a million
takes: ~0.6 s) plus the rows added and deleted since, else from ``codes`` (~2 s per million),
then writing a new snapshot for a store of 50,000 takes or more (``snapshot``). The snapshot is
derived and disposable; the database is the truth. One process serves a store; it is
thread-safe (executor threads).
Rows that cannot be read are skipped and logged, never fatal; a file that is not a database at
all is renamed ``*.broken-<time>`` for a human and a new store started.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from desktop.sandbox.engines.base import Embedding
from desktop.sandbox.voiceprint import db as db_
from desktop.sandbox.voiceprint import imports, search, snapshot

log = logging.getLogger(__name__)

DB_NAME = db_.DB_NAME
MAX_TAKES = db_.MAX_TAKES
LOAD_BATCH = 65536

Score = Callable[[Embedding, Sequence[Embedding]], float]
Take = db_.Take


class VoiceprintStore:
    """The voiceprints of one engine (see the module's docstring)."""

    def __init__(self, root: Path, engine: str) -> None:
        self.engine = engine
        self.root = root
        self.path = root / DB_NAME
        root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = db_.connect(self.path)
        imports.migrate(self._db, root)
        self._index: search.SearchIndex | None = None
        self._load()

    # -- loading ------------------------------------------------------------------------------------

    def _load(self) -> None:
        file = snapshot.path_for(self.root, self.engine)
        loaded = snapshot.load(self._db, file, self.engine)
        after, deleted = -1, 0
        if loaded is not None:
            self._index, after, deleted = loaded
        elif snapshot.recorded(self._db, self.engine) is not None or self._has_tombstones():
            snapshot.forget(self._db, self.engine)
        read, skipped = 0, 0
        try:
            cur = self._db.execute(
                "SELECT take, code FROM codes WHERE engine = ? AND take > ? ORDER BY take", (self.engine, after)
            )
            while rows := cur.fetchmany(LOAD_BATCH):
                read += len(rows)
                skipped += self._add_rows(rows)
        except sqlite3.DatabaseError as exc:  # a damaged page: serve what could be read
            log.error("voiceprint store %s partly unreadable, %d takes loaded: %s", self.path, self.size(), exc)
            return  # and no snapshot of a partial read
        if skipped:
            log.warning("voiceprint store: %d unreadable takes of engine %s ignored", skipped, self.engine)
        if self._index is None:
            return
        self._index.prepare()  # the search's libraries load now, not at the first verification
        size = len(self._index)
        if size >= snapshot.MIN_ROWS and (loaded is None or read + deleted > snapshot.STALE_FRACTION * size):
            snapshot.write(self._db, file, self.engine, self._index)

    def _has_tombstones(self) -> bool:
        return self._db.execute("SELECT 1 FROM dropped WHERE engine = ? LIMIT 1", (self.engine,)).fetchone() is not None

    def _add_rows(self, rows: list[tuple[int, object]]) -> int:
        """Index rows ``(take, code blob)`` read from ``codes``; returns how many could not be read."""
        blobs = [r[1] for r in rows]
        if self._index is None:
            first = next((b for b in blobs if isinstance(b, bytes) and search.code_dim(b) > 0), None)
            if first is None:
                return len(blobs)
            self._index = search.SearchIndex(search.code_dim(first))
        try:
            header, codes = search.decode(blobs, self._index.dim)  # type: ignore[arg-type]
            takes = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        except (TypeError, ValueError):  # some rows are not blobs of the right size: the slow way
            width = search.HEADER.itemsize + self._index.dim
            good = [r for r in rows if isinstance(r[1], bytes) and len(r[1]) == width]
            header, codes = search.decode([r[1] for r in good], self._index.dim)  # type: ignore[misc]
            takes = np.fromiter((r[0] for r in good), np.int64, len(good))
        ok = search.sane(header)
        # Positions follow take ids (deletion finds rows by bisection): a blob that does not name
        # its own row (damaged) is dropped rather than allowed to break that order.
        ok &= header["take"] == takes
        self._index.add(header[ok], codes[ok])
        return len(rows) - int(ok.sum())

    # -- reading ------------------------------------------------------------------------------------

    def size(self) -> int:
        """Takes in the search index."""
        return len(self._index) if self._index is not None else 0

    @property
    def search_backend(self) -> str:
        return self._index.backend if self._index is not None else "none"

    def count(self) -> int:
        """Speakers enrolled with this engine."""
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM speakers WHERE engine = ?", (self.engine,)).fetchone()[0])

    def names(self) -> list[str]:
        """Every name enrolled with this engine, sorted."""
        with self._lock:
            return [
                r[0]
                for r in self._db.execute("SELECT name FROM speakers WHERE engine = ? ORDER BY name", (self.engine,))
            ]

    def take_counts(self) -> dict[str, int]:
        """Every name enrolled with this engine and its number of takes, in one query (a listing
        of a large store should not ask ``takes`` once per name)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT s.name, COUNT(t.id) FROM speakers s JOIN takes t ON t.speaker = s.id "
                "WHERE s.engine = ? GROUP BY s.id ORDER BY s.name",
                (self.engine,),
            )
            return {name: int(n) for name, n in rows}

    def has(self, name: str) -> bool:
        with self._lock:
            return self._speaker(name) is not None

    def takes(self, name: str) -> list[Take]:
        """The takes of ``name``, oldest first ([] when not enrolled)."""
        with self._lock:
            speaker = self._speaker(name)
            if speaker is None:
                return []
            rows = self._db.execute(
                "SELECT embedding, speech_s, created FROM takes WHERE speaker = ? ORDER BY id", (speaker,)
            ).fetchall()
        takes = []
        for blob, speech_s, created in rows:
            embedding = db_.as_embedding(blob)
            if embedding is not None and isinstance(speech_s, (int, float)):  # else a damaged row: skipped
                takes.append(Take(embedding, float(speech_s), str(created)))
        return takes

    def speakers(self) -> dict[str, list[Embedding]]:
        """A snapshot: every enrolled name with its reference embeddings. Reads the whole store
        (O(N)): for tools and tests; verification uses ``search``."""
        result: dict[str, list[Embedding]] = {}
        with self._lock:
            rows = self._db.execute(
                "SELECT s.name, t.embedding FROM takes t JOIN speakers s ON s.id = t.speaker "
                "WHERE s.engine = ? ORDER BY t.id",
                (self.engine,),
            ).fetchall()
        for name, blob in rows:
            embedding = db_.as_embedding(blob)
            if embedding is not None:
                result.setdefault(name, []).append(embedding)
        return result

    def other_engines(self, name: str) -> list[str]:
        """The other engines ``name`` is enrolled with (its voiceprints there do not count here)."""
        try:
            db_.check_name(name)
        except ValueError:
            return []
        with self._lock:
            rows = self._db.execute(
                "SELECT engine FROM speakers WHERE name = ? AND engine <> ? ORDER BY engine", (name, self.engine)
            )
            return [r[0] for r in rows]

    def stored_engines(self) -> dict[str, int]:
        """Speakers per engine in the whole store, this engine included."""
        with self._lock:
            return {e: int(n) for e, n in self._db.execute("SELECT engine, COUNT(*) FROM speakers GROUP BY engine")}

    def _speaker(self, name: str) -> int | None:
        try:
            db_.check_name(name)
        except ValueError:
            return None  # nothing can have been stored under it
        return db_.speaker_id(self._db, self.engine, name)

    # -- searching ----------------------------------------------------------------------------------

    def search(self, probe: Embedding, k: int, score: Score) -> list[tuple[str, float]]:
        """The ``k`` enrolled speakers whose ``score(probe, their takes)`` is highest, best first
        (ties by name): the same answer as scoring everyone, from one int8 matrix product and an
        exact re-score of a few candidates. ``score`` must never exceed the best cosine of the
        probe to one of the takes (see ``search``'s docstring)."""
        probe = np.asarray(probe, dtype=np.float32).reshape(-1)
        with self._lock:
            if self._index is None:
                return []
            return self._index.top(probe, k, lambda ids: self._exact(ids, probe, score), self._names_of)

    def cohort(self, probe: Embedding, n: int, exclude: str | None = None) -> npt.NDArray[np.float32]:
        """The ``n`` highest cosines (within the int8 error bound) of ``probe`` to the takes of
        enrolled speakers other than ``exclude``, best first: cheap cohort statistics for
        adaptive score normalisation."""
        with self._lock:
            if self._index is None:
                return np.zeros(0, np.float32)
            skip = [s for s in [self._speaker(exclude)] if s is not None] if exclude else []
            return self._index.cohort(probe, n, skip)

    def _exact(self, speakers: list[int], probe: Embedding, score: Score) -> dict[int, float]:
        refs: dict[int, list[Embedding]] = {}
        dim = self._index.dim if self._index is not None else None
        for batch in db_.batches(speakers):
            marks = ",".join("?" * len(batch))
            for speaker, blob in self._db.execute(
                f"SELECT speaker, embedding FROM takes WHERE speaker IN ({marks}) ORDER BY id", batch
            ):
                embedding = db_.as_embedding(blob, dim)
                if embedding is not None:
                    refs.setdefault(int(speaker), []).append(embedding)
        return {speaker: float(score(probe, takes)) for speaker, takes in refs.items()}

    def _names_of(self, speakers: list[int]) -> dict[int, str]:
        names: dict[int, str] = {}
        for batch in db_.batches(speakers):
            marks = ",".join("?" * len(batch))
            names.update(self._db.execute(f"SELECT id, name FROM speakers WHERE id IN ({marks})", batch).fetchall())
        return names

    # -- writing ------------------------------------------------------------------------------------

    def add_take(self, name: str, embedding: Embedding, speech_s: float) -> int:
        """Store one more take for ``name`` (created on first use); returns its number of takes.
        One short transaction, whatever the size of the store."""
        name = db_.check_name(name)
        vector = np.asarray(embedding, dtype=np.float32).reshape(-1)
        if not vector.size or not np.isfinite(vector).all():
            raise ValueError("an embedding must be a non-empty vector of finite numbers")
        if not np.isfinite(speech_s) or speech_s < 0:
            raise ValueError("the seconds of speech must be a finite number >= 0")
        with self._lock:
            if self._index is not None and vector.size != self._index.dim:
                raise ValueError(f"a {vector.size}-dimensional embedding for a {self._index.dim}-dimensional store")
            with db_.transaction(self._db) as db:
                speaker = db_.speaker_id(db, self.engine, name, create=True)
                assert speaker is not None
                take = db_.insert_take(db, self.engine, speaker, vector, round(float(speech_s), 3), db_.now())
                dropped = db_.trim(db, speaker)
                count = int(db.execute("SELECT COUNT(*) FROM takes WHERE speaker = ?", (speaker,)).fetchone()[0])
            if self._index is None:
                self._index = search.SearchIndex(vector.size)
            self._index.add(*search.quantise(vector, take, speaker))
            self._index.remove(dropped)
            return count

    def delete(self, name: str) -> int:
        """Forget ``name`` (this engine's voiceprints): returns the number of takes removed, 0 when
        it was not enrolled. At once nobody's candidate any more."""
        with self._lock:
            speaker = self._speaker(name)
            if speaker is None:
                return 0
            with db_.transaction(self._db) as db:
                takes = [int(r[0]) for r in db.execute("SELECT id FROM takes WHERE speaker = ?", (speaker,))]
                db_.delete_takes(db, takes)  # by primary key: no scan of the store
                db.execute("DELETE FROM speakers WHERE id = ?", (speaker,))
            if self._index is not None:
                self._index.remove(takes)
            return len(takes)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def stored_engines(root: Path) -> dict[str, int]:
    """Speakers per engine under ``root`` without loading anything: the database's, plus the
    JSON files of the previous layout not imported yet (the first load imports them)."""
    counts: dict[str, int] = {}
    path = root / DB_NAME
    if path.exists():
        try:
            db = sqlite3.connect(path, timeout=10.0)
            try:
                for engine, n in db.execute("SELECT engine, COUNT(*) FROM speakers GROUP BY engine"):
                    counts[str(engine)] = int(n)
            finally:
                db.close()
        except sqlite3.Error as exc:  # the store's own load reports and handles it
            log.warning("cannot count the voiceprints in %s: %s", path, exc)
    if root.is_dir():
        for folder in root.iterdir():
            files = sum(1 for _ in folder.glob("*.json")) if folder.is_dir() else 0
            if files:
                counts[folder.name] = counts.get(folder.name, 0) + files
    return counts
