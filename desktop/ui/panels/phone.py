"""The Phone panel (Huawei voice verification code): phone the person, have the platform read
out a code, and follow the call live until its bill arrives.

The form is checked here with the client's own validation (``voicecall.prepare``) before anything
is sent; a bad field is explained under it. Placing the call, the callback receiver and the
store work on other threads (``desktop.ui.phone_line``); this module only touches widgets, on
the GUI thread. The receiver starts when the panel is first shown (or at the first call) and
stops with ``shutdown()``.
"""

from __future__ import annotations

import contextlib
import itertools
import logging

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import InputError, VpwError
from desktop.services.callbacks import CallbackEvent
from desktop.services.voicecall import CallRequest, generate_code, prepare
from desktop.ui.context import UiContext
from desktop.ui.phone_followup import PhoneFollowUp, ReadBackBox
from desktop.ui.phone_line import CallAttempt, LineSignals, PhoneLine
from desktop.ui.phone_view import CallView
from desktop.ui.qtext import arg
from desktop.ui.widgets.notes import Note as _Note
from desktop.ui.widgets.notes import NoteSlot as _NoteSlot
from desktop.ui.widgets.notes import stacked as _stacked

log = logging.getLogger(__name__)

SILENCE_S = 30.0  # no event this long after the call was accepted: say where events come from
# Call stays disabled while the call is in progress, but never longer than this: a platform that
# cannot reach our status URL would otherwise leave it disabled for good.
IN_PROGRESS_MAX_S = 180.0
DEFAULT_TIMES = 3  # the code read out three times: enough to write it down, short enough to wait for
LANGUAGES = ((2, "中文"),)  # languageType values documented by the platform, by their own name
MAX_EARLY = 200  # events that arrived before the call's sessionId did (a fast platform)


