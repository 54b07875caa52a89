"""Reading the digit prompt aloud to the speaker through Rokid TTS, for the Enrol and Verify panels.

Useful when the speaker cannot see the screen (on a call, poor eyesight). Synthesis runs on a
``Background`` pool thread and playback on the ``Player``'s thread; this object only reports
through signals on the GUI thread. The last prompt's audio is kept, so "again" plays at once.

A synthesis that comes back after the operator stopped it, or after the prompt changed, is
dropped rather than played: the speaker must never hear digits other than the ones on screen.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop.ui.background import Background
from desktop.ui.speech_player import Player

if TYPE_CHECKING:
    from desktop.services.rokid import TtsAudio
    from desktop.ui.context import UiContext

log = logging.getLogger(__name__)

IDLE, SYNTHESISING, PLAYING = "idle", "synthesising", "playing"
DECLAIMER = "zh"
CODEC = "mp3"  # the smallest reply on the wire; every codec decodes to the same PCM


def prompt_text(digits: str) -> str:
    """One digit at a time with a pause between: "4，0，7，1" is read as digits, not as a number."""
    return "，".join(digits)


class PromptReader(QObject):
    state_changed = Signal(str)  # IDLE | SYNTHESISING | PLAYING
    failed = Signal(str)  # a readable sentence

    def __init__(self, ui: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.state = IDLE
        self.background = Background(self, max_threads=1)
        self.player = Player(self)
        self.player.finished.connect(self._on_played)
        self._audio: TtsAudio | None = None  # the last prompt's speech
        self._request = 0  # bumped by every read and stop; a stale synthesis sees it changed

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def read(self, digits: str) -> None:
        if self.state != IDLE or not digits:
            return
        text = prompt_text(digits)
        if self._audio is not None and self._audio.text == text:
            self._play(self._audio)
            return
        try:
            from desktop.services.rokid import RokidClient

            self.ui.ctx.ensure_sandbox()  # a no-op unless the profile is the sandbox's
            client = RokidClient(self.ui.profile.rokid)
        except Exception as exc:  # a bad profile or a sandbox that cannot start
            self.failed.emit(str(exc) or type(exc).__name__)
            return
        self._request += 1
        request = self._request
        self._set_state(SYNTHESISING)

        def done(audio: Any) -> None:
            self._audio = audio
            if request != self._request:  # stopped or superseded meanwhile
                return
            self._play(audio)

        def failed(sentence: str) -> None:
            if request != self._request:
                return
            self._set_state(IDLE)
            self.failed.emit(sentence)

        self.background.run(lambda: client.tts(text, declaimer=DECLAIMER, codec=CODEC), done, failed)

    def _play(self, audio: TtsAudio) -> None:
        self._set_state(PLAYING)
        self.player.start(audio.pcm.samples, audio.pcm.rate, self.ui.output_device())

    def _on_played(self, _completed: bool, sentence: str) -> None:
        self._set_state(IDLE)
        if sentence:
            self.failed.emit(sentence)

    def stop(self) -> None:
        """Stop at once: silence now, and a synthesis still under way is never played."""
        self._request += 1
        self.player.stop()
        if self.state == SYNTHESISING:
            self._set_state(IDLE)

    def forget(self) -> None:
        """The profile changed: another Rokid account may speak with another voice."""
        self.stop()
        self._audio = None

    def shutdown(self) -> None:
        self.stop()
        self.player.join()
        self.background.wait()
