"""The Verify panel's optional second opinion on the digits: Rokid ASR transcribes the same take
and the digits it heard are compared with the prompt, beside the voiceprint service's own reading.

Two independent recognisers agreeing is stronger evidence that the speaker read the fresh prompt
live (not a replayed recording) than either alone; disagreeing tells the operator to look closer.
The transcription runs on a ``Background`` pool thread; a late answer for an earlier attempt is
dropped, so the box always describes the take shown beside it.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.services.spoken_digits import digits_in
from desktop.ui.background import Background
from desktop.ui.context import UiContext
from desktop.ui.qtext import arg
from desktop.ui.widgets.digits import DigitComparison

log = logging.getLogger(__name__)


class DigitCrossCheck(QWidget):
    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.background = Background(self, max_threads=1)
        self._attempt = 0  # bumped per take; a transcript for an older take is dropped
        self.heard: str | None = None  # digits ASR heard for the current take (None: none yet)
        self.transcript = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        self.heading = QLabel(self.tr("Speech recognition (Rokid) cross-check"), self)
        self.heading.setObjectName("hint")
        self.heading.setWordWrap(True)
        self.comparison = DigitComparison(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Speech recognition cross-check"))
        for w in (self.heading, self.comparison, self.status):
            layout.addWidget(w)
        self.clear()

    @property
    def running(self) -> bool:
        return self.background.busy

    def clear(self) -> None:
        self._attempt += 1
        self.heard = None
        self.transcript = ""
        self.comparison.clear()
        self.comparison.hide()
        self.status.setText("")
        self.hide()

    def run(self, prompt: str, pcm: bytes) -> None:
        """Transcribe ``pcm`` (16 kHz s16le mono, the take as streamed) and compare with ``prompt``."""
        self.clear()
        self.show()
        attempt = self._attempt
        try:
            from desktop.services.rokid import RokidClient

            self.ui.ctx.ensure_sandbox()  # a no-op unless the profile is the sandbox's
            client = RokidClient(self.ui.profile.rokid)
        except Exception as exc:  # a bad profile or a sandbox that cannot start
            self._failed(attempt, str(exc) or type(exc).__name__)
            return
        self.status.setText(self.tr("Transcribing the same recording…"))

        def done(result: Any) -> None:
            if attempt == self._attempt:
                self._show(prompt, str(result.text))

        self.background.run(lambda: client.asr(pcm), done, lambda sentence: self._failed(attempt, sentence))

    def _failed(self, attempt: int, sentence: str) -> None:
        if attempt == self._attempt:
            self.status.setText(arg(self.tr("The cross-check could not run: %1"), sentence))

    def _show(self, prompt: str, transcript: str) -> None:
        self.transcript = transcript
        self.heard = digits_in(transcript)
        quoted = transcript.strip() or self.tr("(nothing)")
        if not self.heard:
            self.status.setText(arg(self.tr("Speech recognition heard no digits: “%1”."), quoted))
            return
        self.comparison.show_comparison(prompt, self.heard)
        self.comparison.show()
        wrong = self.comparison.same.count(False)
        if wrong == 0:
            summary = self.tr("Speech recognition heard the same digits as the prompt.")
        else:
            summary = arg(self.tr("Speech recognition heard different digits at %1 of %2 places."), wrong,
                          len(self.comparison.same))  # fmt: skip
        self.comparison.summary.setText(summary)
        self.comparison.summary.setAccessibleName(summary)
        self.status.setText(arg(self.tr("Transcript: “%1”"), quoted))

    def shutdown(self) -> None:
        self._attempt += 1
        self.background.wait()
