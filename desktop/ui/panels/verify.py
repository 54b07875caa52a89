"""The Verify panel: a claimed user reads fresh digits; the answer is a decision banner, the
closest voices with the claimed user's own score against the threshold, the digits heard against
the prompt, and the raw reply. A name that is not enrolled is flagged before anyone speaks; an
inconclusive or rejected attempt is one click away from a phone code."""

from __future__ import annotations

import itertools

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
from desktop.ui.enrolled import EnrolledProvider, default_provider
from desktop.ui.escalation import Escalation
from desktop.ui.panels.session import SessionPanel
from desktop.ui.qtext import arg
from desktop.ui.threshold import display_threshold
from desktop.ui.widgets.digits import DigitComparison
from desktop.ui.widgets.scores import ScoreBars
from desktop.ui.workers import Outcome

VERIFY_MIN_SPEECH_S = 1.0  # the sandbox's default minimum for a verification
KEY_CROSS_CHECK = "verify/asr_cross_check"
ESCALATE_ON = (v.REJECTED, v.NOT_CHECKED)  # a phone code settles what the voice could not


class VerifyPanel(SessionPanel):
    kind = "verify"
    icon_name = "verify"
    min_speech_s = VERIFY_MIN_SPEECH_S

    def title(self) -> str:
        return self.tr("Verify")

    def __init__(self, ui: UiContext, parent: QWidget | None = None, enrolled: EnrolledProvider | None = None) -> None:
        super().__init__(ui, parent)
        self.enrolled = enrolled or default_provider(ui)
        self.enrolled_names: list[str] = []
        self.not_enrolled = False  # the typed name is not among the enrolled ones
        columns = QHBoxLayout(self.body)
        columns.setContentsMargins(18, 14, 18, 14)
        columns.setSpacing(18)
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self._build_inputs(left)
        self._build_result(right)
        self._clear_result()

        order = [self.user, self.reference_edit, self.phone_edit, self.recorder.button, self.file_button,
                 self.cross_check_box, self.new_digits, self.read_button, self.escalate_button,
                 self.raw_button]  # fmt: skip
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)
        ui.bus.history_changed.connect(self.refresh_names)
        self.refresh_digits()
        self.refresh_names()

    def _build_inputs(self, left: QVBoxLayout) -> None:
        heading = QLabel(self.tr("Verify a speaker"), self.body)
        heading.setObjectName("panelTitle")
        left.addWidget(heading)
        form = QFormLayout()
        self.user = QLineEdit(self.body)
        self.user.setPlaceholderText(self.tr("Who the speaker says they are"))
        self.user.setAccessibleName(self.tr("Claimed user"))
        self.names = QStringListModel(self)
        completer = QCompleter(self.names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.user.setCompleter(completer)
        self.user.textChanged.connect(self.forget_previous_speaker)
        self.user.textChanged.connect(self._check_name)
        form.addRow(self.tr("Claimed user:"), self.user)
        self.reference_edit = QLineEdit(self.body)
        self.reference_edit.setPlaceholderText(self.tr("Case or customer no."))
        self.reference_edit.setAccessibleName(self.tr("Case or customer reference"))
        self.reference_edit.setToolTip(self.tr("Optional: stored with the attempt in the history"))
        self.reference_edit.setMaxLength(200)  # a reference, not a note; the field shows the limit
        self.phone_edit = QLineEdit(self.body)
        self.phone_edit.setPlaceholderText("+8613800000000")
        self.phone_edit.setToolTip(self.tr("The number to call with a code if the voice check is not enough"))
        self.phone_edit.setAccessibleName(self.tr("The speaker's phone number"))
        # One row for both optional fields: the column must fit a 720 px window.
        optional = QHBoxLayout()
        optional.addWidget(self.reference_edit, 1)
        optional.addWidget(QLabel(self.tr("Phone:"), self.body))
        optional.addWidget(self.phone_edit, 1)
        form.addRow(self.tr("Reference:"), optional)
        left.addLayout(form)
        self.user_error = self.make_status_line()
        left.addWidget(self.user_error)
        self.instructions = QLabel(self.body)
        self.instructions.setWordWrap(True)
        left.addWidget(self.instructions)
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
        self.cross_check_box.setChecked(str(self.ui.settings.value(KEY_CROSS_CHECK, "false")).lower() == "true")
        self.cross_check_box.toggled.connect(lambda on: self.ui.settings.setValue(KEY_CROSS_CHECK, on))
        left.addWidget(self.cross_check_box)
        left.addStretch(1)

    def _build_result(self, right: QVBoxLayout) -> None:
        right.addWidget(self.decision)
        self.escalate_button = QPushButton(self.tr("Phone a code to this person…"), self.body)
        self.escalate_button.setAccessibleName(self.tr("Escalate to a phone verification code"))
        self.escalate_button.setToolTip(self.tr("Opens the Phone panel with the number and a fresh code filled in;"
                                                " the call is linked to this attempt."))  # fmt: skip
        self.escalate_button.clicked.connect(self.escalate)
        self.scores_box = QGroupBox(self.tr("Closest enrolled voices"), self.body)
        self.scores = ScoreBars(self.scores_box)
        QVBoxLayout(self.scores_box).addWidget(self.scores)
        right.addWidget(self.scores_box)
        self.digits_box = QGroupBox(self.tr("Digits read"), self.body)
        self.comparison = DigitComparison(self.digits_box)
        self.cross_check = DigitCrossCheck(self.ui, self.digits_box)
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
        actions = QHBoxLayout()  # one row for both: the result column must fit 720 px of height
        actions.addWidget(self.escalate_button)
        actions.addWidget(self.raw_button)
        actions.addStretch(1)
        right.addLayout(actions)
        right.addWidget(self.raw)
        right.addStretch(1)

    # -- inputs ------------------------------------------------------------------------------

    @Slot()
    def refresh_names(self) -> None:
        self.enrolled_names = list(self.enrolled())
        self.names.setStringList(self.enrolled_names)
        self._check_name()

    @Slot()
    def _check_name(self) -> None:
        """Flag at once a claimed name nobody enrolled: before the take, not as a REJECTED after it."""
        name = self.user.text().strip()
        self.not_enrolled = bool(name) and name not in self.enrolled_names
        if not self.not_enrolled:
            self._say_user_error("")
            return
        near = next((n for n in self.enrolled_names if n.casefold() == name.casefold()), None)
        if near is not None:
            text = arg(self.tr("“%1” is not enrolled — did you mean “%2”? Names are matched exactly."), name, near)
        else:
            text = arg(self.tr("“%1” is not enrolled — enrol first (Enrol panel)."), name)
        self._say_user_error(text)

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
        self._check_name()  # the flag stays: the service may still know the name (another workstation)
        self._clear_result()
        return user

    def new_prompt(self) -> str | None:
        return self.prompt

    def reference(self) -> str | None:
        return self.reference_edit.text().strip() or None

    def set_inputs_enabled(self, enabled: bool) -> None:
        for w in (self.user, self.reference_edit, self.phone_edit, self.new_digits, self.cross_check_box):
            w.setEnabled(enabled)

    def on_prompt_changed(self) -> None:
        self.digits.setProperty("spent", self.prompt_spent)
        self.digits.style().unpolish(self.digits)
        self.digits.style().polish(self.digits)
        if self.prompt_spent:
            self.instructions.setText(
                self.tr("Digits read for the result shown (new ones come with the next attempt):")
            )
        else:
            self.instructions.setText(self.tr("Ask the speaker to read these digits aloud:"))
            # New digits (New digits, Read aloud, the next take): the old comparison must not stand
            # beside digits it was not made for.
            self.digits_box.hide()
            self.comparison.clear()
            self.cross_check.clear()

    def new_caller(self) -> None:
        if self.busy:
            super().new_caller()
            return
        self.reference_edit.clear()
        self.phone_edit.clear()
        self._clear_result()  # scores, digits, the cross-check's transcript, the raw reply
        super().new_caller()

    # -- the answer --------------------------------------------------------------------------

    def clear_result(self) -> None:
        self._clear_result()

    def _clear_result(self) -> None:
        self.scores_box.hide()
        self.digits_box.hide()
        self.comparison.clear()
        self.cross_check.clear()
        self.escalate_button.hide()
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
        escalate = verdict.decision in ESCALATE_ON
        result = outcome.result
        if verdict.decision == v.NOT_ENROLLED:
            self.not_enrolled = True
            self._say_user_error(arg(self.tr("“%1” is not enrolled — enrol first (Enrol panel)."), outcome.user))
        if result is not None:
            # Scores only for a voice that was compared: "did not compare" never shows a similarity.
            if verdict.decision in (v.ACCEPTED, v.REJECTED):
                self.scores.show_candidates(result.candidates, outcome.user, display_threshold(self.ui.profile))
                self.scores_box.show()
                # A borderline acceptance is inconclusive too: its sentence suggests a phone code.
                escalate = escalate or self.scores.borderline
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
        self.escalate_button.setVisible(escalate)
        # The digits stay on screen beside their comparison until the next attempt starts.
        self.prompt_spent = True
        self.on_prompt_changed()

    @Slot()
    def escalate(self) -> None:
        outcome = self.last_outcome
        if outcome is None:
            return
        escalation = Escalation(
            user=outcome.user,
            number=self.phone_edit.text().strip(),
            attempt_id=self.last_attempt_id,
            reference=self.reference_edit.text().strip(),
        )
        self.ui.bus.escalate.emit(escalation)
