"""A horizontal input-level meter in dBFS, with the range speech should sit in marked."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

FLOOR_DBFS = -60.0
# Speech sits well between these; under it is "too quiet", over it risks clipping (matches the
# quality thresholds' spirit without importing them: this only draws).
GOOD_LOW, GOOD_HIGH = -35.0, -9.0


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = FLOOR_DBFS
        self.peak = FLOOR_DBFS
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(18)

    def sizeHint(self) -> QSize:
        return QSize(240, 20)

    def set_level(self, rms_dbfs: float, peak_dbfs: float | None = None) -> None:
        self.level = max(FLOOR_DBFS, min(0.0, rms_dbfs))
        self.peak = max(FLOOR_DBFS, min(0.0, peak_dbfs if peak_dbfs is not None else rms_dbfs))
        self.setAccessibleDescription(f"{rms_dbfs:.0f} dBFS")
        self.update()

    def reset(self) -> None:
        self.set_level(FLOOR_DBFS)

    @staticmethod
    def _x(dbfs: float, width: float) -> float:
        return (dbfs - FLOOR_DBFS) / -FLOOR_DBFS * width

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        w, h = float(self.width()), float(self.height())
        p.fillRect(QRectF(0, 0, w, h), QColor("#e6e9ed"))
        # The band where speech belongs, faintly, so the operator sees where to aim.
        p.fillRect(QRectF(self._x(GOOD_LOW, w), 0, self._x(GOOD_HIGH, w) - self._x(GOOD_LOW, w), h), QColor("#d3ead8"))
        colour = (
            "#2e8b47" if GOOD_LOW <= self.level <= GOOD_HIGH else ("#c0392b" if self.level > GOOD_HIGH else "#7f8c8d")
        )
        p.fillRect(QRectF(0, h * 0.2, self._x(self.level, w), h * 0.6), QColor(colour))
        p.setPen(QColor("#333333"))
        px = self._x(self.peak, w)
        p.drawLine(int(px), 0, int(px), int(h))
        p.setPen(QColor("#9aa4ad"))
        p.drawRect(QRectF(0, 0, w - 1, h - 1))
        p.end()
