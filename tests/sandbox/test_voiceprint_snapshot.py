"""The search snapshot: a store loaded from it (plus tombstones and newer rows) answers exactly as
one read from the database, and a snapshot that cannot be trusted is never used."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from desktop.sandbox.engines.base import Embedding
from desktop.sandbox.voiceprint import snapshot
from desktop.sandbox.voiceprint.imports import bulk_enrol
from desktop.sandbox.voiceprint.store import DB_NAME, VoiceprintStore
from tests.sandbox.test_voiceprint_search import brute_force, top_k_mean, unit

SCORE = top_k_mean(2)
DIM = 16
ENGINE = "simple"


@pytest.fixture(autouse=True)
def small_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether each store opened since was loaded from a snapshot."""
    seen: list[bool] = []
    real = snapshot.load

    def spy(*args: object) -> object:
        result = real(*args)  # type: ignore[arg-type]
        seen.append(result is not None)
        return result

    monkeypatch.setattr(snapshot, "load", spy)
    yield seen


def truth(root: Path) -> dict[str, list[Embedding]]:
    """Every speaker of ENGINE with its takes, read with plain SQL."""
    with contextlib.closing(sqlite3.connect(root / DB_NAME)) as db:
        rows = db.execute(
            "SELECT s.name, t.embedding FROM takes t JOIN speakers s ON s.id = t.speaker WHERE s.engine = ? "
            "ORDER BY t.id",
            (ENGINE,),
        ).fetchall()
    speakers: dict[str, list[Embedding]] = {}
    for name, blob in rows:
        speakers.setdefault(name, []).append(np.frombuffer(blob, "<f4").astype(np.float32))
    return speakers


def check(store: VoiceprintStore, root: Path, seed: int) -> None:
    speakers = truth(root)
    assert store.size() == sum(len(t) for t in speakers.values())
    rng = np.random.default_rng(seed)
    names = sorted(speakers)
    for _ in range(15):
        probe = unit(speakers[names[rng.integers(len(names))]][0] + 0.5 * rng.standard_normal(DIM))
        assert store.search(probe, 3, SCORE) == brute_force(speakers, probe, 3, SCORE)


