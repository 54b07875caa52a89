"""After the call: what the person read back, stored with the call, and the verification the
call was placed for (an escalation from the Verify panel)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QButtonGroup, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

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
