"""The Speakers panel: who is enrolled through this workstation on the active profile, with their
consent record; search, re-enrol, export a person's data, and delete a person.

Deleting asks first, saying exactly what goes (the sandbox voiceprint, or on a real service only
the local records plus a recorded deletion request), then runs ``desktop.speakers.delete_person``
off the GUI thread (it talks to the sandbox). Audit events are never deleted.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.speakers import Deletion
from desktop.store.speakers import Speaker
from desktop.ui import deletion
from desktop.ui.background import Background
from desktop.ui.context import UiContext
from desktop.ui.qtext import arg

log = logging.getLogger(__name__)

COLUMNS = ("name", "takes", "enrolled_at", "last_enrolled_at", "consent", "last_verified_at")


def _when(at: float | None) -> str:
    return "—" if at is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(at))


class SpeakersPanel(QWidget):
    icon_name = "speakers"
    loaded = Signal(int)  # speakers shown after a read
    deleted = Signal(str)  # a person was deleted (their name)

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.background = Background(self, max_threads=1)
        self.speakers: list[Speaker] = []
        self._build()
        ui.bus.history_changed.connect(self._on_history_changed)

    def title(self) -> str:
        return self.tr("Speakers")

    def _build(self) -> None:
        self.heading = QLabel(self)
        self.heading.setObjectName("panelTitle")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search by name…"))
        self.search.setAccessibleName(self.tr("Search speakers"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_search)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setAccessibleName(self.tr("Refresh the list of speakers"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.refresh_button)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setAccessibleName(self.tr("Enrolled speakers"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"), self.tr("Takes"), self.tr("First enrolled"), self.tr("Last enrolled"),
                self.tr("Consent (recorded by)"), self.tr("Last verified"),
            ]
        )  # fmt: skip
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda *_: self.re_enrol())

        self.count_label = QLabel(self)
        self.status = QLabel(self)
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.enrol_button = QPushButton(self.tr("Re-enrol…"), self)
        self.enrol_button.setAccessibleName(self.tr("Enrol the selected speaker again"))
        self.enrol_button.clicked.connect(self.re_enrol)
        self.export_button = QPushButton(self.tr("Export data…"), self)
        self.export_button.setAccessibleName(self.tr("Export the selected person's data to a JSON file"))
        self.export_button.clicked.connect(self.export_dialog)
        self.delete_button = QPushButton(self.tr("Delete person…"), self)
        self.delete_button.setAccessibleName(self.tr("Delete the selected person"))
        self.delete_button.clicked.connect(self.delete_selected)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.enrol_button)
        actions.addWidget(self.export_button)
        actions.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(actions)
        for a, b in (
            (self.search, self.refresh_button), (self.refresh_button, self.table), (self.table, self.enrol_button),
            (self.enrol_button, self.export_button), (self.export_button, self.delete_button),
        ):  # fmt: skip
            QWidget.setTabOrder(a, b)
        self._update_buttons()

    # -- data ------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def on_profile_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    @Slot()
    def _on_history_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        from desktop.store.speakers import speakers

        history, profile = self.ui.history, self.ui.profile.name
        self.heading.setText(arg(self.tr("Speakers enrolled on the profile “%1”"), profile))
        self.background.run(lambda: speakers(history, profile), self._on_loaded, self._on_failed)

    def _on_loaded(self, found: list[Speaker]) -> None:
        selected = self.selected_name()
        self.speakers = found
        self.table.setRowCount(len(found))
        for row, s in enumerate(found):
            consent = (
                arg(self.tr("%1 (%2)"), _when(s.consent.at), s.consent.operator or "?")
                if s.consent
                else self.tr("none recorded")
            )
            cells = (s.name, str(s.takes), _when(s.enrolled_at), _when(s.last_enrolled_at), consent,
                     _when(s.last_verified_at))  # fmt: skip
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self._apply_search()
        if selected is not None:
            self.select(selected)
        self._update_buttons()
        self.loaded.emit(len(found))

    def _on_failed(self, sentence: str) -> None:
        self.status.setText(arg(self.tr("The list of speakers cannot be read: %1"), sentence))

    @Slot()
    def _apply_search(self) -> None:
        needle = self.search.text().strip().casefold()
        shown = 0
        for row, s in enumerate(self.speakers):
            hide = bool(needle) and needle not in s.name.casefold()
            self.table.setRowHidden(row, hide)
            shown += not hide
        self.count_label.setText(arg(self.tr("%1 of %2 speakers"), shown, len(self.speakers)))

    def select(self, name: str) -> bool:
        for row, s in enumerate(self.speakers):
            if s.name == name and not self.table.isRowHidden(row):
                self.table.selectRow(row)
                return True
        return False

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.speakers):
            return None
        return self.speakers[rows[0].row()].name

    @Slot()
    def _update_buttons(self) -> None:
        chosen = self.selected_name() is not None and not self.background.busy
        for b in (self.enrol_button, self.export_button, self.delete_button):
            b.setEnabled(chosen)

    # -- actions ---------------------------------------------------------------------------------
    @Slot()
    def re_enrol(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.ui.bus.enrol_requested.emit(name)  # the window opens Enrol with the name filled in

    def confirmation_text(self, name: str) -> str:
        return deletion.confirmation_text(self.ui, name)

    def ask(self, title: str, text: str) -> bool:
        return deletion.ask(self, text)

    @Slot()
    def delete_selected(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.delete_person(name)

    def delete_person(self, name: str) -> bool:
        """Ask, then delete in the background; ``deleted`` fires when done. False when cancelled."""
        if not self.ask(self.tr("Delete a person"), self.confirmation_text(name)):
            return False
        self.status.setText(arg(self.tr("Deleting “%1”…"), name))
        deletion.run(self.ui, self.background, name, self._on_deleted, self._on_delete_failed)
        self._update_buttons()
        return True

    def _on_deleted(self, done: Deletion) -> None:
        text = deletion.done_text(done)
        self.status.setText(text)
        self.ui.bus.message.emit(text)
        self.ui.bus.history_changed.emit()  # History, Verify's names and this list re-read
        self.deleted.emit(done.name)
        self.refresh()

    def _on_delete_failed(self, sentence: str) -> None:
        text = deletion.failed_text(sentence)
        self.status.setText(text)
        self._update_buttons()
        QMessageBox.warning(self, self.tr("Deletion failed"), text)

    @Slot()
    def export_dialog(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        safe = "".join(c if c.isalnum() else "-" for c in name)[:40] or "person"
        start = str(Path.home() / f"vpw-{safe}.json")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export a person's data"), start,
                                              self.tr("JSON files (*.json)"))  # fmt: skip
        if path:
            self.export_to(name, Path(path))

    def export_to(self, name: str, path: Path) -> bool:
        from desktop.store.speakers import personal_data, write_json

        if not path.suffix:
            path = path.with_suffix(".json")
        try:
            doc = personal_data(self.ui.history, self.ui.ctx.audit, name)
            write_json(path, doc)
        except OSError as exc:
            self.ui.ctx.record("export", subject=name, outcome="failed", details={"error": exc.strerror or str(exc)})
            self.status.setText(arg(self.tr("Cannot write %1: %2"), path, exc.strerror or exc))
            return False
        records = len(doc["enrolments"]) + len(doc["attempts"])
        self.ui.ctx.record("export", subject=name, outcome="ok", details={"records": records, "file": str(path)})
        self.status.setText(arg(self.tr("Exported the data of “%1” to %2"), name, path))
        self.ui.bus.history_changed.emit()
        return True

    def shutdown(self) -> None:
        self.background.wait()
