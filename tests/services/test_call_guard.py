"""The duplicate-call guard: an identical billed call within seconds is refused, a refused one is not billed."""

from __future__ import annotations

import pytest

from desktop.errors import InputError
from desktop.services.call_guard import CallGuard

BODY = {"calleeNbr": "+8613800000001", "verifyCode": "1234", "displayNbr": "+861000"}


def test_identical_call_within_the_window_is_refused_and_goes_again_after_it() -> None:
    now = [100.0]
    guard = CallGuard(window_s=10, clock=lambda: now[0])
    guard.admit(BODY)
    with pytest.raises(InputError) as err:
        guard.admit(dict(BODY))
    assert err.value.code == "duplicate" and "+8613800000001" in str(err.value)
    guard.admit({**BODY, "verifyCode": "9999"})  # a new code is a new call
    now[0] += 10.5
    guard.admit(BODY)


def test_a_call_the_platform_refused_may_be_placed_again_at_once() -> None:
    guard = CallGuard(window_s=10, clock=lambda: 5.0)
    guard.admit(BODY)
    guard.release(BODY)
    guard.admit(BODY)
    with pytest.raises(InputError):
        guard.admit(BODY)
