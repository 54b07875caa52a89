"""The History panel: every attempt and every other audited action, sortable, filterable, exportable.

The table shows the rows of ``desktop.store.timeline``: attempts with the claimed user's own
score and the best other candidate's, and the other audit events (deletions, exports, calls,
callbacks, warrants, thresholds, settings, profile switches) with their operator. Filtering and
sorting happen in the proxy, so exporting writes exactly what the operator sees, in the order they
see it. Deleting a person answers a privacy request the same way as the Speakers panel
(``desktop.ui.deletion``): the voiceprint where the service allows, the local records, never
the audit events; only after a confirmation that says exactly what goes.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.speakers import Deletion
from desktop.ui import deletion, file_dialogs
from desktop.ui.background import Background
from desktop.ui.context import UiContext
from desktop.ui.history_model import (
    COLUMNS,
    DECISIONS,
    KINDS,
    OUTCOMES,
    HistoryFilterProxy,
    HistoryTableModel,
    decision_label,
    kind_label,
    search_texts,
)
from desktop.ui.qtext import arg

log = logging.getLogger(__name__)


class HistoryPanel(QWidget):
    icon_name = "history"
    # The store was read and the table shows it (number of attempts read).
    loaded = Signal(int)
    # A CSV file was written (number of attempts in it).
    exported = Signal(int)

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        # Reading and exporting run off the GUI thread: at 10,000 attempts History.rows() alone
        # takes most of a second on a slow machine.
        self.background = Background(self, max_threads=1)
        self._loading = False
        self._load_again = False
        self._sized = False
        self.model = HistoryTableModel(self)
        self.proxy = HistoryFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        # Read when shown, not now: a hidden panel has nothing to show, and start-up stays fast.
        ui.bus.history_changed.connect(self._on_history_changed)

    def title(self) -> str:
        return self.tr("History")

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter by user, operator, digits or message…"))
        self.filter_edit.setAccessibleName(self.tr("Filter text"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.set_text)

        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName(self.tr("Kind filter"))
        self.kind_combo.addItem(self.tr("All kinds"), "")
        for kind in KINDS:
            self.kind_combo.addItem(kind_label(kind), kind)
        self.kind_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_kind(str(self.kind_combo.currentData() or ""))
        )

        self.decision_combo = QComboBox(self)
        self.decision_combo.setAccessibleName(self.tr("Decision filter"))
        self.decision_combo.addItem(self.tr("All decisions"), "")
        for decision in DECISIONS:
            self.decision_combo.addItem(decision_label(decision), decision)
        self.decision_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_decision(str(self.decision_combo.currentData() or ""))
        )

        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setAccessibleName(self.tr("Refresh the history"))
        self.refresh_button.clicked.connect(self.refresh)

        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.kind_combo)
        filters.addWidget(self.decision_combo)
        filters.addWidget(self.refresh_button)

        self.table = QTableView(self)
        self.table.setAccessibleName(self.tr("Attempts"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMNS.index("created"), Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        # Compact rows: the history is read as a list, and more of it fits on screen.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        # Not ResizeToContents: that asks every row for its size after every change, which with a
        # Python model costs seconds at 10,000 rows. Columns are sized once, from the first rows.
        header.setResizeContentsPrecision(200)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMNS.index("user"), QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Number of events shown"))
        # The selected row's details in full (an exact threshold, a deletion's counts, an error):
        # the table has no room for a column of them at the default window size.
        self.details = QLabel(self)
        self.details.setObjectName("hint")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAccessibleName(self.tr("Details of the selected event"))
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.setAccessibleName(self.tr("Export the shown attempts to a CSV file"))
        self.export_button.clicked.connect(self.export_dialog)
        self.delete_button = QPushButton(self.tr("Delete person…"), self)
        self.delete_button.setAccessibleName(self.tr("Delete every record of one person"))
        self.delete_button.setToolTip(
            self.tr(
                "A privacy request: deletes the selected person's voiceprint (sandbox) and records; "
                "the audit trail stays"
            )
        )
        self.delete_button.clicked.connect(self.delete_dialog)

        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.export_button)
        actions.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(actions)

        for first, second in (
            (self.filter_edit, self.kind_combo),
            (self.kind_combo, self.decision_combo),
            (self.decision_combo, self.refresh_button),
            (self.refresh_button, self.table),
            (self.table, self.export_button),
            (self.export_button, self.delete_button),
        ):
            QWidget.setTabOrder(first, second)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

    # -- hooks from the window -------------------------------------------------------------------
    def on_shown(self) -> None:
        pass  # showEvent already re-reads the store (also catches attempts the CLI recorded)

    def on_profile_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    @Slot()
    def _on_history_changed(self) -> None:
        if self.isVisible():  # a hidden panel re-reads when it is shown
            self.refresh()

    # -- data ------------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Re-read the store in the background, keeping the filters, the sort and the selection."""
        if self._loading:
            self._load_again = True  # one more read when this one lands, however many were asked
            return
        self._loading = True
        self._load_again = False
        history, audit = self.ui.history, self.ui.ctx.audit  # opened here, on the GUI thread, once

        def read() -> tuple[list[dict[str, Any]], list[str]]:
            from desktop.store.timeline import timeline

            rows = timeline(history, audit)
            return rows, search_texts(rows)

        self.background.run(read, lambda found: self._on_loaded(*found), self._on_load_failed)

    def _on_loaded(self, rows: list[dict[str, Any]], search: list[str] | None = None) -> None:
        self._loading = False
        if self._load_again:
            self.refresh()
            return
        selected = self.selected_row()
        self.model.set_rows(rows, search)
        if not self._sized and rows:
            self._sized = True
            self._size_columns()
        if selected is not None:
            self._select_id(selected["id"])
        self._update_count()
        self._update_buttons()
        self.loaded.emit(len(rows))

    def _size_columns(self) -> None:
        self.table.resizeColumnsToContents()
        # The first rows may not hold every label ("Not checked"): leave room for all of them.
        metrics = self.table.fontMetrics()
        decisions = map(decision_label, (*DECISIONS, *OUTCOMES))
        for column, labels in (("kind", map(kind_label, KINDS)), ("decision", decisions)):
            index = COLUMNS.index(column)
            widest = max(metrics.horizontalAdvance(label) for label in labels) + 16
            self.table.setColumnWidth(index, max(self.table.columnWidth(index), widest))

    def _on_load_failed(self, sentence: str) -> None:
        # A locked or damaged database must not take the window down: say it where the count goes.
        self._loading = False
        self.count_label.setText(arg(self.tr("The history cannot be read: %1"), sentence))
        if self._load_again:
            self.refresh()

    def _select_id(self, row_id: int) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.row_at(r)["id"] == row_id:
                self.table.selectRow(r)
                return

    def selected_row(self) -> dict[str, Any] | None:
        if not hasattr(self, "table"):
            return None
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.row_at(rows[0].row()) if rows else None

    def _update_count(self, *_args: Any) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(arg(self.tr("Showing %1 of %2 events"), shown, total))
        self.export_button.setEnabled(shown > 0)

    def _on_selection_changed(self, *_args: object) -> None:
        self._update_buttons()
        self._show_details()

    def _show_details(self) -> None:
        row = self.selected_row()
        text = ""
        if row is not None:
            parts = [str(row.get(k) or "") for k in ("message", "error")]
            text = " — ".join(p for p in parts if p)
        self.details.setText(text)

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self.model.rowCount() > 0)

    # -- export ----------------------------------------------------------------------------------
    @Slot()
    def export_dialog(self) -> None:
        suggested = time.strftime("vpw-history-%Y%m%d-%H%M%S.csv")
        path, _filter = file_dialogs.save_file(
            self, self.ui.settings, self.tr("Export history"), suggested, self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the shown rows, in the shown order, to ``path`` (``.csv`` added when there is no
        suffix) in the background; ``exported`` tells when it is done."""
        if not path.suffix:
            path = path.with_suffix(".csv")
        rows = self.proxy.visible_rows()
        history = self.ui.history

        def write() -> tuple[int, str]:
            try:
                return history.export_csv(path, rows), ""
            except OSError as exc:
                return -1, exc.strerror or str(exc)

        self.export_button.setEnabled(False)
        self.background.run(write, lambda result: self._on_exported(path, *result), self._on_export_failed)

    def _on_exported(self, path: Path, count: int, problem: str) -> None:
        self.export_button.setEnabled(self.proxy.rowCount() > 0)
        self._audit_export(path, count, problem)
        if count < 0:
            self._on_export_failed(arg(self.tr("Cannot write %1: %2"), path, problem))
            return
        self.ui.bus.message.emit(arg(self.tr("Exported %1 attempts to %2"), count, path))
        self.exported.emit(count)

    def _audit_export(self, path: Path, count: int, problem: str) -> None:
        details: dict[str, object] = {"file": str(path), "rows": max(count, 0)}
        if problem:
            details["error"] = problem
        try:
            self.ui.ctx.record("history_export", outcome="failed" if count < 0 else "ok", details=details)
        except Exception:  # the file is written; the missing audit event is said, not hidden
            log.exception("recording the history export failed")
            self.ui.bus.message.emit(self.tr("The export could not be recorded in the audit trail."))
            return
        self.ui.bus.history_changed.emit()

    def _on_export_failed(self, sentence: str) -> None:
        self.export_button.setEnabled(self.proxy.rowCount() > 0)
        QMessageBox.warning(self, self.tr("Export failed"), sentence)

    # -- privacy deletion ------------------------------------------------------------------------
    @Slot()
    def delete_dialog(self) -> None:
        selected = self.selected_row()
        # A person is someone who enrolled or was verified, not a phone number or a profile name.
        user = selected["user"] if selected and selected.get("kind") in ("enrol", "verify") else None
        if user is None:
            people = (r for r in self.model.all_rows() if r.get("kind") in ("enrol", "verify"))
            users = sorted({str(r["user"]) for r in people}, key=str.casefold)
            if not users:
                return
            user, ok = QInputDialog.getItem(
                self, self.tr("Delete a person's records"), self.tr("Person:"), users, 0, True
            )
            if not ok or not user.strip():
                return
            user = user.strip()
        self.delete_user(user)

    def delete_user(self, user: str) -> bool:
        """Ask (saying exactly what goes), then delete ``user`` in the background: the voiceprint
        where the service allows, their records, never the audit events. False when cancelled."""
        if not deletion.ask(self, deletion.confirmation_text(self.ui, user)):
            return False
        self.delete_button.setEnabled(False)
        deletion.run(self.ui, self.background, user, self._on_deleted, self._on_delete_failed)
        return True

    def _on_deleted(self, done: Deletion) -> None:
        self._update_buttons()
        self.ui.bus.message.emit(deletion.done_text(done))
        self.ui.bus.history_changed.emit()  # this panel (when shown), Speakers and Verify re-read
        if not self.isVisible():
            self.refresh()

    def _on_delete_failed(self, sentence: str) -> None:
        self._update_buttons()
        QMessageBox.warning(self, self.tr("Deletion failed"), deletion.failed_text(sentence))

    def shutdown(self) -> None:
        self.background.wait()
