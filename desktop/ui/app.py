"""Start the GUI: the QApplication, translations, the style sheet, the main window.

Kept light on imports so that the window appears quickly: the sandbox, the audio stack and the
speaker engine load later, off the GUI thread.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from desktop.context import Context
from desktop.resources import resource_path
from desktop.ui import translations
from desktop.ui.context import UiContext

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

ORGANISATION = "vpw"
APPLICATION = "Voiceprint Workstation"


def make_app(argv: Sequence[str] | None = None) -> QApplication:
    """The process's QApplication (reused when one exists, as under pytest-qt)."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(APPLICATION)
        app = QApplication(list(argv if argv is not None else sys.argv[:1]))
    assert isinstance(app, QApplication)
    return app


def make_settings() -> QSettings:
    """Window state lives beside the profiles (``VPW_CONFIG_DIR``), so tests stay isolated."""
    from desktop.config import config_dir

    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def apply_style(app: QApplication) -> None:
    path = resource_path("style", "app.qss")
    try:
        app.setStyleSheet(path.read_text(encoding="utf-8"))
    except OSError:
        log.warning("style sheet %s not found; using the platform style", path)


def build_window(
    ctx: Context, app: QApplication | None = None, lang: str | None = None, *, defer: bool = False
) -> MainWindow:
    """The main window on ``ctx`` (not shown), with translations and style installed.
    ``lang`` (``vpw --lang``) wins over the language chosen in Settings for this run;
    ``defer`` builds the panels just after the window first shows (see ``MainWindow``)."""
    from desktop.ui.main_window import MainWindow

    app = app or make_app()
    settings = make_settings()
    translations.install(app, lang or translations.chosen_language(settings))
    apply_style(app)
    ui = UiContext(ctx=ctx, settings=settings)
    return MainWindow(ui, defer=defer)


def run(ctx: Context, argv: Sequence[str] | None = None, lang: str | None = None) -> int:
    app = make_app(argv)
    window = build_window(ctx, app, lang, defer=True)
    window.show()
    if os.environ.get("VPW_EXIT_AFTER_SHOW"):
        _exit_after_show(app)
    code = int(app.exec())
    _wait_for_lingering_workers(code)
    return code


def _wait_for_lingering_workers(code: int, timeout_ms: int = 5000) -> None:
    """An attempt still waiting on the network when the window closed gets a few seconds to end;
    a QThread destroyed while running would abort the process, so past that we leave at once."""
    from desktop.ui.panels.session import LINGERING

    stuck = [t for t in LINGERING if not t.wait(timeout_ms)]
    if stuck:
        log.warning("%d attempt(s) still waiting on the network at exit; leaving without them", len(stuck))
        logging.shutdown()
        os._exit(code)


def _exit_after_show(app: QApplication) -> None:
    """For the start-up benchmark (tests/bench/bench_bundle.py): once the event loop runs with the
    window shown, print the time and quit; the baseline hello world does exactly the same."""

    def shown() -> None:
        print(f"vpw-shown {time.time():.6f}", flush=True)
        app.quit()

    QTimer.singleShot(0, shown)
