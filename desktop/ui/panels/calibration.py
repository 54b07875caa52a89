"""The Calibration panel: measure the sandbox speaker engine's error rates on the operator's own
recordings, see the score distributions and the DET curve, and store a threshold.

The same work as ``vpw calibrate DIR``: ``desktop.calibrate.trials`` runs the trials (on a
worker thread, ``calibration_run``), ``desktop.calibrate.plot`` draws the picture (the CLI's PNG
renderer, at the widget's size), ``desktop.calibrate.apply_threshold`` writes the chosen threshold
to the sandbox profile. Heavy modules (numpy, the engines) load when the panel is first shown.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import file_dialogs
from desktop.ui.calibration_run import CalibrationRun, RunOutcome
from desktop.ui.calibration_view import CalibrationFigures, CalibrationPlotView
from desktop.ui.context import UiContext
from desktop.ui.qtext import arg

if TYPE_CHECKING:
    from desktop.calibrate.trials import CalibrationResult

log = logging.getLogger(__name__)

KEY_FOLDER = "calibration/folder"
# Thresholds the operator may apply: result field -> how the CLI's --apply names it.
CHOICES = ("eer", "far_1%", "far_0.1%")


def _pct(rate: float) -> str:
    return f"{rate * 100:.1f} %"


def _label(widget: QWidget, text: str, name: str = "hint") -> QLabel:
    label = QLabel(text, widget)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class CalibrationPanel(QWidget):
    icon_name = "calibration"
    # A run ended (its outcome: result, error or cancelled); for tests and the status bar.
    run_finished = Signal(object)

    def title(self) -> str:
        return self.tr("Calibration")

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.result: CalibrationResult | None = None
        self.last_seconds = 0.0
        self._engines_listed = False
        self.run = CalibrationRun(self)
        self.run.progress.connect(self._on_progress)
        self.run.finished.connect(self._on_finished)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 14, 18, 14)
        self._build_inputs(body, layout)
        # Figures beside the plot, not above it: stacked, the panel needed ~770 px of height and
        # scrolled in the default 1100×720 window.
        results = QHBoxLayout()
        self.figures = CalibrationFigures(body)
        self.figures.setMaximumWidth(340)
        results.addWidget(self.figures, 0)
        self.plot = CalibrationPlotView(body)
        results.addWidget(self.plot, 1)
        layout.addLayout(results, 1)
        self._build_actions(body, layout)
        self._update_buttons()

    # -- building ----------------------------------------------------------------------------

    def _build_inputs(self, body: QWidget, layout: QVBoxLayout) -> None:
        heading = QLabel(self.tr("Calibrate the sandbox's accept threshold"), body)
        heading.setObjectName("panelTitle")
        layout.addWidget(heading)
        layout.addWidget(_label(body, self.tr(
            "Measures how well the sandbox's speaker engine tells your speakers apart and suggests "
            "an accept threshold. Choose a folder that holds one sub-folder of recordings per "
            "speaker (at least two speakers with two recordings each). Only the voice counts here; "
            "the digits read do not (the sandbox hears English digits only).")))  # fmt: skip
        self.honest_note = _label(body, self.tr(
            "Synthetic voices (such as eSpeak test voices) are not people: the error rates they give "
            "say nothing about real speakers. Take the threshold from real recordings of the people "
            "who will use this system, made with your own microphones, in your own rooms."), "qualityHint")  # fmt: skip
        layout.addWidget(self.honest_note)

        row = QHBoxLayout()
        self.folder = QLineEdit(body)
        self.folder.setPlaceholderText(self.tr("Folder with one sub-folder of recordings per speaker"))
        self.folder.setAccessibleName(self.tr("Recordings folder"))
        self.folder.setText(str(self.ui.settings.value(KEY_FOLDER, "") or ""))
        self.folder.textChanged.connect(lambda _t: self._update_buttons())
        self.folder.returnPressed.connect(self.start)
        self.choose_button = QPushButton(self.tr("Choose folder…"), body)
        self.choose_button.setAccessibleName(self.tr("Choose the recordings folder"))
        self.choose_button.clicked.connect(self.choose_folder)
        row.addWidget(QLabel(self.tr("Recordings:"), body))
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        layout.addLayout(row)

        row = QHBoxLayout()
        self.engine = QComboBox(body)
        self.engine.setAccessibleName(self.tr("Speaker engine"))
        self.run_button = QPushButton(self.tr("Run"), body)
        self.run_button.setAccessibleName(self.tr("Run the calibration"))
        self.run_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"), body)
        self.cancel_button.setAccessibleName(self.tr("Cancel the calibration"))
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(QLabel(self.tr("Engine:"), body))
        row.addWidget(self.engine, 1)
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        # How the selected engine's default threshold was set (engines/threshold_basis.py).
        self.basis = _label(body, "")
        self.basis.setAccessibleName(self.tr("How the default threshold was set"))
        self.engine.currentIndexChanged.connect(self._show_basis)
        layout.addWidget(self.basis)

        self.progress = QProgressBar(body)
        self.progress.setAccessibleName(self.tr("Calibration progress"))
        self.progress.setTextVisible(True)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status = _label(body, "")
        layout.addWidget(self.status)
        self.error = _label(body, "", "answer")
        self.error.setProperty("ok", False)
        layout.addWidget(self.error)

    def _build_actions(self, body: QWidget, layout: QVBoxLayout) -> None:
        row = QHBoxLayout()
        self.choice = QComboBox(body)
        self.choice.setAccessibleName(self.tr("Threshold to apply"))
        self.apply_button = QPushButton(self.tr("Apply to sandbox"), body)
        self.apply_button.setAccessibleName(self.tr("Store the chosen threshold in the sandbox profile"))
        self.apply_button.clicked.connect(self.apply)
        self.save_button = QPushButton(self.tr("Save plot…"), body)
        self.save_button.setAccessibleName(self.tr("Save the plot as a PNG file"))
        self.save_button.clicked.connect(self.save_dialog)
        row.addWidget(QLabel(self.tr("Threshold:"), body))
        row.addWidget(self.choice, 1)
        row.addWidget(self.apply_button)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.applied = _label(body, "", "answer")
        self.applied.setProperty("ok", True)
        layout.addWidget(self.applied)
        self._fill_choices()

    def _fill_engines(self) -> None:
        """The engines, the sandbox's own first choice selected (needs the engine registry, which
        imports numpy: done when the panel is first shown, not at start-up)."""
        from desktop.sandbox.engines import campp_weights, ge2e_model, registry

        names = {"ge2e": self.tr("Neural (GE2E)"), "simple": self.tr("Simple statistics")}
        names["campp"] = self.tr("Neural (CAM++, Chinese and English)")
        weights = {"campp": campp_weights.weights_path, "ge2e": ge2e_model.weights_path}
        default = (os.environ.get(registry.ENV_ENGINE) or registry.preferred_engine()).strip().lower()
        self.engine.clear()
        model = self.engine.model()
        for name in registry.engine_names():
            text = names.get(name, name)
            if name == default:
                text = arg(self.tr("%1 (the sandbox's engine)"), text)
            missing = name in weights and weights[name]() is None
            if missing:
                text = arg(self.tr("%1 (not installed)"), text)
            self.engine.addItem(text, name)
            if missing and isinstance(model, QStandardItemModel):
                item = model.item(self.engine.count() - 1)
                if item is not None:
                    item.setEnabled(False)
        index = self.engine.findData(default)
        self.engine.setCurrentIndex(max(index, 0))
        self._engines_listed = True
        self._show_basis()

    @Slot()
    def _show_basis(self) -> None:
        from desktop.sandbox.engines.threshold_basis import BASES

        basis = BASES.get(str(self.engine.currentData() or ""))
        if basis is None:
            self.basis.setText(self.tr("This engine's default threshold was not measured on any voices."))
            self.basis.setToolTip("")
            return
        # One short line (the panel must fit the default window); the whole story in its tooltip.
        self.basis.setText(arg(
            self.tr("Default threshold %1: %2 false accepts on synthetic voices, not people (see tooltip)."),
            f"{basis.threshold:.2f}", _pct(basis.far_target),
        ))  # fmt: skip
        self.basis.setToolTip(arg(
            self.tr("Default threshold %1, set for %2 false accepts on %3 synthetic voices (neural TTS reading "
                    "digits in English and Mandarin, %4 trials): there it rejected %5 of genuine tries; "
                    "equal error rate %6. Synthetic voices are not people: calibrate on your own recordings."),
            f"{basis.threshold:.2f}", _pct(basis.far_target), basis.speakers, basis.trials,
            _pct(basis.frr), _pct(basis.eer),
        ))  # fmt: skip

    def _fill_choices(self) -> None:
        current = self.choice.currentData()
        labels = {
            "eer": self.tr("At the equal error rate"),
            "far_1%": self.tr("For 1 % false accepts"),
            "far_0.1%": self.tr("For 0.1 % false accepts"),
        }
        self.choice.clear()
        for key in CHOICES:
            value = self.threshold_for(key)
            text = labels[key] if value is None else f"{labels[key]}: {value:.4f}"
            self.choice.addItem(text, key)
        index = self.choice.findData(current if current else "far_1%")
        self.choice.setCurrentIndex(max(index, 0))

    # -- panel hooks -------------------------------------------------------------------------

    def on_shown(self) -> None:
        if not self._engines_listed:
            self._fill_engines()

    def shutdown(self) -> None:
        self.run.shutdown()

    @property
    def busy(self) -> bool:
        return self.run.busy

    # -- running -----------------------------------------------------------------------------

    @Slot()
    def choose_folder(self) -> None:
        folder = file_dialogs.folder(self, self.ui.settings, self.tr("Folder of speaker folders"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    @Slot()
    def start(self) -> None:
        if self.busy:
            return
        text = self.folder.text().strip()
        if not text:
            self.error.setText(self.tr("Choose a folder of recordings first."))
            return
        if not self._engines_listed:
            self._fill_engines()
        self.ui.settings.setValue(KEY_FOLDER, text)
        self.error.setText("")
        self.applied.setText("")
        self.status.setText(self.tr("Loading the speaker engine…"))
        self.progress.setRange(0, 0)  # busy until the first recording is counted
        self.progress.show()
        self.run.start(Path(text).expanduser(), str(self.engine.currentData() or ""))
        self._update_buttons()

    @Slot()
    def cancel(self) -> None:
        if self.busy:
            self.run.cancel()
            self.status.setText(self.tr("Cancelling after the current recording…"))
            self.cancel_button.setEnabled(False)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if self.run.cancelling:
            return  # reported before the cancel (a busy GUI thread lags): "Cancelling…" stays
        self.status.setText(arg(self.tr("Reading %1 (%2 of %3)"), name, done, total))

    @Slot(object)
    def _on_finished(self, outcome: RunOutcome) -> None:
        self.progress.hide()
        self.last_seconds = outcome.seconds
        if outcome.cancelled:
            self.status.setText(self.tr("Cancelled; the previous results stay shown."))
        elif outcome.error:
            self.status.setText("")
            self.error.setText(outcome.error)
        elif outcome.result is not None:
            self.show_result(outcome.result)
            self.status.setText(arg(self.tr("Done in %1 s."), f"{outcome.seconds:.1f}"))
            self.ui.bus.message.emit(self.status.text())
        self._update_buttons()
        self.run_finished.emit(outcome)

    def show_result(self, result: CalibrationResult | None) -> None:
        self.result = result
        self.figures.show_result(result)
        self.plot.set_result(result)
        self._fill_choices()
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.busy
        self.run_button.setEnabled(not busy and bool(self.folder.text().strip()))
        self.cancel_button.setEnabled(busy)
        for w in (self.folder, self.choose_button, self.engine):
            w.setEnabled(not busy)
        have = self.result is not None and not busy
        for w in (self.choice, self.apply_button, self.save_button):
            w.setEnabled(have)

    # -- results -----------------------------------------------------------------------------

    def threshold_for(self, key: str) -> float | None:
        if self.result is None:
            return None
        if key == "eer":
            return self.result.threshold_at_eer
        found = self.result.thresholds.get(key)
        return found.threshold if found is not None else None

    def confirm_threshold(self, old: float, new: float) -> bool:
        """Ask before changing the accept threshold, showing both values exactly."""
        from desktop.calibrate import exact

        shown_old = exact(old) if old > 0 else self.tr("the engine's default")
        answer = QMessageBox.question(
            self,
            self.tr("Change the accept threshold"),
            arg(self.tr("Change the sandbox's accept threshold?\n\nNow: %1\nNew: %2\n\nEvery verification "
                        "from now on is decided with the new value. The change is recorded in the audit trail."),
                shown_old, exact(new)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )  # fmt: skip
        return answer == QMessageBox.StandardButton.Yes

    @Slot()
    def apply(self) -> None:
        from desktop.calibrate import apply_threshold, exact, stored_threshold
        from desktop.errors import VpwError

        value = self.threshold_for(str(self.choice.currentData() or ""))
        if value is None:
            return
        old = stored_threshold(self.ui.ctx.config_path)
        if not self.confirm_threshold(old, value):
            return
        try:
            path = apply_threshold(value, self.ui.ctx.config_path)
        except (VpwError, OSError) as exc:
            self.applied.setText("")
            self.error.setText(arg(self.tr("The threshold was not stored: %1"), exc))
            self._audit_threshold(old, value, "failed", str(exc))
            return
        self._audit_threshold(old, value, "ok")
        self.error.setText("")
        self.applied.setText(arg(self.tr("Sandbox threshold set to %1 (was %2) in %3. The built-in sandbox uses it "
                                         "from now on; a sandbox started separately uses it once restarted."),
                                 exact(value), exact(old), path))  # fmt: skip
        if self.ui.profile.is_sandbox:
            self.ui.switch_profile(None)  # re-read: Settings shows it, the running sandbox takes it

    def _audit_threshold(self, old: float, new: float, outcome: str, error: str = "") -> None:
        details: dict[str, object] = {"old": old, "new": new, "via": "calibration"}
        if error:
            details["error"] = error
        try:
            self.ui.ctx.record("threshold", subject="sandbox", outcome=outcome, details=details)
        except Exception:  # the threshold is stored; an audit failure is said, not hidden
            log.exception("recording the threshold change failed")
            self.ui.bus.message.emit(self.tr("The threshold change could not be recorded in the audit trail."))

    @Slot()
    def save_dialog(self) -> None:
        if self.result is None:
            return
        path, _ = file_dialogs.save_file(
            self, self.ui.settings, self.tr("Save plot"), "calibration.png", self.tr("PNG images (*.png)")
        )
        if path:
            self.save_plot(Path(path))

    def save_plot(self, path: Path) -> bool:
        """Write the picture (the CLI's size) to ``path`` (".png" added when missing)."""
        from desktop.calibrate.plot import save_png

        if self.result is None:
            return False
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        try:
            save_png(self.result, path)
        except OSError as exc:
            self.error.setText(arg(self.tr("Cannot save the plot to %1: %2"), path, exc.strerror or exc))
            return False
        self.error.setText("")
        self.status.setText(arg(self.tr("Plot saved to %1"), path))
        return True
