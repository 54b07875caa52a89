"""Every CLI/service sentence exists in both languages, with the same placeholders."""

from __future__ import annotations

import importlib
import pkgutil
import string

import desktop
from desktop import i18n


def _import_all() -> None:
    for mod in pkgutil.walk_packages(desktop.__path__, "desktop."):
        if mod.name.startswith(("desktop.ui", "desktop.proto")) or mod.name.endswith("__main__"):
            continue  # Qt strings are checked by the GUI tests through the .ts files
        importlib.import_module(mod.name)


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_all_messages_bilingual() -> None:
    _import_all()
    table = i18n.all_messages()
    assert len(table) > 20
    for key, texts in table.items():
        assert set(texts) == {"en", "zh"}, key
        assert texts["en"].strip() and texts["zh"].strip(), key
        assert _fields(texts["en"]) == _fields(texts["zh"]), key


def test_language_switch() -> None:
    i18n.set_language("zh_CN")
    try:
        assert i18n.tr("cli.interrupted") == "已中断。"
    finally:
        i18n.set_language(None)
    assert i18n.tr("cli.interrupted") == "Interrupted."
