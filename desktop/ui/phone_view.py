"""One verification call as the operator follows it: an outcome word on top, the session id and
the code read out, a timeline of the platform's events with their times, and the bill.

The word carries the meaning (CALL IN PROGRESS / CODE READ OUT / NOT REACHED / CALL NOT
PLACED); the frame's colour comes from the style sheet's ``decision`` property and only repeats
it. Event sentences come from ``desktop.services.voicecall_codes`` (the one table of the
platform's codes), in the window's language.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QFrame, QGridLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.services.voicecall_codes import describe_event, describe_state
from desktop.ui.qtext import arg
from desktop.untrusted import clean_field

PLATFORM_TIME = "%Y-%m-%d %H:%M:%S"  # the platform's callback timestamps, UTC (PROTOCOLS §3)
# Signature marks (desktop.store.calls.MARKS) of pushes someone without the secret may have made.
# "unverified" is not one: a platform that signs nothing (the seed's samples) sends only those.
FORGED_MARKS = ("bad_signature", "replayed")


def platform_time(stamp: Any) -> datetime | None:
    try:
        return datetime.strptime(str(stamp).strip(), PLATFORM_TIME).replace(tzinfo=UTC)
    except ValueError:
        return None


def clock(stamp: Any, fallback: float | None = None) -> str:
    """A platform timestamp as local ``HH:MM:SS``; else the local time ``fallback``; else ""."""
    when = platform_time(stamp)
    if when is not None:
        return when.astimezone().strftime("%H:%M:%S")
    if fallback is not None:
        return time.strftime("%H:%M:%S", time.localtime(fallback))
    return ""


def _label(parent: QWidget, selectable: bool = False, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CallView(QWidget):
    # Outcome states, also the style sheet's ``decision`` values.
    WORKING, DONE, FAILED, NOT_PLACED = "working", "accepted", "rejected", "not_checked"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.banner = QFrame(self)
        self.banner.setObjectName("decision")
        banner = QVBoxLayout(self.banner)
        banner.setContentsMargins(14, 10, 14, 10)
        self.word = _label(self.banner)
        self.word.setObjectName("decisionWord")
        self.reason = _label(self.banner)
        self.detail = _label(self.banner, selectable=True)
        self.detail.setObjectName("hint")
        for w in (self.word, self.reason, self.detail):
            banner.addWidget(w)
        layout.addWidget(self.banner)

        facts = QFormLayout()
        # A read-only field rather than a label: the id has no spaces to wrap at, so it scrolls
        # instead of widening the column, and it can be selected and copied from the keyboard.
        self.session = QLineEdit(self)
        self.session.setReadOnly(True)
        self.session.setFrame(False)
        self.session.setAccessibleName(self.tr("Session id"))
        self.code = _label(self, selectable=True, wrap=False)
        self.code.setAccessibleName(self.tr("Code read out"))
        font = QFont(self.code.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 3)
        self.code.setFont(font)
        self.callee = _label(self)
        facts.addRow(self.tr("Called:"), self.callee)
        facts.addRow(self.tr("Code read out:"), self.code)
        # The session id gets the full width: it is long and the operator may need all of it.
        facts.addRow(QLabel(self.tr("Session:"), self))
        facts.addRow(self.session)
        layout.addLayout(facts)

        self.timeline_box = QGroupBox(self.tr("What the platform reported"), self)
        box = QVBoxLayout(self.timeline_box)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setHorizontalSpacing(12)
        box.addLayout(self.grid)
        self.waiting = _label(self.timeline_box)
        self.waiting.setObjectName("hint")
        box.addWidget(self.waiting)
        layout.addWidget(self.timeline_box)

        self.bill_box = QGroupBox(self.tr("Bill"), self)
        bill = QFormLayout(self.bill_box)
        self.bill_id = _label(self.bill_box, selectable=True)
        self.bill_dialled = _label(self.bill_box)
        self.bill_answered = _label(self.bill_box)
        self.bill_ended = _label(self.bill_box)
        self.bill_talk = _label(self.bill_box)
        bill.addRow(self.tr("Record:"), self.bill_id)
        bill.addRow(self.tr("Dialled:"), self.bill_dialled)
        bill.addRow(self.tr("Answered:"), self.bill_answered)
        bill.addRow(self.tr("Ended:"), self.bill_ended)
        bill.addRow(self.tr("Talk time:"), self.bill_talk)
        layout.addWidget(self.bill_box)
        layout.addStretch(1)

        self.rows: list[tuple[str, str]] = []  # (time, sentence) as shown, for tests and screen readers
        self.marks: list[str] = []  # each row's signature mark as shown ("" for rows without one)
        self.notes: list[str] = []  # the client's notes on the call, kept under the outcome too
        self.state = ""
        self.clear()

    # -- states ------------------------------------------------------------------------------

    def _set_state(self, state: str, word: str, reason: str = "", detail: str = "") -> None:
        self.state = state
        self.banner.setProperty("decision", state)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.word.setText(word)
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.banner.setAccessibleName(" ".join(t for t in (word, reason, detail) if t))
        self.banner.show()

    def clear(self) -> None:
        self.state = ""
        self.notes = []
        self.banner.hide()
        self.session.setText("")
        self.callee.setText("")
        self.code.setText("")
        self._clear_rows()
        self.waiting.setText(self.tr("No call yet. Events appear here as the platform reports them."))
        self.bill_box.hide()

    def _clear_rows(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Hidden now: deleteLater waits for the event loop, and until then the old cell
                # would still paint under the new one.
                widget.hide()
                widget.deleteLater()
        self.rows = []
        self.marks = []

    def placing(self, callee: str, code: str) -> None:
        self.clear()
        self.callee.setText(callee)
        self.code.setText(code)
        self.session.setText(self.tr("(not yet known)"))
        self.waiting.setText("")
        self._set_state(self.WORKING, self.tr("PLACING THE CALL…"))

    def placed(self, session_id: str, receiver_note: str, notes: Sequence[str] = ()) -> None:
        """``notes``: the client's sentences for the operator (e.g. which Created clock worked)."""
        self.session.setText(session_id)
        self.session.setCursorPosition(0)
        self.session.setToolTip(session_id)
        self.notes = [clean_field(n, 400) for n in notes if n]
        detail = "\n".join(t for t in (*self.notes, receiver_note) if t)
        self._set_state(self.WORKING, self.tr("CALL IN PROGRESS"),
                        self.tr("The platform accepted the call and is dialling."), detail)  # fmt: skip
        if not self.rows:
            self.waiting.setText(self.tr("Waiting for the platform's first event…"))

    def not_placed(self, sentence: str, code: str = "") -> None:
        detail = arg(self.tr("Platform code %1"), code) if code and code[:1].isdigit() else ""
        self.session.setText(self.tr("(none)"))
        self.waiting.setText(self.tr("Nothing was reported: the call was not placed."))
        self._set_state(self.NOT_PLACED, self.tr("CALL NOT PLACED"), sentence, detail)

    def silent(self, seconds: float) -> None:
        """No event arrived for a while: say where they would have to come from."""
        if self.state == self.WORKING and not self.rows:
            text = self.tr("No event in %1 s. Check that the platform can reach the status URL; events that "
                           "arrive later are still stored.")  # fmt: skip
            self.waiting.setText(arg(text, f"{seconds:.0f}"))

    # -- events ------------------------------------------------------------------------------

    def mark_text(self, mark: str) -> str:
        """The receiver's signature mark as the operator reads it."""
        words = {
            "verified": self.tr("verified"),
            "unverified": self.tr("unverified"),
            "bad_signature": self.tr("bad signature"),
            "stale": self.tr("stale"),
            "replayed": self.tr("replayed"),
        }
        return words.get(mark, clean_field(mark, 40))

    def add_row(self, when: str, text: str, tooltip: str = "", mark: str = "", mark_detail: str = "") -> None:
        r = len(self.rows)
        t = _label(self.timeline_box, wrap=False)
        t.setText(when)
        t.setObjectName("hint")
        s = _label(self.timeline_box)
        s.setText(text)
        s.setToolTip(tooltip)
        self.grid.addWidget(t, r, 0, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(s, r, 1)
        shown = ""
        if mark:
            # A word, not a colour: a push we could not verify is still the platform's report, probably.
            shown = self.mark_text(mark)
            m = _label(self.timeline_box, wrap=False)
            m.setText(shown if mark == "verified" else f"⚠ {shown}")
            m.setObjectName("hint" if mark == "verified" else "qualityHint")
            m.setToolTip(clean_field(mark_detail, 500))
            self.grid.addWidget(m, r, 2, Qt.AlignmentFlag.AlignTop)
        s.setAccessibleName(" ".join(x for x in (when, text, shown) if x))
        self.rows.append((when, text))
        self.marks.append(mark)
        self.waiting.setText("")

    def add_status(
        self, event_type: str, data: dict[str, Any], received_at: float, mark: str = "", mark_detail: str = ""
    ) -> None:
        state = data.get("stateCode")
        text = describe_event(event_type, state)
        digits = data.get("digitInfo")
        if event_type == "collectInfo" and digits:
            text = f"{text}: {clean_field(digits, 64)}"
        tips = [clean_field(data.get("timestamp"), 64) + (" UTC" if platform_time(data.get("timestamp")) else "")]
        if data.get("stateDesc"):
            tips.append(clean_field(data["stateDesc"], 500))
        tooltip = "\n".join(t for t in tips if t.strip())
        self.add_row(clock(data.get("timestamp"), received_at), text, tooltip, mark, mark_detail)
        if mark in FORGED_MARKS:
            return  # shown, but a push that fails its check does not move the call's state
        if event_type == "disconnect":
            self.ended("" if state is None else str(state))
        elif self.state == self.WORKING:
            self.reason.setText(text)  # the banner says where the call is now
            self.banner.setAccessibleName(f"{self.word.text()} {text}")

    def ended(self, state_code: str) -> None:
        reason = describe_state(state_code)
        if state_code == "0":
            advice = self.tr("Ask the person to repeat the code and compare it with the one above.")
            self._set_state(self.DONE, self.tr("CODE READ OUT"), reason, "\n".join([advice, *self.notes]))
        else:
            detail = "\n".join([arg(self.tr("State code %1"), state_code), *self.notes])
            self._set_state(self.FAILED, self.tr("NOT REACHED"), reason, detail)
        if self.bill_box.isHidden():
            self.waiting.setText(self.tr("Waiting for the bill…"))

    def add_refusal(self, reason: str, received_at: float) -> None:
        text = self.tr("A callback was refused (%1); it is recorded with the refused callbacks.")
        self.add_row(clock(None, received_at), arg(text, reason))

    def show_bill(self, bill: dict[str, Any], received_at: float, mark: str = "", mark_detail: str = "") -> None:
        self.add_row(clock(None, received_at), describe_event("fee"), "", mark, mark_detail)
        self.bill_id.setText(clean_field(bill.get("icid"), 128) or self.tr("(no record id)"))
        self.bill_dialled.setText(clock(bill.get("callOutStartTime")) or "–")
        answered = clock(bill.get("callOutAnswerTime"))
        self.bill_answered.setText(answered or self.tr("Not answered"))
        self.bill_ended.setText(clock(bill.get("callEndTime")) or "–")
        start, end = platform_time(bill.get("callOutAnswerTime")), platform_time(bill.get("callEndTime"))
        talk = int((end - start).total_seconds()) if start and end else 0
        self.bill_talk.setText(arg(self.tr("%1 s"), talk))
        self.bill_box.setAccessibleName(
            arg(self.tr("Bill %1: answered %2, ended %3"), self.bill_id.text(), self.bill_answered.text(),
                self.bill_ended.text())
        )  # fmt: skip
        self.bill_box.show()
        if self.waiting.text():
            self.waiting.setText("")
