"""The Speech panel (Rokid TTS): type a text, choose the voice and codec, hear it or save it.

The text is checked with the client's own rule (``rokid.check_tts``) before anything is sent.
Synthesis runs on a ``Background`` pool thread, playback on the ``Player``'s thread, saving on
the pool too; this module only touches widgets, on the GUI thread. A failure shows the client's
sentence (a refused secret shows Rokid's own 500 text).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.audio import speech_export
from desktop.errors import InputError
from desktop.services.rokid import DECLAIMERS, TEXT_LIMIT, TTS_CODECS, RokidClient, TtsAudio, check_tts
from desktop.ui import file_dialogs
from desktop.ui.background import Background
from desktop.ui.context import UiContext
from desktop.ui.qtext import arg
from desktop.ui.speech_player import Player
from desktop.ui.widgets.notes import reserve_room

log = logging.getLogger(__name__)


def default_declaimer() -> str:
    """The voice that speaks the window's language, where Rokid has one (all its voices are
    Mandarin, so a Chinese window gets the adult Chinese voice; others keep the first)."""
    by_language = {QLocale.Language.Chinese: "zh"}
    return by_language.get(QLocale().language(), DECLAIMERS[0])


def _save(audio: TtsAudio, path: Path, fmt: str) -> Path:
    try:
        return speech_export.save(audio, path, fmt)
    except OSError as exc:
        raise InputError(arg(QCoreApplication.translate("SpeechPanel", "Cannot write %1: %2"), path,
                             exc.strerror or exc)) from exc  # fmt: skip


class SpeechPanel(QWidget):
    icon_name = "speech"

    def title(self) -> str:
        return self.tr("Speech")

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.audio: TtsAudio | None = None  # the latest synthesis, kept for Save as and replay
        self.synthesising = False
        # Set here, cleared when the player's "finished" arrives: the thread may have ended
        # before its last queued signals are delivered.
        self.playing = False
        self.background = Background(self)
        self.player = Player(self)
        self.player.progress.connect(self._on_progress)
        self.player.finished.connect(self._on_played)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        heading = QLabel(self.tr("Speech synthesis"), self)
        heading.setObjectName("panelTitle")
        layout.addWidget(heading)
        intro = QLabel(self.tr("Rokid reads the text aloud. Play it here, or save it as a file."), self)
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName(self.tr("Text to speak"))
        self.text.setPlaceholderText(self.tr("Type what Rokid should say"))
        self.text.textChanged.connect(self._on_text_changed)
        layout.addWidget(self.text, 1)
        self.count = QLabel(self)
        self.count.setObjectName("hint")
        layout.addWidget(self.count)

        form = QFormLayout()
        self.declaimer = QComboBox(self)
        self.declaimer.setAccessibleName(self.tr("Voice"))
        names = {"zh": self.tr("Adult (zh)"), "c1": self.tr("Child (c1)")}
        for value in DECLAIMERS:
            self.declaimer.addItem(names.get(value, value), value)
        # Free text too: Rokid's declaimer field is a string and its voices change; a name typed
        # here is sent as typed (check_tts refuses only what no service could hold).
        self.declaimer.setEditable(True)
        self.declaimer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.declaimer.setCurrentIndex(max(0, self.declaimer.findData(default_declaimer())))
        self.declaimer.setToolTip(
            self.tr(
                "Pick a voice, or type the name of another Rokid voice. Rokid's voices speak Mandarin; "
                "there is no English voice."
            )
        )
        form.addRow(self.tr("Voice:"), self.declaimer)
        self.codec = QComboBox(self)
        self.codec.setAccessibleName(self.tr("Audio codec"))
        for value in TTS_CODECS:
            self.codec.addItem(value, value)
        form.addRow(self.tr("Codec:"), self.codec)
        layout.addLayout(form)

        buttons = QHBoxLayout()
        self.speak_button = QPushButton(self.tr("Speak"), self)
        self.speak_button.setObjectName("recordButton")
        self.speak_button.setAccessibleName(self.tr("Synthesise the text and play it"))
        self.speak_button.clicked.connect(self.speak)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setAccessibleName(self.tr("Stop playing"))
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.player.stop)
        self.save_button = QPushButton(self.tr("Save as…"), self)
        self.save_button.setAccessibleName(self.tr("Save the speech as a file"))
        self.save_button.clicked.connect(self.save_as)
        for b in (self.speak_button, self.stop_button, self.save_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Playback progress"))
        layout.addWidget(self.progress)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Speech status"))
        layout.addWidget(self.status)
        self.error = QLabel(self)
        self.error.setObjectName("answer")
        self.error.setProperty("ok", False)
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Speech error"))
        self.error.hide()
        layout.addWidget(reserve_room(self.error))
        self._on_text_changed()

    # -- state ---------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.synthesising or self.playing or self.background.busy

    def _choice(self) -> tuple[str, str, str]:
        return self.text.toPlainText(), self._declaimer(), str(self.codec.currentData())

    def _declaimer(self) -> str:
        """The chosen item's name, or the name typed over it."""
        index = self.declaimer.currentIndex()
        typed = self.declaimer.currentText().strip()
        if index >= 0 and typed == self.declaimer.itemText(index):
            return str(self.declaimer.itemData(index))
        return typed

    def _show_error(self, sentence: str) -> None:
        self.error.setText(sentence)
        self.error.setVisible(bool(sentence))

    def _on_text_changed(self) -> None:
        n = len(self.text.toPlainText())
        self.count.setText(arg(self.tr("%1 of %2 characters"), n, TEXT_LIMIT))
        self.count.setProperty("ok", n <= TEXT_LIMIT)
        self._show_error("")

    def _set_running(self, running: bool) -> None:
        self.speak_button.setEnabled(not running)
        self.save_button.setEnabled(not running)

    def _client(self) -> RokidClient:
        self.ui.ctx.ensure_sandbox()  # a no-op unless the profile is the sandbox's
        return RokidClient(self.ui.profile.rokid)

    # -- synthesis -----------------------------------------------------------------------------

    def _synthesise(self, then: Any) -> None:
        """Check the input, then synthesise on a pool thread and call ``then(audio)`` here."""
        text, declaimer, codec = self._choice()
        try:
            check_tts(text, declaimer, codec)
        except InputError as exc:
            self._show_error(str(exc))
            return
        self._show_error("")
        current = self.audio
        if current is not None and (current.text, current.declaimer, current.codec) == (text, declaimer, codec):
            then(current)  # the same request again: no need to ask Rokid twice
            return
        try:
            client = self._client()
        except Exception as exc:  # a bad profile or a sandbox that cannot start
            self._show_error(str(exc))
            return
        self.synthesising = True
        self._set_running(True)
        self.status.setText(self.tr("Synthesising…"))

        def done(audio: Any) -> None:
            self.synthesising = False
            self._set_running(False)
            self.audio = audio
            self.status.setText(arg(self.tr("%1 s of speech (%2, %3 bytes)"), f"{audio.seconds:.1f}", audio.codec,
                                    len(audio.data)))  # fmt: skip
            then(audio)

        self.background.run(lambda: client.tts(text, declaimer=declaimer, codec=codec), done, self._failed)

    def _failed(self, sentence: str) -> None:
        self.synthesising = False
        self._set_running(False)
        self.status.setText("")
        self._show_error(sentence)

    def speak(self) -> None:
        if self.busy:
            return
        self._synthesise(self._play)

    def _play(self, audio: TtsAudio) -> None:
        self.progress.setValue(0)
        self.stop_button.setEnabled(True)
        self._set_running(True)
        self.playing = True
        self.player.start(audio.pcm.samples, audio.pcm.rate, self.ui.output_device())

    def _on_progress(self, fraction: float) -> None:
        self.progress.setValue(int(max(0.0, min(1.0, fraction)) * 1000))

    def _on_played(self, completed: bool, sentence: str) -> None:
        self.playing = False
        self.stop_button.setEnabled(False)
        self._set_running(False)
        if sentence:
            self._show_error(sentence)
        elif not completed:
            self.status.setText(self.tr("Stopped."))
        else:
            self.status.setText(self.tr("Played."))

    # -- saving --------------------------------------------------------------------------------

    def save_as(self) -> None:
        if self.busy:
            return
        codec = str(self.codec.currentData())
        types = {
            speech_export.WAV: self.tr("WAV audio (*.wav)"),
            speech_export.MP3: self.tr("MP3 audio (*.mp3)"),
            speech_export.RAW: arg(self.tr("Codec bytes as received (*.%1)"), codec),
        }
        path, chosen = file_dialogs.save_file(
            self, self.ui.settings, self.tr("Save the speech"), "speech.wav", ";;".join(types.values())
        )
        if path:
            kind = next((k for k, text in types.items() if text == chosen), speech_export.WAV)
            fmt = speech_export.format_for(Path(path), kind)
            self.save_to(speech_export.with_suffix(Path(path), fmt, codec), fmt=fmt)

    def save_to(self, path: Path, raw: bool = False, fmt: str | None = None) -> None:
        """Synthesise if needed, then write ``path`` on a pool thread in ``fmt`` (wav, mp3 or raw;
        by default what the name's suffix says, else WAV; ``raw``: the codec's bytes)."""
        fmt = fmt or (speech_export.RAW if raw else speech_export.format_for(path, speech_export.WAV))

        def write(audio: TtsAudio) -> None:
            self._set_running(True)

            def saved(result: Any) -> None:
                self._set_running(False)
                self.status.setText(arg(self.tr("Saved: %1"), result))

            def failed(sentence: str) -> None:
                self._set_running(False)
                self._show_error(sentence)

            self.background.run(lambda: _save(audio, path, fmt), saved, failed)

        self._synthesise(write)

    # -- window hooks --------------------------------------------------------------------------

    def on_profile_changed(self) -> None:
        self.audio = None  # another profile may speak with another voice

    def shutdown(self) -> None:
        self.player.join()
        self.background.wait()
