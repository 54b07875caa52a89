"""The Transcribe panel (Rokid ASR): record a take or open a file, then read what Rokid heard.

Recording runs on the ``Recorder``'s thread (the meter reads its level on a timer), transcribing
on a ``Background`` pool thread; this module only touches widgets, on the GUI thread. The local
sandbox recognises English only, and the panel says so while the sandbox profile is active.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.audio import RATE
from desktop.services.rokid import RokidClient
from desktop.ui import file_dialogs
from desktop.ui.background import Background
from desktop.ui.context import UiContext
from desktop.ui.qtext import arg
from desktop.ui.speech_recorder import Recorder
from desktop.ui.widgets.meter import LevelMeter
from desktop.ui.widgets.notes import reserve_room

log = logging.getLogger(__name__)

CODECS = ("auto", "pcm", "opu")
METER_MS = 50


class TranscribePanel(QWidget):
    icon_name = "transcribe"

    def title(self) -> str:
        return self.tr("Transcribe")

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.take: bytes | None = None  # the latest recording (s16le 16 kHz mono)
        self.file: Path | None = None  # or the file chosen instead
        self.transcribing = False
        self.recording = False  # cleared when the recorder's "finished" arrives, not when its thread ends
        self.background = Background(self)
        self.recorder = Recorder(self)
        self.recorder.finished.connect(self._on_recorded)
        self.meter_timer = QTimer(self)
        self.meter_timer.setInterval(METER_MS)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        heading = QLabel(self.tr("Speech recognition"), self)
        heading.setObjectName("panelTitle")
        layout.addWidget(heading)
        self.sandbox_note = QLabel(self.tr("The local sandbox recognises English only."), self)
        self.sandbox_note.setObjectName("hint")
        self.sandbox_note.setWordWrap(True)
        layout.addWidget(self.sandbox_note)

        source = QHBoxLayout()
        self.record_button = QPushButton(self.tr("Record"), self)
        self.record_button.setObjectName("recordButton")
        self.record_button.setAccessibleName(self.tr("Start or stop recording"))
        self.record_button.clicked.connect(self.toggle_recording)
        self.open_button = QPushButton(self.tr("Open file…"), self)
        self.open_button.setAccessibleName(self.tr("Open an audio file to transcribe"))
        self.open_button.clicked.connect(self.open_file)
        source.addWidget(self.record_button)
        source.addWidget(self.open_button)
        source.addStretch(1)
        layout.addLayout(source)
        self.meter = LevelMeter(self)
        self.meter.setAccessibleName(self.tr("Input level"))
        layout.addWidget(self.meter)
        self.meter_timer.timeout.connect(self._show_level)
        self.source_label = QLabel(self.tr("Nothing recorded or opened yet."), self)
        self.source_label.setWordWrap(True)
        self.source_label.setAccessibleName(self.tr("Audio to transcribe"))
        layout.addWidget(self.source_label)

        form = QFormLayout()
        self.codec = QComboBox(self)
        self.codec.setAccessibleName(self.tr("Codec sent to Rokid"))
        names = {"auto": self.tr("Automatic (pcm, opu when too large)")}
        for value in CODECS:
            self.codec.addItem(names.get(value, value), value)
        form.addRow(self.tr("Codec:"), self.codec)
        layout.addLayout(form)

        self.transcribe_button = QPushButton(self.tr("Transcribe"), self)
        self.transcribe_button.setAccessibleName(self.tr("Send the audio to Rokid"))
        self.transcribe_button.clicked.connect(self.transcribe)
        self.transcribe_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.transcribe_button)
        row.addStretch(1)
        layout.addLayout(row)

        self.transcript = QPlainTextEdit(self)
        self.transcript.setReadOnly(True)
        self.transcript.setAccessibleName(self.tr("Transcript"))
        self.transcript.setPlaceholderText(self.tr("What Rokid heard appears here"))
        layout.addWidget(self.transcript, 1)
        copy_row = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setAccessibleName(self.tr("Copy the transcript"))
        self.copy_button.clicked.connect(self.copy)
        self.copy_button.setEnabled(False)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Transcription status"))
        copy_row.addWidget(self.copy_button)
        copy_row.addWidget(self.status, 1)
        layout.addLayout(copy_row)
        self.error = QLabel(self)
        self.error.setObjectName("answer")
        self.error.setProperty("ok", False)
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Transcription error"))
        self.error.hide()
        layout.addWidget(reserve_room(self.error))
        self.on_profile_changed()

    @property
    def busy(self) -> bool:
        return self.transcribing or self.recording or self.background.busy

    def _show_error(self, sentence: str) -> None:
        self.error.setText(sentence)
        self.error.setVisible(bool(sentence))

    def _update_buttons(self) -> None:
        recording = self.recording
        self.record_button.setText(self.tr("Stop") if recording else self.tr("Record"))
        self.open_button.setEnabled(not recording and not self.transcribing)
        self.record_button.setEnabled(not self.transcribing)
        ready = self.take is not None or self.file is not None
        self.transcribe_button.setEnabled(ready and not recording and not self.transcribing)

    # -- the audio -----------------------------------------------------------------------------

    def toggle_recording(self) -> None:
        if self.recording:
            self.recorder.stop()
            return
        if self.transcribing:
            return
        self._show_error("")
        self.recording = True
        self.recorder.start(self.ui.input_device())
        self.meter_timer.start()
        self.source_label.setText(self.tr("Recording… press Stop when done."))
        self._update_buttons()

    def _show_level(self) -> None:
        self.meter.set_level(self.recorder.level_dbfs())

    def _on_recorded(self, take: bytes, sentence: str) -> None:
        self.recording = False
        self.meter_timer.stop()
        self.meter.reset()
        if take:
            self.take, self.file = take, None
            self._clear_transcript()
            self.source_label.setText(arg(self.tr("Recorded %1 s."), f"{len(take) / 2 / RATE:.1f}"))
        else:
            self.source_label.setText(self.tr("Nothing was recorded."))
        self._show_error(sentence)
        self._update_buttons()

    def open_file(self) -> None:
        path = file_dialogs.open_file(
            self, self.ui.settings, self.tr("Open an audio file"),
            self.tr("Audio files (*.wav *.flac *.ogg *.mp3);;All files (*)"),
        )  # fmt: skip
        if path:
            self.use_file(Path(path))

    def _clear_transcript(self) -> None:
        """A new file or take: the previous transcript described other audio."""
        self.transcript.clear()
        self.copy_button.setEnabled(False)
        self.status.setText("")

    def new_caller(self) -> None:
        """Ctrl+N: the previous caller's recording and transcript go."""
        if self.busy:
            return
        self.take, self.file = None, None
        self._clear_transcript()
        self.source_label.setText(self.tr("Nothing recorded or opened yet."))
        self._show_error("")
        self._update_buttons()

    def use_file(self, path: Path) -> None:
        self.file, self.take = path, None
        self._clear_transcript()
        self.source_label.setText(arg(self.tr("File: %1"), path))
        self._show_error("")
        self._update_buttons()

    # -- transcribing --------------------------------------------------------------------------

    def transcribe(self) -> None:
        if self.busy or (self.take is None and self.file is None):
            return
        codec = str(self.codec.currentData())
        take, file = self.take, self.file
        try:
            self.ui.ctx.ensure_sandbox()  # a no-op unless the profile is the sandbox's
            client = RokidClient(self.ui.profile.rokid)
        except Exception as exc:  # a bad profile or a sandbox that cannot start
            self._show_error(str(exc))
            return

        def work() -> Any:
            if file is not None:
                return client.asr_file(file, codec=codec)
            return client.asr(take or b"", codec=codec)

        self.transcribing = True
        self._show_error("")
        self.status.setText(self.tr("Transcribing…"))
        self._update_buttons()
        self.background.run(work, self._on_result, self._on_failed)

    def _on_result(self, result: Any) -> None:
        self.transcribing = False
        self.transcript.setPlainText(result.text)
        self.copy_button.setEnabled(bool(result.text))
        if result.text:
            self.status.setText(arg(self.tr("Sent %1 s as %2 (%3 bytes)."), f"{result.seconds:.1f}", result.codec,
                                    result.request_bytes))  # fmt: skip
        else:
            self.status.setText(self.tr("Rokid heard no words."))
        self._update_buttons()

    def _on_failed(self, sentence: str) -> None:
        self.transcribing = False
        self.status.setText("")
        self._show_error(sentence)
        self._update_buttons()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.transcript.toPlainText())
        self.status.setText(self.tr("Copied."))

    # -- window hooks --------------------------------------------------------------------------

    def on_profile_changed(self) -> None:
        self.sandbox_note.setVisible(self.ui.profile.is_sandbox)

    def shutdown(self) -> None:
        self.meter_timer.stop()
        self.recorder.join()
        self.background.wait()
