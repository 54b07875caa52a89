"""Everything fits the default window (1100×720) in English and Chinese: no panel needs more room
than the window gives it, with the Verify panel showing a full result (issue 14: the verify result
column was clipped and a horizontal scrollbar appeared below ~1440 px; Calibration needed ~770 px
of height)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from desktop.context import Context
from desktop.services.voiceprint_result import Candidate, SessionResult
from desktop.ui import translations
from desktop.ui import verdict as v
from desktop.ui.workers import Outcome
from tests.gui.conftest import dispose

pytestmark = pytest.mark.usefixtures("digits")

LONG_NAME = "Maria-Magdalena Konstantinopoulou-Villanueva"


def body_of(panel: QWidget) -> QWidget:
    """What a panel lays out: the widget inside its scroll area, or the panel itself."""
    for area in panel.findChildren(QScrollArea):
        if area.parent() is panel and area.widget() is not None:
            return area.widget()
    return panel


def show_full_result(verify: Any) -> None:
    result = SessionResult(
        kind="verify", user=LONG_NAME, status=403, voice_accepted=False,
        candidates=[Candidate("Zhang Wei (customer service)", 0.8731), Candidate(LONG_NAME, 0.7912),
                    Candidate("李娜", 0.5151)],
        number="60236614", prompt="60236674", message="", raw='{"status":403}', audio_s=4.4, stop_to_result_s=0.17,
    )  # fmt: skip
    outcome = Outcome("verify", LONG_NAME, "60236674", "file", result=result)
    verify.user.setText(LONG_NAME)
    verify.show_outcome(outcome, v.of_result(result))
    # The cross-check's recogniser heard more digits than were asked for: the widest comparison.
    verify.cross_check.show()
    verify.cross_check._show("60236674", "five eight zero four two one eight five eight five eight zero two six")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_panel_fits_the_default_window(qtbot: Any, sandbox: Any, lang: str) -> None:
    from desktop.ui.app import build_window

    app = QApplication.instance()
    ctx = Context()
    win = build_window(ctx, lang=lang)
    try:
        win.resize(1100, 720)
        win.show()
        qtbot.waitUntil(lambda: win.isVisible() and bool(win.panels), timeout=10000)
        room = win.stack.size()
        assert room.width() >= 900 and room.height() >= 600, room  # the window itself got its size
        too_big = []
        for panel in win.panels:
            win.show_panel(win.panels.index(panel))
            if type(panel).__name__ == "VerifyPanel":
                show_full_result(panel)
            QApplication.processEvents()
            body = body_of(panel)
            need = body.minimumSizeHint()
            height = need.height()
            layout = body.layout()
            if layout is not None and layout.hasHeightForWidth():
                # What a scroll area gives a body with wrapped text at this width (from size hints).
                height = max(height, body.heightForWidth(room.width()))
            if need.width() > room.width() or height > room.height():
                too_big.append((type(panel).__name__, need.width(), height))
        assert too_big == [], f"{lang}: room {room.width()}x{room.height()}, panels need {too_big}"
        verify = win.panel("VerifyPanel")
        win.show_panel(win.panels.index(verify))
        QApplication.processEvents()
        area = verify.findChild(QScrollArea)
        assert not area.horizontalScrollBar().isVisible()
    finally:
        dispose(win)
        ctx.close()
        translations.install(app, "en")  # type: ignore[arg-type]
