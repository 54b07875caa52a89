"""What every panel shares: the profile, the history store, the voiceprint connection, settings.

Created once by the main window on the GUI thread and passed to each panel's constructor.
Panels talk to the window through ``ui.bus`` signals (never by reaching into the window), so a
panel can be built and tested alone with a bare ``UiContext``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from desktop.config import Profile
    from desktop.context import Context
    from desktop.store.history import History

log = logging.getLogger(__name__)

# QSettings keys (window state and operator choices; never secrets).
KEY_GEOMETRY = "window/geometry"
KEY_WINDOW_STATE = "window/state"
KEY_LAST_PANEL = "window/panel"
KEY_LANGUAGE = "ui/language"  # "" = follow the system locale, else "en" or "zh_CN"
KEY_INPUT_DEVICE = "audio/input_device"  # PortAudio device spec ("" = the profile's, then default)
KEY_OUTPUT_DEVICE = "audio/output_device"


class UiBus(QObject):
    """Window-wide events. Emit on the GUI thread."""

    # Emitted by whoever switched or edited the active profile (Settings); the window restarts
    # the connection, then calls every panel's ``on_profile_changed``.
    profile_changed = Signal()
    # "" / "en" / "zh_CN": the window re-installs translators and rebuilds its panels.
    language_changed = Signal(str)
    # Input overflows counted by the current recording (the status bar shows them).
    overflows = Signal(int)
    # A short message for the status bar.
    message = Signal(str)
    # A completed attempt was stored in history (the History panel refreshes).
    history_changed = Signal()
    # The operator's name changed in Settings (the status bar shows who is recorded).
    operator_changed = Signal(str)
    # Enrol this name again (Speakers panel): the window opens Enrol with the name filled in.
    enrol_requested = Signal(str)
    # A verification needs a phone code: desktop.ui.escalation.Escalation (the window opens Phone).
    escalate = Signal(object)


@dataclass
class UiContext:
    ctx: Context  # desktop.context.Context: profile loading, history, embedded sandbox
    settings: QSettings  # window geometry, last panel, chosen devices (not secrets)
    connection: Any = None  # desktop.ui.connection.Connection, set by the main window
    extras: dict[str, Any] = field(default_factory=dict)
    bus: UiBus = field(default_factory=UiBus)

    @property
    def profile(self) -> Profile:
        return self.ctx.profile

    @property
    def history(self) -> History:
        return self.ctx.history

    def switch_profile(self, name: str | None) -> None:
        """Make ``name`` the active profile (``None``: reload the current one after an edit)."""
        try:
            before = self.ctx.profile.name
        except Exception:  # a broken profile is being switched away from
            before = self.ctx.profile_name or ""
        self.ctx.reload_profile(name)
        if name is not None and name != before:
            try:
                self.ctx.record("profile", subject=name, outcome="switched", details={"from": before or ""})
            except Exception:  # the audit must not stop the switch; the log says why
                log.exception("recording the profile switch failed")
        self.bus.profile_changed.emit()

    def input_device(self) -> str:
        """The microphone the operator chose here, else the profile's, else "" (the default)."""
        chosen = str(self.settings.value(KEY_INPUT_DEVICE, "") or "")
        return chosen or self.profile.audio.input_device

    def output_device(self) -> str:
        chosen = str(self.settings.value(KEY_OUTPUT_DEVICE, "") or "")
        return chosen or self.profile.audio.output_device
