"""The Verify panel: a claimed user reads fresh digits; the answer is a decision banner, the
three closest voices with their scores, the digits heard against the prompt, and the raw reply."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import verdict as v
from desktop.ui.context import UiContext
from desktop.ui.cross_check import DigitCrossCheck
from desktop.ui.panels.session import SessionPanel
from desktop.ui.qtext import arg
from desktop.ui.widgets.digits import DigitComparison
from desktop.ui.widgets.scores import ScoreBars
from desktop.ui.workers import Outcome

VERIFY_MIN_SPEECH_S = 1.0  # the sandbox's default minimum for a verification
KEY_CROSS_CHECK = "verify/asr_cross_check"


class VerifyPanel(SessionPanel):
    kind = "verify"
    icon_name = "verify"
    min_speech_s = VERIFY_MIN_SPEECH_S

    def title(self) -> str:
        return self.tr("Verify")

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ui, parent)
        columns = QHBoxLayout(self.body)
        columns.setContentsMargins(18, 14, 18, 14)
        columns.setSpacing(18)
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        heading = QLabel(self.tr("Verify a speaker"), self.body)
        heading.setObjectName("panelTitle")
        left.addWidget(heading)
        form = QFormLayout()
        self.user = QLineEdit(self.body)
        self.user.setPlaceholderText(self.tr("Who the speaker says they are"))
        self.user.setAccessibleName(self.tr("Claimed user"))
        self.user.setMaxLength(64)
        self.names = QStringListModel(self)
        completer = QCompleter(self.names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.user.setCompleter(completer)
        self.user.textChanged.connect(self.forget_previous_speaker)
        form.addRow(self.tr("Claimed user:"), self.user)
        left.addLayout(form)
        self.user_error = QLabel(self.body)
        self.user_error.setObjectName("answer")
        self.user_error.setProperty("ok", False)
        self.user_error.setWordWrap(True)
        self.user_error.hide()
        left.addWidget(self.user_error)
        instructions = QLabel(self.tr("Ask the speaker to read these digits aloud:"), self.body)
        instructions.setWordWrap(True)
        left.addWidget(instructions)
        left.addLayout(self.prompt_row())
        left.addWidget(self.read_status)
        left.addWidget(self.recorder)
        buttons = QHBoxLayout()
        self.file_button.setText(self.tr("Verify a file…"))
        self.file_button.setAccessibleName(self.tr("Verify an audio file"))
        buttons.addWidget(self.file_button)
        buttons.addWidget(self.resend_button)
        buttons.addStretch(1)
        left.addLayout(buttons)
        self.cross_check_box = QCheckBox(self.tr("Also check the digits with speech recognition (Rokid)"), self.body)
        self.cross_check_box.setAccessibleName(self.tr("Cross-check the digits with speech recognition"))
        self.cross_check_box.setToolTip(
            self.tr("Transcribes the same take and compares the digits heard with the prompt."
                    " The sandbox's recogniser understands English digits only.")
        )  # fmt: skip
        self.cross_check_box.setChecked(str(ui.settings.value(KEY_CROSS_CHECK, "false")).lower() == "true")
        self.cross_check_box.toggled.connect(lambda on: ui.settings.setValue(KEY_CROSS_CHECK, on))
        left.addWidget(self.cross_check_box)
        left.addStretch(1)

        right.addWidget(self.decision)
        self.scores_box = QGroupBox(self.tr("Closest enrolled voices"), self.body)
        self.scores = ScoreBars(self.scores_box)
        QVBoxLayout(self.scores_box).addWidget(self.scores)
        right.addWidget(self.scores_box)
        self.digits_box = QGroupBox(self.tr("Digits read"), self.body)
        self.comparison = DigitComparison(self.digits_box)
        self.cross_check = DigitCrossCheck(ui, self.digits_box)
        digits_layout = QVBoxLayout(self.digits_box)
        digits_layout.addWidget(self.comparison)
        digits_layout.addWidget(self.cross_check)
        right.addWidget(self.digits_box)
        self.timing = QLabel(self.body)
        self.timing.setWordWrap(True)
        right.addWidget(self.timing)
        self.raw_button = QPushButton(self.tr("Show the raw reply"), self.body)
        self.raw_button.setCheckable(True)
        self.raw_button.setAccessibleName(self.tr("Show the service's raw reply"))
        self.raw_button.toggled.connect(self._toggle_raw)
        self.raw = QPlainTextEdit(self.body)
        self.raw.setReadOnly(True)
        self.raw.setAccessibleName(self.tr("The service's raw reply"))
        self.raw.setMaximumHeight(110)
        right.addWidget(self.raw_button, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(self.raw)
        right.addStretch(1)
        self._clear_result()

        self.setTabOrder(self.user, self.recorder.button)
        self.setTabOrder(self.recorder.button, self.file_button)
        self.setTabOrder(self.file_button, self.cross_check_box)
        self.setTabOrder(self.cross_check_box, self.new_digits)
        self.setTabOrder(self.new_digits, self.read_button)
        self.setTabOrder(self.read_button, self.raw_button)
        ui.bus.history_changed.connect(self.refresh_names)
        self.refresh_digits()
        self.refresh_names()

    # -- inputs ------------------------------------------------------------------------------

    @Slot()
    def refresh_names(self) -> None:
        try:
            self.names.setStringList(self.ui.history.enrolled_users())
        except Exception:  # an unreadable history must not stop a verification
            self.names.setStringList([])

    def on_shown(self) -> None:
        self.refresh_names()

    def on_profile_changed(self) -> None:
        super().on_profile_changed()
        self.refresh_names()

    def shutdown(self) -> None:
        self.cross_check.shutdown()
        super().shutdown()

    def attempt_user(self) -> str | None:
        user = self._validated_user()
        if user is None:
            return None
        self._say_user_error("")
        self._clear_result()
        return user

    def new_prompt(self) -> str | None:
        return self.prompt

    def set_inputs_enabled(self, enabled: bool) -> None:
        for w in (self.user, self.new_digits, self.cross_check_box):
            w.setEnabled(enabled)

    # -- the answer --------------------------------------------------------------------------

    def clear_result(self) -> None:
        self._clear_result()

    def _clear_result(self) -> None:
        self.scores_box.hide()
        self.digits_box.hide()
        self.cross_check.clear()
        self.timing.setText("")
        self.raw.setPlainText("")
        self.raw_button.setChecked(False)
        self.raw_button.hide()
        self.raw.hide()

    @Slot(bool)
    def _toggle_raw(self, shown: bool) -> None:
        self.raw.setVisible(shown)
        self.raw_button.setText(self.tr("Hide the raw reply") if shown else self.tr("Show the raw reply"))

    def show_outcome(self, outcome: Outcome, verdict: v.Verdict) -> None:
        self._clear_result()
        self.decision.show_verdict(verdict)
        result = outcome.result
        if result is not None:
            if result.candidates or verdict.decision != v.NOT_CHECKED:
                self.scores.show_candidates(result.candidates, outcome.user)
                self.scores_box.show()
            if outcome.prompt:
                self.comparison.show_comparison(outcome.prompt, result.number)
                self.digits_box.show()
                if self.cross_check_box.isChecked() and outcome.frames:
                    self.cross_check.run(outcome.prompt, b"".join(outcome.frames))
            timing = arg(
                self.tr("Answer %1 ms after the recording stopped; %2 s of audio."),
                f"{result.stop_to_result_s * 1000:.0f}",
                f"{result.audio_s:.1f}",
            )
            if result.replayed:
                timing += " " + self.tr("The connection dropped during the attempt; it was re-sent from the start.")
            self.timing.setText(timing)
            self.raw.setPlainText(result.raw)
            self.raw_button.show()
        # Fresh digits for the next attempt; a kept take is re-sent with the digits it was read for.
        self.refresh_digits()
