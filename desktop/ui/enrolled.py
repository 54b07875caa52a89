"""Who is enrolled on the current profile, for the Verify panel's claimed-user field.

The panel takes any ``Callable[[], list[str]]`` (injected; tests pass their own). The default
asks the speakers store (``desktop.store.speakers``): the people enrolled through this
workstation on the active profile, so a deleted person drops out of the list at once.
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
    from desktop.store.speakers import enrolled_names

    return enrolled_names(ui.history, ui.profile.name)


def default_provider(ui: UiContext) -> EnrolledProvider:
    def provide() -> list[str]:
        try:
            return enrolled_from_history(ui)
        except Exception:  # an unreadable store must not stop a verification
            log.exception("reading the enrolled names failed")
            return []

    return provide
