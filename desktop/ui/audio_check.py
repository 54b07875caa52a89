"""Microphone and speaker pickers with a live meter and a test tone, for the Settings panel.

Every PortAudio call runs on a worker: listing devices (PortAudio's first initialisation can take
a while), the microphone (``MicCapture``'s own threads, drained by a pool task) and the tone
(``playback.play`` blocks until played). The GUI thread only reads the capture's latest level on
a timer, as the house rules ask, and receives results through queued signals.

A device is remembered by name, not by index: indices change when a USB device comes and goes.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.audio import RATE
from desktop.ui.background import Background
from desktop.ui.qtext import arg
from desktop.ui.widgets.meter import LevelMeter

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

log = logging.getLogger(__name__)

TONE_HZ = 440.0
TONE_S = 1.0
TONE_DBFS = -12.0  # clearly audible, far from clipping
METER_FRAME_MS = 50  # a livelier meter than the 100 ms streaming frames


def make_tone(seconds: float = TONE_S, hz: float = TONE_HZ, dbfs: float = TONE_DBFS) -> npt.NDArray[np.int16]:
    """A sine with 20 ms fades, so the speaker does not click at either end."""
    import numpy as np  # here, not at import: the window starts before anyone needs a tone

    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    wave = np.sin(2 * math.pi * hz * t) * (10 ** (dbfs / 20))
    fade = min(n // 2, int(0.02 * RATE))
    if fade:
        ramp = np.linspace(0.0, 1.0, fade)
        wave[:fade] *= ramp
        wave[-fade:] *= ramp[::-1]
    return np.round(wave * 32767).astype(np.int16)


def _list_devices() -> tuple[list[str], list[str]]:
    from desktop.audio.devices import list_input_devices, list_output_devices

    return [d.name for d in list_input_devices()], [d.name for d in list_output_devices()]


class AudioCheck(QWidget):
    """Pickers for the profile's ``audio`` section, plus the checks that help choose."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.background = Background(self, max_threads=3)  # listing, meter and tone may overlap
        self._capture: Any = None
        self._meter_stop = threading.Event()
        self._tone_stop = threading.Event()
        self._said = 0
        self._build()
        self._meter_timer = QTimer(self)
        self._meter_timer.setInterval(50)
        self._meter_timer.timeout.connect(self._read_level)

    def _build(self) -> None:
        self.input_combo = QComboBox(self)
        self.input_combo.setAccessibleName(self.tr("Microphone"))
        self.output_combo = QComboBox(self)
        self.output_combo.setAccessibleName(self.tr("Speaker"))
        for combo in (self.input_combo, self.output_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(24)
            combo.addItem(self.tr("System default"), "")
        self.refresh_button = QPushButton(self.tr("Refresh devices"), self)
        self.refresh_button.setAccessibleName(self.tr("Refresh the list of audio devices"))
        self.refresh_button.clicked.connect(self.refresh_devices)

        self.meter = LevelMeter(self)
        self.meter.setAccessibleName(self.tr("Microphone level"))
        self.meter_button = QPushButton(self.tr("Test microphone"), self)
        self.meter_button.setCheckable(True)
        self.meter_button.setAccessibleName(self.tr("Start or stop the microphone test"))
        self.meter_button.toggled.connect(self._on_meter_toggled)
        self.tone_button = QPushButton(self.tr("Play test tone"), self)
        self.tone_button.setAccessibleName(self.tr("Play a test tone on the speaker"))
        self.tone_button.clicked.connect(self.play_tone)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Audio check status"))

        form = QFormLayout()
        form.addRow(self.tr("Microphone"), self.input_combo)
        meter_row = QHBoxLayout()
        meter_row.addWidget(self.meter, 1)
        meter_row.addWidget(self.meter_button)
        form.addRow(self.tr("Level"), meter_row)
        tone_row = QHBoxLayout()
        tone_row.addWidget(self.output_combo, 1)
        tone_row.addWidget(self.tone_button)
        form.addRow(self.tr("Speaker"), tone_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.refresh_button)
        layout.addLayout(buttons)
        self.input_combo.currentIndexChanged.connect(self._on_input_changed)
        self.output_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def hideEvent(self, event: QHideEvent) -> None:
        # Leaving Settings frees the microphone for the panel the operator goes to.
        if self.meter_button.isChecked():
            self.meter_button.setChecked(False)
        super().hideEvent(event)

    def focus_order(self) -> list[QWidget]:
        return [self.input_combo, self.meter_button, self.output_combo, self.tone_button, self.refresh_button]

    # -- values ----------------------------------------------------------------------------------
    def input_device(self) -> str:
        return str(self.input_combo.currentData() or "")

    def output_device(self) -> str:
        return str(self.output_combo.currentData() or "")

    def set_devices(self, input_device: str, output_device: str) -> None:
        for combo, name in ((self.input_combo, input_device), (self.output_combo, output_device)):
            combo.blockSignals(True)
            self._select(combo, name)
            combo.blockSignals(False)

    def _select(self, combo: QComboBox, name: str) -> None:
        index = combo.findData(name)
        if index < 0:
            # A device that is unplugged now stays the choice, marked, instead of being lost.
            combo.addItem(arg(self.tr("%1 (not found)"), name), name)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    # -- device list -----------------------------------------------------------------------------
    @Slot()
    def refresh_devices(self) -> None:
        self.refresh_button.setEnabled(False)
        self._say(self.tr("Looking for audio devices…"))
        said = self._said
        self._start(_list_devices, lambda found: self._on_listed(found, said), self._on_list_failed)

    def _say(self, sentence: str) -> None:
        """Show a status sentence; the count lets a slow device listing see it was overtaken."""
        self._said += 1
        self.status.setText(sentence)

    def _on_listed(self, found: tuple[list[str], list[str]], said: int | None = None) -> None:
        inputs, outputs = found
        self.refresh_button.setEnabled(True)
        chosen = (self.input_device(), self.output_device())
        for combo, names in ((self.input_combo, inputs), (self.output_combo, outputs)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("System default"), "")
            for name in names:
                combo.addItem(name, name)
            combo.blockSignals(False)
        self.set_devices(*chosen)
        # A meter or tone error said meanwhile matters more than the device count: keep it.
        if said is None or said == self._said:
            self._say(arg(self.tr("%1 microphones, %2 speakers found"), len(inputs), len(outputs)))

    def _on_list_failed(self, sentence: str) -> None:
        self.refresh_button.setEnabled(True)
        self._say(sentence)

    # -- microphone meter ------------------------------------------------------------------------
    def _on_input_changed(self, _index: int) -> None:
        self.changed.emit()
        if self.meter_button.isChecked():  # follow the new choice at once
            self.stop_meter()
            self.start_meter()

    def _on_meter_toggled(self, on: bool) -> None:
        if on:
            self.start_meter()
        else:
            self.stop_meter()

    def start_meter(self) -> None:
        from desktop.audio.capture import MicCapture

        self._meter_stop = threading.Event()
        stop = self._meter_stop
        capture = MicCapture(self.input_device() or None, METER_FRAME_MS)
        self._capture = capture

        def run() -> int:
            capture.start()
            try:
                # Drain the frames (nothing else wants them); the timer reads the level.
                while not stop.is_set():
                    capture.get_frame(timeout=0.1)
            finally:
                capture.stop()
            return capture.overflows

        self.meter_button.setText(self.tr("Stop test"))
        self._say(self.tr("Speak: the bar should move into the green band."))
        self._meter_timer.start()

        # A late answer from a meter already replaced (the operator picked another device) is ignored.
        def done(overflows: int) -> None:
            if stop is self._meter_stop:
                self._on_meter_done(overflows)

        def failed(sentence: str) -> None:
            if stop is self._meter_stop:
                self._on_meter_failed(sentence)

        self._start(run, done, failed)

    def stop_meter(self) -> None:
        self._meter_stop.set()
        self._meter_timer.stop()
        self.meter.reset()
        self.meter_button.setText(self.tr("Test microphone"))

    def _read_level(self) -> None:
        capture = self._capture
        if capture is not None and capture.running:
            self.meter.set_level(capture.level_dbfs, capture.peak_dbfs)

    def _on_meter_done(self, overflows: int) -> None:
        if overflows:
            self._say(arg(self.tr("Microphone test ended; %1 input overflows"), overflows))

    def _on_meter_failed(self, sentence: str) -> None:
        self.meter_button.blockSignals(True)
        self.meter_button.setChecked(False)
        self.meter_button.blockSignals(False)
        self.stop_meter()
        self._say(sentence)

    # -- test tone -------------------------------------------------------------------------------
    @Slot()
    def play_tone(self) -> None:
        from desktop.audio.playback import play

        self._tone_stop = threading.Event()
        stop = self._tone_stop
        device = self.output_device() or None
        tone = make_tone()
        self.tone_button.setEnabled(False)
        self._say(self.tr("Playing a test tone…"))
        self._start(lambda: play(tone, RATE, device, stop=stop), self._on_tone_done, self._on_tone_failed)

    def _on_tone_done(self, _completed: bool) -> None:
        self.tone_button.setEnabled(True)
        self._say(self.tr("Test tone played. Did you hear it?"))

    def _on_tone_failed(self, sentence: str) -> None:
        self.tone_button.setEnabled(True)
        self._say(sentence)

    # -- plumbing --------------------------------------------------------------------------------
    def _start(self, fn: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[str], None]) -> None:
        self.background.run(fn, done, failed)

    def shutdown(self, wait_ms: int = 3000) -> None:
        """Stop the meter and the tone and wait for the workers (the window is closing)."""
        self._meter_stop.set()
        self._tone_stop.set()
        self._meter_timer.stop()
        self.background.wait(wait_ms)
