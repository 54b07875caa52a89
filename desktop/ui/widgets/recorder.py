"""The recording controls Enrol and Verify share: record/stop, level meter, scrolling waveform,
net speech against the minimum, and the live quality hints."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QPushButton, QWidget

from desktop.ui.icons import icon
from desktop.ui.qtext import arg
from desktop.ui.widgets.meter import LevelMeter
from desktop.ui.widgets.waveform import Waveform


class RecorderBox(QWidget):
    record_clicked = Signal()

    def __init__(self, min_speech_s: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.min_speech_s = min_speech_s
        self.recording = False
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton(self)
        self.button.setObjectName("recordButton")
        self.button.clicked.connect(self.record_clicked)
        self.meter = LevelMeter(self)
        self.waveform = Waveform(self)
        self.speech = QProgressBar(self)
        self.speech.setRange(0, 1000)
        self.speech_label = QLabel(self)
        self.hints = QLabel(self)
        self.hints.setObjectName("qualityHint")
        self.hints.setWordWrap(True)
        self.level_label = QLabel(self)
        grid.addWidget(self.button, 0, 0, 2, 1)
        grid.addWidget(self.level_label, 0, 1)
        grid.addWidget(self.meter, 0, 2)
        grid.addWidget(self.waveform, 1, 1, 1, 2)
        grid.addWidget(self.speech_label, 2, 0, 1, 2)
        grid.addWidget(self.speech, 2, 2)
        grid.addWidget(self.hints, 3, 0, 1, 3)
        grid.setColumnStretch(2, 1)
        self.set_recording(False)
        self.reset()

    def set_recording(self, recording: bool) -> None:
        self.recording = recording
        self.button.setText(self.tr("Stop (Space)") if recording else self.tr("Record (Space)"))
        self.button.setIcon(icon("stop" if recording else "record"))
        self.button.setAccessibleName(self.tr("Stop recording") if recording else self.tr("Start recording"))
        self.button.setProperty("recording", recording)
        self.button.style().unpolish(self.button)
        self.button.style().polish(self.button)

    def reset(self) -> None:
        self.meter.reset()
        self.waveform.clear()
        self.hints.setText("")
        self.set_progress(0.0, 0.0)
        self.level_label.setText(self.tr("Level"))
        self.meter.setAccessibleName(self.tr("Input level"))
        self.waveform.setAccessibleName(self.tr("Waveform of the last seconds"))
        self.speech.setAccessibleName(self.tr("Net speech against the minimum"))

    @Slot(float, float)
    def set_level(self, rms: float, peak: float) -> None:
        self.meter.set_level(rms, peak)

    @Slot(list)
    def push_waveform(self, envelope: list[float]) -> None:
        self.waveform.push(envelope)

    @Slot(float, float)
    def set_progress(self, speech_s: float, duration_s: float) -> None:
        fraction = 1.0 if self.min_speech_s <= 0 else min(1.0, speech_s / self.min_speech_s)
        self.speech.setValue(int(fraction * 1000))
        self.speech_label.setText(
            arg(self.tr("%1 s of speech (%2 s needed)"), f"{speech_s:.1f}", f"{self.min_speech_s:.1f}")
        )
        # Said in the same words as the service's answer; the two measure separately, so say why
        # their figures may differ a little.
        self.speech.setToolTip(
            arg(self.tr("%1 s recorded in all. Speech is measured here as you record; the service measures"
                        " it again and may count a little more or less."), f"{duration_s:.1f}")
        )  # fmt: skip

    @Slot(list)
    def set_hints(self, hints: list[tuple[str, str]]) -> None:
        self.hints.setText("\n".join(sentence for _code, sentence in hints))
        self.hints.setAccessibleName(self.hints.text())
