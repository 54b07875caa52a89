"""The calibration picture: score distributions with the thresholds, and the DET curve.

Built on a bare ``matplotlib.figure.Figure`` (no pyplot, no global state, no GUI backend), so
the CLI saves it with the Agg canvas and a Qt view can wrap the same figure in its own canvas.
"""

from __future__ import annotations

from pathlib import Path
from statistics import NormalDist

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from desktop.calibrate import metrics
from desktop.calibrate.trials import CalibrationResult

# DET axes are in probits (the normal quantile of the error rate); keep clear of 0 and 1.
_FLOOR = 1e-4
_TICKS = (0.001, 0.01, 0.05, 0.2, 0.5, 0.8)


def _probit(p: np.ndarray) -> np.ndarray:
    inv = NormalDist().inv_cdf
    return np.array([inv(float(x)) for x in np.clip(p, _FLOOR, 1 - _FLOOR)])


def make_figure(result: CalibrationResult) -> Figure:
    target, impostor = result.scores(True), result.scores(False)
    fig = Figure(figsize=(11, 4.6), layout="constrained")
    hist, det = fig.subplots(1, 2)

    bins = np.linspace(min(target.min(), impostor.min()), max(target.max(), impostor.max()), 40)
    hist.hist(impostor, bins=bins, density=True, alpha=0.55, color="tab:red", label=f"impostor ({impostor.size})")
    hist.hist(target, bins=bins, density=True, alpha=0.55, color="tab:green", label=f"target ({target.size})")
    lines = [("EER", result.threshold_at_eer, "black", "-")]
    styles = {"far_1%": ("tab:blue", "--"), "far_0.1%": ("tab:purple", ":")}
    for key, found in result.thresholds.items():
        color, style = styles.get(key, ("gray", "-."))
        lines.append((key.replace("far_", "FAR "), found.threshold, color, style))
    for label, value, color, style in lines:
        hist.axvline(value, color=color, linestyle=style, label=f"{label}: {value:.3f}")
    hist.set_xlabel(f"score ({result.engine} engine)")
    hist.set_ylabel("density")
    hist.set_title(f"{result.speakers} speakers, {result.files} recordings")
    hist.legend(fontsize=8)

    fars, frrs = metrics.det_curve(target, impostor)
    det.plot(_probit(fars), _probit(frrs), color="tab:blue")
    eer_point = _probit(np.array([result.eer]))[0]
    det.plot([eer_point], [eer_point], "o", color="black", label=f"EER {result.eer:.2%}")
    lo, hi = _probit(np.array([_FLOOR, 1 - _FLOOR]))
    det.plot([lo, hi], [lo, hi], color="lightgray", linewidth=0.8)
    ticks = _probit(np.array(_TICKS))
    labels = [f"{t:.1%}" if t < 0.01 else f"{t:.0%}" for t in _TICKS]
    for set_ticks, set_labels in ((det.set_xticks, det.set_xticklabels), (det.set_yticks, det.set_yticklabels)):
        set_ticks(ticks)
        set_labels(labels)
    det.set_xlim(_probit(np.array([0.0005]))[0], _probit(np.array([0.9]))[0])
    det.set_ylim(_probit(np.array([0.0005]))[0], _probit(np.array([0.9]))[0])
    det.set_xlabel("false accept rate")
    det.set_ylabel("false reject rate")
    det.set_title("DET curve")
    det.grid(True, color="whitesmoke")
    det.legend(fontsize=8)
    return fig


def save_plot(result: CalibrationResult, path: Path) -> None:
    fig = make_figure(result)
    FigureCanvasAgg(fig)  # attaches the Agg canvas: no display, no pyplot backend switch
    fig.savefig(path, dpi=100, format="png")
