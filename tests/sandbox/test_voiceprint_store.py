"""The voiceprint database: names, deletion, crash safety, O(1) writes, damaged rows and files,
and the migration from one JSON file per speaker."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.sandbox.voiceprint import search
from desktop.sandbox.voiceprint.backend import NOT_ENROLLED, Backend
from desktop.sandbox.voiceprint.imports import bulk_enrol
from desktop.sandbox.voiceprint.store import DB_NAME, MAX_TAKES, VoiceprintStore, stored_engines
from tests.sandbox.speech import speech
from tests.sandbox.test_voiceprint_search import _storable, top_k_mean
from tests.sandbox.voiceprint_support import parse_result

REPO = Path(__file__).resolve().parents[2]
SCORE = top_k_mean(2)


def _vec(seed: int, dim: int = 16) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


# -- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["王小明", "bob smith", " lead and trail ", "👩‍🔬 Ada", "Zoë", "a" * 500, "x;y,z=1"])
def test_any_text_is_a_name_and_comes_back_as_it_was(tmp_path: Path, name: str) -> None:
    VoiceprintStore(tmp_path, "simple").add_take(name, _vec(1), 3.0)
    store = VoiceprintStore(tmp_path, "simple")
    assert store.names() == [name] and store.has(name) and len(store.takes(name)) == 1
    assert store.search(_vec(1), 3, SCORE)[0][0] == name


@pytest.mark.parametrize("name", ["bad\ud800name", "\udfff", "", None, 5])
def test_a_name_that_cannot_be_stored_is_refused_and_harmless(tmp_path: Path, name: object) -> None:
    store = VoiceprintStore(tmp_path, "simple")
    with pytest.raises(ValueError):
        store.add_take(name, _vec(1), 3.0)  # type: ignore[arg-type]
    assert store.names() == [] and store.size() == 0
    assert not store.has(name) and store.takes(name) == [] and store.delete(name) == 0  # type: ignore[arg-type]
    assert store.other_engines(name) == []  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(names=st.lists(st.text(max_size=12), min_size=1, max_size=5))
def test_every_name_is_stored_exactly_or_refused(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = VoiceprintStore(Path(tmp), "simple")
        kept = set()
        for i, name in enumerate(names):
            try:
                store.add_take(name, _vec(i), 3.0)
                kept.add(name)
            except ValueError:
                assert not name or not _storable(name)  # only empty names and lone surrogates
        assert VoiceprintStore(Path(tmp), "simple").names() == sorted(kept)
        for name in kept:
            assert store.has(name) and store.takes(name)


def test_embeddings_that_are_not_voiceprints_are_refused(tmp_path: Path) -> None:
    store = VoiceprintStore(tmp_path, "simple")
    store.add_take("a", _vec(1), 3.0)
    for bad in (np.full(16, np.nan, np.float32), np.zeros(0, np.float32), _vec(2, dim=8)):
        with pytest.raises(ValueError):
            store.add_take("b", bad, 3.0)
    for seconds in (float("nan"), float("inf"), -1.0):
        with pytest.raises(ValueError):
            store.add_take("b", _vec(2), seconds)
    assert store.names() == ["a"]


# -- deletion -------------------------------------------------------------------------------------


def test_delete_removes_every_take_and_the_name_from_every_search(tmp_path: Path) -> None:
    store = VoiceprintStore(tmp_path, "simple")
    for i in range(3):
        store.add_take("carol", _vec(100 + i), 3.0)
    store.add_take("dave", _vec(7), 3.0)
    store.add_take("erin", _vec(8), 3.0)
    VoiceprintStore(tmp_path, "other").add_take("carol", _vec(1, dim=4), 3.0)
    assert store.search(_vec(100), 3, SCORE)[0][0] == "carol"

    assert store.take_counts() == {"carol": 3, "dave": 1, "erin": 1}
    assert store.delete("carol") == 3
    assert store.delete("carol") == 0 and store.delete("nobody") == 0
    assert store.names() == ["dave", "erin"] and not store.has("carol") and store.takes("carol") == []
    assert store.take_counts() == {"dave": 1, "erin": 1}
    assert [n for n, _ in store.search(_vec(100), 3, SCORE)] == sorted(
        ["dave", "erin"], key=lambda n: -SCORE(_vec(100), [store.takes(n)[0].embedding])
    )
    reloaded = VoiceprintStore(tmp_path, "simple")
    assert "carol" not in [n for n, _ in reloaded.search(_vec(100), 3, SCORE)]
    assert reloaded.other_engines("carol") == ["other"]  # another engine's voiceprints are its own
    with contextlib.closing(sqlite3.connect(tmp_path / DB_NAME)) as db:
        rows = db.execute("SELECT COUNT(*) FROM takes t JOIN speakers s ON s.id = t.speaker WHERE s.name = 'carol'")
        assert rows.fetchone()[0] == 1  # the other engine's take only
        assert db.execute("SELECT COUNT(*) FROM codes").fetchone()[0] == 3


def test_old_takes_beyond_the_limit_leave_the_search_too(tmp_path: Path) -> None:
    store = VoiceprintStore(tmp_path, "simple")
    for i in range(MAX_TAKES + 5):
        assert store.add_take("chatty", _vec(i), float(i)) == min(i + 1, MAX_TAKES)
    assert [t.speech_s for t in store.takes("chatty")] == [float(i) for i in range(5, MAX_TAKES + 5)]
    owners = store._index.owners() if store._index else np.zeros(0)
    assert int((owners >= 0).sum()) == MAX_TAKES
    assert VoiceprintStore(tmp_path, "simple").size() == MAX_TAKES


# -- O(1) writes ----------------------------------------------------------------------------------


def _enrol_cost(store: VoiceprintStore, n: int = 15) -> tuple[float, int]:
    """Median seconds of an enrolment plus a deletion, and the bytes they add to the WAL."""
    times, written = [], []
    wal = store.path.with_name(store.path.name + "-wal")
    for i in range(n):
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        start = time.perf_counter()
        store.add_take(f"new {i}", _vec(10_000 + i, 32), 3.0)
        store.delete(f"new {i}")
        times.append(time.perf_counter() - start)
        written.append(wal.stat().st_size)
    return float(np.median(times)), int(np.median(written))


def test_enrolment_and_deletion_cost_the_same_at_1k_and_100k_speakers(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    cost = {}
    for n in (1000, 100_000):
        rows = rng.standard_normal((n, 32)).astype(np.float32)
        bulk_enrol(tmp_path / str(n), "simple", [f"s{i}" for i in range(n)], rows)
        cost[n] = _enrol_cost(VoiceprintStore(tmp_path / str(n), "simple"))
    (t_small, bytes_small), (t_large, bytes_large) = cost[1000], cost[100_000]
    # Pages written: the same few (a B-tree one level deeper at most), where a rewrite of the
    # store would write ~100x more at 100k. Time: loose, as fsync jitters on a shared machine.
    assert bytes_large <= 2 * bytes_small, cost
    assert bytes_small < 100_000, cost
    assert t_large < 5 * t_small + 0.010, cost


# -- crash safety ---------------------------------------------------------------------------------

WRITER = """
import sys
from pathlib import Path
import numpy as np
from desktop.sandbox.voiceprint.store import VoiceprintStore
store = VoiceprintStore(Path(sys.argv[1]), "simple")
rng = np.random.default_rng(0)
i = 0
while True:
    store.add_take(f"speaker {i % 50}", rng.standard_normal(192).astype(np.float32), float(i))
    print(i, flush=True)  # take i is committed
    i += 1
