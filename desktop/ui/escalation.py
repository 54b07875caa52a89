"""What the Verify panel hands to the Phone panel when a voice check needs a phone code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Escalation:
    user: str  # the claimed user of the attempt
    number: str  # the number to call ("" when the operator has not given one)
    attempt_id: int | None  # the history row of the verification; the call is linked to it
    reference: str = ""  # the case or customer reference of the attempt
