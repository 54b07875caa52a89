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

def _positive(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def sandbox_engine_default() -> float:
    """The threshold the sandbox's engine decides with when none is configured (CAM++ 0.69, the
    older engines 0.80): read from the engine registry without loading a network."""
    from desktop.sandbox.engines import registry

    try:
        return registry.default_threshold()
    except (ImportError, ValueError):  # an unknown VPW_SANDBOX_ENGINE: the sandbox will say so
        return 0.80


def display_threshold(profile: Profile) -> float | None:
    stated = _positive(getattr(profile.voiceprint, "threshold", None))
    if stated is not None:
        return stated
    if profile.is_sandbox:
        return _positive(profile.sandbox.threshold) or sandbox_engine_default()
    return None
