"""The main window: a navigation list beside a stack of panels, the sandbox banner, the status
bar, and the one voiceprint connection every panel shares."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from desktop.ui import translations
from desktop.ui.context import KEY_GEOMETRY, KEY_LANGUAGE, KEY_LAST_PANEL, KEY_WINDOW_STATE, UiContext
from desktop.ui.panels import panel_classes, panel_title
from desktop.ui.qtext import arg
from desktop.ui.shortcuts import first_field, shortcuts_html
from desktop.ui.statusbar import StatusBar
from desktop.ui.widgets.banner import Banner

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListWidget

log = logging.getLogger(__name__)

NAV_WIDTH = 180
# With no docks or tool bars, Qt still lays the central widget out through a zero-length geometry
# animation (QWidgetAnimator), whose timer object is the first of Qt's private classes to reach
# Python when anything watches the application's events; placing it in one step does the same.
CENTRAL_STYLE = "QWidget#central { widget-animation-duration: 0; }"
# The empty navigation column's look in the first frame: QListWidget#nav's in app.qss.
NAV_PLACEHOLDER_STYLE = "QFrame { background: #eef2f6; border: none; border-right: 1px solid #cdd6df; }"


def version() -> str:
    from desktop.version import VERSION

    return VERSION


class MainWindow(QMainWindow):
    # The embedded sandbox is up (or was not needed); carries an error sentence when it failed.
    sandbox_ready = Signal(int, str)  # start-up generation, error sentence ("" when none)

    # The panels are built and the services started (right away, or just after the first paint).
    ready = Signal()

    nav: QListWidget  # built with the panels (see _make_nav)

    def __init__(self, ui: UiContext, parent: QWidget | None = None, *, defer: bool = False) -> None:
        """``defer``: show the frame first and build the panels in the first event-loop turn, so
        the window appears before the panels' heavier imports (numpy, the audio stack) load."""
        super().__init__(parent)
        self._started = False  # panels built and services started (see _finish_startup)
        self._services_generation = 0  # bumped by every _start_services
        self.ui = ui
        self.setObjectName("MainWindow")
        self.panels: list[QWidget] = []
        self.panel_actions: list[QAction] = []
        # Read before the panels are built: showing the first one records it as the last.
        self._last_panel = str(ui.settings.value(KEY_LAST_PANEL, "") or "")

        central = QWidget(self)
        central.setObjectName("central")
        central.setStyleSheet(CENTRAL_STYLE)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = Banner(central)
        self.banner.action_clicked.connect(self._open_settings)
        outer.addWidget(self.banner)
        self._body = body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        # The navigation list holds one row per panel, so it comes with the panels; until then an
        # empty column that looks the same. Not the list itself: a scroll area's construction
        # loads the item-view classes and starts Qt's gesture manager, which the first frame
        # does not need.
        self._nav_slot: QFrame | None = QFrame(central)
        self._nav_slot.setStyleSheet(NAV_PLACEHOLDER_STYLE)
        self._nav_slot.setFixedWidth(NAV_WIDTH)
        self.stack = QStackedWidget(central)
        body.addWidget(self._nav_slot)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        ui.bus.overflows.connect(self.status.set_overflows)
        ui.bus.message.connect(lambda text: self.status.showMessage(text, 8000))
        ui.bus.profile_changed.connect(self._on_profile_changed)
        ui.bus.operator_changed.connect(self.status.set_operator)
        ui.bus.enrol_requested.connect(self._enrol_again)
        ui.bus.language_changed.connect(self._on_language_changed)
        ui.bus.escalate.connect(self._on_escalate)
        self.sandbox_ready.connect(self._on_sandbox_ready)

        self._build_menus()
        self._retranslate()
        self._restore()
        self.status.set_state("connecting")
        if defer:
            # After the first paint, not merely the first event-loop turn: a platform may deliver
            # the window's expose after zero-time timers. The fallback covers a window never shown.
            QTimer.singleShot(1000, self._finish_startup)
        else:
            self._finish_startup()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if not self._started and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._finish_startup)
        return handled

    @Slot()
    def _finish_startup(self) -> None:
        if self._started:
            return
        self._started = True
        from desktop.ui.icons import icon  # QIcon and Qt's SVG icon engine: not for the first frame

        self.setWindowIcon(icon("app"))
        self._set_quit_shortcut()
        self._make_nav()
        self._make_connection()
        self._build_panels()
        self._retranslate()
        names = [type(p).__name__ for p in self.panels]
        if self._last_panel in names:
            self.show_panel(names.index(self._last_panel))
        self._start_services()
        self.ready.emit()

    # -- building ----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        self.file_menu = bar.addMenu("")
        self.quit_action = QAction(self)
        if self._started:
            self._set_quit_shortcut()
        self.quit_action.triggered.connect(self.close)
        self.new_caller_action = QAction(self)
        self.new_caller_action.triggered.connect(self.new_caller)
        self.file_menu.addAction(self.new_caller_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.view_menu = bar.addMenu("")
        self.help_menu = bar.addMenu("")
        self.shortcuts_action = QAction(self)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.help_menu.addAction(self.shortcuts_action)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    def _set_quit_shortcut(self) -> None:
        # After the first paint: resolving setShortcut's overloads builds all ~90 enums of the Qt
        # namespace, tens of milliseconds the window should not wait for.
        from PySide6.QtGui import QKeySequence

        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.new_caller_action.setShortcut(QKeySequence("Ctrl+N"))
        self.shortcuts_action.setShortcut(QKeySequence.StandardKey.HelpContents)

    def _make_nav(self) -> None:
        """The navigation list, in the place the first frame kept for it."""
        from PySide6.QtWidgets import QListWidget

        self.nav = QListWidget(self.centralWidget())
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.currentRowChanged.connect(self._show_panel)
        if self._nav_slot is not None:
            self._body.replaceWidget(self._nav_slot, self.nav)
            # Out of the layout it would stay painted over the banner until deleted: hide it now.
            self._nav_slot.hide()
            self._nav_slot.deleteLater()
            self._nav_slot = None
            # Qt shows a widget put into a visible layout only in a later event-loop turn (a
            # queued call): until then the window said it had started with no list to be seen.
            # Show it now, in step with hiding the stand-in; showing a child activates its
            # parent's layout, so it is placed in the column, not at (0, 0) over the banner.
            self.nav.show()

    def _build_panels(self) -> None:
        from PySide6.QtGui import QKeySequence
        from PySide6.QtWidgets import QListWidgetItem

        from desktop.ui.icons import icon

        current = max(0, self.nav.currentRow())
        for panel in self.panels:
            self._call(panel, "shutdown")
            self.stack.removeWidget(panel)
            panel.deleteLater()
        self.panels = []
        self.nav.blockSignals(True)
        self.nav.clear()
        for action in self.panel_actions:
            self.view_menu.removeAction(action)
            self.removeAction(action)
        self.panel_actions = []
        for i, cls in enumerate(panel_classes()):
            factory: Any = cls  # a panel class: Panel(ui, parent) per the registry's contract
            panel = factory(self.ui, self.stack)
            self.panels.append(panel)
            self.stack.addWidget(panel)
            item = QListWidgetItem(icon(getattr(panel, "icon_name", "") or ""), panel_title(panel))
            self.nav.addItem(item)
            action = QAction(panel_title(panel), self)
            if i < 10:  # Ctrl+1 … Ctrl+9, then Ctrl+0 for the tenth (as on the keyboard's row)
                action.setShortcut(QKeySequence(f"Ctrl+{(i + 1) % 10}"))
            action.triggered.connect(lambda _=False, row=i: self.show_panel(row, focus=True))
            self.addAction(action)  # active even with the menu bar hidden
            self.view_menu.addAction(action)
            self.panel_actions.append(action)
        self.nav.blockSignals(False)
        if self.panels:
            self.show_panel(min(current, len(self.panels) - 1))

    def _retranslate(self) -> None:
        if self._started:
            self.setWindowTitle(arg(self.tr("Voiceprint Workstation %1"), version()))
        else:  # the version is looked up after the first paint (importlib.metadata is slow to load)
            self.setWindowTitle(self.tr("Voiceprint Workstation"))
        self.file_menu.setTitle(self.tr("&File"))
        self.quit_action.setText(self.tr("&Quit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About Voiceprint Workstation"))
        self.new_caller_action.setText(self.tr("&New caller"))
        self.shortcuts_action.setText(self.tr("&Keyboard shortcuts"))
        if self._started:
            self.nav.setAccessibleName(self.tr("Panels"))
        self.status.set_profile(self.ui.profile.name)
        if self._started:  # reads the config file: after the first paint
            self.status.set_operator(self.ui.ctx.operator)
        self._update_banner()

    def _update_banner(self) -> None:
        if self.ui.profile.is_sandbox:
            self.banner.show_message(
                self.tr(
                    "Sandbox: this window is using the built-in sandbox, a local stand-in for the "
                    "voiceprint and speech services that this app starts by itself. Nothing leaves "
                    "this computer. To use the real services, create a profile in Settings and switch to it."
                ),
                self.tr("Open Settings"),
            )
        else:
            self.banner.hide()

    # -- panels ------------------------------------------------------------------------------

    def show_panel(self, row: int, *, focus: bool = False) -> None:
        """``focus``: put the keyboard focus in the panel's first field (Ctrl+1..9)."""
        if 0 <= row < len(self.panels):
            self.nav.setCurrentRow(row)  # emits currentRowChanged → _show_panel
            if focus:
                self._focus_first_field(self.panels[row], retry=True)

    def _focus_first_field(self, panel: QWidget, retry: bool = False) -> None:
        field = first_field(panel)
        if field is not None:
            field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif retry:  # a panel built on its first show lays its fields out in the next turn
            QTimer.singleShot(0, lambda: self._focus_first_field(panel))

    @Slot()
    def new_caller(self) -> None:
        """Ctrl+N: every panel forgets the previous caller; the cursor goes to a name field
        (the current panel's, else Verify's)."""
        for panel in self.panels:
            self._call(panel, "new_caller")
        current: Any = self.stack.currentWidget()
        if current is None or not hasattr(current, "new_caller") or not hasattr(current, "user"):
            verify = self.panel("VerifyPanel")
            if verify is None:
                return
            self.show_panel(self.panels.index(verify))
            current = verify
        current.user.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot(object)
    def _on_escalate(self, escalation: object) -> None:
        phone: Any = self.panel("PhonePanel")
        if phone is None:
            return
        self.show_panel(self.panels.index(phone))
        phone.escalate(escalation)

    @Slot()
    def show_shortcuts(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self, self.tr("Keyboard shortcuts"), shortcuts_html(self))

    @Slot(int)
    def _show_panel(self, row: int) -> None:
        if not 0 <= row < len(self.panels):
            return
        self.stack.setCurrentIndex(row)
        self.ui.settings.setValue(KEY_LAST_PANEL, type(self.panels[row]).__name__)
        self._call(self.panels[row], "on_shown")

    def panel(self, class_name: str) -> QWidget | None:
        return next((p for p in self.panels if type(p).__name__ == class_name), None)

    @Slot(str)
    def _enrol_again(self, name: str) -> None:
        enrol: Any = self.panel("EnrolPanel")
        if enrol is None:
            return
        self.show_panel(self.panels.index(enrol))
        if not enrol.busy:
            enrol.user.setText("")  # even the same name: the consent tick is cleared, to be given again
            enrol.user.setText(name)
            enrol.consent_box.setFocus()

    @Slot()
    def _open_settings(self) -> None:
        settings = self.panel("SettingsPanel")
        if settings is not None:
            self.show_panel(self.panels.index(settings))

    @staticmethod
    def _call(panel: QWidget, hook: str) -> None:
        method = getattr(panel, hook, None)
        if callable(method):
            method()

    # -- services ----------------------------------------------------------------------------

    def _make_connection(self) -> None:
        from desktop.ui.connection import Connection  # the WebSocket client loads after the first paint

        old = self.ui.connection
        if old is not None:
            old.close()
            old.deleteLater()
        conn = Connection(self.ui.profile.voiceprint, self)
        conn.state_changed.connect(self.status.set_state)
        conn.heartbeat.connect(self.status.set_heartbeat)
        conn.error_changed.connect(self.status.set_error)
        self.status.set_state(conn.state)
        self.status.set_error("")
        self.ui.connection = conn

    def _start_services(self) -> None:
        """Start the embedded sandbox (when the profile is the sandbox) off the GUI thread, then
        the connection: starting a sandbox loads its engine, which takes a moment."""
        if self.ui.connection is None:
            return
        if not self.ui.profile.is_sandbox:
            self.ui.connection.start()
            return
        self.status.set_state("connecting")
        # A profile switch starts again: the report of a start it replaced must not touch the
        # new connection (or say the old sandbox failed).
        self._services_generation += 1
        generation = self._services_generation

        def report(error: str) -> None:
            # The window may have been closed and deleted while the sandbox started: emitting
            # on it then raises "Signal source has been deleted" in this thread. Nobody is
            # left to tell, so the report is dropped.
            if not shiboken6.isValid(self):
                return
            try:
                self.sandbox_ready.emit(generation, error)
            except RuntimeError:  # deleted between the check and the emit
                log.debug("sandbox report dropped: the window is gone")

        def run() -> None:
            try:
                self.ui.ctx.ensure_sandbox()
            except Exception as exc:  # shown in the status bar; the connection will keep retrying
                log.exception("the embedded sandbox did not start")
                report(str(exc) or type(exc).__name__)
                return
            report("")

        threading.Thread(target=run, name="vpw-ui-sandbox", daemon=True).start()

    @Slot(int, str)
    def _on_sandbox_ready(self, generation: int, error: str) -> None:
        if self.ui.connection is None or generation != self._services_generation:
            return
        if error:
            self.status.set_error(arg(self.tr("The embedded sandbox did not start: %1"), error))
        self.ui.connection.start()

    @Slot()
    def _on_profile_changed(self) -> None:
        self._make_connection()
        self._retranslate()
        self._start_services()
        for panel in self.panels:
            self._call(panel, "on_profile_changed")

    @Slot(str)
    def _on_language_changed(self, code: str) -> None:
        self.ui.settings.setValue(KEY_LANGUAGE, code)
        app = QCoreApplication.instance()
        if app is not None:
            translations.install(app, translations.chosen_language(self.ui.settings))
        self._build_menus()
        self._build_panels()
        self._retranslate()
        self.status.retranslate()

    # -- persistence -------------------------------------------------------------------------

    def _restore(self) -> None:
        geometry = self.ui.settings.value(KEY_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)
        state = self.ui.settings.value(KEY_WINDOW_STATE)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ui.settings.setValue(KEY_GEOMETRY, self.saveGeometry())
        self.ui.settings.setValue(KEY_WINDOW_STATE, self.saveState())
        for panel in self.panels:
            self._call(panel, "shutdown")
        if self.ui.connection is not None:
            self.ui.connection.close()
        self.ui.settings.sync()
        super().closeEvent(event)

    # -- about -------------------------------------------------------------------------------

    @Slot()
    def show_about(self) -> None:
        import html

        from PySide6.QtWidgets import QMessageBox  # its many enums would slow the first paint

        QMessageBox.about(
            self,
            self.tr("About Voiceprint Workstation"),
            arg(
                self.tr(
                    "<h3>Voiceprint Workstation %1</h3>"
                    "<p>Enrol speakers and verify who they are by voice, with a fresh digit prompt "
                    "for every attempt.</p><p>Profile: %2</p>"
                ),
                version(),
                html.escape(self.ui.profile.name),
            ),
        )
