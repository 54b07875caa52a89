"""The ``--limit N`` that listing commands share (``vpw history``, ``vpw audit``)."""

from __future__ import annotations

from desktop import i18n
from desktop.errors import InputError

i18n.register({"cli.bad_limit": {"en": "--limit must be at least 1", "zh": "--limit 至少为 1"}})

# Any larger count means "everything": SQLite's integers end at 2**63, and a limit beyond them
# once ended `vpw history` in "Unexpected error (OverflowError)".
MAX_LIMIT = 2**62


def checked_limit(value: int) -> int:
    if value < 1:
        raise InputError(i18n.tr("cli.bad_limit"))
    return min(value, MAX_LIMIT)
