"""The shell: title, sandbox banner, status bar, Ctrl+N navigation, persistence, About, `vpw gui`."""

from __future__ import annotations

import time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.context import Context
from desktop.version import VERSION
from tests.gui.conftest import dispose

# Keep the sandbox from loading its speech recogniser for digits: these tests do not need it.
pytestmark = pytest.mark.usefixtures("digits")


def test_title_banner_and_status_bar(qtbot: Any, window: Any) -> None:
    assert VERSION in window.windowTitle()
    assert window.banner.isVisible() and "sandbox" in window.banner.label.text().lower()
    assert window.status.profile_label.text() == "Profile: sandbox"
    text = window.status.state_label.text()
    assert "connected" in text and "heartbeat" in text
    window.ui.bus.overflows.emit(3)
    assert window.status.overflow_label.text() == "Input overflows: 3"


@pytest.mark.parametrize("defer", [False, True])
def test_nothing_is_left_over_the_banner_once_the_panels_are_built(qtbot: Any, sandbox: Any, defer: bool) -> None:
    # The first frame shows a stand-in for the navigation list. Once the list replaces it, no
    # stray widget may stay painted in the central widget's corner: it did, over the banner,
    # until the deferred deletion ran (never, in scripts that only call processEvents).
    from PySide6.QtWidgets import QWidget

    from desktop.ui.app import build_window

    ctx = Context()
    win = build_window(ctx, defer=defer)
    try:
        win.show()
        if defer:
            qtbot.waitUntil(lambda: win._started, timeout=10000)
        central = win.centralWidget()
        banner_bottom = win.banner.geometry().bottom()
        children = central.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        stray = [type(c).__name__ for c in children
                 if c.isVisible() and c is not win.banner and c.geometry().top() <= banner_bottom]  # fmt: skip
        assert not stray
        assert win.nav.isVisible() and win.nav.count() == len(win.panels)
    finally:
        dispose(win)
        ctx.close()


def test_heartbeat_time_advances(qtbot: Any, sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPW_VOICEPRINT_HEARTBEAT_S", "0.3")
    from desktop.ui.app import build_window

    ctx = Context()
    win = build_window(ctx)
    try:
        win.show()
        qtbot.waitUntil(lambda: win.ui.connection.state == "connected", timeout=15000)
        first = win.ui.connection.last_heartbeat
        assert first is not None
        qtbot.waitUntil(lambda: (win.ui.connection.last_heartbeat or 0) > first + 0.25, timeout=5000)
        beat = time.strftime("%H:%M:%S", time.localtime(win.ui.connection.last_heartbeat))
        qtbot.waitUntil(lambda: beat in win.status.state_label.text(), timeout=2000)
    finally:
        dispose(win)
        ctx.close()


def test_ctrl_number_switches_panels(qtbot: Any, window: Any) -> None:
    assert len(window.panels) >= 2
    for i in range(min(len(window.panels), 10)):  # Ctrl+1 … Ctrl+9, Ctrl+0 for the tenth
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + (i + 1) % 10), Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentIndex() == i
        assert window.nav.currentRow() == i


def test_geometry_and_last_panel_persist(qtbot: Any, sandbox: Any) -> None:
    from desktop.ui.app import build_window

    ctx = Context()
    win = build_window(ctx)
    win.show()
    win.resize(700, 560)
    win.show_panel(1)
    win.ui.settings.setValue("audio/input_device", "vmic")
    dispose(win)
    again = build_window(ctx)
    try:
        again.show()
        assert again.stack.currentIndex() == 1
        assert (again.width(), again.height()) == (700, 560)
        assert again.ui.input_device() == "vmic"
    finally:
        dispose(again)
        ctx.close()


def test_about_box_names_the_version(qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window.about_action.trigger()
    assert shown and VERSION in shown[0]


def test_space_in_a_name_field_types_a_space(qtbot: Any, window: Any) -> None:
    enrol = window.panel("EnrolPanel")
    window.show_panel(window.panels.index(enrol))
    enrol.user.setFocus()
    qtbot.keyClicks(enrol.user, "Li")
    qtbot.keyClick(enrol.user, Qt.Key.Key_Space)
    qtbot.keyClicks(enrol.user, "Na")
    assert enrol.user.text() == "Li Na"
    assert not enrol.busy


def test_profile_reload_restarts_the_connection(qtbot: Any, window: Any) -> None:
    old = window.ui.connection
    window.ui.switch_profile(None)
    assert window.ui.connection is not old
    qtbot.waitUntil(lambda: window.ui.connection.state == "connected", timeout=15000)
    assert window.status.profile_label.text() == "Profile: sandbox"


def test_vpw_without_a_command_opens_the_gui(monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop import cli

    opened: list[Any] = []
    monkeypatch.setattr("desktop.ui.app.run", lambda ctx, argv=None, lang=None: opened.append(lang) or 0)
    assert cli.main([]) == 0
    assert cli.main(["--lang", "zh", "gui"]) == 0
    assert opened == [None, "zh"]


def test_a_sandbox_report_from_a_replaced_start_is_ignored(qtbot: Any, window: Any) -> None:
    # A profile switch starts the services again; the first start's late report must not show
    # its error (or restart the new connection).
    window._start_services()
    current = window._services_generation
    window.sandbox_ready.emit(current - 1, "an old start failed")
    assert window.status.error != "an old start failed" and "old start" not in window.status.state_label.text()
    window.sandbox_ready.emit(current, "this start failed")
    assert "this start failed" in window.status.error
    qtbot.waitUntil(lambda: window.ui.connection.state == "connected", timeout=15000)


def test_the_sandbox_asks_for_digits_in_english(qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # The sandbox's digit reader hears English only; a real service's profile says nothing.
    from desktop.config import Profile

    panels = [window.panel("EnrolPanel"), window.panel("VerifyPanel")]
    for panel in panels:
        window.show_panel(window.panels.index(panel))
        assert panel.english_note.isVisible() and "English" in panel.english_note.text()
    monkeypatch.setattr(Profile, "is_sandbox", property(lambda self: False))
    for panel in panels:
        window.show_panel(window.panels.index(panel))
        panel.on_profile_changed()
        assert not panel.english_note.isVisible()
        assert panel.new_digits.isVisible()
