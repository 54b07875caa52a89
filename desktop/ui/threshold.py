"""The accept threshold to show beside a verification's scores, when it is known.

On the sandbox profile it is the profile's ``sandbox.threshold`` (what ``vpw calibrate --apply``
writes), else the sandbox engines' default. A real service decides with its own threshold: it is
shown only when the profile states one (a ``threshold`` in the voiceprint section, if set).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.config import Profile

# Both sandbox engines (simple, ge2e) accept at 0.80 by default (engines/*.default_threshold);
# not imported: the UI must not load a speaker engine to draw a line.
SANDBOX_ENGINE_DEFAULT = 0.80


def _positive(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def display_threshold(profile: Profile) -> float | None:
    stated = _positive(getattr(profile.voiceprint, "threshold", None))
    if stated is not None:
        return stated
    if profile.is_sandbox:
        return _positive(profile.sandbox.threshold) or SANDBOX_ENGINE_DEFAULT
    return None
