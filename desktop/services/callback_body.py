"""Reading a callback body the platform pushed: tolerant of what it may legitimately send, and
safe with whatever else arrives, so that what we store can always be read back.

``parse_push`` returns the push, or raises ``Unparseable`` with a stable reason. It never raises
anything else for any ``bytes`` (tests/services/test_callbacks_fuzz.py holds it to that).
What is kept is *clean*: strings without lone UTF-16 surrogates (SQLite cannot encode them),
integers that fit 64 bits (larger ones become their digits as a string), no NaN or infinities
(their spelling as a string), nesting at most ``MAX_DEPTH`` deep — so ``json.dumps(...,
allow_nan=False)`` of it always works, and so do a later CSV export or a Qt model.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from desktop.untrusted import FIELD_UNSAFE as _UNSAFE
from desktop.untrusted import SURROGATE as _SURROGATE
from desktop.untrusted import clean_field

MAX_DEPTH = 32  # a real push is 3 deep (feeLst → record → field); more is not the platform
MAX_EVENT_TYPE = 64
_INT64 = 2**63


class Unparseable(ValueError):
    """Not a push we can read; ``reason`` is a stable key, ``detail`` a short English note."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


@dataclass
class Push:
    event_type: str
    status_info: dict[str, Any] = field(default_factory=dict)
    bills: list[dict[str, Any]] | None = None  # a fee push's records that are objects
    skipped: int = 0  # fee records that were not objects (kept in no table; counted)
    notes: list[str] = field(default_factory=list)  # what was repaired, for the log


def decode(body: bytes) -> str:
    """UTF-8 (with or without a BOM), which the platform declares; else GB18030, which a
    Chinese platform might send undeclared. Raises ``Unparseable`` when neither fits."""
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    raise Unparseable("not_json", "body is neither UTF-8 nor GB18030 text")


def _constant(name: str) -> str:
    return name  # NaN / Infinity / -Infinity kept as their spelling, never as floats


def _clean(value: Any, depth: int, notes: list[str]) -> Any:
    if depth > MAX_DEPTH:
        raise Unparseable("too_deep", f"JSON nested more than {MAX_DEPTH} deep")
    if isinstance(value, str):
        if _SURROGATE.search(value):
            notes.append("lone surrogates replaced")
            return _SURROGATE.sub("\ufffd", value)
        return value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if -_INT64 <= value < _INT64:
            return value
        notes.append("an integer beyond 64 bits kept as text")
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        notes.append("a non-finite number kept as text")
        return "Infinity" if value > 0 else "-Infinity" if value < 0 else "NaN"
    if isinstance(value, list):
        return [_clean(v, depth + 1, notes) for v in value]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            key = _SURROGATE.sub("\ufffd", k) if isinstance(k, str) else str(k)
            out[key] = _clean(v, depth + 1, notes)
        return out
    return clean_field(value)  # nothing else comes out of json.loads; a safe fallback all the same


def load(body: bytes) -> tuple[Any, list[str]]:
    """The body as clean JSON values, or ``Unparseable``."""
    text = decode(body)
    try:
        doc = json.loads(text, parse_constant=_constant)
    except RecursionError:
        raise Unparseable("too_deep", "JSON nested too deep to read") from None
    except ValueError as exc:  # JSONDecodeError, and ints over Python's digit limit
        raise Unparseable("not_json", f"not JSON: {clean_field(exc, 120)}") from None
    notes: list[str] = []
    return _clean(doc, 0, notes), notes


def parse_push(body: bytes) -> Push:
    """A status or fee push from the raw body; ``Unparseable`` when it is not one."""
    doc, notes = load(body)
    if not isinstance(doc, dict):
        raise Unparseable("not_event", f"body is a JSON {type(doc).__name__}, not an object")
    event_type = doc.get("eventType")
    if not isinstance(event_type, str) or not event_type.strip():
        raise Unparseable("not_event", "no eventType")
    if len(event_type) > MAX_EVENT_TYPE or _UNSAFE.search(event_type):
        raise Unparseable("not_event", "eventType is not a plain short word")
    if event_type == "fee":
        records = doc.get("feeLst")
        if not isinstance(records, list):
            raise Unparseable("not_event", "fee push without a feeLst list")
        bills = [r for r in records if isinstance(r, dict)]
        return Push(event_type, bills=bills, skipped=len(records) - len(bills), notes=notes)
    info = doc.get("statusInfo")
    if not isinstance(info, dict):
        if info is not None:
            notes.append("statusInfo is not an object")
        info = {}
    return Push(event_type, status_info=info, notes=notes)
