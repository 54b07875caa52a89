"""``vpw speakers``, consent on enrolment, deletion on the sandbox and on a real-service profile,
the data export, and the audit events all of it leaves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from desktop import config
from tests.commands import test_voiceprint_cli as vp_cli
from tests.commands.test_voiceprint_cli import enrol_both, run_cli

takes = vp_cli.takes  # the same fixture: enrolment and probe takes of alice and bob

ADMIN = "/voiceprint/_admin/speakers"


def test_enrol_without_consent_is_refused_exit_2(
    sandbox: Any,
    takes: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_cli(capsys, "enroll", "--user", "alice", str(takes["alice_enrol"]))
    assert code == 2
    assert "--consent" in err and len(err.strip().splitlines()) == 1
    assert out == ""
    # Nothing reached the service: alice is not enrolled there, and nothing is in history.
    url = f"http://127.0.0.1:{sandbox.port}{ADMIN}"
    r = requests.get(url, headers={"X-Apig-AppCode": sandbox.cfg.appcode}, timeout=5)
    assert r.json() == {"speakers": []}
    code, rows, _ = run_cli(capsys, "history", "--json")
    assert rows == []


def test_speakers_list_with_consent_record(
    sandbox: Any,
    takes: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VPW_OPERATOR", "op-li")
    enrol_both(capsys, takes)
    run_cli(capsys, "verify", "--user", "alice", str(takes["alice_probe"]), "--json")
    code, listing, _ = run_cli(capsys, "speakers", "--json")
    assert code == 0 and isinstance(listing, list)
    assert [s["name"] for s in listing] == ["alice", "bob"]
    alice = listing[0]
    assert alice["consent"]["operator"] == "op-li" and alice["consent"]["profile"] == "sandbox"
    assert alice["consent"]["at"] == pytest.approx(alice["enrolled_at"], abs=0.01)
    assert alice["takes"] == 1 and alice["last_verified_at"] is not None
    assert listing[1]["last_verified_at"] is None
    code, text, _ = run_cli(capsys, "speakers")
    assert code == 0 and "alice" in text and "op-li" in text
    # Every attempt is an audit event with the operator and the profile.
    code, events, _ = run_cli(capsys, "audit", "--json")
    assert [(e["action"], e["subject"], e["outcome"]) for e in events] == [
        ("verify", "alice", "accepted"), ("enrol", "bob", "enrolled"), ("enrol", "alice", "enrolled"),
    ]  # fmt: skip
    assert all(e["operator"] == "op-li" and e["profile"] == "sandbox" for e in events)
    assert events[2]["details"]["consent"] is True
    assert "score" not in json.dumps(events)  # biometric figures stay in the (deletable) attempts


def test_delete_on_sandbox_really_deletes_the_voiceprint(
    sandbox: Any,
    takes: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    enrol_both(capsys, takes)
    code, out, _ = run_cli(capsys, "verify", "--user", "bob", str(takes["bob_probe"]), "--json")
    assert code == 0 and "alice" in {c["name"] for c in out["candidates"]}
    code, out, _ = run_cli(capsys, "verify", "--user", "alice", str(takes["alice_probe"]), "--json")
    assert code == 0
    code, out, err = run_cli(capsys, "speakers", "delete", "alice", "--yes")
    assert code == 0, err
    assert "sandbox voiceprint (1 takes)" in out and "2 local records" in out
    # Her personal data is gone from history, also from bob's earlier candidate list.
    code, rows, _ = run_cli(capsys, "history", "--json")
    assert all(r["user"] != "alice" for r in rows)
    assert all("alice" not in json.dumps(r["candidates"]) and r["top_name"] != "alice" for r in rows)
    # Verifying the deleted name: not enrolled (404), exit 1; she is in nobody's candidates.
    code, out, _ = run_cli(capsys, "verify", "--user", "alice", str(takes["alice_probe"]), "--json")
    assert code == 1 and out["status"] == 404
    assert "alice" not in {c["name"] for c in out["candidates"]}
    code, out, _ = run_cli(capsys, "verify", "--user", "bob", str(takes["bob_probe"]), "--json")
    assert code == 0 and {c["name"] for c in out["candidates"]} == {"bob"}
    code, listing, _ = run_cli(capsys, "speakers", "--json")
    assert [s["name"] for s in listing] == ["bob"]
    # The audit trail keeps her enrolment and verification, and says she was deleted; it verifies.
    code, events, _ = run_cli(capsys, "audit", "--json")
    mine = [(e["action"], e["outcome"]) for e in events if e["subject"] == "alice"]
    assert ("delete", "deleted") in mine and ("enrol", "enrolled") in mine and ("verify", "accepted") in mine
    assert run_cli(capsys, "audit", "verify")[0] == 0
    # Deleting again takes the 404 attempt made since; then nothing is stored any more.
    code, out, _ = run_cli(capsys, "speakers", "delete", "alice", "--yes")
    assert code == 0 and "(0 takes) and 1 local records" in out
    code, out, _ = run_cli(capsys, "speakers", "delete", "alice", "--yes")
    assert code == 1 and "Nothing is stored" in out


def test_delete_needs_yes_without_a_terminal(
    sandbox: Any,
    takes: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    enrol_both(capsys, takes)
    code, _, err = run_cli(capsys, "speakers", "delete", "alice")
    assert code == 2 and "--yes" in err
    code, listing, _ = run_cli(capsys, "speakers", "--json")
    assert [s["name"] for s in listing] == ["alice", "bob"]


def test_delete_on_real_profile_records_a_deletion_request(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = config.ConfigFile()
    real = config.Profile(name="prod")
    real.voiceprint.url = "wss://vp.example.com/voiceprint"
    real.voiceprint.client_id = "bank-7"
    cfg.store_profile(real)
    cfg.save()
    monkeypatch.setenv("VPW_PROFILE", "prod")
    from desktop.context import Context

    ctx = Context()
    try:
        ctx.history.record(profile="prod", kind="enrol", user="carol", error="offline", consent=True)
    finally:
        ctx.close()
    code, out, err = run_cli(capsys, "speakers", "delete", "carol", "--yes")
    assert code == 0, err
    assert "NOT deleted at the provider" in out and "vp.example.com" in out and "bank-7" in out
    code, events, _ = run_cli(capsys, "audit", "--json")
    request = next(e for e in events if e["action"] == "deletion_request")
    assert request["subject"] == "carol" and request["outcome"] == "pending" and request["profile"] == "prod"
    assert "carol" in request["details"]["ask"] and request["details"]["provider"] == "vp.example.com"
    assert next(e for e in events if e["action"] == "delete")["outcome"] == "local_only"


def test_export_a_persons_data(
    sandbox: Any,
    takes: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    enrol_both(capsys, takes)
    run_cli(capsys, "verify", "--user", "alice", str(takes["alice_probe"]), "--json")
    target = tmp_path / "alice.json"
    code, out, _ = run_cli(capsys, "speakers", "export", "alice", str(target))
    assert code == 0 and "2 records" in out
    doc = json.loads(target.read_text("utf-8"))
    assert doc["name"] == "alice" and len(doc["consent"]) == 1 and doc["consent"][0]["profile"] == "sandbox"
    assert len(doc["enrolments"]) == 1 and len(doc["attempts"]) == 1
    assert [e["action"] for e in doc["audit_events"]] == ["enrol", "verify"]
    code, _, err = run_cli(capsys, "speakers", "export", "alice", str(tmp_path / "no" / "such" / "dir.json"))
    assert code == 2 and "Cannot write" in err
    code, events, _ = run_cli(capsys, "audit", "--json")
    assert [(e["action"], e["outcome"]) for e in events[:2]] == [("export", "failed"), ("export", "ok")]


def test_admin_endpoint_auth_and_names(sandbox: Any) -> None:
    base = f"http://127.0.0.1:{sandbox.port}{ADMIN}"
    r = requests.get(base, headers={"X-Apig-AppCode": "wrong"}, timeout=5)
    assert r.status_code == 401 and r.json()["error_code"] == "APIG.0303"
    r = requests.delete(base + "/alice", timeout=5)
    assert r.status_code == 401 and r.json()["error_code"] == "APIG.0303"
    good = {"X-Apig-AppCode": sandbox.cfg.appcode}
    r = requests.delete(base + "/nobody", headers=good, timeout=5)
    assert r.status_code == 404
    from desktop.services.voiceprint_admin import VoiceprintAdmin, admin_url

    assert admin_url("wss://h:1/vp/") == "https://h:1/vp/_admin/speakers"
    settings = config.load_profile().voiceprint
    admin = VoiceprintAdmin(settings)
    assert admin.speakers() == {}
    # Names with slashes, spaces, CJK and percent signs survive the URL.
    from desktop.sandbox.voiceprint.store import VoiceprintStore

    del VoiceprintStore  # the store is the sandbox's; go through the protocol instead
    for name in ("a/b c", "王 芳", "50%?#"):
        assert admin.delete(name) == 0


def test_history_delete_user_deletes_the_voiceprint_too(
    sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The old command erased records and left the voiceprint: the person still verified."""
    enrol_both(capsys, takes)
    code, out, err = run_cli(capsys, "history", "delete-user", "alice")
    assert code == 0 and "sandbox voiceprint (1 takes)" in out, err
    code, out, _ = run_cli(capsys, "verify", "--user", "alice", str(takes["alice_probe"]), "--json")
    assert code == 1 and out["status"] == 404


