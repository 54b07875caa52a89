"""GUI fixtures: the real main window on a real sandbox, and audio files of synthetic speakers.

pytest-qt provides the session-wide ``qapp`` (offscreen: the suite's conftest sets
``QT_QPA_PLATFORM``); every test gets its own config, data and sandbox directories.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import soundfile as sf

from desktop.context import Context
from tests.audio.conftest import pulse_server, vaudio_realtime  # noqa: F401  (fixtures used by GUI tests)
from tests.sandbox.speech import speech


class FixedDigits:
    """A digit reader for the sandbox (its plug-in point) that hears what the test says.

    ``heard`` is a string, or None to hear exactly the digits of the latest attempt's prompt.
    """

    def __init__(self) -> None:
        self.heard: str | None = None
        self.window: Any = None

    def read_digits(self, pcm: Any) -> str:
        if self.heard is not None:
            return self.heard
        for p in getattr(self.window, "panels", []):
            worker = getattr(p, "worker", None)
            if worker is not None:
                return worker.outcome.prompt or ""
        return ""


@pytest.fixture
def digits(monkeypatch: pytest.MonkeyPatch) -> FixedDigits:
    reader = FixedDigits()
    module = types.ModuleType("desktop.sandbox.engines.digits")
    module.load_reader = lambda: reader  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "desktop.sandbox.engines.digits", module)
    return reader


def write_wav(path: Path, pcm: npt.NDArray[np.int16]) -> Path:
    sf.write(str(path), pcm, 16000, subtype="PCM_16")
    return path


@pytest.fixture
def speech_file(tmp_path: Path) -> Any:
    """``speech_file("alice", 0, 1)``: a WAV of that synthetic speaker reading those texts."""

    def make(speaker: str, *texts: int) -> Path:
        return write_wav(tmp_path / f"{speaker}-{'-'.join(map(str, texts))}.wav", speech(speaker, *texts))

    return make


@pytest.fixture
def window(qtbot: Any, sandbox: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The main window, shown, connected to the test's sandbox."""
    from desktop.ui.app import build_window

    ctx = Context()
    win = build_window(ctx)
    if "digits" in request.fixturenames:
        request.getfixturevalue("digits").window = win
    win.show()
    qtbot.waitUntil(lambda: win.ui.connection.state == "connected", timeout=15000)
    yield win
    dispose(win)
    ctx.close()


def dispose(win: Any) -> None:
    """Close a window a test built, and destroy it. Closing only hides it: a window left alive
    keeps its ~400 widgets, and every later window's style sheet and translator visit them all,
    so the ``window`` set-up grew from 0.2 s to 5-7 s across the GUI tests, and past 30 s on a
    loaded machine."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    win.close()  # the panels shut down and join their workers here
    win.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def panel(win: Any, name: str) -> Any:
    found = win.panel(name)
    assert found is not None, f"{name} is not in the window"
    win.show_panel(win.panels.index(found))
    return found


def wait_done(qtbot: Any, p: Any, timeout: int = 30000) -> None:
    qtbot.waitUntil(lambda: not p.busy, timeout=timeout)
