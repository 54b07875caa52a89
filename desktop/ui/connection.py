"""The window's one voiceprint WebSocket, as a QObject with signals.

The ``VoiceprintClient`` does the work on its own threads (hello, ``ping`` every heartbeat
interval, reconnection with backoff once it has been connected). This object adds what a window
needs: the first connection is attempted off the GUI thread and retried with backoff until it
succeeds, the client's ``on_state`` callbacks (which arrive on the client's threads) are turned
into queued Qt signals, and the heartbeat time is polled on a GUI timer (a plain attribute read).
"""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.config import VoiceprintSettings
from desktop.errors import AuthFailure, VpwError
from desktop.services.voiceprint import VoiceprintClient

log = logging.getLogger(__name__)

STATES = ("connecting", "connected", "reconnecting", "offline")


class Connection(QObject):
    # One of STATES. Emitted on the GUI thread (queued from the client's threads).
    state_changed = Signal(str)
    # Unix time of the last heartbeat sent.
    heartbeat = Signal(float)
    # A readable sentence when connecting failed (empty when it recovered).
    error_changed = Signal(str)
    _state_from_thread = Signal(str)
    _error_from_thread = Signal(str)

    def __init__(self, settings: VoiceprintSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = "offline"
        self.error = ""
        self._last_heartbeat: float | None = None
        self._disagree = 0  # polls in a row where the reported state contradicts the socket
        self._stop = threading.Event()
        self._starter: threading.Thread | None = None
        # Signals emitted from another thread to a receiver living here are queued: that is the hop.
        self._state_from_thread.connect(self._on_state)
        self._error_from_thread.connect(self._on_error)
        self.client = VoiceprintClient(settings, on_state=self._tell_state, keepalive=True)
        self._poll = QTimer(self)
        self._poll.setInterval(500)
        self._poll.timeout.connect(self._check_heartbeat)

    @property
    def last_heartbeat(self) -> float | None:
        return self._last_heartbeat

    def start(self) -> None:
        """Connect in the background; returns at once. Once only: the window may ask again when
        a slow sandbox start reports after a profile switch already started this connection, and
        a second connector would drop the first one's fresh socket and connect again."""
        if self._starter is not None or self._stop.is_set():
            return
        self._poll.start()
        self._starter = threading.Thread(target=self._first_connect, name="vpw-ui-connect", daemon=True)
        self._starter.start()

    def _tell_state(self, state: str) -> None:
        if not self._stop.is_set():  # after close() this object may be gone: nothing to tell
            self._state_from_thread.emit(state)

    def _tell_error(self, error: str) -> None:
        if not self._stop.is_set():
            self._error_from_thread.emit(error)

    def _first_connect(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                self.client.connect()
                self._tell_error("")
                return  # from here the client's keepalive reconnects by itself
            except AuthFailure as exc:
                self._tell_error(str(exc))
                return  # a refused AppCode will not get better by retrying
            except VpwError as exc:
                self._tell_error(str(exc))
                attempt += 1
                self._tell_state("reconnecting")
                # Backoff capped at 15 s: the sandbox may still be starting, a server may be down.
                if self._stop.wait(min(15.0, 0.5 * 2 ** min(attempt, 5))):
                    return
            except Exception:  # never let a bug in a background thread pass silently
                log.exception("connecting to the voiceprint service failed unexpectedly")
                self._tell_state("offline")
                return

    def close(self) -> None:
        """Stop the heartbeat and the socket (blocks briefly: a closing handshake of up to 1 s)."""
        self._stop.set()
        self._poll.stop()
        self.client.on_state = None  # no signals to a Connection that is going away
        threading.Thread(target=self.client.close, name="vpw-ui-close", daemon=True).start()

    @Slot(str)
    def _on_state(self, state: str) -> None:
        if state == self.state:
            return
        self.state = state
        if state == "connected":
            self._last_heartbeat = time.time()  # the hello counts: the socket was just proven alive
            self.heartbeat.emit(self._last_heartbeat)
            if self.error:
                self._on_error("")
        self.state_changed.emit(state)

    @Slot(str)
    def _on_error(self, error: str) -> None:
        if error != self.error:
            self.error = error
            self.error_changed.emit(error)

    @Slot()
    def _check_heartbeat(self) -> None:
        # The client's state callbacks can arrive out of order when a dying reader thread and a
        # reconnect race (the status bar then said "reconnecting" on a live socket). The socket
        # itself is the truth: a state that disagrees with it for over a second is corrected.
        live = self.client.connected
        if (self.state == "connected") != live and not self._stop.is_set():
            self._disagree += 1
            if self._disagree >= 3:
                self._on_state("connected" if live else "reconnecting")
        else:
            self._disagree = 0
        beat = self.client.last_heartbeat
        if beat is not None and beat != self._last_heartbeat:
            self._last_heartbeat = beat
            self.heartbeat.emit(beat)