"""


def test_a_writer_killed_mid_enrolment_loses_nothing_it_committed(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)], cwd=REPO, stdout=subprocess.PIPE, text=True, env=os.environ
    )
    assert proc.stdout is not None
    committed = -1
    try:
        for line in proc.stdout:
            committed = int(line)
            if committed >= 60:
                break
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # no clean-up, no checkpoint: as a power cut would
        proc.wait()
    store = VoiceprintStore(tmp_path, "simple")
    seen = {t.speech_s for name in store.names() for t in store.takes(name)}
    assert set(range(committed + 1)) <= {int(s) for s in seen}  # every reported take is there
    assert store.size() == sum(len(store.takes(n)) for n in store.names())  # index == database
    assert store.search(np.ones(192, np.float32) / np.sqrt(192), 3, SCORE)


# -- damage ---------------------------------------------------------------------------------------


def test_broken_rows_are_skipped_and_logged_not_fatal(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = VoiceprintStore(tmp_path, "simple")
    for i in range(5):
        store.add_take(f"s{i}", _vec(i), 3.0)
    store.close()
    with contextlib.closing(sqlite3.connect(tmp_path / DB_NAME)) as db, db:
        db.execute("UPDATE codes SET code = x'0102' WHERE take = 1")  # truncated
        nan = np.array([(2, 3, np.nan, 0.0, 1.0)], dtype=search.HEADER).tobytes() + bytes(16)
        db.execute("UPDATE codes SET code = ? WHERE take = 2", (nan,))
        db.execute("UPDATE takes SET embedding = x'00' WHERE id = 3")
        db.execute("UPDATE takes SET speech_s = 'lots' WHERE id = 4")
        db.execute("UPDATE codes SET code = (SELECT code FROM codes WHERE take = 4) WHERE take = 5")  # not its row
    with caplog.at_level(logging.WARNING):
        store = VoiceprintStore(tmp_path, "simple")
    assert "3 unreadable takes" in caplog.text
    assert store.size() == 2
    assert store.search(_vec(3), 3, SCORE) == [("s3", pytest.approx(1.0))]  # s2's take is unreadable
    assert store.takes("s2") == [] and store.takes("s3") == []
    assert store.add_take("s5", _vec(5), 3.0) == 1
    assert store.delete("s3") == 1 and store.search(_vec(3), 1, SCORE)[0][0] != "s3"


def test_a_file_that_is_not_a_database_is_kept_aside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with caplog.at_level(logging.ERROR):
        store = VoiceprintStore(tmp_path, "simple")
    assert store.names() == [] and "not a database" in caplog.text
    kept = [p for p in tmp_path.iterdir() if ".broken-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not sqlite")
    assert store.add_take("a", _vec(1), 3.0) == 1


# -- migration from the JSON layout ---------------------------------------------------------------


def _legacy(root: Path, engine: str, file: str, name: str, takes: list[np.ndarray]) -> Path:
    doc = {
        "version": 1,
        "name": name,
        "engine": engine,
        "takes": [
            {"embedding": t.tolist(), "speech_s": 3.0 + i, "created": f"2025-01-0{i % 9 + 1}"}
            for i, t in enumerate(takes)
        ],
    }
    path = root / engine / file
    path.parent.mkdir(parents=True, exist_ok=True)
    # As the old store wrote them (CJK readable); a lone surrogate can only be spelt escaped.
    path.write_text(json.dumps(doc, ensure_ascii=not _storable(name)), "utf-8")
    return path


def test_json_stores_are_imported_once_and_removed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _legacy(tmp_path, "ge2e", "a.json", "王小明", [_vec(1), _vec(2)])
    _legacy(tmp_path, "ge2e", "b.json", "bob smith", [_vec(i) for i in range(MAX_TAKES + 2)])
    _legacy(tmp_path, "simple", "c.json", "王小明", [_vec(3, 8)])
    broken = [
        _legacy(tmp_path, "ge2e", "d.json", "\ud800", [_vec(4)]),  # a lone surrogate JSON can spell
        _legacy(tmp_path, "ge2e", "e.json", "nan", [np.full(16, np.nan, np.float32)]),
        _legacy(tmp_path, "ge2e", "f.json", "mixed", [_vec(5), _vec(6, 8)]),
    ]
    (tmp_path / "ge2e" / "g.json").write_text("{truncated", "utf-8")
    assert stored_engines(tmp_path) == {"ge2e": 6, "simple": 1}  # before the first load: the files
    with caplog.at_level(logging.WARNING):
        store = VoiceprintStore(tmp_path, "ge2e")
    assert store.names() == ["bob smith", "王小明"]
    assert [t.speech_s for t in store.takes("王小明")] == [3.0, 4.0]
    assert np.allclose(store.takes("王小明")[1].embedding, _vec(2), atol=1e-7)
    assert [t.speech_s for t in store.takes("bob smith")] == [3.0 + i for i in range(2, MAX_TAKES + 2)]
    assert store.search(_vec(1), 1, SCORE)[0][0] == "王小明"
    assert store.other_engines("王小明") == ["simple"]
    assert VoiceprintStore(tmp_path, "simple").names() == ["王小明"]
    assert not (tmp_path / "simple").exists()  # every file imported: the folder goes too
    kept = sorted(p.name for p in (tmp_path / "ge2e").iterdir())
    assert kept == ["d.json", "e.json", "f.json", "g.json"]  # for a human, each named in the log
    assert all(p.name in caplog.text for p in broken) and "g.json" in caplog.text
    assert stored_engines(tmp_path) == {"ge2e": 2 + 4, "simple": 1}


def test_a_file_imported_before_a_crash_is_not_imported_twice(tmp_path: Path) -> None:
    path = _legacy(tmp_path, "simple", "a.json", "alice", [_vec(1)])
    copy = path.read_text("utf-8")
    VoiceprintStore(tmp_path, "simple")
    path.parent.mkdir(exist_ok=True)
    path.write_text(copy, "utf-8")  # as if the crash came between the commit and the removal
    store = VoiceprintStore(tmp_path, "simple")
    assert len(store.takes("alice")) == 1 and not path.exists()


def test_after_delete_verification_never_names_the_speaker(tmp_path: Path) -> None:
    backend = Backend(tmp_path, "simple")
    for who in ("alice", "bob", "dave"):
        assert backend.enrol(who, speech(who, 0, 1), 1.0).status == 200
    before = parse_result(backend.verify("alice", speech("bob", 3), 1.0, 0.0).data)[0]
    assert "bob" in [name for name, _ in before]
    assert backend.store().delete("bob") == 1
    after = backend.verify("alice", speech("bob", 3), 1.0, 0.0)
    assert "bob" not in [name for name, _ in parse_result(after.data)[0]]
    gone = backend.verify("bob", speech("bob", 3), 1.0, 0.0)
    assert gone.status == NOT_ENROLLED and "bob" not in [name for name, _ in parse_result(gone.data)[0]]
