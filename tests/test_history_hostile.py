"""A history file that holds anything at all: ``vpw history``, its JSON and CSV export and the
History panel's model still work on every row, and hostile values are still recorded."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop import config
from desktop.cli import main
from desktop.services.voiceprint_result import Candidate, SessionResult
from desktop.store.history import History, safe_row
from tests.fuzz import JSON_VALUES, NASTY_NUMBERS, NASTY_STRINGS, fuzz

# (column, value) written straight into SQLite, as another tool or a damaged file could.
HOSTILE_CELLS: list[tuple[str, Any]] = [
    ("user", b"\xff\xfe not utf-8"),  # a BLOB where text belongs
    ("message", "\ud800 lone surrogate"),
    ("error", "\x1b[2J\x07 control"),
    ("created", 1e308),
    ("created", float("inf")),
    ("created", -5.0),
    ("created", "yesterday"),
    ("top_score", float("inf")),
    ("top_score", "high"),
    ("status", "9" * 40),
    ("status", 2.5),
    ("candidates", "[" * 5000 + "]" * 5000),
    ("candidates", '[{"name": "\\ud800", "score": NaN}, 7, "x"]'),
    ("candidates", "not json"),
    ("candidates", '{"a": 1}'),
    ("quality", "[1, 2]"),
    ("quality", '{"snr_db": Infinity, "x": ' + "1" * 40 + "}"),
    ("digits_match", "maybe"),
    ("decision", "a decision from the future"),
    ("kind", 12),
]


def _raw_insert(path: Path, column: str, value: Any) -> None:
    conn = sqlite3.connect(path)
    try:
        if isinstance(value, str) and not value.isascii():
            # sqlite3 will not bind a lone surrogate; write the bytes SQLite would hold.
            conn.execute(
                f"INSERT INTO attempts (created, profile, kind, user, decision, {column}) "
                "VALUES (1.7e9, 'p', 'verify', 'u', 'accepted', CAST(? AS TEXT))",
                (value.encode("utf-8", "surrogatepass"),),
            )
        else:
            conn.execute(
                "INSERT INTO attempts (created, profile, kind, user, decision) "
                "VALUES (1.7e9, 'p', 'verify', 'u', 'accepted')"
            )
            conn.execute(f"UPDATE attempts SET {column} = ? WHERE id = last_insert_rowid()", (value,))
        conn.commit()
    finally:
        conn.close()


@pytest.fixture
def db() -> Path:
    path = config.data_dir() / "history.sqlite3"
    History(path).close()  # create and migrate
    return path


def test_every_hostile_cell_still_lists_exports_and_shows(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for column, value in HOSTILE_CELLS:
        _raw_insert(db, column, value)
    _raw_insert(db, "user", b"\xff enrolled blob")
    conn = sqlite3.connect(db)
    conn.execute("UPDATE attempts SET kind = 'enrol', decision = 'enrolled' WHERE id = last_insert_rowid()")
    conn.commit()
    conn.close()
    assert all(isinstance(u, str) for u in History(db).enrolled_users())
    assert main(["history", "--limit", "100"]) == 0
    out = capsys.readouterr().out
    out.encode("utf-8")
    assert "\x1b" not in out
    assert main(["history", "--json", "--limit", "100"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len(HOSTILE_CELLS) + 1
    target = tmp_path / "h.csv"
    assert main(["history", "export", str(target)]) == 0
    with target.open(encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == len(HOSTILE_CELLS) + 1
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from desktop.ui.history_model import COLUMNS, HistoryTableModel

    _app = QApplication.instance() or QApplication([])
    model = HistoryTableModel()
    history = History(db)
    model.set_rows(history.rows())
    for column in range(len(COLUMNS)):
        model.sort(column, Qt.SortOrder.DescendingOrder)
        for row in range(model.rowCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                model.data(model.index(row, column), role)
    history.close()


def test_hostile_values_are_recorded_not_lost(db: Path) -> None:
    history = History(db)
    result = SessionResult(
        kind="verify",
        user="u\ud800",
        status=2**70,
        voice_accepted=False,
        candidates=[Candidate("\udcff", float("nan")), Candidate("b", float("inf"))],
        number="1\x00",
        message="\ud83d",
        audio_s=float("nan"),
        stop_to_result_s=float("inf"),
    )
    history.record(profile="p", kind="verify", user="u\ud800", result=result, quality={"x": float("nan")})
    history.record(profile="p", kind="enrol", user="\udcff", error="file \udcff.wav: unreadable")
    rows = history.rows()
    assert len(rows) == 2
    json.dumps(rows, ensure_ascii=False, allow_nan=False).encode("utf-8")
    history.close()


@fuzz
@given(
    st.dictionaries(
        st.sampled_from(["created", "user", "status", "top_score", "candidates", "quality", "digits_match", "extra"]),
        st.one_of(NASTY_STRINGS, NASTY_NUMBERS, st.binary(max_size=20), st.none(), JSON_VALUES.map(json.dumps)),
    )
)
def test_fuzz_safe_row(row: dict[str, Any]) -> None:
    out = safe_row(dict(row))
    json.dumps(out, ensure_ascii=False, allow_nan=False).encode("utf-8")
    assert (
        isinstance(out["created"], float) and isinstance(out["candidates"], list) and isinstance(out["quality"], dict)
    )


def test_a_user_argument_with_undecodable_bytes_matches_nothing(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--user", "x\udcff"]) == 0
    capsys.readouterr()
    # Deletion goes through the speakers' full deletion, which refuses a name that cannot be text
    # as bad input (exit 2) with one readable line, rather than reporting nothing deleted.
    assert main(["history", "delete-user", "x\udcff"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip() and "\udcff" not in err


@pytest.mark.parametrize("command", ["history", "audit"])
def test_a_limit_beyond_sqlites_integers_lists_everything(
    db: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _raw_insert(db, "kind", "verify")
    # Once "Unexpected error (OverflowError)" for `vpw history`.
    for limit in (str(2**63), "9" * 40):
        assert main([command, "--json", "--limit", limit]) == 0
        assert isinstance(json.loads(capsys.readouterr().out), list)
    assert main(["--lang", "zh", command, "--limit", "0"]) == 2
    assert "至少为 1" in capsys.readouterr().err


def test_the_stores_read_everything_for_a_limit_beyond_sqlites_integers(db: Path) -> None:
    from desktop.store.audit import AuditLog

    _raw_insert(db, "kind", "verify")
    assert len(History(db).rows(limit=10**30)) == 1
    assert isinstance(AuditLog(db).events(limit=10**30), list)