class PhonePanel(PhoneFollowUp, QWidget):
    icon_name = "phone"

    def title(self) -> str:
        return self.tr("Phone")

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.calling = False  # a callVerify request is on its way
        self.session_id: str | None = None  # the call the timeline follows
        self.last_attempt: CallAttempt | None = None
        self._early: list[CallbackEvent] = []
        # Parentless on purpose (see phone_line): a thread may still emit on it after we are gone.
        self.signals = LineSignals()
        self.signals.pushed.connect(self._on_event)
        self.signals.receiver.connect(self._on_receiver)
        self.signals.placed.connect(self._on_placed)
        self.line = PhoneLine(self.signals)
        self.silence = QTimer(self)
        self.silence.setSingleShot(True)
        self.silence.setInterval(int(SILENCE_S * 1000))
        self.silence.timeout.connect(self._on_silence)
        self.in_progress = False  # a placed call has not ended yet: Call stays disabled
        self.in_progress_cap = QTimer(self)
        self.in_progress_cap.setSingleShot(True)
        self.in_progress_cap.setInterval(int(IN_PROGRESS_MAX_S * 1000))
        self.in_progress_cap.timeout.connect(lambda: self._set_in_progress(False))
        self.linked_attempt: int | None = None  # the verification attempt the next call is for

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        columns = QHBoxLayout(body)
        columns.setContentsMargins(18, 14, 18, 14)
        columns.setSpacing(18)
        left, right = QVBoxLayout(), QVBoxLayout()
        # The call's column gets a little more: the session id and event sentences are long.
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        self._build_form(body, left)
        self.view = CallView(body)
        right.addWidget(self.view)
        # Beside the code the person should read back, under the call it belongs to.
        self.read_back = ReadBackBox(body)
        self.read_back.chosen.connect(self._on_read_back)
        right.addWidget(self.read_back)
        right.addStretch(1)

        order = [self.callee, self.display, self.language, self.pre_tone, self.code, self.new_code, self.times,
                 self.call_button, *self.read_back.buttons.values(), self.view.session]  # fmt: skip
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)
        self.call_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.call_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.call_shortcut.activated.connect(self.place_call)
        self.load_defaults()
        self.fresh_code()
        self._on_receiver("", "")

    def _build_form(self, body: QWidget, left: QVBoxLayout) -> None:
        heading = QLabel(self.tr("Phone verification code"), body)
        heading.setObjectName("panelTitle")
        left.addWidget(heading)
        intro = QLabel(self.tr("When a voice check is inconclusive, the platform phones the person and reads "
                               "out a code; ask them to repeat it to you."), body)  # fmt: skip
        self.intro = intro
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        left.addWidget(intro)
        self.for_attempt = QLabel(body)  # the verification this call is for (an escalation)
        self.for_attempt.setObjectName("answer")
        self.for_attempt.setProperty("ok", True)
        self.for_attempt.setWordWrap(True)
        self.for_attempt.hide()
        left.addWidget(self.for_attempt)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.notes: dict[str, _Note] = {}

        def line_edit(name: str, accessible: str, max_length: int) -> QLineEdit:
            edit = QLineEdit(body)
            edit.setAccessibleName(accessible)
            edit.setMaxLength(max_length)
            note = self.notes[name] = _Note(body)
            edit.textEdited.connect(lambda _t: note.setText(""))
            edit.returnPressed.connect(self.place_call)
            return edit

        self.callee = line_edit("calleeNbr", self.tr("Number to call"), 32)
        self.callee.setPlaceholderText("+8613800000000")
        example = self.tr("Country code first: +86 138 0000 0000 (spaces and dashes are fine)")
        # Room under each field for its short error (show_input_error); an error never moves Call.
        slot = _NoteSlot(body, self.notes["calleeNbr"], example, lines=3)  # the example takes two
        form.addRow(self.tr("Number to call:"), _stacked(self.callee, slot))
        self.display = line_edit("displayNbr", self.tr("Number shown to the person"), 32)
        self.display.setToolTip(self.tr("The fixed-line number applied for this app; the profile's by default"))
        display_slot = _NoteSlot(body, self.notes["displayNbr"], lines=2)
        form.addRow(self.tr("Display number:"), _stacked(self.display, display_slot))

        self.language = QComboBox(body)
        self.language.setAccessibleName(self.tr("Language the code is read in"))
        self.language.setToolTip(self.tr("The language the platform reads the code in"))
        self.notes["languageType"] = _Note(body)
        form.addRow(self.tr("Language:"), _stacked(self.language, self.notes["languageType"]))
        self.pre_tone = QComboBox(body)
        self.pre_tone.setAccessibleName(self.tr("Tone played before the code"))
        self.pre_tone.setToolTip(self.tr("The tones approved on the platform, as listed in the profile (Settings)"))
        self.notes["preTone"] = _Note(body)
        form.addRow(self.tr("Pre-tone:"), _stacked(self.pre_tone, self.notes["preTone"]))

        code_row = QHBoxLayout()
        self.code = line_edit("verifyCode", self.tr("Verification code"), 8)
        self.code.setToolTip(self.tr("2 to 8 digits; a random one is made for each call, or type your own"))
        font = QFont(self.code.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 3)
        self.code.setFont(font)
        self.new_code = QPushButton(self.tr("New code"), body)
        self.new_code.setAccessibleName(self.tr("Make a new random code"))
        self.new_code.clicked.connect(self.fresh_code)
        code_row.addWidget(self.code, 1)
        code_row.addWidget(self.new_code)
        form.addRow(self.tr("Code:"), _stacked(code_row, _NoteSlot(body, self.notes["verifyCode"], lines=1)))

        self.times = QSpinBox(body)
        self.times.setRange(1, 9)
        self.times.setValue(DEFAULT_TIMES)
        self.times.setSuffix(self.tr(" times"))
        self.times.setAccessibleName(self.tr("How many times the code is read out"))
        self.notes["times"] = _Note(body)
        form.addRow(self.tr("Times read out:"), _stacked(self.times, self.notes["times"]))
        left.addLayout(form)

        buttons = QHBoxLayout()
        self.call_button = QPushButton(self.tr("Call"), body)
        self.call_button.setObjectName("recordButton")
        self.call_button.setAccessibleName(self.tr("Place the verification call"))
        self.call_button.setToolTip(self.tr("Place the call (Ctrl+Enter)"))
        self.call_button.clicked.connect(self.place_call)
        buttons.addWidget(self.call_button)
        buttons.addStretch(1)
        left.addLayout(buttons)
        self.error = _Note(body)
        self.error.setAccessibleName(self.tr("Why the call was not placed"))
        left.addWidget(_NoteSlot(body, self.error, lines=1, fixed=False))  # below Call: may grow

        self.receiver_state = QLabel(body)
        self.receiver_state.setObjectName("hint")
        self.receiver_state.setWordWrap(True)
        self.receiver_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.receiver_state.setAccessibleName(self.tr("Callback receiver"))
        left.addWidget(self.receiver_state)
        left.addStretch(1)

    # -- window hooks ------------------------------------------------------------------------

    def on_shown(self) -> None:
        # Listening while the panel is open lets late events and re-pushed bills land.
        self.line.start_receiver(self.ui.profile)

    def on_profile_changed(self) -> None:
        self.load_defaults()
        self.line.stop_receiver()  # free the old profile's port; the next call or show starts the new one
        if self.isVisible():
            self.line.start_receiver(self.ui.profile)

    def shutdown(self) -> None:
        self.silence.stop()
        if self.line.closed:
            return  # the window may rebuild its panels (shutting them down), then close
        # A call still on its way reports to nobody now; the line stops listening and lets go of the store.
        for signal, slot in ((self.signals.pushed, self._on_event), (self.signals.receiver, self._on_receiver),
                             (self.signals.placed, self._on_placed)):  # fmt: skip
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        self.line.close()

    # -- inputs ------------------------------------------------------------------------------

    def load_defaults(self) -> None:
        s = self.ui.profile.voicecall
        self.display.setText(s.display_nbr)
        self.language.clear()
        for value, name in LANGUAGES:
            self.language.addItem(name, value)
        if self.language.findData(s.language_type) < 0:  # a value the profile chose that we cannot name
            self.language.addItem(arg(self.tr("Language type %1"), s.language_type), s.language_type)
        self.language.setCurrentIndex(self.language.findData(s.language_type))
        self.pre_tone.clear()
        tones = [t.strip() for t in s.approved_tones if t.strip()]
        for tone in [*tones, s.pre_tone] if s.pre_tone and s.pre_tone not in tones else tones:
            self.pre_tone.addItem(tone)
        self.pre_tone.setCurrentIndex(max(0, self.pre_tone.findText(s.pre_tone)))

    @Slot()
    def fresh_code(self) -> None:
        self.code.setText(generate_code())
        self.notes["verifyCode"].setText("")

    def request(self) -> CallRequest:
        times = self.times.value()
        return CallRequest(
            callee=self.callee.text().strip(),
            display=self.display.text().strip(),
            code=self.code.text().strip(),
            language=self.language.currentData(),
            pre_tone=self.pre_tone.currentText().strip(),
            times=times,
        )

    def _clear_notes(self) -> None:
        for note in self.notes.values():
            note.setText("")
        self.error.setText("")

    def show_input_error(self, exc: InputError) -> None:
        """Under the field it names, else under the Call button (a setting of the profile)."""
        fields = {"calleeNbr": self.callee, "displayNbr": self.display, "languageType": self.language,
                  "preTone": self.pre_tone, "verifyCode": self.code, "times": self.times}  # fmt: skip
        note = self.notes.get(exc.code or "")
        if note is None:
            self.error.setText(exc.message)
            return
        # A short sentence in the room kept under the field; the service's whole sentence (with
        # the value it refused) in the tooltip. A longer one would push the Call button down.
        short = self.short_notes().get(exc.code or "")
        note.setText(short or exc.message)
        note.setToolTip(exc.message if short else "")
        fields[exc.code or ""].setFocus()

    def short_notes(self) -> dict[str, str]:
        return {
            "calleeNbr": self.tr("Write + and the country code first (E.164), e.g. +8613800000000."),
            "displayNbr": self.tr("Not a display number: use E.164, e.g. +8657100000000."),
            "verifyCode": self.tr("2-8 digits 0-9."),
        }

    # -- calling -----------------------------------------------------------------------------

    @Slot()
    def place_call(self) -> None:
        if self.calling or self.in_progress:  # Enter, a double-click: one call until it has ended
            return
        self._clear_notes()
        req = self.request()
        try:
            prepared = prepare(req, self.ui.profile.voicecall)  # nothing is sent when this fails
        except InputError as exc:
            self.show_input_error(exc)
            return
        req.code = prepared.code
        self.code.setText(prepared.code)
        self.calling = True
        self.session_id = None
        self._early = []
        self.silence.stop()
        self.read_back.reset()
        self._set_in_progress(True)
        self.view.placing(prepared.body["calleeNbr"], prepared.code)
        self.line.call(self.ui.ctx, self.ui.profile, req)

    @Slot(object)
    def _on_placed(self, attempt: CallAttempt) -> None:
        self.calling = False
        self.last_attempt = attempt
        if attempt.error is not None or attempt.result is None:
            exc = attempt.error or RuntimeError("no answer")
            if isinstance(exc, InputError) and exc.code in self.notes:
                self.show_input_error(exc)
            code = exc.code if isinstance(exc, VpwError) else None
            message = exc.message if isinstance(exc, VpwError) else (str(exc) or type(exc).__name__)
            self.view.not_placed(message, code or "")
            self._early = []
            self._set_in_progress(False)
            return
        self.session_id = attempt.result.session_id
        self.read_back.set_ready(True)
        if self.linked_attempt is not None:
            self._link(self.session_id, self.linked_attempt)
        self.in_progress_cap.start()
        self.view.placed(self.session_id, self.receiver_note(attempt), attempt.result.notes)
        if not attempt.stored:
            self.ui.bus.message.emit(self.tr("This call could not be saved in the history."))
        early, self._early = self._early, []
        for ev in early:
            self._on_event(ev)
        if self.view.state == CallView.WORKING:
            self.silence.start()

    def receiver_note(self, attempt: CallAttempt) -> str:
        if attempt.receiver_error:
            return arg(self.tr("Live events cannot be shown here: %1"), attempt.receiver_error)
        if not attempt.status_url:
            return self.tr("This profile names no status URL, so the platform reports this call to the address "
                           "registered for the app.")  # fmt: skip
        return ""

    @Slot(object)
    def _on_event(self, ev: CallbackEvent) -> None:
        if ev.kind == "rejected":
            if self.calling or self.view.state == CallView.WORKING:
                self.view.add_refusal(ev.event_type, ev.received_at)
            return
        if self.session_id is None:
            if self.calling and len(self._early) < MAX_EARLY:
                self._early.append(ev)
            return
        if ev.session_id != self.session_id:
            return  # another call's event: stored by the receiver, not this timeline's
        self.silence.stop()
        if ev.kind == "fee":
            self.view.show_bill(ev.data, ev.received_at, ev.signature, ev.signature_detail)
        else:
            self.view.add_status(ev.event_type, ev.data, ev.received_at, ev.signature, ev.signature_detail)
        if self.view.state != CallView.WORKING or ev.kind == "fee":
            self._set_in_progress(False)  # the call ended (or was billed): another may go out

    def _set_in_progress(self, on: bool) -> None:
        self.in_progress = on
        if not on:
            self.in_progress_cap.stop()
        self.call_button.setEnabled(not on)
        self.call_button.setToolTip(
            self.tr("A call is in progress; wait for it to end") if on else self.tr("Place the call (Ctrl+Enter)")
        )

    @Slot()
    def _on_silence(self) -> None:
        self.view.silent(SILENCE_S)

    @Slot(str, str)
    def _on_receiver(self, url: str, error: str) -> None:
        if error:
            text = arg(self.tr("Callback receiver: not listening. %1"), error)
        elif url:
            # The address on a line of its own: a URL wrapped in the middle reads as two.
            text = self.tr("Callback receiver listening on:") + "\n" + url
            # In the tooltip: two lines less, so that the panel fits a 720 px window.
            stored = self.tr("The platform's events and bills are stored in the history database.")
            self.receiver_state.setToolTip(stored)
        else:
            text = self.tr("Callback receiver: starts when this panel is shown or a call is placed.")
        self.receiver_state.setText(text)
