"""The window's status bar: active profile, voiceprint WebSocket state with the last heartbeat,
input-overflow count."""

from __future__ import annotations

import time

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from desktop.ui.qtext import arg


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile_label = QLabel(self)
        self.operator_label = QLabel(self)
        self.state_label = QLabel(self)
        self.overflow_label = QLabel(self)
        for label, name in (
            (self.operator_label, "operator"),
            (self.profile_label, "profile"),
            (self.state_label, "connection"),
            (self.overflow_label, "overflows"),
        ):
            label.setObjectName(f"status_{name}")
            self.addPermanentWidget(label)
        self.profile = ""
        self.operator = ""
        self.state = "offline"
        self.error = ""
        self.heartbeat: float | None = None
        self.overflows = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.profile_label.setText(arg(self.tr("Profile: %1"), self.profile))
        self.profile_label.setAccessibleName(self.tr("Active profile"))
        self.operator_label.setText(arg(self.tr("Operator: %1"), self.operator))
        self.operator_label.setAccessibleName(self.tr("Operator recorded in the audit trail"))
        self.operator_label.setVisible(bool(self.operator))
        self._show_state()
        self._show_overflows()
        self.overflow_label.setAccessibleName(self.tr("Input overflow count"))
        self.state_label.setAccessibleName(self.tr("Voiceprint connection state"))

    def state_text(self, state: str) -> str:
        return {
            "connecting": self.tr("connecting"),
            "connected": self.tr("connected"),
            "reconnecting": self.tr("reconnecting"),
            "offline": self.tr("offline"),
        }.get(state, state)

    def _show_state(self) -> None:
        text = arg(self.tr("Voiceprint: %1"), self.state_text(self.state))
        if self.heartbeat is not None:
            beat = time.strftime("%H:%M:%S", time.localtime(self.heartbeat))
            text += "  " + arg(self.tr("heartbeat %1"), beat)
        self.state_label.setText(text)
        if self.state_label.property("state") != self.state:
            self.state_label.setProperty("state", self.state)  # the style sheet colours by state
            if self.state_label.isVisible():  # before the first show, polishing comes anyway
                self.state_label.style().unpolish(self.state_label)
                self.state_label.style().polish(self.state_label)
        self.state_label.setToolTip(self.error)

    def set_operator(self, name: str) -> None:
        self.operator = name
        self.retranslate()

    def set_profile(self, name: str) -> None:
        self.profile = name
        self.retranslate()

    @Slot(str)
    def set_state(self, state: str) -> None:
        self.state = state
        self._show_state()

    @Slot(str)
    def set_error(self, error: str) -> None:
        self.error = error
        self._show_state()

    @Slot(float)
    def set_heartbeat(self, when: float) -> None:
        self.heartbeat = when
        self._show_state()

    @Slot(int)
    def set_overflows(self, count: int) -> None:
        self.overflows = count
        self._show_overflows()

    def _show_overflows(self) -> None:
        # Only worth the operator's attention when audio was actually lost.
        self.overflow_label.setText(arg(self.tr("Input overflows: %1"), str(self.overflows)))
        self.overflow_label.setVisible(self.overflows > 0)
