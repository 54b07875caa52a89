"""A scrolling waveform: the last few seconds as a min/max envelope, newest at the right.

The recording worker sends one (min, max) pair per 10 ms, so drawing costs a few hundred lines
however long the take, and nothing heavier than a list append happens per frame.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

COLUMNS_PER_S = 100  # one envelope column per 10 ms
SECONDS = 6


class Waveform(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns: deque[tuple[float, float]] = deque(maxlen=COLUMNS_PER_S * SECONDS)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(70)

    def sizeHint(self) -> QSize:
        return QSize(400, 80)

    def push(self, envelope: Sequence[float]) -> None:
        """``envelope`` is flat: min0, max0, min1, max1, … in -1..1."""
        for i in range(0, len(envelope) - 1, 2):
            self.columns.append((envelope[i], envelope[i + 1]))
        self.update()

    def clear(self) -> None:
        self.columns.clear()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        w, h = self.width(), self.height()
        mid = h / 2
        p.fillRect(0, 0, w, h, QColor("#f6f8fa"))
        p.setPen(QColor("#cdd6df"))
        p.drawLine(0, int(mid), w, int(mid))
        p.setPen(QColor("#1f5f8b"))
        n = self.columns.maxlen or 1
        step = w / n
        offset = n - len(self.columns)  # newest at the right edge
        for i, (lo, hi) in enumerate(self.columns):
            x = int((offset + i) * step)
            p.drawLine(x, int(mid - hi * mid), x, int(mid - lo * mid))
        p.end()
