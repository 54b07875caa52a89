"""What the History panel lists: every attempt, and every other audit event, as rows of one shape.

Attempts (enrolments, verifications) come from the attempts table with their scores; the audit
events of every other kind (deletions, exports, calls, callbacks, warrants, thresholds, settings,
profile switches) become rows of the same keys. An enrolment or verification whose attempt was
deleted (a privacy request) still shows, from its audit event, without scores: the trail stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.store.audit import AuditLog
    from desktop.store.history import History

ATTEMPT_KINDS = ("enrol", "verify")


def scores(row: dict[str, Any]) -> tuple[float | None, float | None]:
    """(the claimed user's own score, the best score of anyone else) from a row's candidates."""
    own: float | None = None
    other: float | None = None
    for c in row.get("candidates") or []:
        if not isinstance(c, dict):
            continue
        score = c.get("score")
        if not isinstance(score, int | float) or isinstance(score, bool):
            continue
        if c.get("name") == row.get("user"):
            own = float(score) if own is None else max(own, float(score))
        else:
            other = float(score) if other is None else max(other, float(score))
    return own, other


def summary(action: str, details: Any) -> str:
    """One line for the Message column (and the filter): the event's details, exactly."""
    if not isinstance(details, dict):
        return str(details)[:300]
    if action == "threshold" and "old" in details and "new" in details:
        return f"{details['old']!r} → {details['new']!r}"  # exact: never rounded for show
    parts = [f"{k}: {v}" for k, v in details.items() if v not in (None, "", [], {}) and k != "attempt"]
    return "; ".join(parts)[:300]


def event_row(e: dict[str, Any]) -> dict[str, Any]:
    at = e.get("at")
    details = e.get("details")
    error = details.get("error", "") if isinstance(details, dict) else ""
    return {
        "id": f"e{e.get('seq')}",
        "created": float(at) if isinstance(at, int | float) else 0.0,
        "profile": str(e.get("profile", "")),
        "kind": str(e.get("action", "")),
        "user": str(e.get("subject", "")),
        "source": "",
        "status": None,
        "decision": str(e.get("outcome", "")),
        "top_name": None,
        "top_score": None,
        "own_score": None,
        "best_other": None,
        "candidates": [],
        "number": "",
        "prompt": "",
        "digits_match": None,
        "replayed": False,
        "audio_s": None,
        "latency_s": None,
        "quality": {},
        "message": summary(str(e.get("action", "")), details),
        "error": str(error or ""),
        "consent": None,
        "operator": str(e.get("operator", "")),
    }


def timeline(history: History, audit: AuditLog) -> list[dict[str, Any]]:
    """Attempts (with ``own_score`` and ``best_other``) and the other events, newest first."""
    rows = history.rows()
    for r in rows:
        r["own_score"], r["best_other"] = scores(r)
    shown = {r["id"] for r in rows}
    for e in audit.events():
        details = e.get("details")
        attempt = details.get("attempt") if isinstance(details, dict) else None
        if e.get("action") in ATTEMPT_KINDS and attempt in shown:
            continue  # the attempt row says it, with its scores
        rows.append(event_row(e))
    rows.sort(key=lambda r: r["created"], reverse=True)
    return rows
