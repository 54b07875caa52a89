"""The Calibration panel's read-outs: the picture (the CLI's renderer, drawn at the widget's size)
and the figures of one run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QSizePolicy, QWidget

from desktop.ui.qtext import arg

if TYPE_CHECKING:
    from desktop.calibrate.trials import CalibrationResult

MAX_SKIPPED_SHOWN = 8


class CalibrationPlotView(QWidget):
    """``desktop.calibrate.plot.paint`` into the widget: the PNG's picture, at this size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: CalibrationResult | None = None
        self.setMinimumSize(420, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Score distributions and DET curve"))

    def sizeHint(self) -> QSize:
        return QSize(1000, 280)  # taller only when the window is: 1100×720 must not scroll

    def set_result(self, result: CalibrationResult | None) -> None:
        self.result = result
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            if self.result is None:
                painter.setPen(self.palette().placeholderText().color())
                flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
                painter.drawText(self.rect(), flags, self.tr("Run a calibration to see the score distributions and "
                                                             "the DET curve."))  # fmt: skip
                return
            from desktop.calibrate.plot import paint

            paint(painter, QRectF(self.rect()), self.result)
        finally:
            painter.end()


def _percent(rate: float) -> str:
    return f"{rate:.2%}"


class CalibrationFigures(QGroupBox):
    """EER, the thresholds, the trials and the skipped files of one run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Results"), parent)
        form = QFormLayout(self)
        self.engine = self._value()
        self.eer = self._value()
        self.far1 = self._value()
        self.far01 = self._value()
        self.trials = self._value()
        self.skipped = self._value()
        form.addRow(self.tr("Engine:"), self.engine)
        form.addRow(self.tr("Equal error rate:"), self.eer)
        form.addRow(self.tr("Threshold for 1 % false accepts:"), self.far1)
        form.addRow(self.tr("Threshold for 0.1 % false accepts:"), self.far01)
        form.addRow(self.tr("Trials:"), self.trials)
        form.addRow(self.tr("Skipped files:"), self.skipped)
        self.show_result(None)

    def _value(self) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def show_result(self, result: CalibrationResult | None) -> None:
        if result is None:
            for label in (self.engine, self.eer, self.far1, self.far01, self.trials, self.skipped):
                label.setText("—")
            return
        self.engine.setText(result.engine)
        self.eer.setText(arg(self.tr("%1 at threshold %2"), _percent(result.eer), f"{result.threshold_at_eer:.4f}"))
        for label, key in ((self.far1, "far_1%"), (self.far01, "far_0.1%")):
            found = result.thresholds.get(key)
            if found is None:
                label.setText("—")
                continue
            text = arg(self.tr("%1 (measured: false accepts %2, false rejects %3)"), f"{found.threshold:.4f}",
                       _percent(found.far), _percent(found.frr))  # fmt: skip
            if not found.measurable:
                text += "\n" + self.tr("Too few impostor trials to measure this rate: this threshold only "
                                       "rejects every impostor seen.")  # fmt: skip
            label.setText(text)
        n_target = sum(t.target for t in result.trials)
        self.trials.setText(arg(self.tr("%1 same-speaker, %2 other-speaker (%3 speakers, %4 recordings)"),
                                n_target, len(result.trials) - n_target, result.speakers, result.files))  # fmt: skip
        self.skipped.setText(self._skipped_text(result.skipped))

    def _skipped_text(self, skipped: list[tuple[str, str]]) -> str:
        if not skipped:
            return self.tr("none")
        lines = [f"{name}: {reason}" for name, reason in skipped[:MAX_SKIPPED_SHOWN]]
        if len(skipped) > MAX_SKIPPED_SHOWN:
            lines.append(arg(self.tr("… and %1 more"), len(skipped) - MAX_SKIPPED_SHOWN))
        return "\n".join([str(len(skipped)), *lines])
