"""Deleting a person from the GUI (Speakers and History panels): one confirmation that says
exactly what goes and what stays, and the deletion itself off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.ui.qtext import arg

if TYPE_CHECKING:
    from desktop.speakers import Deletion
    from desktop.ui.background import Background
    from desktop.ui.context import UiContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("Deletion", text)


def confirmation_text(ui: UiContext, name: str) -> str:
    """Exactly what a deletion of ``name`` removes on the active profile, and what it does not."""
    from desktop.speakers import what_is_deleted
    from desktop.store.speakers import find

    profile = ui.profile
    records = what_is_deleted(ui.ctx, name)
    speaker = find(ui.history, profile.name, name)
    local = arg(
        _tr("• %1 local records of “%2”: enrolments and verifications with their scores, candidates, "
            "digits, audio quality metrics and the consent record; and “%2” is taken out of other "
            "people's candidate lists."),
        records, name,
    )  # fmt: skip
    if profile.is_sandbox:
        remote = arg(
            _tr("• The voiceprint stored in the sandbox (%1 enrolment takes): after this, verifying "
                "“%2” answers “not enrolled”."),
            speaker.takes if speaker else 0, name,
        )  # fmt: skip
    else:
        host = urlsplit(profile.voiceprint.url).hostname or profile.voiceprint.url
        remote = arg(
            _tr("• NOT the voiceprint stored by the provider (%1): its API has no delete. A deletion "
                "request is recorded; you must ask the provider to delete “%2”."),
            host, name,
        )  # fmt: skip
    keep = _tr("The audit trail keeps its events (they hold no scores); the deletion is added to it. "
               "This cannot be undone.")  # fmt: skip
    head = arg(_tr("Delete “%1” on the profile “%2”? This deletes:"), name, profile.name)
    return "\n\n".join([head, local, remote, keep])


def ask(parent: QWidget, text: str) -> bool:
    answer = QMessageBox.question(
        parent, _tr("Delete a person"), text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
    )  # fmt: skip
    return answer == QMessageBox.StandardButton.Yes


def done_text(done: Deletion) -> str:
    if done.provider_request:
        return arg(_tr("Deleted %1 local records of “%2”. The provider still holds the voiceprint: %3"),
                   done.attempts, done.name, done.provider_request)  # fmt: skip
    return arg(_tr("Deleted “%1”: the sandbox voiceprint (%2 takes) and %3 local records."),
               done.name, done.voiceprint_takes or 0, done.attempts)  # fmt: skip


def failed_text(sentence: str) -> str:
    return arg(_tr("Nothing was deleted: %1"), sentence)


def run(
    ui: UiContext,
    background: Background,
    name: str,
    done: Callable[[Deletion], None],
    failed: Callable[[str], None],
) -> None:
    """Delete ``name`` (voiceprint where possible, local records, audit event) in the background."""
    from desktop.speakers import delete_person

    ctx = ui.ctx
    background.run(lambda: delete_person(ctx, name), done, failed)
