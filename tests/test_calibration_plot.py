"""The calibration picture (QPainter, no matplotlib): size, content where the layout says it is,
both languages, headless use from a bare process, and honest errors when it cannot be saved."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage

from desktop.calibrate import metrics, plot
from desktop.calibrate.plot_layout import layout, nice_ticks, probit
from desktop.calibrate.trials import CalibrationResult, Trial

ROOT = Path(__file__).resolve().parents[1]
WHITE = np.array([255, 255, 255])


def result_from(target: np.ndarray, impostor: np.ndarray, engine: str = "test") -> CalibrationResult:
    trials = [Trial(f"s/t{i}", "s", float(x), True) for i, x in enumerate(target)]
    trials += [Trial(f"o/t{i}", "s", float(x), False) for i, x in enumerate(impostor)]
    eer, at_eer = metrics.equal_error(target, impostor)
    return CalibrationResult(
        engine=engine, speakers=4, files=12, trials=trials, eer=eer, threshold_at_eer=at_eer,
        thresholds={k: metrics.threshold_for_far(target, impostor, r) for k, r in metrics.FAR_TARGETS.items()},
    )  # fmt: skip


@pytest.fixture(scope="module")
def overlapping() -> CalibrationResult:
    rng = np.random.default_rng(8)
    return result_from(rng.normal(0.85, 0.05, 60), rng.normal(0.6, 0.1, 400))


@pytest.fixture(scope="module")
def qt() -> None:
    plot.ensure_app()


def pixels(image: QImage) -> np.ndarray:
    return plot.as_array(image)[:, :, 2::-1].astype(int)  # BGRA -> RGB


def non_white(rgb: np.ndarray) -> np.ndarray:
    return np.abs(rgb - WHITE).sum(axis=-1) > 60


def test_png_has_the_size_and_holds_a_picture(qt: None, overlapping: CalibrationResult, tmp_path: Path) -> None:
    path = tmp_path / "cal.png"
    plot.save_png(overlapping, path, 900, 400)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(path))
    assert (image.width(), image.height()) == (900, 400)
    rgb = pixels(image)
    inked = non_white(rgb).mean()
    assert 0.03 < inked < 0.6, inked  # drawn on, but not a solid block
    assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 50  # bars, lines, text: many colours
    default = plot.render_plot(overlapping)
    assert (default.width(), default.height()) == plot.SIZE


def test_threshold_lines_are_where_the_layout_puts_them(qt: None, overlapping: CalibrationResult) -> None:
    w, h = 1100, 460
    rgb = pixels(plot.render_plot(overlapping, w, h, lang="en"))
    lay = plot.plot_layout(overlapping, QRectF(0, 0, w, h), "en")
    frame = lay.hist.frame
    # The top of the frame is above every bar (bars reach at most 1/1.1 of its height).
    band = slice(int(frame.top()) + 3, int(frame.top() + frame.height() * 0.08))
    inside = slice(int(frame.left()) + 3, int(frame.right()) - 3)
    line_columns = {round(lay.hist.x(line.value)) for line in lay.lines}
    assert len(lay.lines) == 3
    for line in lay.lines:
        x = round(lay.hist.x(line.value))
        column = non_white(rgb[band, x - 1 : x + 2]).any(axis=1)
        assert column.mean() > 0.4, (line, column.mean())  # dashed and dotted lines leave gaps
    eer_x = round(lay.hist.x(overlapping.threshold_at_eer))
    darkest = rgb[band, eer_x - 1 : eer_x + 2].sum(axis=-1).min(axis=1)
    assert np.median(darkest) < 200  # the EER line is near black
    # Elsewhere the band is background (grid lines are light): the lines are the lines.
    others = [x for x in range(inside.start, inside.stop) if all(abs(x - c) > 3 for c in line_columns)]
    assert non_white(rgb[band][:, others]).mean() < 0.05


def test_the_eer_point_is_marked_on_the_det_curve(qt: None, overlapping: CalibrationResult) -> None:
    w, h = 1100, 460
    rgb = pixels(plot.render_plot(overlapping, w, h))
    lay = plot.plot_layout(overlapping, QRectF(0, 0, w, h))
    x, y = round(lay.det.x(probit(overlapping.eer))), round(lay.det.y(probit(overlapping.eer)))
    assert rgb[y - 2 : y + 3, x - 2 : x + 3].sum(axis=-1).max() < 200  # a dark dot


def test_perfect_and_degenerate_scores_still_draw(qt: None) -> None:
    separated = result_from(np.array([0.9, 0.95, 0.97]), np.array([0.1, 0.2, 0.3]))
    assert separated.eer == 0.0 and probit(separated.eer) < layout(separated, QRectF(0, 0, 600, 300)).det.x0
    same = result_from(np.full(4, 0.5), np.full(4, 0.5))
    for result in (separated, same):
        image = plot.render_plot(result, 600, 300)
        assert non_white(pixels(image)).mean() > 0.02
    # An EER off the scale (0 %) is marked at the corner of the frame, not lost outside it.
    lay = plot.plot_layout(separated, QRectF(0, 0, 600, 300))
    rgb = pixels(plot.render_plot(separated, 600, 300))
    x, y = round(lay.det.frame.left()), round(lay.det.frame.bottom())
    assert rgb[y - 2 : y, x + 1 : x + 3].sum(axis=-1).max() < 200


def test_narrow_pictures_stack_the_panels() -> None:
    result = result_from(np.array([0.8, 0.9]), np.array([0.2, 0.5]))
    wide = layout(result, QRectF(0, 0, 1100, 460))
    tall = layout(result, QRectF(0, 0, 500, 800))
    assert wide.det.frame.left() > wide.hist.frame.right()
    assert tall.det.frame.top() > tall.hist.frame.bottom()
    assert abs(wide.det.frame.width() - wide.det.frame.height()) < 1  # probit axes at one scale


def test_the_legend_gets_the_rows_its_text_needs(qt: None, compiled: None, overlapping: CalibrationResult) -> None:
    wide, tall = QRectF(0, 0, 1100, 460), QRectF(0, 0, 1100, 800)  # tall: larger text, same width
    assert plot.plot_layout(overlapping, wide, "en").hist.frame == layout(overlapping, wide).hist.frame
    squeezed = plot.plot_layout(overlapping, tall, "zh")
    two_rows = layout(overlapping, tall)
    assert squeezed.hist.frame.top() == pytest.approx(two_rows.hist.frame.top() + 1.5 * two_rows.unit)  # a third


def test_nice_ticks() -> None:
    assert nice_ticks(0.0, 1.0, 5) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(0.53, 0.97, 6) == [0.6, 0.7, 0.8, 0.9]
    assert nice_ticks(0.5, 0.5) == [0.5]


@pytest.fixture
def compiled() -> None:
    ts = ROOT / "resources" / "translations" / "vpw_zh_CN.ts"
    qm = ts.with_suffix(".qm")
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        subprocess.run([str(ROOT / "scripts" / "build_translations")], check=True, capture_output=True)
        plot._translator.cache_clear()


def test_text_follows_the_language(qt: None, compiled: None, overlapping: CalibrationResult) -> None:
    assert plot._tr(plot._DET_TITLE, "zh") == "DET 曲线"
    assert plot._tr(plot._DET_TITLE, "en") == "DET curve"
    assert plot.line_label("far_1%", 0.8125, "zh") == "误接受率 1%：0.812"
    assert plot._tr(plot._HIST_TITLE, "zh", 4, 12) == "得分：4 位说话人，12 段录音"
    en = pixels(plot.render_plot(overlapping, lang="en"))
    zh = pixels(plot.render_plot(overlapping, lang="zh"))
    assert (en != zh).any(axis=-1).mean() > 0.005  # the text differs, the rest is the same picture
    assert (en != zh).any(axis=-1).mean() < 0.2


def test_an_unwritable_path_is_an_oserror_with_a_reason(
    qt: None, overlapping: CalibrationResult, tmp_path: Path
) -> None:
    with pytest.raises(OSError) as caught:
        plot.save_png(overlapping, tmp_path / "no-such-folder" / "cal.png")
    assert caught.value.strerror


def test_a_bare_process_draws_offscreen_without_matplotlib(tmp_path: Path) -> None:
    script = (
        "import os, sys, numpy as np\n"
        "from pathlib import Path\n"
        "from tests.test_calibration_plot import result_from\n"
        "from desktop.calibrate import plot\n"
        "r = result_from(np.array([0.8, 0.9, 0.85]), np.array([0.3, 0.6, 0.82, 0.4]))\n"
        f"plot.save_png(r, Path({str(tmp_path / 'bare.png')!r}), lang='zh')\n"
        "print(os.environ.get('QT_QPA_PLATFORM'), type(plot.ensure_app()).__name__, 'matplotlib' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["offscreen", "QApplication", "False"]
    assert QImage(str(tmp_path / "bare.png")).size().toTuple() == plot.SIZE
    env["QT_QPA_PLATFORM"] = "minimal"  # an operator's own choice is kept
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "minimal"
