"""GUI fixtures: the real main window on a real sandbox, and audio files of synthetic speakers.

pytest-qt provides the session-wide ``qapp`` (offscreen: the suite's conftest sets
``QT_QPA_PLATFORM``); every test gets its own config, data and sandbox directories.
"""

from __future__ import annotations

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
def window(qtbot: Any, sandbox: Any) -> Iterator[Any]:
    """The main window, shown, connected to the test's sandbox."""
    from desktop.ui.app import build_window

    ctx = Context()
    win = build_window(ctx)
    win.show()
    qtbot.waitUntil(lambda: win.ui.connection.state == "connected", timeout=15000)
    yield win
    win.close()
    ctx.close()


def panel(win: Any, name: str) -> Any:
    found = win.panel(name)
    assert found is not None, f"{name} is not in the window"
    win.show_panel(win.panels.index(found))
    return found


def wait_done(qtbot: Any, p: Any, timeout: int = 30000) -> None:
    qtbot.waitUntil(lambda: not p.busy, timeout=timeout)
