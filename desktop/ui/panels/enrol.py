"""The Enrol panel: a consenting speaker reads fresh digits and keeps talking until there is
enough net speech; the take streams live as ``training`` frames (or comes from files)."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QCheckBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.ui import verdict as v
from desktop.ui.context import UiContext
from desktop.ui.panels.session import SessionPanel
from desktop.ui.workers import Outcome

ENROL_MIN_SPEECH_S = 3.0  # the sandbox's default minimum; a real service's own answer still decides


class EnrolPanel(SessionPanel):
    kind = "enrol"
    icon_name = "enrol"
    min_speech_s = ENROL_MIN_SPEECH_S

    def title(self) -> str:
        return self.tr("Enrol")

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ui, parent)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(18, 14, 18, 14)
        heading = QLabel(self.tr("Enrol a speaker"), self.body)
        heading.setObjectName("panelTitle")
        layout.addWidget(heading)

        form = QFormLayout()
        self.user = QLineEdit(self.body)
        self.user.setPlaceholderText(self.tr("The speaker's user name"))
        self.user.setAccessibleName(self.tr("User name"))
        self.user.textChanged.connect(self.forget_previous_speaker)
        self.user.textChanged.connect(self._clear_user_error)
        form.addRow(self.tr("User name:"), self.user)
        self.consent_box = QCheckBox(
            self.tr("The speaker agrees to have their voiceprint enrolled and stored"), self.body
        )
        self.consent_box.setAccessibleName(self.tr("Speaker's consent"))
        self._attempt_consent: bool | None = None  # what was ticked when the attempt started
        form.addRow("", self.consent_box)
        layout.addLayout(form)
        self.user_error = self.make_status_line()
        layout.addWidget(self.user_error)

        layout.addWidget(QLabel(self.tr("Ask the speaker to read these digits aloud, then keep talking naturally"
                                         " until the speech bar is full:"), self.body))  # fmt: skip
        layout.addLayout(self.prompt_row())
        layout.addWidget(self.read_status)

        layout.addWidget(self.recorder)
        buttons = QHBoxLayout()
        self.file_button.setText(self.tr("Enrol from files…"))
        self.file_button.setAccessibleName(self.tr("Enrol from audio files"))
        buttons.addWidget(self.file_button)
        buttons.addWidget(self.resend_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.decision)
        layout.addStretch(1)

        self.setTabOrder(self.user, self.consent_box)
        self.setTabOrder(self.consent_box, self.recorder.button)
        self.setTabOrder(self.recorder.button, self.file_button)
        self.setTabOrder(self.file_button, self.new_digits)
        self.setTabOrder(self.new_digits, self.read_button)
        self.refresh_digits()

    def attempt_user(self) -> str | None:
        user = self._validated_user()
        if user is None:
            return None
        if not self.consent_box.isChecked():
            self._say_user_error(self.tr("The speaker's consent is required: tick the box once they have agreed."))
            self.consent_box.setFocus()
            return None
        self._say_user_error("")
        return user

    def attempt_started(self, resend: bool) -> None:
        if not resend:  # a re-sent take is the same speaker's same session: its consent stands
            self._attempt_consent = self.consent_box.isChecked()

    def new_prompt(self) -> str | None:
        return self.prompt

    def consent(self) -> bool | None:
        # The consent given for the attempt being recorded, not the box now (cleared after each one).
        return self._attempt_consent

    @Slot()
    def forget_previous_speaker(self) -> None:
        """Consent is per speaker: a new name (typed, or cleared for a new caller) needs a new tick."""
        if self.busy:
            return
        self.consent_box.setChecked(False)
        super().forget_previous_speaker()

    def attempt_finished(self) -> None:
        # The next enrolment, even of the same name, is another session needing its own consent.
        self.consent_box.setChecked(False)

    def new_caller(self) -> None:
        if not self.busy:
            self.consent_box.setChecked(False)  # consent belongs to one speaker, never the next
        super().new_caller()

    def set_inputs_enabled(self, enabled: bool) -> None:
        for w in (self.user, self.consent_box, self.new_digits):
            w.setEnabled(enabled)

    def show_outcome(self, outcome: Outcome, verdict: v.Verdict) -> None:
        self.decision.show_verdict(verdict)
        # Fresh digits for the next attempt; a kept take is re-sent with the digits it was read for.
        self.refresh_digits()
