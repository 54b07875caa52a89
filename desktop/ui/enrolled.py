"""Who is enrolled on the current profile, for the Verify panel's claimed-user field.

The panel takes any ``Callable[[], list[str]]`` (injected; tests pass their own). Until the
speakers store (``desktop.store.speakers``) is merged, the default reads the history's successful
enrolments of the current profile. INTEGRATION: swap the body of ``default_provider`` for the
speakers store's list of enrolled names of ``ui.profile``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.ui.context import UiContext

log = logging.getLogger(__name__)

EnrolledProvider = Callable[[], list[str]]


def enrolled_from_history(ui: UiContext) -> list[str]:
    """Names with at least one successful enrolment on the active profile, sorted, no repeats."""
    profile = ui.profile.name
    rows = ui.history.rows(kind="enrol")
    names = {str(r["user"]) for r in rows if r.get("decision") == "enrolled" and r.get("profile") == profile}
    return sorted(names, key=str.casefold)


def default_provider(ui: UiContext) -> EnrolledProvider:
    def provide() -> list[str]:
        try:
            return enrolled_from_history(ui)
        except Exception:  # an unreadable store must not stop a verification
            log.exception("reading the enrolled names failed")
            return []

    return provide
