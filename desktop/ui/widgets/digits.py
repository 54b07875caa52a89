"""The digits to read, in large type, and the digits heard compared with them one by one."""

from __future__ import annotations

import secrets

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.services.voiceprint_result import digit_diff
from desktop.ui.qtext import arg

PROMPT_DIGITS = 8  # the seed's example number has eight digits
# A recogniser may hear many more digits than were asked for; beyond this many columns the rest
# is summed up in one "…" column, so that the comparison never widens the result column.
MAX_COLUMNS = 13


def fresh_digits(n: int = PROMPT_DIGITS) -> str:
    """Unpredictable digits (``secrets``): a recording made earlier cannot contain them."""
    return "".join(secrets.choice("0123456789") for _ in range(n))


class DigitPrompt(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("digitPrompt")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.digits = ""

    def set_digits(self, digits: str) -> None:
        self.digits = digits
        # Spaced so that a speaker reads digit by digit, not "seventy-five million…".
        self.setText(" ".join(digits))
        self.setAccessibleName(arg(self.tr("Digits to read: %1"), " ".join(digits)))


class DigitComparison(QWidget):
    """Prompt above, heard below, one column per digit; a differing column is marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.grid_host = QWidget(self)
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(3)
        self.summary = QLabel(self)
        self.summary.setObjectName("digitSummary")
        self.summary.setWordWrap(True)  # a long sentence must not widen the result column
        outer.addWidget(self.grid_host)
        outer.addWidget(self.summary)
        self.cells: list[tuple[QLabel, QLabel]] = []
        self.same: list[bool] = []
        self.clear()

    def clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Hidden now: deleteLater waits for the event loop, and until then the old cell
                # would still paint under the new one.
                widget.hide()
                widget.deleteLater()
        self.cells = []
        self.same = []
        self.summary.setText("")
        self.grid_host.hide()

    def show_comparison(self, prompt: str, heard: str | None) -> None:
        self.clear()
        if not prompt:
            return
        if not heard:
            self.summary.setText(self.tr("The service reported no digits, so they were not compared."))
            return
        self.grid.addWidget(QLabel(self.tr("Prompt"), self.grid_host), 0, 0)
        self.grid.addWidget(QLabel(self.tr("Heard"), self.grid_host), 1, 0)
        diff = digit_diff(prompt, heard)
        shown = diff if len(diff) <= MAX_COLUMNS else [*diff[: MAX_COLUMNS - 1], ("…", "…", False)]
        for col, (want, got, same) in enumerate(shown, start=1):
            top = QLabel(want or "·", self.grid_host)
            bottom = QLabel(got or "·", self.grid_host)
            for cell in (top, bottom):
                cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
                cell.setMinimumWidth(18)
                cell.setObjectName("digitCell")
                cell.setProperty("same", same)
            bottom.setStyleSheet("" if same else "background:#fadbd8; color:#a12b20; font-weight:bold;")
            self.grid.addWidget(top, 0, col)
            self.grid.addWidget(bottom, 1, col)
            self.cells.append((top, bottom))
        self.same = [same for _want, _got, same in diff]
        self.grid.setColumnStretch(len(self.cells) + 1, 1)
        self.grid_host.show()
        wrong = self.same.count(False)
        if wrong == 0:
            self.summary.setText(self.tr("The digits read match the prompt."))
        else:
            self.summary.setText(
                arg(self.tr("The digits read differ from the prompt at %1 of %2 places."), wrong, len(self.same))
            )
        self.summary.setAccessibleName(self.summary.text())
