"""Qt translations: Qt's own (``qtbase_*.qm``, for standard dialogs and buttons) and ours
(``resources/translations/vpw_<lang>.qm``, compiled from the ``.ts`` sources in the tree).

The language is the operator's choice in Settings (QSettings ``ui/language``), else ``VPW_LANG``,
else the system locale. The CLI message table (``desktop.i18n``: the services' error sentences)
is switched along, so an error from a service reads in the window's language.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from desktop import i18n
from desktop.resources import resource_path
from desktop.ui.context import KEY_LANGUAGE

log = logging.getLogger(__name__)

LANGUAGES = ("en", "zh_CN")  # what Settings offers besides "follow the system"
_installed: list[QTranslator] = []


def normalise(code: str) -> str:
    return "zh_CN" if code.lower().replace("-", "_").startswith("zh") else "en"


def chosen_language(settings: QSettings) -> str:
    """The language the window should use now: "en" or "zh_CN"."""
    chosen = str(settings.value(KEY_LANGUAGE, "") or "")
    if chosen:
        return normalise(chosen)
    env = os.environ.get("VPW_LANG")
    if env:
        return normalise(env)
    return normalise(QLocale.system().name())


def install(app: QCoreApplication, lang: str) -> None:
    """Replace the installed translators with ``lang``'s (idempotent)."""
    lang = normalise(lang)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(lang))
    i18n.set_language("zh" if lang.startswith("zh") else "en")
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    candidates = [(f"qtbase_{lang}", qt_dir), (f"vpw_{lang}", str(resource_path("translations")))]
    for name, folder in candidates:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
        elif name.startswith("vpw_") and lang != "en":
            # English is the source text, so only a missing non-English file is worth saying.
            log.warning("translation %s.qm not found in %s (run scripts/build_translations)", name, folder)
