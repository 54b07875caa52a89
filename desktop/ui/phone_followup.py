"""After the call: what the person read back, stored with the call, and the verification the
call was placed for (an escalation from the Verify panel)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import QButtonGroup, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.ui.escalation import Escalation
from desktop.ui.qtext import arg

if TYPE_CHECKING:
    from desktop.ui.context import UiContext
    from desktop.ui.phone_line import PhoneLine

log = logging.getLogger(__name__)


def in_background(job: Callable[[], object], what: str) -> None:
    """A small store write off the GUI thread (the receiver may hold the database a moment)."""

    def run() -> None:
        try:
            job()
        except Exception:  # the record is a bonus to the call; say it in the log
            log.exception("%s failed", what)

    threading.Thread(target=run, name="vpw-phone-store", daemon=True).start()


class ReadBackBox(QGroupBox):
    """Correct / Wrong / No answer: one click records what the person read back for the call."""

    chosen = Signal(str)  # correct | wrong | no_answer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("What the person read back"))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        for value, text, name in (
            ("correct", self.tr("Correct"), self.tr("The person read back the right code")),
            ("wrong", self.tr("Wrong"), self.tr("The person read back a different code")),
            ("no_answer", self.tr("No answer"), self.tr("The person did not read back a code")),
        ):
            button = QPushButton(text, self)
            button.setCheckable(True)
            button.setAccessibleName(name)
            button.clicked.connect(lambda _=False, v=value: self._choose(v))
            self.group.addButton(button)
            self.buttons[value] = button
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.note = QLabel(self)
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.value = ""
        self.reset()

    def reset(self) -> None:
        self.value = ""
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)
        self.note.setText(self.tr("Available once the call is placed."))
        self.set_ready(False)

    def set_ready(self, ready: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(ready)
        if ready and not self.value:
            self.note.setText(self.tr("Compare what they say with the code shown, then click one."))

    @Slot(str)
    def _choose(self, value: str) -> None:
        self.value = value
        self.buttons[value].setChecked(True)
        self.note.setText(self.tr("Recorded with the call."))
        self.chosen.emit(value)


# Strings here are in the Phone panel's translation context: a mixin's own class name is not the
# context Qt looks them up in at run time (the object's class is PhonePanel).
class PhoneFollowUp:
    """The Phone panel's part after (and around) a call: an escalation from Verify, the number last
    called for a person, the link to the attempt, the read-back, a new caller. Mixed into
    ``PhonePanel``, whose widgets and state these methods use."""

    ui: UiContext
    line: PhoneLine
    calling: bool
    in_progress: bool
    session_id: str | None
    linked_attempt: int | None
    read_back: ReadBackBox
    callee: Any
    code: Any
    call_button: Any
    error: Any
    for_attempt: Any
    intro: Any
    view: Any

    if TYPE_CHECKING:  # PhonePanel's own; declared here for the type checker only

        def fresh_code(self) -> None: ...

        def _clear_notes(self) -> None: ...

    def escalate(self, escalation: Escalation) -> None:
        """From Verify: the number and a fresh code filled in; the call will be linked to the attempt."""
        if self.calling or self.in_progress:
            self.error.setText(
                QCoreApplication.translate("PhonePanel", "Wait for the current call to end before placing another.")
            )
            return
        self._clear_notes()
        number = escalation.number or self._number_for(escalation.user)
        self.callee.setText(number)
        self.fresh_code()
        self.linked_attempt = escalation.attempt_id
        text = arg(QCoreApplication.translate("PhonePanel", "For the verification of %1"), escalation.user)
        if escalation.reference:
            text += " " + arg(QCoreApplication.translate("PhonePanel", "(reference %1)"), escalation.reference)
        self.for_attempt.setText(text)
        self.for_attempt.show()
        self.intro.hide()  # the context replaces the general introduction (the panel must fit 720 px)
        self.read_back.reset()
        (self.call_button if number else self.callee).setFocus()

    def _number_for(self, user: str) -> str:
        """The number last called for this person's verifications ("" when none)."""
        try:
            ids = [int(r["id"]) for r in self.ui.history.rows(user=user, kind="verify", limit=200)]
            return self.line.store().last_callee(ids)
        except Exception:  # only a convenience: the operator can type the number
            log.exception("looking up the last number called failed")
            return ""

    def _link(self, session_id: str, attempt_id: int) -> None:
        line = self.line
        in_background(lambda: line.store().link_attempt(session_id, attempt_id), "linking the call")

    def _on_read_back(self, value: str) -> None:
        session_id = self.session_id
        if session_id is None:
            return
        line = self.line
        in_background(lambda: line.store().set_read_back(session_id, value), "recording the read-back")

    def new_caller(self) -> None:
        if self.calling:
            return
        self.callee.clear()
        self._clear_notes()
        self.fresh_code()
        self.linked_attempt = None
        self.for_attempt.hide()
        self.intro.show()
        if not self.in_progress:
            self.read_back.reset()
            self.view.clear()
