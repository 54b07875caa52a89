"""The decision banner: ACCEPTED / REJECTED / NOT CHECKED (or ENROLLED / NOT ENROLLED), and why.

The word carries the meaning; the colour (from the style sheet, by the ``decision`` property)
only repeats it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from desktop.ui import verdict as v


class DecisionBanner(QFrame):
    def __init__(self, parent: QWidget | None = None, *, enrolment: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("decision")
        # On the Enrol panel an attempt that never reached the service's decision is still a
        # person who is NOT ENROLLED; the reason line says why.
        self.enrolment = enrolment
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.word = QLabel(self)
        self.word.setObjectName("decisionWord")
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setObjectName("hint")
        for label in (self.word, self.reason, self.detail):
            layout.addWidget(label)
        self.verdict: v.Verdict | None = None
        self.clear()

    def _set_state(self, state: str) -> None:
        self.setProperty("decision", state)
        self.style().unpolish(self)
        self.style().polish(self)

    def clear(self) -> None:
        self.verdict = None
        self._set_state("")
        self.hide()

    def show_working(self, text: str) -> None:
        self.verdict = None
        self._set_state("working")
        self.word.setText(text)
        self.reason.setText("")
        self.detail.setText("")
        self.setAccessibleName(text)
        self.show()

    def words(self) -> dict[str, str]:
        return {
            v.ACCEPTED: self.tr("ACCEPTED"),
            v.REJECTED: self.tr("REJECTED"),
            v.NOT_CHECKED: self.tr("NOT ENROLLED") if self.enrolment else self.tr("NOT CHECKED"),
            v.NOT_ENROLLED: self.tr("NOT ENROLLED"),
            v.ENROLLED: self.tr("ENROLLED"),
            v.REFUSED: self.tr("NOT ENROLLED"),
        }

    def reasons(self) -> dict[str, str]:
        return {
            v.OFFLINE: self.tr("The voiceprint service could not be reached; nothing was compared."),
            v.AUTH: self.tr("The service refused this workstation's credentials; nothing was compared."),
            v.TIMEOUT: self.tr("The service did not answer in time; nothing was compared."),
            v.UNPARSEABLE: self.tr("The service's answer could not be understood; see the raw reply."),
            v.TOO_SHORT: self.tr("The recording was too short to compare: more speech is needed."),
            v.NO_SCORES: self.tr("The service did not compare the voice (its message is below)."),
            v.NO_AUDIO: self.tr("No audio was recorded or read."),
            v.DIGITS_DIFFER: self.tr("The voice matched, but the digits read differ from the prompt."),
            v.VOICE_DIFFERS: self.tr("The voice does not match the claimed user closely enough."),
            v.CLAIMED_ABSENT: self.tr("The claimed user is not among the closest enrolled voices."),
            v.CLAIMED_UNKNOWN: self.tr(
                "Nobody of this name is enrolled on this service, so no voice was"
                " compared: enrol them first (Enrol panel)."
            ),
            v.DIGITS_UNCHECKED: self.tr("The voice matched; the service reported no digits to compare."),
            v.OK: "",
        }

    def show_verdict(self, verdict: v.Verdict) -> None:
        self.verdict = verdict
        # An enrolment that went wrong for a reason other than the service's refusal is
        # NOT CHECKED as well: it never reached a decision.
        state = {v.ENROLLED: v.ACCEPTED, v.REFUSED: v.REJECTED}.get(verdict.decision, verdict.decision)
        self._set_state(state)
        word = self.words().get(verdict.decision, verdict.decision)
        reason = self.reasons().get(verdict.reason, "")
        self.word.setText(word)
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self.detail.setText(verdict.detail[:400])
        self.detail.setVisible(bool(verdict.detail))
        self.setAccessibleName(f"{word}. {reason} {verdict.detail[:200]}".strip())
        self.show()
