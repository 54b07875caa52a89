"""Fields whose right value is set by someone else carry a sentence saying so (issue 11)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel

from desktop.ui.settings_form import SectionForm
from desktop.ui.settings_model import section_fields


def _form(qtbot: Any, section: str) -> SectionForm:
    form = SectionForm(section_fields(section))
    qtbot.addWidget(form)
    return form


def _help_texts(form: SectionForm) -> list[str]:
    return [label.text() for label in form.findChildren(QLabel) if label.objectName() == "fieldHelp"]


def test_voiceprint_help_names_the_gateway_timeout_and_the_spelling(qtbot: Any) -> None:
    form = _form(qtbot, "voiceprint")
    texts = " ".join(_help_texts(form))
    assert "backend timeout" in texts and "1 ms and 60 s" in texts  # what to set the ping below
    assert "leading space" in texts  # why the seed-spelling option exists
    spelling = form.editors["spelling"]
    assert isinstance(spelling.input, QComboBox)
    assert [spelling.input.itemText(i) for i in range(spelling.input.count())] == ["documented", "seed"]
    assert form.editors["ws_ping_s"].input.minimum() == 0  # 0 switches protocol pings off


def test_rokid_version_help_says_public_clients_send_1(qtbot: Any) -> None:
    texts = _help_texts(_form(qtbot, "rokid"))
    assert any("public working clients send 1" in t for t in texts)
