"""The people enrolled through this workstation, per profile, read from the attempts table.

A speaker is a name with at least one accepted enrolment on the profile. Their consent record is
the enrolment attempt that carried consent (time, operator, profile are on that row), so deleting
the person's attempts deletes the consent record with the rest of their personal data; the
audit trail keeps only that it happened.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.store.audit import AuditLog
    from desktop.store.history import History


@dataclass(frozen=True)
class Consent:
    at: float
    operator: str
    profile: str


@dataclass(frozen=True)
class Speaker:
    name: str
    profile: str
    enrolled_at: float  # first accepted enrolment
    last_enrolled_at: float
    takes: int  # accepted enrolments
    consent: Consent | None  # the latest consented enrolment
    last_verified_at: float | None
    verifications: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_SPEAKERS = """
SELECT user AS name, MIN(created) AS first, MAX(created) AS last, COUNT(*) AS takes
FROM attempts WHERE profile = ? AND kind = 'enrol' AND decision = 'enrolled'
GROUP BY user ORDER BY user
"""
_CONSENTS = """
SELECT user, created, operator FROM attempts
WHERE profile = ? AND kind = 'enrol' AND consent = 1 ORDER BY created
"""
_VERIFIES = """
SELECT user, MAX(created) AS last, COUNT(*) AS n FROM attempts
WHERE profile = ? AND kind = 'verify' GROUP BY user
"""


def speakers(history: History, profile: str) -> list[Speaker]:
    """Everyone enrolled on ``profile``, by name."""
    consents = {r["user"]: r for r in history.query(_CONSENTS, (profile,))}  # latest wins
    verifies = {r["user"]: r for r in history.query(_VERIFIES, (profile,))}
    out = []
    for r in history.query(_SPEAKERS, (profile,)):
        c, v = consents.get(r["name"]), verifies.get(r["name"])
        speaker = Speaker(
            name=r["name"], profile=profile, enrolled_at=r["first"], last_enrolled_at=r["last"],
            takes=int(r["takes"]),
            consent=Consent(c["created"], c["operator"] or "", profile) if c else None,
            last_verified_at=v["last"] if v else None, verifications=int(v["n"]) if v else 0,
        )  # fmt: skip
        out.append(speaker)
    return out


def enrolled_names(history: History, profile: str) -> list[str]:
    """The names enrolled on ``profile`` through this workstation, sorted (the Verify completer's source)."""
    rows = history.query(
        "SELECT DISTINCT user FROM attempts WHERE profile = ? AND kind = 'enrol' AND decision = 'enrolled'",
        (profile,),
    )
    return sorted((str(r["user"]) for r in rows), key=str.casefold)


def find(history: History, profile: str, name: str) -> Speaker | None:
    return next((s for s in speakers(history, profile) if s.name == name), None)


def personal_data(history: History, audit: AuditLog | None, name: str) -> dict[str, Any]:
    """Everything kept about ``name``: consent, enrolments, attempts (every profile), and the audit
    events naming them. For a subject-access request (``vpw speakers export``)."""
    attempts = history.rows(user=name)
    consents = [
        {"at": r["created"], "operator": r.get("operator", ""), "profile": r["profile"]}
        for r in attempts
        if r["kind"] == "enrol" and r.get("consent")
    ]
    return {
        "name": name,
        "exported_at": time.time(),
        "consent": consents,
        "enrolments": [r for r in attempts if r["kind"] == "enrol"],
        "attempts": [r for r in attempts if r["kind"] != "enrol"],
        "audit_events": audit.events(subject=name, newest_first=False) if audit is not None else [],
    }


def write_json(path: Path, doc: dict[str, Any]) -> None:
    """Atomic: a failed write leaves no half file where the operator expects an export."""
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=2, default=str)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
