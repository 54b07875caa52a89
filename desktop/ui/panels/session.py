"""What the Enrol and Verify panels share: one attempt at a time on a worker thread, the space
bar, file input, keeping a failed take for a re-send, and recording every attempt in history."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QThread, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import InputError
from desktop.services.voiceprint import validate_user
from desktop.ui import file_dialogs, workers
from desktop.ui import verdict as v
from desktop.ui.context import UiContext
from desktop.ui.icons import icon
from desktop.ui.prompt_reader import IDLE, PLAYING, PromptReader
from desktop.ui.qtext import arg
from desktop.ui.widgets.decision import DecisionBanner
from desktop.ui.widgets.digits import DigitPrompt, fresh_digits
from desktop.ui.widgets.recorder import RecorderBox

log = logging.getLogger(__name__)

AUDIO_FILTER = "*.wav *.flac *.ogg *.mp3"
LINGERING: list[QThread] = []  # worker threads still waiting on the network when a panel closed


class SessionPanel(QWidget):
    kind = "enrol"  # or "verify"
    min_speech_s = 0.0
    # Made by each panel's own layout; the shared handling below works on them.
    user: QLineEdit
    user_error: QLabel
    digits: DigitPrompt  # made by ``prompt_row``
    new_digits: QPushButton

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.worker: workers._Streamer | None = None
        self.worker_thread: QThread | None = None
        self.last_outcome: workers.Outcome | None = None
        self.last_attempt_id: int | None = None  # the history row of the last attempt
        self.prompt = ""
        # The digits on screen were read for the result shown; the next attempt brings new ones.
        self.prompt_spent = False
        self.recorder = RecorderBox(self.min_speech_s, self)
        self.recorder.record_clicked.connect(self.toggle_recording)
        self.file_button = QPushButton(self)
        self.file_button.setIcon(icon("file"))
        self.file_button.clicked.connect(self.choose_files)
        self.resend_button = QPushButton(self)
        self.resend_button.clicked.connect(self.resend)
        self.resend_button.hide()
        # Panels lay their widgets out on ``self.body``, which scrolls when the window is small.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget(scroll)
        scroll.setWidget(self.body)
        outer.addWidget(scroll)
        self.recorder.setParent(self.body)
        self.file_button.setParent(self.body)
        self.resend_button.setParent(self.body)
        self.decision = DecisionBanner(self.body, enrolment=self.kind == "enrol")
        # "Read aloud": Rokid TTS speaks the prompt to a speaker who cannot see the screen.
        self.reader = PromptReader(ui, self)
        self.reader.state_changed.connect(self._on_reader_state)
        self.reader.failed.connect(self._on_reader_failed)
        self.read_button = QPushButton(self.body)
        self.read_button.setIcon(icon("speech"))
        self.read_button.setAccessibleName(self.tr("Read the digits aloud to the speaker"))
        self.read_button.setToolTip(self.tr("Rokid speech synthesis reads the digits on the output device"))
        self.read_button.clicked.connect(self.toggle_reading)
        self.read_status = QLabel(self.body)
        self.read_status.setObjectName("hint")
        self.read_status.setWordWrap(True)
        self.read_status.hide()
        self._on_reader_state(IDLE)
        # Space toggles recording anywhere in the panel; a text field with focus keeps its spaces
        # (QLineEdit claims printable keys through ShortcutOverride before shortcuts fire).
        self.space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        self.space.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.space.activated.connect(self.toggle_recording)
        workers.warm_up()

    # -- shared by both panels ----------------------------------------------------------------

    def prompt_row(self) -> QVBoxLayout:
        """The digits to read in large type, with "New digits" and "Read aloud" in a row under
        them: beside them, the column was too wide for the result column in a 1100 px window."""
        self.digits = DigitPrompt(self.body)
        self.new_digits = QPushButton(self.tr("New digits"), self.body)
        self.new_digits.setAccessibleName(self.tr("Show new digits"))
        self.new_digits.clicked.connect(self.refresh_digits)
        # Most operators speak Mandarin, and a speaker reads digits in the language they are asked
        # in; pocketsphinx's model (the only one a wheel ships) hears English digits only, so
        # Mandarin digits on the sandbox would always read as "digits differ".
        self.english_note = QLabel(self.tr("Read in English (sandbox)"), self.body)
        self.english_note.setToolTip(self.tr("The local sandbox hears digits read in English only."))
        self.english_note.setObjectName("hint")
        self.english_note.setWordWrap(True)
        self.english_note.setVisible(self.ui.profile.is_sandbox)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_digits)
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.english_note, 1)
        buttons.addStretch(0)  # with the note hidden (a real service), the buttons keep their size
        column = QVBoxLayout()
        column.addWidget(self.digits)
        column.addLayout(buttons)
        return column

    @Slot()
    def refresh_digits(self) -> None:
        self.reader.stop()  # the speaker must not hear digits that are no longer on screen
        self.prompt = fresh_digits()
        self.prompt_spent = False
        self.digits.set_digits(self.prompt)
        self.on_prompt_changed()

    def on_prompt_changed(self) -> None:
        """Hook: the digits on screen were replaced or marked as read."""

    def before_attempt(self) -> None:
        """A new attempt starts: digits already read are replaced before anyone reads them again."""
        if self.prompt_spent:
            self.refresh_digits()

    def make_status_line(self) -> QLabel:
        """The line under the name field for errors and warnings. Its room is kept even when it
        is empty, so that a message never pushes the buttons below it around."""
        label = QLabel(self.body)
        label.setObjectName("answer")
        label.setProperty("ok", False)
        label.setWordWrap(True)
        label.setMinimumHeight(2 * label.fontMetrics().lineSpacing() + 8)  # bold when polished: a little more
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return label

    @Slot()
    def toggle_reading(self) -> None:
        if self.reader.state != IDLE:
            self.reader.stop()
        elif not self.busy:
            self.before_attempt()
            self._say_reader("")
            self.reader.read(self.prompt)

    @Slot(str)
    def _on_reader_state(self, state: str) -> None:
        if state == IDLE:
            self.read_button.setText(self.tr("Read aloud"))
            self.read_button.setEnabled(not self.busy)
            if self.read_status.text() and not self.read_status.property("error"):
                self._say_reader("")
        else:
            self.read_button.setText(self.tr("Stop reading"))
            self.read_button.setEnabled(True)
            self._say_reader(self.tr("Reading the digits aloud…") if state == PLAYING else self.tr("Preparing speech…"))

    @Slot(str)
    def _on_reader_failed(self, sentence: str) -> None:
        self._say_reader(arg(self.tr("The digits could not be read aloud: %1"), sentence), error=True)

    def _say_reader(self, text: str, error: bool = False) -> None:
        self.read_status.setText(text)
        self.read_status.setProperty("error", error)
        self.read_status.setVisible(bool(text))

    @Slot()
    def _clear_user_error(self) -> None:
        self._say_user_error("")

    @Slot()
    def forget_previous_speaker(self) -> None:
        """The name changed: another person. Their predecessor's banner, scores, errors and kept
        take must not be read as this person's (and a kept take must not be re-sent under them)."""
        if self.busy:
            return
        self._say_user_error("")
        self.decision.clear()
        self.resend_button.hide()
        self.last_outcome = None
        self.clear_result()

    def clear_result(self) -> None:
        """Hide the panel's own result widgets (scores, digits, raw reply)."""

    def _say_user_error(self, text: str) -> None:
        self.user_error.setProperty("ok", False)
        self.user_error.setText(text)
        self.user_error.setAccessibleName(text)
        self.user_error.style().unpolish(self.user_error)
        self.user_error.style().polish(self.user_error)

    def _validated_user(self) -> str | None:
        """The typed name if the service would take it; else say why, focus the field, None."""
        try:
            return validate_user(self.user.text())
        except InputError as exc:
            self._say_user_error(str(exc))
            self.user.setFocus()
            return None

    # -- to be provided by the panel ---------------------------------------------------------

    def attempt_user(self) -> str | None:
        """The validated user for a new attempt, or None (the panel has said why)."""
        raise NotImplementedError

    def new_prompt(self) -> str | None:
        return None

    def show_outcome(self, outcome: workers.Outcome, verdict: v.Verdict) -> None:
        raise NotImplementedError

    def consent(self) -> bool | None:
        return None

    def reference(self) -> str | None:
        """The case or customer reference stored with the attempt (Verify), else None."""
        return None

    def new_caller(self) -> None:
        """Forget everything about the previous caller and put the cursor in the name field."""
        if self.busy:
            self.ui.bus.message.emit(self.tr("Finish or stop the current attempt first."))
            return
        self.reader.stop()
        self.user.clear()
        self._say_user_error("")
        self.decision.clear()
        self.resend_button.hide()
        self.last_outcome = None
        self.last_attempt_id = None
        self.recorder.reset()
        self.refresh_digits()
        self.user.setFocus()

    def set_inputs_enabled(self, enabled: bool) -> None:
        """Enable or disable the panel's own inputs while an attempt runs."""

    # -- attempts ----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.worker is not None

    @property
    def recording(self) -> bool:
        return isinstance(self.worker, workers.RecordWorker) and self.recorder.recording

    @Slot()
    def toggle_recording(self) -> None:
        if self.recording:
            self.stop_recording()
        elif not self.busy:
            self.start_recording()

    def start_recording(self) -> None:
        user = self.attempt_user()
        if user is None:
            return
        self.before_attempt()
        profile = self.ui.profile
        worker = workers.RecordWorker(
            self.ui.connection.client, self.kind, user, self.new_prompt(), self.ui.input_device(),
            profile.voiceprint.frame_ms, self.min_speech_s,
        )  # fmt: skip
        self._run(worker)
        self.recorder.set_recording(True)

    @Slot()
    def stop_recording(self) -> None:
        if isinstance(self.worker, workers.RecordWorker):
            self.worker.stop()
        self.recorder.set_recording(False)
        self.decision.show_working(self.tr("Waiting for the service's answer…"))

    @Slot()
    def choose_files(self) -> None:
        if self.busy:
            return
        user = self.attempt_user()
        if user is None:
            return
        caption = self.tr("Choose audio files") if self.kind == "enrol" else self.tr("Choose an audio file")
        filters = arg(self.tr("Audio files (%1)"), AUDIO_FILTER)
        if self.kind == "enrol":
            paths = file_dialogs.open_files(self, self.ui.settings, caption, filters)
        else:
            path = file_dialogs.open_file(self, self.ui.settings, caption, filters)
            paths = [path] if path else []
        if paths:
            self.start_files(user, [Path(p) for p in paths])

    def start_files(self, user: str, paths: list[Path]) -> None:
        """Stream files (the file dialog's and the tests' entry point)."""
        self.before_attempt()
        worker = workers.StreamWorker(
            self.ui.connection.client, self.kind, user, self.new_prompt(), paths=paths,
            frame_ms=self.ui.profile.voiceprint.frame_ms, min_speech_s=self.min_speech_s,
        )  # fmt: skip
        self._run(worker)
        self.decision.show_working(self.tr("Reading and sending the file…"))

    @Slot()
    def resend(self) -> None:
        """Send the kept take of the last failed attempt again (same user, same prompt)."""
        take = self.last_outcome
        if self.busy or take is None or not take.frames:
            return
        worker = workers.StreamWorker(
            self.ui.connection.client, take.kind, take.user, take.prompt, frames=take.frames,
            frame_ms=self.ui.profile.voiceprint.frame_ms, min_speech_s=self.min_speech_s, source=take.source,
        )  # fmt: skip
        self._run(worker, resend=True)
        self.decision.show_working(self.tr("Sending the kept recording again…"))

    def attempt_started(self, resend: bool) -> None:
        """An attempt is about to run (``resend``: the kept take of the previous one)."""

    def _run(self, worker: workers._Streamer, resend: bool = False) -> None:
        self.attempt_started(resend)
        self.reader.stop()  # the microphone must hear the speaker, not the prompt's playback
        self.read_button.setEnabled(False)
        self.recorder.reset()
        self.decision.show_working(self.tr("Recording and sending…"))
        self.resend_button.hide()
        worker.level.connect(self.recorder.set_level)
        worker.waveform.connect(self.recorder.push_waveform)
        worker.progress.connect(self.recorder.set_progress)
        worker.hints.connect(self.recorder.set_hints)
        worker.overflows.connect(self.ui.bus.overflows)
        worker.done.connect(self._on_done)
        self.worker = worker
        self.ui.bus.overflows.emit(0)
        self.file_button.setEnabled(False)
        self.set_inputs_enabled(False)
        self.worker_thread = workers.start(worker, self)

    @Slot(object)
    def _on_done(self, outcome: workers.Outcome) -> None:
        self.worker = None
        self.worker_thread = None
        self.recorder.set_recording(False)
        self.file_button.setEnabled(True)
        self.read_button.setEnabled(True)
        self.set_inputs_enabled(True)
        self.last_outcome = outcome
        if outcome.error is not None:
            verdict = v.from_error(outcome.error)
        else:
            assert outcome.result is not None
            verdict = v.of_result(outcome.result, outcome.speech_s, self.min_speech_s)
        # A take that never got a decision is kept for a re-send (after a reconnect).
        self.resend_button.setVisible(verdict.decision == v.NOT_CHECKED and bool(outcome.frames))
        self.resend_button.setText(self.tr("Send the recording again"))
        self._record_history(outcome, verdict)
        self.show_outcome(outcome, verdict)
        self.attempt_finished()

    def attempt_finished(self) -> None:
        """After the outcome is shown and stored (the Enrol panel clears the consent tick)."""

    def _record_history(self, outcome: workers.Outcome, verdict: v.Verdict) -> None:
        # Nothing compared is stored as an error with its reason, never as a rejection.
        error = None
        if outcome.error is not None:
            error = str(outcome.error) or type(outcome.error).__name__
        elif verdict.decision == v.NOT_CHECKED:
            error = verdict.detail or verdict.reason
        self.last_attempt_id = None
        try:
            self.last_attempt_id = self.ui.history.record(
                profile=self.ui.profile.name, kind=self.kind, user=outcome.user, result=outcome.result,
                error=error, quality=outcome.quality, source=outcome.source, consent=self.consent(),
                reference=self.reference(),
            )  # fmt: skip
        except Exception:  # the history is a record, not the job: the result still shows
            log.exception("recording the attempt in history failed")
            self.ui.bus.message.emit(self.tr("This attempt could not be saved in the history."))
            return
        self.ui.bus.history_changed.emit()

    # -- window hooks ------------------------------------------------------------------------

    def on_profile_changed(self) -> None:
        self.reader.forget()
        self.english_note.setVisible(self.ui.profile.is_sandbox)

    def shutdown(self) -> None:
        self.reader.shutdown()
        worker, thread = self.worker, self.worker_thread
        if worker is None or thread is None:
            return
        worker.done.disconnect(self._on_done)  # this panel is going away
        worker.stop()
        if not thread.wait(2000):
            # Still waiting on the network: let it finish on its own rather than block the exit.
            thread.setParent(None)
            LINGERING.append(thread)
