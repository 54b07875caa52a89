"""The calibration picture, drawn with QPainter: score distributions with the thresholds, and the
DET curve with the equal-error point.

``paint`` draws onto any paint device: a ``QImage`` for the CLI's PNG (``render_plot``,
``save_png``) and the Calibration panel's widget at its own size, so both show the same picture.
Qt rather than matplotlib: Qt is a core dependency already, matplotlib would add 25 MB to the
bundle. The CLI has no window, so ``ensure_app`` makes an offscreen application when the process
has none. Text is translated by Qt (context "CalibrationPlot"): ``lang=None`` uses the
translators the application installed (the GUI), "en"/"zh" loads the app's own file (the CLI).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QPointF, QRectF, Qt, QTranslator
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QImageWriter,
    QPainter,
    QPainterPath,
    QPen,
)

from desktop.calibrate import metrics
from desktop.calibrate.plot_layout import DET_TICKS, Axes, Layout, layout, nice_ticks, probit
from desktop.calibrate.trials import CalibrationResult

log = logging.getLogger(__name__)

CONTEXT = "CalibrationPlot"
SIZE = (1100, 460)  # the PNG's pixels


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for lupdate; translated when drawn (``_tr``). Typed, unlike PySide6's."""
    return text


# lupdate collects these; ``_tr`` translates them when drawing.
_HIST_TITLE = QT_TRANSLATE_NOOP("CalibrationPlot", "Scores: %1 speakers, %2 recordings")
_SCORE_AXIS = QT_TRANSLATE_NOOP("CalibrationPlot", "Score (%1 engine)")
_SHARE_AXIS = QT_TRANSLATE_NOOP("CalibrationPlot", "Share of trials")
_TARGET = QT_TRANSLATE_NOOP("CalibrationPlot", "Same speaker (%1)")
_IMPOSTOR = QT_TRANSLATE_NOOP("CalibrationPlot", "Other speakers (%1)")
_EER_LINE = QT_TRANSLATE_NOOP("CalibrationPlot", "EER: %1")
_FAR_LINE = QT_TRANSLATE_NOOP("CalibrationPlot", "FAR %1: %2")
_DET_TITLE = QT_TRANSLATE_NOOP("CalibrationPlot", "DET curve")
_FAR_AXIS = QT_TRANSLATE_NOOP("CalibrationPlot", "False accept rate")
_FRR_AXIS = QT_TRANSLATE_NOOP("CalibrationPlot", "False reject rate")
_EER_POINT = QT_TRANSLATE_NOOP("CalibrationPlot", "EER %1")

BACKGROUND = QColor("#ffffff")
_INK = QColor("#222222")
_GRID = QColor("#e6e6e6")
_FRAME = QColor("#9a9a9a")
_TARGET_COLOUR = QColor(46, 139, 71, 150)
_IMPOSTOR_COLOUR = QColor(192, 57, 43, 150)
_CURVE = QColor("#1f5f8b")
# Threshold lines: colour and dash, told apart in print and by colour-blind readers alike.
_LINE_STYLE = {
    "eer": (QColor("#111111"), Qt.PenStyle.SolidLine),
    "far_1%": (QColor("#1f77b4"), Qt.PenStyle.DashLine),
    "far_0.1%": (QColor("#8e44ad"), Qt.PenStyle.DotLine),
}

_app: QCoreApplication | None = None


def ensure_app() -> QGuiApplication:
    """The process's Qt application; an offscreen one is made when there is none (the CLI).

    A ``QApplication`` rather than a bare ``QGuiApplication``: Qt allows one application per
    process, and a process that later shows widgets (the GUI, pytest-qt) needs it to be that.
    """
    global _app
    app = QCoreApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed to draw a PNG
        from PySide6.QtWidgets import QApplication

        _app = app = QApplication([sys.argv[0] if sys.argv else "vpw"])
    if not isinstance(app, QGuiApplication):
        raise RuntimeError("drawing the calibration plot needs a QGuiApplication, not a QCoreApplication")
    return app


