"""Self-test checks of Qt: the application starts headless, the real main window shows, and
the Chinese translations load and translate (ours and Qt's own)."""

from __future__ import annotations

import os
import time
import xml.etree.ElementTree as ET
from typing import Any

from desktop.selftest import Check, CheckFailed, Env

SHOW_TIMEOUT_S = 10.0


def _app(env: Env) -> Any:
    from PySide6.QtWidgets import QApplication

    app = env.extras.get("qapp")
    if app is None:
        try:
            from desktop.ui.app import make_app
        except ImportError:  # the GUI package is optional for the self-test's other checks
            app = QApplication.instance() or QApplication(["vpw"])
        else:
            app = make_app(["vpw"])
        env.extras["qapp"] = app
    return app


def _wait(app: Any, condition: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.01)
    return bool(condition())


def check_qt(env: Env) -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from desktop.version import VERSION

    app = _app(env)
    platform = app.platformName()
    try:
        from desktop.ui.app import build_window
    except ImportError:
        return f"Qt {qVersion()} (PySide6 {pyside_version}), platform {platform}; no GUI module"
    from desktop.context import Context

    if env.sandbox is not None:
        # The window's embedded sandbox finds the self-test's one listening and uses it.
        os.environ["VPW_SANDBOX_PORT"] = str(env.sandbox.port)
    ctx = Context()
    env.extras.setdefault("closers", []).append(ctx.close)
    start = time.perf_counter()
    window = build_window(ctx, app, lang="en")
    window.show()
    shown = _wait(app, lambda: window.isVisible() and window.windowHandle() is not None, SHOW_TIMEOUT_S)
    elapsed = time.perf_counter() - start
    title = window.windowTitle()
    window.close()
    app.processEvents()
    window.deleteLater()
    if not shown:
        raise CheckFailed(f"the main window did not show within {SHOW_TIMEOUT_S:g} s")
    if VERSION not in title:
        raise CheckFailed(f"the window title {title!r} lacks the version {VERSION}")
    return (
        f"Qt {qVersion()} (PySide6 {pyside_version}), platform {platform}; "
        f"main window {title!r} shown in {elapsed * 1000:.0f} ms"
    )


def _sample_message(ts_path: Any) -> tuple[str, str, str] | None:
    """A finished (context, source, translation) from the .ts source, when it ships beside the .qm."""
    try:
        root = ET.parse(ts_path).getroot()
    except (OSError, ET.ParseError):
        return None
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            source = message.findtext("source")
            if (
                source
                and translation is not None
                and translation.text
                and translation.get("type") not in ("unfinished", "vanished", "obsolete")
                and message.get("numerus") != "yes"
            ):
                return name, source, translation.text
    return None


def check_translations(env: Env) -> str:
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from desktop.resources import resource_path

    app = _app(env)
    folder = resource_path("translations")
    ours = QTranslator(app)
    if not ours.load("vpw_zh_CN", str(folder)):
        raise CheckFailed(f"cannot load vpw_zh_CN.qm from {folder}")
    if ours.isEmpty():
        raise CheckFailed(f"{folder / 'vpw_zh_CN.qm'} holds no translations")
    detail = f"vpw_zh_CN.qm from {folder}"
    sample = _sample_message(folder / "vpw_zh_CN.ts")
    if sample is not None:
        context, source, expected = sample
        got = ours.translate(context, source)
        if got != expected:
            raise CheckFailed(f"{context}: {source!r} translated as {got!r}, expected {expected!r}")
        detail += f" ({source!r} -> {got!r})"
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qtbase = QTranslator(app)
    if not qtbase.load("qtbase_zh_CN", qt_dir):
        raise CheckFailed(f"cannot load Qt's own qtbase_zh_CN.qm from {qt_dir}")
    return detail + "; qtbase_zh_CN.qm"


CHECKS = [
    Check("qt", check_qt),
    Check("translations", check_translations, needs=("qt",)),
]
