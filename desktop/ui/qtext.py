"""Filling Qt-style ``%1 %2`` placeholders in translated strings.

PySide6's ``tr()`` returns a plain ``str`` without ``QString.arg``; chained ``str.replace`` would
substitute inside an earlier value (a path holding "%2"), so the placeholders are filled in one pass.
"""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"%(\d)")


def arg(text: str, *values: object) -> str:
    """``arg("Cannot write %1: %2", path, reason)``; unknown placeholders stay as they are."""

    def fill(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return str(values[n - 1]) if 1 <= n <= len(values) else m.group(0)

    return _PLACEHOLDER.sub(fill, text)
