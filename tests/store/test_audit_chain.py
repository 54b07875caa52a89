"""The audit trail's hash chain: verified intact, then broken by an edited field, a removed
middle record, and hostile values that must still store, read back and verify."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.store.audit import AuditLog, clean_value, current_operator


def _db(home: Path) -> Path:
    return home / "data" / "history.sqlite3"


def _fill(n: int) -> None:
    from desktop.context import Context

    ctx = Context()
    try:
        for i in range(n):
            ctx.record("threshold", subject="sandbox", outcome="ok", details={"old": 0.8, "new": 0.8 + i / 10_000})
    finally:
        ctx.close()


def test_chain_intact_then_edited_field_is_named(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(5)
    assert main(["audit", "verify"]) == 0
    assert "5 records" in capsys.readouterr().out
    with sqlite3.connect(_db(isolated_env)) as conn:
        conn.execute("UPDATE audit_events SET outcome = 'failed' WHERE seq = 3")
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "record 3 " in out and "changed" in out


def test_removed_middle_record_is_named(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(6)
    with sqlite3.connect(_db(isolated_env)) as conn:
        conn.execute("DELETE FROM audit_events WHERE seq = 4")
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "record 5 " in out and "record 4 before it is missing" in out


def test_rehashed_edit_is_caught_by_the_next_record(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Someone who recomputes the edited record's own hash still breaks the link to the next one."""
    from desktop.store.audit import record_hash

    _fill(4)
    with sqlite3.connect(_db(isolated_env)) as conn:
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("SELECT * FROM audit_events WHERE seq = 2").fetchone())
        row["subject"] = "someone else"
        conn.execute("UPDATE audit_events SET subject = ?, hash = ? WHERE seq = 2", (row["subject"], record_hash(row)))
    assert main(["audit", "verify"]) == 1
    assert "record 3 " in capsys.readouterr().out


def test_invalid_utf8_edited_in_reads_as_a_mismatch(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(3)
    with sqlite3.connect(_db(isolated_env)) as conn:
        conn.execute("UPDATE audit_events SET subject = CAST(X'66FF80' AS TEXT) WHERE seq = 2")
    assert main(["audit", "verify"]) == 1
    assert "record 2 " in capsys.readouterr().out
    assert main(["audit", "--json"]) == 0  # listing still works
    capsys.readouterr()


def test_hostile_values_store_read_back_and_verify(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = AuditLog(_db(isolated_env))
    try:
        log.record(
            "export", subject="\udcff lone surrogate \ud800", outcome="ok\udc80", profile="p\ud83d",
            details={
                "huge": 10**5000, "big": 2**70, "neg": -(2**64), "nan": float("nan"), "inf": float("-inf"),
                "deep": json.loads("[" * 50 + "]" * 50), "bytes": b"\x00\xff", "\udc00key": "x" * 10_000,
            },
            operator="op\udcff",
        )  # fmt: skip
        log.record("threshold", details={"old": 0.8080, "new": 0.80805})
        count, problem = log.verify()
        assert (count, problem) == (2, None)
        events = log.events()
    finally:
        log.close()
    hostile = events[1]
    assert "\\udcff lone surrogate" in hostile["subject"]
    assert hostile["details"]["huge"] == "<integer of 16610 bits>"
    assert hostile["details"]["big"] == str(2**70)
    assert hostile["details"]["nan"] == "nan"
    assert events[0]["details"] == {"old": 0.8080, "new": 0.80805}  # floats kept exactly
    for argv in (["audit"], ["audit", "--json"], ["audit", "verify"]):
        assert main(argv) == 0, argv
    out = capsys.readouterr().out
    assert "intact" in out


def test_clean_value_is_json_round_trippable() -> None:
    value = clean_value({"a": [10**400, float("nan"), "\ud800"], 1: {"b": None}})
    assert json.loads(json.dumps(value, allow_nan=False)) == value


def test_operator_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.store import audit

    monkeypatch.setattr(audit, "_settings_operator", "")
    monkeypatch.setattr(audit.getpass, "getuser", lambda: "osuser")
    assert current_operator() == "osuser"
    audit.set_settings_operator("Settings Name")
    assert current_operator() == "Settings Name"
    monkeypatch.setenv("VPW_OPERATOR", "envname")
    assert current_operator() == "envname"
    audit.set_settings_operator("")


def test_operator_from_config_file(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop import config
    from desktop.context import Context

    cfg = config.ConfigFile()
    cfg.operator = "Wang Fang"
    cfg.save()
    ctx = Context()
    try:
        assert ctx.operator == "Wang Fang"
        ctx.record("settings", outcome="ok")
        assert ctx.audit.events()[0]["operator"] == "Wang Fang"
    finally:
        ctx.close()
        from desktop.store import audit

        audit.set_settings_operator("")


def test_limit_and_bad_limit(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(5)
    assert main(["audit", "--json", "--limit", "2"]) == 0
    events = json.loads(capsys.readouterr().out)
    assert [e["seq"] for e in events] == [5, 4]
    assert main(["audit", "--limit", "0"]) == 2
    assert main(["audit", "--json", "--limit", str(10**40)]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 5


def test_deletion_takes_a_cjk_name_out_of_other_peoples_candidates(isolated_env: Path) -> None:
    from desktop.services.voiceprint_result import Candidate, SessionResult
    from desktop.store.history import History

    h = History(_db(isolated_env))
    try:
        scores = [Candidate("王芳", 0.81), Candidate("李娜", 0.6), Candidate("张伟", 0.3)]
        result = SessionResult(kind="verify", user="李娜", status=403, voice_accepted=False, candidates=scores)
        h.record(profile="sandbox", kind="verify", user="李娜", result=result)
        h.record(profile="sandbox", kind="verify", user="王芳", result=result)
        assert h.delete_user("王芳") == 1
        (left,) = h.rows()
        assert [c["name"] for c in left["candidates"]] == ["李娜", "张伟"] and left["top_name"] == "李娜"
        assert h.delete_user("张伟") == 0  # found again after the rewrite
        assert [c["name"] for c in h.rows()[0]["candidates"]] == ["李娜"]
    finally:
        h.close()
    log = AuditLog(_db(isolated_env))
    try:
        assert [e["subject"] for e in log.events()] == ["王芳", "李娜"]  # the trail stays
        assert log.verify()[1] is None
    finally:
        log.close()
