"""The closest enrolled speakers as bars with their scores, the claimed user highlighted."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QWidget

from desktop.services.voiceprint_result import Candidate
from desktop.ui.qtext import arg

ROWS = 3


class ScoreBars(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        self.names: list[QLabel] = []
        self.bars: list[QProgressBar] = []
        self.values: list[QLabel] = []
        for row in range(ROWS):
            name = QLabel(self)
            name.setMinimumWidth(140)
            bar = QProgressBar(self)
            bar.setRange(0, 1000)
            bar.setTextVisible(False)
            value = QLabel(self)
            value.setMinimumWidth(64)
            grid.addWidget(name, row, 0)
            grid.addWidget(bar, row, 1)
            grid.addWidget(value, row, 2)
            self.names.append(name)
            self.bars.append(bar)
            self.values.append(value)
        self.highlighted: int | None = None
        self.show_candidates([], "")

    def show_candidates(self, candidates: list[Candidate], claimed: str) -> None:
        """Scores are drawn on 0..1 (clamped: a service may report other scales; the number shown
        is always the one it sent)."""
        self.highlighted = None
        for row in range(ROWS):
            name, bar, value = self.names[row], self.bars[row], self.values[row]
            if row >= len(candidates):
                bar.setValue(0)
                value.setText("")
                bar.hide()
                value.hide()
                name.setText(self.tr("No candidates") if row == 0 else "")
                name.setVisible(row == 0)
                continue
            c = candidates[row]
            is_claimed = c.name == claimed
            if is_claimed and self.highlighted is None:
                self.highlighted = row
            label = arg(self.tr("%1 (claimed)"), c.name) if is_claimed else c.name
            name.setText(f"<b>{_escape(label)}</b>" if is_claimed else _escape(label))
            bar.setValue(int(max(0.0, min(1.0, c.score)) * 1000))
            # The claimed user's bar is drawn in a different colour, and the word says it too.
            bar.setStyleSheet("QProgressBar::chunk { background: #1f5f8b; }" if is_claimed else "")
            value.setText(f"{c.score:.4f}")
            description = arg(self.tr("Candidate %1: %2, score %3"), row + 1, label, f"{c.score:.4f}")
            bar.setAccessibleName(description)
            for w in (name, bar, value):
                w.setVisible(True)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
