"""What to tell the operator about one attempt: ACCEPTED, REJECTED, NOT ENROLLED or NOT CHECKED,
and why.

Plain Python (no Qt) so the rule is tested on its own. The rule that matters: a rejection is
shown only when the service compared the voice and said no (or the voice matched but the digits
read differ from the prompt). Anything else — no connection, no answer, an answer we cannot
read, a recording too short to compare, a refusal without any scores — is NOT CHECKED, with why.
A claimed user the service does not know (status 404) is NOT ENROLLED: nobody was turned away as
an impostor, the person has to be enrolled first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.errors import AuthFailure, ConnectionFailure, InputError, ProtocolFailure, VpwError
from desktop.services.voiceprint_result import SessionResult

ACCEPTED, REJECTED, NOT_CHECKED = "accepted", "rejected", "not_checked"
ENROLLED, REFUSED = "enrolled", "refused"
NOT_ENROLLED = "not_enrolled"  # verification of a name the service does not know (status 404)
STATUS_NOT_ENROLLED = 404

# Reasons (the decision banner translates them).
OFFLINE = "offline"  # the service could not be reached / the connection was lost
AUTH = "auth"  # the gateway refused our credentials
TIMEOUT = "timeout"  # no answer in time
UNPARSEABLE = "unparseable"  # an answer we cannot read
TOO_SHORT = "too_short"  # not enough speech to compare
NO_SCORES = "no_scores"  # the service declined without comparing (its message says why)
NO_AUDIO = "no_audio"
DIGITS_DIFFER = "digits_differ"
VOICE_DIFFERS = "voice_differs"
CLAIMED_ABSENT = "claimed_absent"  # compared, and the claimed user is not among the closest voices
DIGITS_UNCHECKED = "digits_unchecked"  # accepted on voice; the service reported no digits
CLAIMED_UNKNOWN = "claimed_unknown"  # status 404: the claimed user is not enrolled on the service
OK = "ok"

_TOO_SHORT_TEXT = re.compile(r"short|太短|不足", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    decision: str  # accepted | rejected | not_enrolled | not_checked | enrolled | refused
    reason: str
    detail: str = ""  # the service's or the error's own sentence, shown as given


def from_error(error: BaseException) -> Verdict:
    detail = str(error)
    if isinstance(error, AuthFailure):
        return Verdict(NOT_CHECKED, AUTH, detail)
    if isinstance(error, ConnectionFailure):
        return Verdict(NOT_CHECKED, OFFLINE, detail)
    if isinstance(error, ProtocolFailure):
        return Verdict(NOT_CHECKED, TIMEOUT if error.code == "timeout" else UNPARSEABLE, detail)
    if isinstance(error, InputError):
        return Verdict(NOT_CHECKED, NO_AUDIO, detail)
    if isinstance(error, VpwError):
        return Verdict(NOT_CHECKED, OFFLINE, detail)
    return Verdict(NOT_CHECKED, UNPARSEABLE, detail or type(error).__name__)


def of_result(result: SessionResult, speech_s: float | None = None, min_speech_s: float = 0.0) -> Verdict:
    """``speech_s``: net speech measured locally, to recognise a too-short refusal in any language."""
    if not result.checked:
        return Verdict(NOT_CHECKED, UNPARSEABLE, result.raw)
    short = bool(_TOO_SHORT_TEXT.search(result.message)) or (
        speech_s is not None and min_speech_s > 0 and speech_s < min_speech_s
    )
    if result.kind == "enrol":
        if result.voice_accepted:
            return Verdict(ENROLLED, OK, result.message)
        return Verdict(REFUSED, TOO_SHORT if short else NO_SCORES, result.message)
    if result.status == STATUS_NOT_ENROLLED:
        return Verdict(NOT_ENROLLED, CLAIMED_UNKNOWN, result.message)
    if not result.voice_accepted and not result.candidates:
        return Verdict(NOT_CHECKED, TOO_SHORT if short else NO_SCORES, result.message)
    if result.voice_accepted and result.digits_match is False:
        return Verdict(REJECTED, DIGITS_DIFFER, result.message)
    if result.voice_accepted:
        return Verdict(ACCEPTED, DIGITS_UNCHECKED if result.digits_match is None else OK, result.message)
    if all(c.name != result.user for c in result.candidates):
        return Verdict(REJECTED, CLAIMED_ABSENT, result.message)
    return Verdict(REJECTED, VOICE_DIFFERS, result.message)