def test_unusable_names_are_refused_and_nothing_breaks_later(
    sandbox: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for argv in (["speakers", "delete", "bad\udcffname", "--yes"], ["speakers", "export", "\ud800", "x.json"]):
        code, _, err = run_cli(capsys, *argv)
        assert code == 2 and "not a name" in err, argv
    code, _, err = run_cli(capsys, "speakers", "delete", "   ", "--yes")
    assert code == 2
    # Names the service would never take but that are valid text: deleted (nothing there), audited.
    code, out, _ = run_cli(capsys, "speakers", "delete", "x" * 5000, "--yes")
    assert code == 1 and "Nothing is stored" in out
    for argv in (["audit"], ["audit", "--json"], ["audit", "verify"], ["speakers"], ["history", "--json"]):
        assert run_cli(capsys, *argv)[0] == 0, argv


def test_cli_history_export_has_operator_and_both_scores(
    sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    import csv

    monkeypatch.setenv("VPW_OPERATOR", "op-sun")
    enrol_both(capsys, takes)
    run_cli(capsys, "verify", "--user", "alice", str(takes["bob_probe"]), "--json")
    target = tmp_path / "h.csv"
    assert run_cli(capsys, "history", "export", str(target))[0] == 0
    with target.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    verify = next(r for r in rows if r["kind"] == "verify")
    assert {r["operator"] for r in rows} == {"op-sun"}
    assert float(verify["best_other"]) > float(verify["own_score"])  # bob's voice claiming alice
    events = run_cli(capsys, "audit", "--json")[1]
    assert events[0]["action"] == "history_export" and events[0]["details"]["rows"] == 3


def test_admin_listing_counts_takes(sandbox: Any, takes: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    enrol_both(capsys, takes)
    run_cli(capsys, "enroll", "--consent", "--user", "alice", str(takes["alice_probe"]))
    from desktop.services.voiceprint_admin import VoiceprintAdmin

    assert VoiceprintAdmin(config.load_profile().voiceprint).speakers() == {"alice": 2, "bob": 1}
