"""The CLI's message table: every user-facing sentence outside Qt comes from here.

Modules register their own tables (``register``) so that each service keeps its sentences next
to its code; ``tr`` picks the operator's language (``VPW_LANG``, then the locale) and formats.
Qt widgets use ``QObject.tr`` instead; this table is for the CLI, the services' errors and the
sandbox. A test checks that every key has both languages.
"""

from __future__ import annotations

import locale
import os

LANGUAGES = ("en", "zh")

_TABLE: dict[str, dict[str, str]] = {}
_forced: str | None = None


def register(table: dict[str, dict[str, str]]) -> None:
    """Add ``{key: {"en": ..., "zh": ...}}`` entries; a key may be registered only once."""
    for key, texts in table.items():
        if key in _TABLE and _TABLE[key] != texts:
            raise ValueError(f"message key registered twice with different texts: {key}")
        _TABLE[key] = texts


def set_language(lang: str | None) -> None:
    """Force a language (``en``/``zh``); ``None`` goes back to the environment's choice."""
    global _forced
    _forced = normalise(lang) if lang else None


def normalise(lang: str) -> str:
    lang = lang.lower().replace("-", "_")
    return "zh" if lang.startswith("zh") else "en"


def current_language() -> str:
    if _forced:
        return _forced
    env = os.environ.get("VPW_LANG")
    if env:
        return normalise(env)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return normalise(value)
    try:
        loc = locale.getlocale()[0]
    except ValueError:
        loc = None
    return normalise(loc or "en")


def tr(key: str, /, **kwargs: object) -> str:
    """The sentence for ``key`` in the current language, formatted with ``kwargs``."""
    texts = _TABLE.get(key)
    if texts is None:
        # A missing key is a programming error, but the operator still deserves a sentence.
        return key + (" " + repr(kwargs) if kwargs else "")
    text = texts.get(current_language()) or texts["en"]
    return text.format(**kwargs) if kwargs else text


def all_messages() -> dict[str, dict[str, str]]:
    return dict(_TABLE)
