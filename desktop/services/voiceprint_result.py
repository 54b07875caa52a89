"""The voiceprint service's results: typed values and the tolerant ``stop_recognize`` parser.

The seed's one example is
``test,score= 0.816818;test1 , score = 0.7879;test2 , score = 0.749334;, number = 75339335``:
``name,score=value`` items separated by ``;`` with irregular spaces, then ``number = <digits>``.
Real replies may have fewer candidates, no number, names with spaces, commas or CJK characters;
the parser never raises, and says whether it understood the text.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from desktop.untrusted import clean_text

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
# Greedy name: the LAST ",score=" in an item separates name from score, so names may hold commas.
_CANDIDATE = re.compile(rf"^\s*(?P<name>.*\S)\s*,\s*score\s*=\s*(?P<score>{_NUM})\s*$", re.IGNORECASE | re.DOTALL)
_NUMBER = re.compile(r"^[\s,]*number\s*=\s*(?P<digits>[0-9]*)\s*$", re.IGNORECASE)
MAX_DATA = 16 * 1024  # characters; three candidates and a number take a few hundred
MAX_CANDIDATES = 32
MAX_NAME = 200
MAX_DIGITS = 1024  # 60 s of audio read as digits at a fast pace is a few hundred


@dataclass(frozen=True)
class Candidate:
    name: str
    score: float


@dataclass(frozen=True)
class ParsedCandidates:
    candidates: list[Candidate]
    number: str | None  # None when the reply has no ``number`` item
    understood: bool  # False when some item matched nothing we know


def parse_candidates(data: Any) -> ParsedCandidates:
    """Parse a ``stop_recognize`` ``data`` string. Never raises."""
    if not isinstance(data, str) or len(data) > MAX_DATA:
        return ParsedCandidates([], None, False)
    candidates: list[Candidate] = []
    number: str | None = None
    understood = True
    for item in data.split(";"):
        if not item.strip(" \t\r\n,"):
            continue  # the seed has an empty item between the last candidate and the number
        m = _NUMBER.match(item)
        if m:
            if len(m.group("digits")) > MAX_DIGITS:
                understood = False
            else:
                number = m.group("digits")
            continue
        m = _CANDIDATE.match(item)
        if m:
            score = float(m.group("score"))  # the regex admits only numbers, "1e999" among them
            name = clean_text(m.group("name").strip())
            if not math.isfinite(score) or len(name) > MAX_NAME or len(candidates) >= MAX_CANDIDATES:
                understood = False
            else:
                candidates.append(Candidate(name, score))
            continue
        understood = False
    if not candidates and number is None:
        understood = False
    return ParsedCandidates(candidates, number, understood)


@dataclass
class SessionResult:
    """What one enrolment or verification session ended with."""

    kind: str  # "enrol" | "verify"
    user: str
    status: int | None  # the service's status; None when no understandable reply came
    voice_accepted: bool  # the service said 200
    candidates: list[Candidate] = field(default_factory=list)
    number: str | None = None  # digits the service heard
    prompt: str | None = None  # digits the speaker was asked to read
    message: str = ""  # the service's text (enrolment answer, or the data when not candidates)
    understood: bool = True  # False: the reply was garbage or unparseable; shown raw
    raw: str = ""  # the reply exactly as it arrived
    replayed: bool = False  # the session was re-sent from its start after a dropped connection
    reconnects: int = 0
    audio_s: float = 0.0
    stop_to_result_s: float = 0.0

    @property
    def digits_match(self) -> bool | None:
        """None when there was no prompt or the service heard no digits (nothing to compare)."""
        if not self.prompt or not self.number:
            return None
        return self.number == self.prompt

    @property
    def accepted(self) -> bool:
        """Enrolled, or verified AND the digits (when checked) match the prompt."""
        return self.voice_accepted and self.digits_match is not False

    @property
    def checked(self) -> bool:
        """False when nothing was decided (unparseable reply): never show that as a rejection."""
        return self.status is not None and self.understood

    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["candidates"] = [{"name": c.name, "score": c.score} for c in self.candidates]
        out["number"] = self.number or ""
        out["accepted"] = self.accepted
        out["digits_match"] = self.digits_match
        out["checked"] = self.checked
        return out


def digit_diff(prompt: str, heard: str) -> list[tuple[str, str, bool]]:
    """Digit-by-digit comparison for display: (prompted, heard, same) over the longer length."""
    n = max(len(prompt), len(heard))
    return [
        (
            prompt[i] if i < len(prompt) else "",
            heard[i] if i < len(heard) else "",
            i < min(len(prompt), len(heard)) and prompt[i] == heard[i],
        )
        for i in range(n)
    ]
