"""The closest enrolled speakers as bars with their scores, the claimed user highlighted, the
accept threshold marked on every bar, and a sentence on the claimed user's own score."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QWidget

from desktop.services.voiceprint_result import Candidate
from desktop.ui.qtext import arg

ROWS = 3
NAME_WIDTH = 150
# Within this distance of the threshold the decision could go either way on another take.
BORDERLINE = 0.05


class MarkedBar(QProgressBar):
    """A score bar with the accept threshold drawn on it as a dark vertical line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.threshold: float | None = None

    def set_threshold(self, threshold: float | None) -> None:
        self.threshold = threshold
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.threshold is None:
            return
        x = round(max(0.0, min(1.0, self.threshold)) * (self.width() - 1))
        painter = QPainter(self)
        painter.setPen(QPen(QColor("#1b2631"), 2))
        painter.drawLine(x, 0, x, self.height())
        painter.end()


class ScoreBars(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        self.names: list[QLabel] = []
        self.bars: list[MarkedBar] = []
        self.values: list[QLabel] = []
        for row in range(ROWS):
            name = QLabel(self)
            # A long name is elided (whole in the tooltip): wrapped, it made the column too tall.
            name.setFixedWidth(NAME_WIDTH)
            bar = MarkedBar(self)
            bar.setRange(0, 1000)
            bar.setTextVisible(False)
            bar.setMinimumWidth(60)
            value = QLabel(self)
            value.setMinimumWidth(52)
            grid.addWidget(name, row, 0)
            grid.addWidget(bar, row, 1)
            grid.addWidget(value, row, 2)
            self.names.append(name)
            self.bars.append(bar)
            self.values.append(value)
        self.explanation = QLabel(self)
        self.explanation.setObjectName("scoreExplanation")
        self.explanation.setWordWrap(True)
        grid.addWidget(self.explanation, ROWS, 0, 1, 3)
        self.highlighted: int | None = None
        self.claimed_score: float | None = None
        self.margin: float | None = None  # claimed score minus threshold
        self.borderline = False
        self.show_candidates([], "")

    def show_candidates(self, candidates: list[Candidate], claimed: str, threshold: float | None = None) -> None:
        """Scores are drawn on 0..1 (clamped: a service may report other scales; the number shown
        is always the one it sent)."""
        self.highlighted = None
        for row in range(ROWS):
            name, bar, value = self.names[row], self.bars[row], self.values[row]
            bar.set_threshold(threshold)
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
            font = name.font()
            font.setBold(is_claimed)
            name.setFont(font)
            shown = _escape(QFontMetrics(font).elidedText(label, Qt.TextElideMode.ElideMiddle, NAME_WIDTH - 4))
            name.setTextFormat(Qt.TextFormat.RichText)  # escaped: a name is text, never markup
            name.setText(f"<b>{shown}</b>" if is_claimed else shown)
            name.setToolTip(label)
            bar.setValue(int(max(0.0, min(1.0, c.score)) * 1000))
            # The claimed user's bar is drawn in a different colour, and the word says it too.
            bar.setStyleSheet("QProgressBar::chunk { background: #1f5f8b; }" if is_claimed else "")
            value.setText(f"{c.score:.4f}")
            description = arg(self.tr("Candidate %1: %2, score %3"), row + 1, label, f"{c.score:.4f}")
            bar.setAccessibleName(description)
            for w in (name, bar, value):
                w.setVisible(True)
        self.explanation.setText(self.explain(candidates, claimed, threshold) if claimed else "")
        self.explanation.setVisible(bool(self.explanation.text()))

    def explain(self, candidates: list[Candidate], claimed: str, threshold: float | None) -> str:
        """The claimed user's own score against the threshold, in a sentence an operator can repeat."""
        own = next((c for c in candidates if c.name == claimed), None)
        self.claimed_score = own.score if own else None
        self.margin = None
        self.borderline = False
        if own is None:
            if not candidates:
                return ""
            lowest = f"{min(c.score for c in candidates):.4f}"
            if threshold is None:
                return arg(self.tr("The claimed user is not among the closest voices: their own score is below %1."),
                           lowest)  # fmt: skip
            return arg(self.tr("The claimed user is not among the closest voices: their own score is below %1,"
                               " under the threshold %2."), lowest, f"{threshold:.4f}")  # fmt: skip
        if threshold is None:
            return arg(self.tr("Claimed user's own score: %1. The service decides with its own threshold, which"
                               " this profile does not state."), f"{own.score:.4f}")  # fmt: skip
        self.margin = own.score - threshold
        self.borderline = abs(self.margin) < BORDERLINE
        if self.margin >= 0:
            text = arg(self.tr("Claimed user's own score %1: %2 above the threshold %3 (the line on the bars)."),
                       f"{own.score:.4f}", f"{self.margin:.4f}", f"{threshold:.4f}")  # fmt: skip
        else:
            text = arg(self.tr("Claimed user's own score %1: %2 below the threshold %3 (the line on the bars)."),
                       f"{own.score:.4f}", f"{-self.margin:.4f}", f"{threshold:.4f}")  # fmt: skip
        if self.borderline:
            text += " " + self.tr("Borderline: another take could go the other way; ask for a second attempt"
                                  " or phone a code.")  # fmt: skip
        return text


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
