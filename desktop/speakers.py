"""Deleting a person (a privacy request), the same way for the CLI and the Speakers panel.

On the sandbox the voiceprint itself is deleted through the sandbox's admin endpoint. A real
service has no delete in its API: local records go, and a deletion request is recorded in the
audit trail naming what the operator must still ask the provider to delete. Either way the
person's attempts (scores, candidates, digits, quality, consent) go, audit events stay, and
the deletion is itself an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from desktop import i18n
from desktop.errors import VpwError

if TYPE_CHECKING:
    from desktop.context import Context

i18n.register(
    {
        "speakers.provider_request": {
            "en": "Ask the voiceprint provider ({host}) to delete the voiceprint enrolled as '{name}' under "
            "client '{client}': its API has no delete, so it is still stored there.",
            "zh": "请联系声纹服务商（{host}）删除以“{name}”（客户端“{client}”）注册的声纹："
            "其接口不提供删除，声纹仍保存在服务商处。",
        },
    }
)


@dataclass(frozen=True)
class Deletion:
    name: str
    attempts: int  # local attempts deleted
    voiceprint_takes: int | None  # sandbox takes deleted (0: none stored); None on a real service
    provider_request: str  # what the operator must still ask the provider ("" on the sandbox)


def what_is_deleted(ctx: Context, name: str) -> int:
    """How many local attempts a deletion of ``name`` removes (for the confirmation)."""
    return len(ctx.history.rows(user=name))


def delete_person(ctx: Context, name: str) -> Deletion:
    profile = ctx.profile
    takes: int | None = None
    request = ""
    if profile.is_sandbox:
        from desktop.services.voiceprint_admin import VoiceprintAdmin

        ctx.ensure_sandbox()
        try:
            takes = VoiceprintAdmin(profile.voiceprint).delete(name)
        except VpwError as exc:
            # Local records stay: without them nobody would know this voiceprint still needs deleting.
            ctx.record("delete", subject=name, outcome="failed", details={"error": str(exc)})
            raise
    else:
        host = urlsplit(profile.voiceprint.url).hostname or profile.voiceprint.url
        request = i18n.tr("speakers.provider_request", host=host, name=name, client=profile.voiceprint.client_id)
    attempts = ctx.history.delete_user(name)
    outcome = "deleted" if profile.is_sandbox else "local_only"
    ctx.record("delete", subject=name, outcome=outcome, details={"attempts": attempts, "voiceprint_takes": takes})
    if request:
        host = urlsplit(profile.voiceprint.url).hostname or ""
        ctx.record(
            "deletion_request", subject=name, outcome="pending",
            details={"provider": host, "client_id": profile.voiceprint.client_id, "ask": request},
        )  # fmt: skip
    return Deletion(name, attempts, takes, request)
