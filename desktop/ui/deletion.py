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


def confirmation_text(ui: UiContext, name: str) -> str:
    """Exactly what a deletion of ``name`` removes on the active profile, and what it does not."""
    from desktop.speakers import what_is_deleted
    from desktop.store.speakers import find

    profile = ui.profile
    records = what_is_deleted(ui.ctx, name)
    speaker = find(ui.history, profile.name, name)
    local = arg(
        QCoreApplication.translate(
            "Deletion",
            "• %1 local records of “%2”: enrolments and verifications with their scores, "
            "candidates, digits, audio quality metrics and the consent record; and “%2” is taken out of "
            "other people's candidate lists.",
        ),
        records,
        name,
    )
    if profile.is_sandbox:
        remote = arg(
            QCoreApplication.translate(
                "Deletion",
                "• The voiceprint stored in the sandbox (%1 enrolment takes): after this, "
                "verifying “%2” answers “not enrolled”.",
            ),
            speaker.takes if speaker else 0,
            name,
        )
    else:
        host = urlsplit(profile.voiceprint.url).hostname or profile.voiceprint.url
        remote = arg(
            QCoreApplication.translate(
                "Deletion",
                "• NOT the voiceprint stored by the provider (%1): its API has no delete. "
                "A deletion request is recorded; you must ask the provider to delete “%2”.",
            ),
            host,
            name,
        )
    keep = QCoreApplication.translate(
        "Deletion",
        "The audit trail keeps its events (they hold no scores); the deletion is added to it. This cannot be undone.",
    )
    head = arg(
        QCoreApplication.translate("Deletion", "Delete “%1” on the profile “%2”? This deletes:"), name, profile.name
    )
    return "\n\n".join([head, local, remote, keep])


def ask(parent: QWidget, text: str) -> bool:
    title = QCoreApplication.translate("Deletion", "Delete a person")
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
    answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def done_text(done: Deletion) -> str:
    if done.provider_request:
        text = QCoreApplication.translate(
            "Deletion", "Deleted %1 local records of “%2”. The provider still holds the voiceprint: %3"
        )
        return arg(text, done.attempts, done.name, done.provider_request)
    text = QCoreApplication.translate(
        "Deletion", "Deleted “%1”: the sandbox voiceprint (%2 takes) and %3 local records."
    )
    return arg(text, done.name, done.voiceprint_takes or 0, done.attempts)


def failed_text(sentence: str) -> str:
    return arg(QCoreApplication.translate("Deletion", "Nothing was deleted: %1"), sentence)


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
