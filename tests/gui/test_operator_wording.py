"""Issue 14, words for operators: name messages that say what is allowed and never cut a name, a
failed enrolment is NOT ENROLLED with why, overflows only when there are some, the environment
paragraph in Settings → Help, Qt's own buttons in Chinese, a new file clears the old transcript,
and the case reference in the CSV export."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.errors import ConnectionFailure
from desktop.ui import translations
from desktop.ui.workers import Outcome
from tests.gui import test_speech_panels as speech_tests
from tests.gui.conftest import panel

pytestmark = pytest.mark.usefixtures("digits")
make_panel = speech_tests.make_panel


def test_name_messages_say_what_is_allowed_and_nothing_is_cut(qtbot: Any, window: Any) -> None:
    verify = panel(window, "VerifyPanel")
    verify.start_recording()  # no name yet
    assert "Type the speaker's name first" in verify.user_error.text() and not verify.busy
    long_name = "x" * 70
    QTest.keyClicks(verify.user, long_name)
    assert verify.user.text() == long_name  # nothing silently cut
    verify.start_recording()
    assert "70 characters; at most 64" in verify.user_error.text() and not verify.busy
    verify.user.setText("a;b")
    verify.start_recording()
    assert "cannot contain ';'" in verify.user_error.text() and not verify.busy


def test_a_failed_enrolment_says_not_enrolled_and_why(qtbot: Any, window: Any) -> None:
    enrol = panel(window, "EnrolPanel")
    enrol._on_done(Outcome("enrol", "alice", "1234", "mic", error=ConnectionFailure("connection refused")))
    assert enrol.decision.word.text() == "NOT ENROLLED"  # it said NOT CHECKED
    assert "could not be reached" in enrol.decision.reason.text()


def test_overflows_show_only_when_there_are_some(qtbot: Any, window: Any) -> None:
    window.ui.bus.overflows.emit(0)
    assert not window.status.overflow_label.isVisible()
    window.ui.bus.overflows.emit(2)
    assert window.status.overflow_label.isVisible() and window.status.overflow_label.text() == "Input overflows: 2"


def test_environment_variables_are_explained_in_settings_help(qtbot: Any, window: Any) -> None:
    settings = panel(window, "SettingsPanel")
    settings.ensure_built()
    qtbot.waitUntil(settings.help_button.isVisible, timeout=3000)
    assert "VPW_WARRANT_DEVICE_TOKENS" in settings.help_text() and "environment variable" in settings.help_text()
    assessment = panel(window, "AssessmentPanel")
    assert "VPW_" not in assessment.tokens_label.text()


def test_qt_own_buttons_are_translated_in_the_chinese_ui(qtbot: Any) -> None:
    app = QApplication.instance()
    translations.install(app, "zh_CN")  # type: ignore[arg-type]
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消"])
    finally:
        translations.install(app, "en")  # type: ignore[arg-type]


def test_a_new_file_clears_the_previous_transcript(qtbot: Any, make_panel: Any, tmp_path: Path) -> None:
    p = make_panel("transcribe")
    p.transcript.setPlainText("one two three")
    p.copy_button.setEnabled(True)
    p.use_file(tmp_path / "next.wav")
    assert p.transcript.toPlainText() == "" and not p.copy_button.isEnabled()


def test_the_case_reference_is_in_the_csv_export(qtbot: Any, window: Any, tmp_path: Path) -> None:
    h = window.ui.history
    h.record(profile="sandbox", kind="verify", user="alice", error="offline", reference="CASE-7")
    out = tmp_path / "h.csv"
    h.export_csv(out)
    (row,) = list(csv.DictReader(out.open(encoding="utf-8")))
    assert row["reference"] == "CASE-7"


@pytest.mark.parametrize("kind", ["speech", "transcribe"])
def test_an_error_line_does_not_move_the_buttons(qtbot: Any, make_panel: Any, kind: str) -> None:
    p = make_panel(kind)
    p.resize(920, 633)
    button = p.speak_button if kind == "speech" else p.copy_button
    QApplication.processEvents()
    y = button.mapTo(p, button.rect().topLeft()).y()
    p._show_error("The service could not be reached: connection refused. Check the profile in Settings.")
    QApplication.processEvents()
    assert p.error.isVisible()
    assert button.mapTo(p, button.rect().topLeft()).y() == y


@pytest.mark.parametrize(("lang", "voice"), [("zh_CN", "zh"), ("en", "zh")])
def test_the_default_voice_follows_the_window_language(qtbot: Any, lang: str, voice: str) -> None:
    # Rokid's voices are all Mandarin: a Chinese window gets the adult Chinese voice; an English
    # one has no English voice to get, and says so in the tooltip.
    from desktop.ui.panels.speech import default_declaimer

    app = QApplication.instance()
    translations.install(app, lang)  # type: ignore[arg-type]
    try:
        assert default_declaimer() == voice
    finally:
        translations.install(app, "en")  # type: ignore[arg-type]
