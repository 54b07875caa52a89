"""The Speakers panel against a real sandbox: list with consent, search, re-enrol, export, and a
deletion whose confirmation says what goes, after which the sandbox answers "not enrolled"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.gui.conftest import panel, wait_done

pytestmark = pytest.mark.usefixtures("digits")


def enrol(qtbot: Any, window: Any, speech_file: Any, name: str) -> None:
    p = panel(window, "EnrolPanel")
    p.user.setText(name)
    p.consent_box.setChecked(True)
    p.start_files(name, [speech_file(name, 0, 1)])
    wait_done(qtbot, p)
    assert p.decision.verdict is not None and p.decision.verdict.decision == "enrolled", p.decision.verdict


def show_speakers(qtbot: Any, window: Any) -> Any:
    sp = panel(window, "SpeakersPanel")
    with qtbot.waitSignal(sp.loaded, timeout=10000):
        sp.refresh()
    return sp


def test_list_search_reenrol_export_delete(
    qtbot: Any, window: Any, speech_file: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VPW_OPERATOR", "op-zhao")
    for name in ("alice", "bob"):
        enrol(qtbot, window, speech_file, name)
    sp = show_speakers(qtbot, window)
    assert [s.name for s in sp.speakers] == ["alice", "bob"]
    assert sp.table.item(0, 0).text() == "alice" and "op-zhao" in sp.table.item(0, 4).text()
    sp.search.setText("BO")
    assert sp.table.isRowHidden(0) and not sp.table.isRowHidden(1)
    assert sp.count_label.text() == "1 of 2 speakers"
    sp.search.clear()
    assert not sp.delete_button.isEnabled()  # nothing selected
    assert sp.select("alice")
    # Enabled at once, or, while a reload the enrolments started is still reading, when it lands.
    qtbot.waitUntil(lambda: not sp.background.busy, timeout=10000)
    assert sp.delete_button.isEnabled()
    # A reload keeps the selection and the buttons that go with it.
    with qtbot.waitSignal(sp.loaded, timeout=10000):
        sp.refresh()
    assert sp.selected_name() == "alice" and sp.delete_button.isEnabled()

    # Re-enrol: Enrol opens with the name and an unticked consent box.
    sp.re_enrol()
    enrol_panel = window.panel("EnrolPanel")
    assert window.stack.currentWidget() is enrol_panel
    assert enrol_panel.user.text() == "alice" and not enrol_panel.consent_box.isChecked()
    sp = show_speakers(qtbot, window)

    # Export: consent, enrolments, attempts; the export is an audit event.
    target = tmp_path / "alice.json"
    assert sp.export_to("alice", target)
    doc = json.loads(target.read_text("utf-8"))
    assert doc["consent"][0]["operator"] == "op-zhao" and len(doc["enrolments"]) == 1

    # Delete: the confirmation names the sandbox voiceprint and the local records.
    asked: list[str] = []
    monkeypatch.setattr(sp, "ask", lambda title, text: asked.append(text) or False)
    assert sp.select("alice")
    sp.delete_selected()
    assert "voiceprint stored in the sandbox (1 enrolment takes)" in asked[0]
    assert "1 local records" in asked[0] and "audit trail keeps" in asked[0]
    assert [s.name for s in sp.speakers] == ["alice", "bob"]  # cancelled: nothing went
    monkeypatch.setattr(sp, "ask", lambda title, text: True)
    with qtbot.waitSignal(sp.deleted, timeout=15000):
        assert sp.select("alice")
        sp.delete_selected()
    qtbot.waitUntil(lambda: [s.name for s in sp.speakers] == ["bob"], timeout=10000)
    assert "sandbox voiceprint (1 takes)" in sp.status.text()

    # The sandbox itself no longer knows her: verifying "alice" answers 404, not enrolled.
    verify = panel(window, "VerifyPanel")
    verify.user.setText("alice")
    verify.start_files("alice", [speech_file("alice", 2, 3)])
    wait_done(qtbot, verify)
    assert verify.last_outcome is not None and verify.last_outcome.result is not None
    assert verify.last_outcome.result.status == 404
    assert "alice" not in {c.name for c in verify.last_outcome.result.candidates}
    actions = [(e["action"], e["subject"], e["outcome"]) for e in window.ui.ctx.audit.events()]
    assert ("delete", "alice", "deleted") in actions and ("export", "alice", "ok") in actions
    assert window.ui.ctx.audit.verify()[1] is None


def test_real_profile_confirmation_says_the_provider_keeps_it(qtbot: Any, window: Any, speech_file: Any) -> None:
    enrol(qtbot, window, speech_file, "carol")
    sp = show_speakers(qtbot, window)
    window.ui.ctx.profile.name = "prod"  # as a real-service profile would present itself
    window.ui.ctx.profile.voiceprint.url = "wss://vp.example.com/voiceprint"
    text = sp.confirmation_text("carol")
    assert "NOT the voiceprint stored by the provider (vp.example.com)" in text
    assert "deletion request is recorded" in text and "“prod”" in text
