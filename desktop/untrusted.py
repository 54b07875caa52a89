"""Helpers for reading what another party wrote: service replies, pushes, stored rows, file headers.

Every value that came from outside is hostile until shown otherwise (issue 11): a lone UTF-16
surrogate cannot be printed, encoded to UTF-8 or stored in SQLite; a control character can rewrite
a terminal line; an integer beyond 64 bits overflows SQLite and float arithmetic; ``NaN`` and
infinities compare false with everything and break ``int()``; JSON nested thousands deep makes
the parser raise ``RecursionError`` (not a ``ValueError``); a reply of megabytes is not a reply.
These functions turn each of those into a plain value or a ``ValueError``, never anything else.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

REPLACEMENT = "\ufffd"
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
# Control characters a message may keep: tab and line ends. Everything else below 0x20, DEL and
# the C1 block (which some terminals obey as escape sequences) becomes the replacement character.
_KEEP = {"\t", "\n", "\r"}
_TRANS = {c: REPLACEMENT for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in _KEEP}


def clean_text(value: object, limit: int | None = None) -> str:
    """``value`` as a string that can be printed, encoded to UTF-8 and stored: lone surrogates and
    control characters replaced by U+FFFD, cut to ``limit`` characters (with an ellipsis)."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = str(value)
        except ValueError:  # an int past Python's digit limit refuses to become text
            text = f"<{type(value).__name__} too large to show>"
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    try:  # the common case costs one encode; only text with surrogates is rebuilt
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join(REPLACEMENT if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)
    return text.translate(_TRANS)


# One-line fields that are stored and shown (names, numbers, ids, event types): line ends go too,
# and so do bidirectional overrides, which can make a shown line say something other than what is
# stored. Tab stays.
FIELD_UNSAFE = re.compile("[\ud800-\udfff\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SURROGATE = re.compile("[\ud800-\udfff]")


def clean_field(value: object, limit: int = 256) -> str:
    """``value`` as one line of at most ``limit`` characters, safe to show and to store."""
    text = "" if value is None else value if isinstance(value, str) else clean_text(value)
    return FIELD_UNSAFE.sub(REPLACEMENT, text[:limit])


def is_utf8(text: str) -> bool:
    """Whether ``text`` can be encoded (no lone surrogates, e.g. from undecodable argv bytes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def one_line(value: object, limit: int = 300) -> str:
    """``clean_text`` on a single line: line ends and tabs become spaces (for error sentences)."""
    return " ".join(clean_text(value, limit).split())


def finite_float(value: object) -> float | None:
    """A finite float from a JSON number (not a bool, a string, NaN or an infinity), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        f = float(value)
    except OverflowError:  # an int beyond the float range
        return None
    return f if math.isfinite(f) else None


def int64(value: object) -> int | None:
    """An integer that fits SQLite's 64 bits, from a JSON integer, an integral finite float or a
    plain ASCII digit string; None for anything else (bools, NaN, 10**30, "²", "--5")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        value = int(value)
    elif isinstance(value, str):
        s = value.strip()
        digits = s[1:] if s[:1] in "+-" else s
        if not digits or len(digits) > 19 or not (digits.isascii() and digits.isdigit()):
            return None
        value = int(s)
    if not isinstance(value, int):
        return None
    return value if INT64_MIN <= value <= INT64_MAX else None


def clean_value(value: Any, depth: int = 0, max_depth: int = 32) -> Any:
    """A decoded JSON value made safe to print, store and re-encode: strings cleaned, NaN and
    infinities and integers beyond 64 bits become None, nesting past ``max_depth`` is cut."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int):
        return value if INT64_MIN <= value <= INT64_MAX else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if depth >= max_depth:
        return None
    if isinstance(value, list):
        return [clean_value(v, depth + 1, max_depth) for v in value]
    if isinstance(value, dict):
        return {clean_text(k): clean_value(v, depth + 1, max_depth) for k, v in value.items()}
    return clean_text(value)


def storable(value: Any) -> Any:
    """A scalar SQLite can bind without raising: text cleaned, NaN/infinite floats and integers
    beyond 64 bits as None (SQLite raises OverflowError on those ints and stores NaN as NULL)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool) or value is None or isinstance(value, (bytes, memoryview)):
        return value
    if isinstance(value, int):
        return value if INT64_MIN <= value <= INT64_MAX else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return clean_text(value)


class UntrustedJSONError(ValueError):
    """A body that is not acceptable JSON; ``reason`` says why in a few plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def loads(body: bytes | str, *, max_bytes: int = 1 << 20) -> Any:
    """Parse JSON from an untrusted party. Raises only ``UntrustedJSONError`` (a ``ValueError``):
    too large, not UTF-8, not JSON, nested too deep. ``NaN``/``Infinity`` literals parse (Python
    accepts them) and are left for the caller's ``finite_float``/``int64`` checks."""
    if len(body) > max_bytes:
        raise UntrustedJSONError(f"more than {max_bytes} bytes")
    try:
        text = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body
        return json.loads(text)
    except UnicodeDecodeError:
        raise UntrustedJSONError("not UTF-8") from None
    except RecursionError:
        raise UntrustedJSONError("nested too deep") from None
    except ValueError as exc:  # JSONDecodeError, and ints past Python's digit limit
        raise UntrustedJSONError(f"not JSON ({one_line(exc, 80)})") from None


def dumps(value: Any) -> str:
    """JSON text of a value that came from outside, never raising: deep values are cut, and the
    result is clean text (``ensure_ascii`` would keep surrogates as escapes; we drop them)."""
    try:
        return clean_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    except (RecursionError, ValueError, TypeError, OverflowError):
        return clean_text(repr(type(value).__name__))
