"""Notes under form fields: a line that explains a bad field, with its room kept so that an
error never pushes the buttons below it around."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


class Note(QLabel):
    """A line under a field that takes no room while it has nothing to say."""

    def __init__(self, parent: QWidget, error: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("answer" if error else "hint")
        if error:
            self.setProperty("ok", False)
        self.setWordWrap(True)
        self.visibility_changed: Callable[[], None] | None = None
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))
        if self.visibility_changed is not None:
            self.visibility_changed()


class NoteSlot(QWidget):
    """Room for a note under a field, kept while the note is empty so that an error never pushes
    the Call button around; an optional hint (an example) shows while there is no error."""

    def __init__(self, parent: QWidget, note: Note, hint: str = "", lines: int = 2, fixed: bool = True) -> None:
        """``fixed``: exactly ``lines`` high (under a field, above the buttons); else at least
        (below the buttons, where a longer sentence moves nothing that matters)."""
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel(hint, self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        note.setParent(self)
        layout.addWidget(self.hint)
        layout.addWidget(note)
        layout.addStretch(1)
        self.note = note
        note.visibility_changed = self._sync
        # Fixed, not a minimum: a form asks a wrapped label's height at widths of its own and
        # would grow the slot (and move what is below) as soon as a note appears.
        if fixed:
            self.setFixedHeight(reserved_height(self, lines))
        else:
            self.setMinimumHeight(reserved_height(self, lines))
        self._sync()

    def _sync(self) -> None:
        self.hint.setVisible(bool(self.hint.text()) and not self.note.text())


def stacked(field: QWidget | QHBoxLayout, note: QLabel | QWidget) -> QVBoxLayout:
    column = QVBoxLayout()
    column.setSpacing(2)
    if isinstance(field, QWidget):
        column.addWidget(field)
    else:
        column.addLayout(field)
    column.addWidget(note)
    return column


def reserved_height(widget: QWidget, lines: int) -> int:
    """Room for ``lines`` lines of an error in the style sheet's bold type, with the label's margins."""
    bold = QFont(widget.font())
    bold.setBold(True)
    return lines * QFontMetrics(bold).lineSpacing() + 8


def reserve_room(label: QLabel, lines: int = 2) -> QLabel:
    """Keep ``label``'s room while it is hidden or empty: an error appearing must not move the
    buttons around it (a stretching text box above would otherwise shrink and lift them)."""
    policy = label.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    label.setSizePolicy(policy)
    label.setMinimumHeight(reserved_height(label, lines))
    return label
