"""Strings from outside made safe to store and show: the one rule every store and view shares.

SQLite cannot encode a lone UTF-16 surrogate (``json.loads`` makes one from ``"\\ud800"``), a
control character breaks a one-line view or a CSV consumer, and a bidirectional override can make
a shown line say something other than what is stored. All become U+FFFD.
"""

from __future__ import annotations

import re
from typing import Any

UNSAFE = re.compile("[\ud800-\udfff\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # tab stays
SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: Any, limit: int = 256) -> str:
    """``value`` as a string of at most ``limit`` characters, safe to show on one line and to store."""
    text = "" if value is None else value if isinstance(value, str) else str(value)
    return UNSAFE.sub("\ufffd", text[:limit])


def without_surrogates(text: str) -> str:
    return SURROGATE.sub("\ufffd", text)
