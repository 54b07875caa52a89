"""The answer to "Get warrant": the warrant with its gateway, source and a live expiry countdown,
or why there is none, in the service's own sentence and advice.

The word on top carries the meaning (WARRANT ISSUED / NO WARRANT); the frame's colour comes
from the style sheet's ``decision`` property and only repeats it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QDateTime, Qt, QTimer, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import i18n
from desktop.errors import AuthFailure, ConfigError, ConnectionFailure, InputError, ProtocolFailure, VpwError
from desktop.services.singsound import Warrant
from desktop.services.singsound_errors import known_codes
from desktop.ui.qtext import arg


def countdown_text(seconds: int) -> str:
    """``h:mm:ss`` (or ``m:ss`` under an hour)."""
    h, rest = divmod(max(0, seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _label(parent: QWidget, selectable: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class WarrantView(QFrame):
    def __init__(self, parent: QWidget | None = None, clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self.setObjectName("decision")
        self._clock = clock
        self.warrant: Warrant | None = None
        self.error: BaseException | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        self.word = QLabel(self)
        self.word.setObjectName("decisionWord")
        self.word.setWordWrap(True)
        layout.addWidget(self.word)

        # -- a warrant ------------------------------------------------------------------------
        self.issued = QWidget(self)
        form = QFormLayout(self.issued)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        id_row = QHBoxLayout()
        self.warrant_id = QLineEdit(self.issued)
        self.warrant_id.setReadOnly(True)
        self.warrant_id.setAccessibleName(self.tr("Warrant ID"))
        self.copy_button = QPushButton(self.tr("Copy"), self.issued)
        self.copy_button.setAccessibleName(self.tr("Copy the warrant ID"))
        self.copy_button.clicked.connect(self.copy_id)
        id_row.addWidget(self.warrant_id, 1)
        id_row.addWidget(self.copy_button)
        form.addRow(self.tr("Warrant ID:"), id_row)
        self.countdown = QLabel(self.issued)
        self.countdown.setObjectName("answer")
        self.countdown.setAccessibleName(self.tr("Time until the warrant expires"))
        form.addRow(self.tr("Expires in:"), self.countdown)
        self.expires_at = _label(self.issued)
        form.addRow(self.tr("Expires at:"), self.expires_at)
        self.gateway = _label(self.issued, selectable=True)
        self.gateway.setAccessibleName(self.tr("Gateway that answered"))
        form.addRow(self.tr("Gateway:"), self.gateway)
        self.source = _label(self.issued)
        self.source.setAccessibleName(self.tr("Where the warrant came from"))
        form.addRow(self.tr("Source:"), self.source)
        self.skipped = _label(self.issued, selectable=True)
        self.skipped.setObjectName("hint")
        self.skipped_caption = QLabel(self.tr("Skipped:"), self.issued)
        form.addRow(self.skipped_caption, self.skipped)
        layout.addWidget(self.issued)

        # -- no warrant -----------------------------------------------------------------------
        self.refused = QWidget(self)
        box = QVBoxLayout(self.refused)
        box.setContentsMargins(0, 0, 0, 0)
        self.headline = _label(self.refused)
        self.headline.setObjectName("answer")
        self.headline.setProperty("ok", False)
        box.addWidget(self.headline)
        self.sentence = _label(self.refused, selectable=True)
        self.sentence.setAccessibleName(self.tr("What went wrong"))
        self.advice = _label(self.refused, selectable=True)
        self.advice.setAccessibleName(self.tr("What to do"))
        self.details_button = QPushButton(self.tr("Show details"), self.refused)
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleName(self.tr("Show the full error message"))
        self.details_button.toggled.connect(self._toggle_details)
        self.details = _label(self.refused, selectable=True)
        self.details.setObjectName("hint")
        self.details.setAccessibleName(self.tr("The full error message"))
        box.addWidget(self.sentence)
        box.addWidget(self.advice)
        box.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.details)
        layout.addWidget(self.refused)
        self.clear()

    # -- states ------------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self.setProperty("decision", state)
        self.style().unpolish(self)
        self.style().polish(self)

    def clear(self) -> None:
        self.timer.stop()
        self.warrant, self.error = None, None
        self.issued.hide()
        self.refused.hide()
        self.hide()

    def show_working(self, text: str) -> None:
        self.clear()
        self._set_state("working")
        self.word.setText(text)
        self.setAccessibleName(text)
        self.show()

    def show_warrant(self, warrant: Warrant, gateways: list[str]) -> None:
        self.clear()
        self.warrant = warrant
        self._set_state("accepted")
        self.word.setText(self.tr("WARRANT ISSUED"))
        self.setAccessibleName(self.tr("Warrant issued"))
        self.warrant_id.setText(warrant.warrant_id)
        self.warrant_id.setCursorPosition(0)
        stamp = QDateTime.fromSecsSinceEpoch(warrant.expire_at).toString("yyyy-MM-dd HH:mm:ss")
        self.expires_at.setText(arg(self.tr("%1 (this computer's time zone)"), stamp))
        number = gateways.index(warrant.gateway) + 1 if warrant.gateway in gateways else 0
        if number:
            self.gateway.setText(arg(self.tr("%1 (gateway %2 of %3)"), warrant.gateway, number, len(gateways)))
        else:
            self.gateway.setText(warrant.gateway)
        self.source.setText(self.source_text(warrant.source))
        reasons = "\n".join(a.reason for a in warrant.skipped)
        self.skipped.setText(reasons)
        self.skipped.setVisible(bool(reasons))
        self.skipped_caption.setVisible(bool(reasons))
        self.issued.show()
        self._tick()
        if warrant.seconds_left(self._clock()) > 0:
            self.timer.start()
        self.show()

    def source_text(self, source: str) -> str:
        if source == "cache":
            return self.tr("From the cache: issued earlier for this user and still valid (no request was sent)")
        if source == "shared":
            return self.tr("Shared: another request for this user was already under way")
        return self.tr("New: issued by SingSound just now")

    @Slot()
    def _tick(self) -> None:
        if self.warrant is None:
            self.timer.stop()
            return
        left = self.warrant.seconds_left(self._clock())
        if left <= 0:
            self.timer.stop()
            self.countdown.setText(self.tr("Expired"))
            self.countdown.setProperty("ok", False)
        else:
            self.countdown.setText(countdown_text(left))
            self.countdown.setProperty("ok", True)
        self.countdown.style().unpolish(self.countdown)
        self.countdown.style().polish(self.countdown)

    def show_error(self, exc: BaseException, message: str) -> None:
        """``message``: the error's full sentence, already scrubbed of secrets."""
        self.clear()
        self.error = exc
        self._set_state("rejected")
        headline, sentence, advice = self.explain(exc, message)
        self.word.setText(self.tr("NO WARRANT"))
        self.headline.setText(headline)
        self.setAccessibleName(arg(self.tr("No warrant: %1"), headline))
        self.sentence.setText(sentence)
        self.advice.setText(arg(self.tr("What to do: %1"), advice) if advice else "")
        self.advice.setVisible(bool(advice))
        self.details.setText(message)
        has_more = bool(message) and message != sentence
        self.details_button.setVisible(has_more)
        self.details_button.setChecked(False)
        self.details.hide()
        self.refused.show()
        self.show()

    def explain(self, exc: BaseException, message: str) -> tuple[str, str, str]:
        """(headline, what happened, what to do) for an error, in the window's language."""
        code = _known_code(exc)
        if code is not None:
            # The service's own sentence and advice, from the seed's table of codes.
            headline = arg(self.tr("SingSound answered code %1"), code)
            return headline, i18n.tr(f"singsound.code.{code}"), i18n.tr(f"singsound.advice.{code}")
        text = exc.message if isinstance(exc, VpwError) else (str(exc) or type(exc).__name__)
        if isinstance(exc, ConfigError):
            return (
                self.tr("The profile is incomplete"),
                text,
                self.tr("Fill in the SingSound section of this profile in Settings."),
            )
        if isinstance(exc, InputError):
            return self.tr("Not sent: check the input"), text, ""
        if isinstance(exc, ConnectionFailure):
            return (
                self.tr("No gateway answered"),
                text,
                self.tr(
                    "Check the gateway addresses in Settings and that this computer can reach them; "
                    "every gateway was tried in turn."
                ),
            )
        if isinstance(exc, AuthFailure):
            return (
                self.tr("The credentials were refused"),
                text,
                self.tr("Check the app ID and app secret of this profile in Settings."),
            )
        if isinstance(exc, (ProtocolFailure, VpwError)):
            return self.tr("The answer could not be used"), text, ""
        return (
            self.tr("Unexpected failure"),
            text,
            self.tr("This is a fault in this program; the log has the details."),
        )

    @Slot(bool)
    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(self.tr("Hide details") if shown else self.tr("Show details"))

    @Slot()
    def copy_id(self) -> None:
        QGuiApplication.clipboard().setText(self.warrant_id.text())


def _known_code(exc: BaseException) -> int | None:
    code = getattr(exc, "code", None)
    try:
        n = int(code) if code is not None else None
    except (TypeError, ValueError):
        return None
    return n if n in known_codes() else None
