"""The window's panels, in navigation order (Ctrl+1 is the first).

The contract a panel keeps with the main window:

- a ``QWidget`` subclass constructed as ``Panel(ui: desktop.ui.context.UiContext, parent=None)``;
- ``title(self) -> str``: its translated title (``self.tr(...)``) for the navigation list;
- optional ``icon_name: str``: an SVG in ``resources/icons/`` (without ``.svg``);
- optional hooks, called on the GUI thread: ``on_shown()`` when the operator switches to it,
  ``on_profile_changed()`` after the active profile was switched or edited (the connection has
  already been restarted), ``shutdown()`` when the window closes (stop workers, join threads).

Modules are imported lazily: a panel whose module does not exist yet is skipped, so the shell
runs while panels are still being built; any other import error is a bug and propagates.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

PANELS: list[tuple[str, str]] = [
    ("desktop.ui.panels.enrol", "EnrolPanel"),
    ("desktop.ui.panels.verify", "VerifyPanel"),
    ("desktop.ui.panels.history", "HistoryPanel"),
    ("desktop.ui.panels.speakers", "SpeakersPanel"),
    ("desktop.ui.panels.settings", "SettingsPanel"),
    ("desktop.ui.panels.assessment", "AssessmentPanel"),
    ("desktop.ui.panels.phone", "PhonePanel"),
    ("desktop.ui.panels.calibration", "CalibrationPanel"),
    ("desktop.ui.panels.speech", "SpeechPanel"),
    ("desktop.ui.panels.transcribe", "TranscribePanel"),
]


def panel_classes() -> list[type[QWidget]]:
    found: list[type[QWidget]] = []
    for module_name, class_name in PANELS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                log.info("panel %s is not built yet; skipped", module_name)
                continue
            raise
        found.append(getattr(module, class_name))
    return found


def panel_title(panel: QWidget) -> str:
    """A panel's translated title; falls back to the class name so a half-built panel still shows."""
    title = getattr(panel, "title", None)
    if callable(title):
        return str(title())
    if isinstance(title, str):
        return title
    return type(panel).__name__