def enrolled(root: Path, n: int = 200) -> np.ndarray:
    rows = np.random.default_rng(0).standard_normal((n, DIM)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    bulk_enrol(root, ENGINE, [f"s{i}" for i in range(n)], rows)
    return rows


def test_a_store_loaded_from_its_snapshot_answers_as_the_database(tmp_path: Path, loads: list[bool]) -> None:
    rows = enrolled(tmp_path)
    check(VoiceprintStore(tmp_path, ENGINE), tmp_path, 1)
    assert snapshot.path_for(tmp_path, ENGINE).exists() and loads == [False]

    store = VoiceprintStore(tmp_path, ENGINE)
    assert loads == [False, True]
    rng = np.random.default_rng(2)
    for i in range(0, 200, 9):  # more takes, some past the limit of takes
        for _ in range(1 + i % 4):
            store.add_take(f"s{i}", unit(rows[i] + 0.3 * rng.standard_normal(DIM)), 3.0)
    for _ in range(25):
        store.add_take("s7", unit(rows[7] + 0.3 * rng.standard_normal(DIM)), 3.0)
    for i in range(0, 200, 13):
        store.delete(f"s{i}")
    store.add_take("s13", rows[13], 3.0)  # deleted, then enrolled again: a new speaker id
    check(store, tmp_path, 3)

    again = VoiceprintStore(tmp_path, ENGINE)  # snapshot + tombstones + newer rows
    assert loads[-1] is True
    check(again, tmp_path, 3)
    assert "s26" not in again.names() and not any(n == "s26" for n, _ in again.search(rows[26], 3, SCORE))

    # The rows read from the database exceeded 10 %: the snapshot was rewritten, tombstones absorbed.
    with contextlib.closing(sqlite3.connect(tmp_path / DB_NAME)) as db:
        assert db.execute("SELECT COUNT(*) FROM dropped WHERE engine = ?", (ENGINE,)).fetchone()[0] == 0
    check(VoiceprintStore(tmp_path, ENGINE), tmp_path, 4)
    assert loads[-1] is True


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other token", "flip a take"])
def test_a_snapshot_that_cannot_be_trusted_is_not_used(
    tmp_path: Path, damage: str, loads: list[bool], caplog: pytest.LogCaptureFixture
) -> None:
    enrolled(tmp_path)
    VoiceprintStore(tmp_path, ENGINE).delete("s3")
    file = snapshot.path_for(tmp_path, ENGINE)
    data = bytearray(file.read_bytes())
    if damage == "truncate":
        data = data[:-7]
    elif damage == "garbage":
        data = bytearray(b"\x00" * len(data))
    elif damage == "other token":  # as if the crash came between the rename and the commit
        with contextlib.closing(sqlite3.connect(tmp_path / DB_NAME)) as db, db:
            db.execute("UPDATE meta SET value = 'feedfacefeedface ' || substr(value, 18)")
    else:
        start = data.index(b"\n", len(snapshot.MAGIC)) + 1
        data[start : start + 8] = (10**9).to_bytes(8, "little")  # the first take's id
    file.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        store = VoiceprintStore(tmp_path, ENGINE)
    assert loads[-1] is False and "not used" in caplog.text
    check(store, tmp_path, 5)
    assert "s3" not in store.names()


def test_a_deleted_speaker_never_comes_back_from_an_old_snapshot(tmp_path: Path, loads: list[bool]) -> None:
    rows = enrolled(tmp_path)
    VoiceprintStore(tmp_path, ENGINE)
    file = snapshot.path_for(tmp_path, ENGINE)
    old = file.read_bytes()  # trusted, and holds s5
    VoiceprintStore(tmp_path, ENGINE).delete("s5")  # a tombstone hides s5 from that snapshot
    file.write_bytes(b"unreadable for a while")
    VoiceprintStore(tmp_path, ENGINE)  # reads the database, forgets the snapshot and its tombstones
    file.write_bytes(old)  # the old file is back (a restored backup, a slow disk...)
    store = VoiceprintStore(tmp_path, ENGINE)
    assert all(n != "s5" for n, _ in store.search(rows[5], 3, SCORE))
    check(store, tmp_path, 6)


def test_another_engines_tombstones_are_left_alone(tmp_path: Path) -> None:
    enrolled(tmp_path)
    other = np.random.default_rng(1).standard_normal((20, 4)).astype(np.float32)
    bulk_enrol(tmp_path, "other", [f"o{i}" for i in range(20)], other)
    VoiceprintStore(tmp_path, "other")  # writes its snapshot
    VoiceprintStore(tmp_path, "other").delete("o1")  # its tombstone
    simple = VoiceprintStore(tmp_path, ENGINE)
    for i in range(40):  # enough new rows for simple to rewrite its own snapshot
        simple.add_take(f"new{i}", unit(np.ones(DIM) + i), 3.0)
    VoiceprintStore(tmp_path, ENGINE)
    store = VoiceprintStore(tmp_path, "other")
    assert "o1" not in [n for n, _ in store.search(other[1] / np.linalg.norm(other[1]), 3, SCORE)]
    assert store.size() == 19


def test_many_deletions_alone_rewrite_the_snapshot(tmp_path: Path, loads: list[bool]) -> None:
    enrolled(tmp_path)
    store = VoiceprintStore(tmp_path, ENGINE)
    for i in range(30):  # 15 % of the rows
        store.delete(f"s{i}")
    again = VoiceprintStore(tmp_path, ENGINE)
    assert loads == [False, True]
    with contextlib.closing(sqlite3.connect(tmp_path / DB_NAME)) as db:
        assert db.execute("SELECT COUNT(*) FROM dropped").fetchone()[0] == 0  # absorbed by the new snapshot
    check(again, tmp_path, 7)
    check(VoiceprintStore(tmp_path, ENGINE), tmp_path, 8)
