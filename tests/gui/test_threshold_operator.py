"""Thresholds kept exactly through the Settings form, the operator name, and their audit events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import config
from tests.gui.test_settings_panel import Harness, editor


@pytest.fixture
def harness(qtbot: object, isolated_env: Path) -> Iterator[Harness]:
    h = Harness(qtbot, isolated_env)
    yield h
    h.close()


@pytest.mark.parametrize("value", [0.8080, 0.80805, 0.8123456835746765, 0.1 + 0.2])
def test_threshold_round_trip_is_exact(harness: Harness, value: float) -> None:
    from desktop.calibrate import apply_threshold

    apply_threshold(value)
    panel = harness.panel()
    field = editor(panel, "sandbox", "threshold").input
    assert field.text() == repr(value)  # shown exactly, not "0.81"
    # Any save (here: an unrelated field) keeps the stored value bit for bit.
    editor(panel, "voiceprint", "frame_ms").input.setValue(60)
    assert panel.save()
    assert config.load_profile("sandbox", env={}).sandbox.threshold == value
    assert harness.panel() is not None and editor(harness.panel(), "sandbox", "threshold").input.text() == repr(value)
    events = [e["action"] for e in harness.contexts[0].audit.events()]
    assert events == ["settings"]  # frame_ms changed; the threshold did not


def test_threshold_typed_is_stored_as_typed_and_audited(harness: Harness) -> None:
    panel = harness.panel()
    field = editor(panel, "sandbox", "threshold").input
    field.setText("0.8080")
    field.textEdited.emit("0.8080")
    assert panel.save()
    assert config.load_profile("sandbox", env={}).sandbox.threshold == 0.8080
    ctx = harness.contexts[0]
    threshold = ctx.audit.events(action="threshold")[0]
    assert threshold["details"] == {"old": 0.0, "new": 0.808, "via": "settings"}
    settings = ctx.audit.events(action="settings")[0]
    assert settings["details"]["changed"] == ["sandbox.threshold"] and settings["subject"] == "sandbox"
    for bad in ("abc", "1.5", "nan"):
        field.setText(bad)
        field.textEdited.emit(bad)
        assert not panel.save()
        assert "from 0 to 1" in panel.error_label.text()
    assert config.load_profile("sandbox", env={}).sandbox.threshold == 0.8080


def test_operator_name_from_settings_reaches_audit_and_status(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.store import audit

    monkeypatch.setattr(audit, "_settings_operator", "")
    panel = harness.panel()
    seen: list[str] = []
    panel.ui.bus.operator_changed.connect(seen.append)
    panel.tabs.operator_edit.setText("Zhang Wei")
    panel.tabs.operator_edit.textEdited.emit("Zhang Wei")
    assert panel.save()
    assert config.operator_name() == "Zhang Wei" and seen == ["Zhang Wei"]
    assert audit.current_operator() == "Zhang Wei"
    event = harness.contexts[0].audit.events(action="settings")[0]
    assert event["operator"] == "Zhang Wei" and "operator" in event["details"]["changed"]
    monkeypatch.setenv("VPW_OPERATOR", "env-op")
    assert harness.panel().ui.ctx.operator == "env-op"
    audit.set_settings_operator("")


def test_profile_created_renamed_and_switched_are_audited(harness: Harness) -> None:
    panel = harness.panel()
    assert panel.create_profile("prod")
    assert panel.rename_profile("prod-cn")
    assert panel.use_shown_profile()
    events = [(e["action"], e["subject"], e["outcome"]) for e in harness.contexts[0].audit.events(newest_first=False)]
    assert ("profile", "prod", "created") in events
    assert ("profile", "prod-cn", "renamed") in events
    assert events[-1] == ("profile", "prod-cn", "switched")
    assert harness.contexts[0].audit.events(action="profile")[0]["details"] == {"from": "sandbox"}
