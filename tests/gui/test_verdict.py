"""The decision rule: a rejection only when the service compared and said no."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.errors import AuthFailure, ConnectionFailure, InputError, ProtocolFailure
from desktop.services.voiceprint_result import Candidate, SessionResult
from desktop.ui import verdict as v


def result(status: int | None, candidates: list[tuple[str, float]] = (), number: str | None = None,  # type: ignore[assignment]
           prompt: str | None = "1234", message: str = "", understood: bool = True,
           kind: str = "verify", user: str = "alice") -> SessionResult:  # fmt: skip
    return SessionResult(
        kind=kind, user=user, status=status, voice_accepted=status == 200,
        candidates=[Candidate(n, s) for n, s in candidates], number=number, prompt=prompt,
        message=message, understood=understood,
    )  # fmt: skip


def test_accepted_with_matching_digits() -> None:
    assert v.of_result(result(200, [("alice", 0.9)], "1234")) == v.Verdict("accepted", "ok")


def test_accepted_on_voice_when_no_digits_were_reported() -> None:
    assert v.of_result(result(200, [("alice", 0.9)], None)).reason == "digits_unchecked"


def test_matching_voice_with_wrong_digits_is_rejected() -> None:
    assert v.of_result(result(200, [("alice", 0.9)], "1243")) == v.Verdict("rejected", "digits_differ")


def test_other_voice_is_rejected() -> None:
    assert v.of_result(result(403, [("bob", 0.9), ("alice", 0.5)], "1234")).reason == "voice_differs"
    assert v.of_result(result(403, [("bob", 0.9)], "1234")).reason == "claimed_absent"


def test_status_404_is_not_enrolled_never_rejected() -> None:
    # Issue 14: a name the service does not know is NOT ENROLLED (it used to read as a REJECTED
    # impostor, "claimed_absent", or as NOT CHECKED when nobody at all was enrolled).
    for made in (result(404, [("bob", 0.9)], "1234"), result(404, message="No voiceprint is enrolled yet")):
        verdict = v.of_result(made)
        assert (verdict.decision, verdict.reason) == ("not_enrolled", "claimed_unknown")
        assert verdict.decision != "rejected"


@pytest.mark.parametrize(
    ("made", "reason"),
    [
        (result(None, understood=False), "unparseable"),
        (result(200, understood=False), "unparseable"),
        (result(400, message="Recording too short: 0.4 s of speech"), "too_short"),
        (result(400, message="录音太短：有效语音 0.4 秒"), "too_short"),
        (result(403, message="The service declined"), "no_scores"),
    ],
)
def test_nothing_compared_is_not_checked(made: SessionResult, reason: str) -> None:
    assert v.of_result(made) == v.Verdict("not_checked", reason, made.raw if reason == "unparseable" else made.message)


def test_local_speech_measure_recognises_too_short_in_any_language() -> None:
    assert v.of_result(result(400, message="خطأ"), speech_s=0.3, min_speech_s=1.0).reason == "too_short"


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ConnectionFailure("gone"), "offline"),
        (AuthFailure("bad code", code="APIG.0303"), "auth"),
        (ProtocolFailure("late", code="timeout"), "timeout"),
        (ProtocolFailure("odd"), "unparseable"),
        (InputError("no audio"), "no_audio"),
        (RuntimeError("bug"), "unparseable"),
    ],
)
def test_errors_are_not_checked(error: BaseException, reason: str) -> None:
    verdict = v.from_error(error)
    assert (verdict.decision, verdict.reason) == ("not_checked", reason)
    assert verdict.detail


def test_enrolment() -> None:
    assert v.of_result(result(200, kind="enrol", message="ok")).decision == "enrolled"
    refused = v.of_result(result(400, kind="enrol", message="Recording too short"))
    assert (refused.decision, refused.reason) == ("refused", "too_short")
    assert v.of_result(result(None, kind="enrol", understood=False)).decision == "not_checked"


@given(
    status=st.one_of(st.none(), st.integers(100, 599)),
    names=st.lists(st.sampled_from(["alice", "bob", "carol"]), max_size=3),
    number=st.one_of(st.none(), st.text("0123456789", max_size=8)),
    understood=st.booleans(),
)
def test_rejection_only_when_compared(status: int | None, names: list[str], number: str | None,
                                      understood: bool) -> None:  # fmt: skip
    made = result(status, [(n, 0.5) for n in names], number, understood=understood)
    verdict = v.of_result(made)
    if verdict.decision == "rejected":
        assert made.checked and made.status is not None
        assert made.candidates  # something was compared
    if not made.checked:
        assert verdict.decision == "not_checked"
