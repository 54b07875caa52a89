"""Where everything of the calibration picture goes: pure arithmetic on a rectangle, no drawing.

Kept apart from the painting so that a test can ask where a threshold line was drawn and look at
those pixels. Sizes follow the picture's height (one ``unit`` is the font's pixel size), never
the device's font metrics, so the same rectangle always gives the same layout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from PySide6.QtCore import QRectF

from desktop.calibrate.trials import CalibrationResult

# DET axes are in probits (the normal quantile of an error rate); rates of 0 or 1 have none.
FLOOR = 1e-4
DET_RANGE = (0.0005, 0.9)
DET_TICKS = (0.001, 0.01, 0.05, 0.2, 0.5, 0.8)
BINS = 30


def probit(p: float) -> float:
    return NormalDist().inv_cdf(min(max(float(p), FLOOR), 1.0 - FLOOR))


def nice_ticks(lo: float, hi: float, target: int = 6) -> list[float]:
    """Round tick values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten)."""
    span = hi - lo
    if not math.isfinite(span) or span <= 0:
        return [lo]
    raw = span / max(target, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    count = math.floor((hi - first) / step + 1e-9) + 1
    return [round(first + i * step, 10) for i in range(count)]


@dataclass(frozen=True)
class Axes:
    """A plotting frame (device coordinates) and the data range it shows."""

    frame: QRectF
    x0: float
    x1: float
    y0: float
    y1: float

    def x(self, value: float) -> float:
        return self.frame.left() + (value - self.x0) / (self.x1 - self.x0) * self.frame.width()

    def y(self, value: float) -> float:
        return self.frame.bottom() - (value - self.y0) / (self.y1 - self.y0) * self.frame.height()


@dataclass(frozen=True)
class Line:
    key: str  # "eer", "far_1%", "far_0.1%"
    value: float


@dataclass(frozen=True)
class Layout:
    unit: float  # font pixel size; margins are multiples of it
    hist_box: QRectF  # the whole left (or upper) panel: title, legend, axes, labels
    det_box: QRectF
    hist: Axes  # x: score, y: share of trials per bin
    det: Axes  # x: probit(FAR), y: probit(FRR)
    edges: np.ndarray  # histogram bin edges
    target_share: np.ndarray  # share of target trials in each bin
    impostor_share: np.ndarray
    lines: list[Line]


def thresholds(result: CalibrationResult) -> list[Line]:
    return [Line("eer", result.threshold_at_eer)] + [Line(k, v.threshold) for k, v in result.thresholds.items()]


def _shares(scores: np.ndarray, edges: np.ndarray) -> np.ndarray:
    counts, _ = np.histogram(scores, bins=edges)
    return counts / max(scores.size, 1)


def _frame(box: QRectF, unit: float, legend_rows: int) -> QRectF:
    """The axes inside a panel: room above for the title and legend, left for the y labels,
    below for the x labels and the axis title."""
    top = box.top() + unit * (1.8 + 1.5 * legend_rows)
    left = box.left() + unit * 5.0
    right = box.right() - unit * 1.2
    bottom = box.bottom() - unit * 3.4
    return QRectF(left, top, max(right - left, 1.0), max(bottom - top, 1.0))


def unit_for(rect: QRectF) -> float:
    """The font's pixel size for a picture of this size."""
    return float(min(16.0, max(9.0, min(rect.height() / 30.0, rect.width() / 60.0))))


def panel_boxes(rect: QRectF) -> tuple[QRectF, QRectF, bool]:
    """(histogram box, DET box, side by side?): side by side when wide, stacked when narrow."""
    side_by_side = rect.width() >= 1.3 * rect.height()
    if side_by_side:
        half = rect.width() * 0.55
        return (QRectF(rect.left(), rect.top(), half, rect.height()),
                QRectF(rect.left() + half, rect.top(), rect.width() - half, rect.height()), True)  # fmt: skip
    half = rect.height() * 0.55
    return (QRectF(rect.left(), rect.top(), rect.width(), half),
            QRectF(rect.left(), rect.top() + half, rect.width(), rect.height() - half), False)  # fmt: skip


def layout(result: CalibrationResult, rect: QRectF, legend_rows: int = 2) -> Layout:
    """``legend_rows``: rows above the histogram for its legend (the painter measures its text)."""
    unit = unit_for(rect)
    hist_box, det_box, side_by_side = panel_boxes(rect)

    target, impostor = result.scores(True), result.scores(False)
    lines = thresholds(result)
    values = np.concatenate([target, impostor, [line.value for line in lines]])
    lo, hi = float(values.min()), float(values.max())
    pad = max((hi - lo) * 0.05, 1e-3)
    edges = np.linspace(lo - pad, hi + pad, BINS + 1)
    target_share, impostor_share = _shares(target, edges), _shares(impostor, edges)
    top = float(max(target_share.max(initial=0.0), impostor_share.max(initial=0.0), 0.05)) * 1.1
    hist = Axes(_frame(hist_box, unit, legend_rows), float(edges[0]), float(edges[-1]), 0.0, top)

    lo_p, hi_p = probit(DET_RANGE[0]), probit(DET_RANGE[1])
    det = Axes(_frame(det_box, unit, 0), lo_p, hi_p, lo_p, hi_p)
    if side_by_side:  # square DET frame: equal probit scales on both axes
        size = min(det.frame.width(), det.frame.height())
        square = QRectF(det.frame.left(), det.frame.top(), size, size)
        square.moveCenter(det.frame.center())
        square.moveTop(det.frame.top())
        det = Axes(square, lo_p, hi_p, lo_p, hi_p)
    return Layout(unit, hist_box, det_box, hist, det, edges, target_share, impostor_share, lines)