@functools.cache
def _translator(lang: str) -> QTranslator | None:
    if not lang.lower().startswith("zh"):
        return None  # English is the source text
    from desktop.resources import resource_path

    translator = QTranslator()
    if translator.load("vpw_zh_CN", str(resource_path("translations"))):
        return translator
    log.warning("vpw_zh_CN.qm not found: the plot's text stays English (run scripts/build_translations)")
    return None


def _tr(source: str, lang: str | None, *values: object) -> str:
    if lang is None:
        text = QCoreApplication.translate(CONTEXT, source)
    else:
        translator = _translator(lang)
        text = (translator.translate(CONTEXT, source) if translator is not None else "") or source
    # %1..%9 in one pass (a value holding "%2" stays as it is); as desktop.ui.qtext.arg does.
    return re.sub(r"%(\d)", lambda m: str(values[int(m.group(1)) - 1]) if int(m.group(1)) <= len(values)
                  else m.group(0), text)  # fmt: skip


def _percent(rate: float) -> str:
    return f"{rate:.2%}" if rate < 0.1 else f"{rate:.1%}"


def _tick_percent(rate: float) -> str:
    return f"{rate:.1%}" if rate < 0.01 else f"{rate:.0%}"


def line_label(key: str, value: float, lang: str | None = None) -> str:
    if key == "eer":
        return _tr(_EER_LINE, lang, f"{value:.3f}")
    return _tr(_FAR_LINE, lang, key.removeprefix("far_"), f"{value:.3f}")


# -- drawing ---------------------------------------------------------------------------------------


def _font(unit: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, round(unit)))
    font.setBold(bold)
    return font


def _text(p: QPainter, rect: QRectF, flags: Qt.AlignmentFlag, text: str) -> None:
    p.drawText(rect, int(flags), text)


def _axes_frame(p: QPainter, ax: Axes, unit: float, xticks: list[tuple[float, str]],
                yticks: list[tuple[float, str]]) -> None:  # fmt: skip
    f = ax.frame
    p.setFont(_font(unit * 0.85))
    for value, label in xticks:
        x = ax.x(value)
        p.setPen(QPen(_GRID, 1))
        p.drawLine(QPointF(x, f.top()), QPointF(x, f.bottom()))
        p.setPen(_INK)
        below = QRectF(x - unit * 3, f.bottom() + unit * 0.3, unit * 6, unit * 1.2)
        _text(p, below, Qt.AlignmentFlag.AlignHCenter, label)
    for value, label in yticks:
        y = ax.y(value)
        p.setPen(QPen(_GRID, 1))
        p.drawLine(QPointF(f.left(), y), QPointF(f.right(), y))
        p.setPen(_INK)
        box = QRectF(f.left() - unit * 4.8, y - unit * 0.6, unit * 4.4, unit * 1.2)
        _text(p, box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
    p.setPen(QPen(_FRAME, 1))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(f)


def _titles(p: QPainter, box: QRectF, ax: Axes, unit: float, title: str, xlabel: str, ylabel: str) -> None:
    p.setPen(_INK)
    p.setFont(_font(unit, bold=True))
    _text(p, QRectF(box.left(), box.top() + unit * 0.2, box.width(), unit * 1.4), Qt.AlignmentFlag.AlignHCenter, title)
    p.setFont(_font(unit * 0.9))
    f = ax.frame
    _text(p, QRectF(f.left(), f.bottom() + unit * 1.7, f.width(), unit * 1.4), Qt.AlignmentFlag.AlignHCenter, xlabel)
    p.save()
    p.translate(box.left() + unit * 0.2, f.center().y())
    p.rotate(-90)
    _text(p, QRectF(-f.height() / 2, 0, f.height(), unit * 1.3), Qt.AlignmentFlag.AlignHCenter, ylabel)
    p.restore()


_Swatch = QPen | QBrush


def _legend_items(result: CalibrationResult, lay: Layout, lang: str | None) -> list[tuple[_Swatch, str]]:
    n_target, n_impostor = result.scores(True).size, result.scores(False).size
    return [
        (QBrush(_IMPOSTOR_COLOUR), _tr(_IMPOSTOR, lang, n_impostor)),
        (QBrush(_TARGET_COLOUR), _tr(_TARGET, lang, n_target)),
        *[(_line_pen(line.key, lay.unit), line_label(line.key, line.value, lang)) for line in lay.lines],
    ]


def _flow(labels: list[str], box: QRectF, unit: float) -> list[tuple[float, int, float]]:
    """(x, row, width) of each legend entry, flowing left to right and wrapping inside ``box``."""
    # Pixel-sized fonts measure the same on every device: the layout and the drawing agree.
    measure = QFontMetricsF(_font(unit * 0.85))
    left = box.left() + unit * 5.0
    x, row, out = left, 0, []
    for label in labels:
        width = unit * 3.2 + measure.horizontalAdvance(label)
        if x > left and x + width > box.right():
            x, row = left, row + 1
        out.append((x, row, width))
        x += width
    return out


def _legend(p: QPainter, lay: Layout, items: list[tuple[_Swatch, str]]) -> None:
    unit = lay.unit
    p.save()
    p.setClipRect(lay.hist_box)
    p.setFont(_font(unit * 0.85))
    for (swatch, label), (x, row, width) in zip(items, _flow([t for _, t in items], lay.hist_box, unit), strict=True):
        y = lay.hist_box.top() + unit * (1.9 + 1.5 * row)
        if isinstance(swatch, QBrush):
            p.fillRect(QRectF(x, y + unit * 0.2, unit * 1.4, unit * 0.8), swatch)
        else:
            p.setPen(swatch)
            p.drawLine(QPointF(x, y + unit * 0.6), QPointF(x + unit * 1.6, y + unit * 0.6))
        p.setPen(_INK)
        _text(p, QRectF(x + unit * 2.0, y, width, unit * 1.2), Qt.AlignmentFlag.AlignLeft, label)
    p.restore()


def plot_layout(result: CalibrationResult, rect: QRectF, lang: str | None = None) -> Layout:
    """Where ``paint`` puts everything: ``plot_layout.layout`` with as many legend rows as the
    legend's text (in ``lang``) needs at this size."""
    lay = layout(result, rect)
    items = _legend_items(result, lay, lang)
    rows = 1 + max(row for _, row, _ in _flow([t for _, t in items], lay.hist_box, lay.unit))
    return lay if rows == 2 else layout(result, rect, min(rows, 4))


def _line_pen(key: str, unit: float) -> QPen:
    colour, style = _LINE_STYLE.get(key, (QColor("#777777"), Qt.PenStyle.DashDotLine))
    pen = QPen(colour, max(1.5, unit / 7))
    pen.setStyle(style)
    return pen


def _histogram(p: QPainter, lay: Layout, result: CalibrationResult, lang: str | None) -> None:
    ax, unit = lay.hist, lay.unit
    xticks = [(v, f"{v:.2f}") for v in nice_ticks(ax.x0, ax.x1) if ax.x0 <= v <= ax.x1]
    yticks = [(v, f"{v:.0%}") for v in nice_ticks(0.0, ax.y1, 4) if v <= ax.y1]
    _axes_frame(p, ax, unit, xticks, yticks)
    for shares, colour in ((lay.impostor_share, _IMPOSTOR_COLOUR), (lay.target_share, _TARGET_COLOUR)):
        for left, right, share in zip(lay.edges[:-1], lay.edges[1:], shares, strict=True):
            if share > 0:
                x0, x1 = ax.x(float(left)), ax.x(float(right))
                p.fillRect(QRectF(x0, ax.y(float(share)), x1 - x0, ax.y(0.0) - ax.y(float(share))), colour)
    for line in lay.lines:
        x = ax.x(line.value)
        p.setPen(_line_pen(line.key, unit))
        p.drawLine(QPointF(x, ax.frame.top()), QPointF(x, ax.frame.bottom()))
    _legend(p, lay, _legend_items(result, lay, lang))
    _titles(p, lay.hist_box, ax, unit, _tr(_HIST_TITLE, lang, result.speakers, result.files),
            _tr(_SCORE_AXIS, lang, result.engine), _tr(_SHARE_AXIS, lang))  # fmt: skip


def _det(p: QPainter, lay: Layout, result: CalibrationResult, lang: str | None) -> None:
    ax, unit = lay.det, lay.unit
    ticks = [(probit(t), _tick_percent(t)) for t in DET_TICKS]
    _axes_frame(p, ax, unit, ticks, ticks)
    p.save()
    p.setClipRect(ax.frame)
    p.setPen(QPen(QColor("#c8c8c8"), 1))
    p.drawLine(QPointF(ax.x(ax.x0), ax.y(ax.y0)), QPointF(ax.x(ax.x1), ax.y(ax.y1)))
    fars, frrs = metrics.det_curve(result.scores(True), result.scores(False))
    path = QPainterPath()
    for i, (fa, fr) in enumerate(zip(fars, frrs, strict=True)):
        point = QPointF(ax.x(probit(fa)), ax.y(probit(fr)))
        path.moveTo(point) if i == 0 else path.lineTo(point)
    p.setPen(QPen(_CURVE, max(2.0, unit / 6)))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.restore()
    # The EER point: kept inside the frame when the rate is off the scale (0 on a small set).
    e = min(max(probit(result.eer), ax.x0), ax.x1)
    centre = QPointF(ax.x(e), ax.y(e))
    p.setPen(QPen(_INK, 1.5))
    p.setBrush(_INK)
    p.drawEllipse(centre, unit * 0.35, unit * 0.35)
    p.setFont(_font(unit * 0.9, bold=True))
    label = _tr(_EER_POINT, lang, _percent(result.eer))
    _text(p, QRectF(centre.x() + unit * 0.6, centre.y() - unit * 1.5, unit * 12, unit * 1.3),
          Qt.AlignmentFlag.AlignLeft, label)  # fmt: skip
    _titles(p, lay.det_box, ax, unit, _tr(_DET_TITLE, lang), _tr(_FAR_AXIS, lang), _tr(_FRR_AXIS, lang))


def paint(painter: QPainter, rect: QRectF, result: CalibrationResult, lang: str | None = None) -> Layout:
    """Draw the whole picture into ``rect``; returns where things went."""
    lay = plot_layout(result, rect, lang)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.fillRect(rect, BACKGROUND)
    _histogram(painter, lay, result, lang)
    _det(painter, lay, result, lang)
    painter.restore()
    return lay


def render_plot(result: CalibrationResult, width: int = SIZE[0], height: int = SIZE[1],
                lang: str | None = None) -> QImage:  # fmt: skip
    ensure_app()
    image = QImage(max(1, width), max(1, height), QImage.Format.Format_RGB32)
    image.fill(BACKGROUND)
    painter = QPainter(image)
    try:
        paint(painter, QRectF(0, 0, image.width(), image.height()), result, lang)
    finally:
        painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise OSError(f"Qt could not encode the picture as PNG: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def save_png(result: CalibrationResult, path: Path, width: int = SIZE[0], height: int = SIZE[1],
             lang: str | None = None) -> None:  # fmt: skip
    """Write the picture as a PNG. Raises OSError (with the system's reason) when it cannot."""
    # Encoded in memory and written by Python: QImage.save only says "false", never why.
    data = png_bytes(render_plot(result, width, height, lang))
    Path(path).write_bytes(data)


def as_array(image: QImage) -> np.ndarray:
    """The picture's pixels as (height, width, 4) uint8 BGRA, for tests and benchmarks."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    buffer = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return (
        buffer.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4]
        .reshape(image.height(), image.width(), 4)
        .copy()
    )
