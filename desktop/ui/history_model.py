"""The history of attempts as a Qt table model, and the proxy that sorts and filters it.

The model holds the rows exactly as ``History.rows()`` returns them, so the panel can export the
filtered selection through ``History.export_csv`` without re-reading or re-shaping anything. The
display text is translated; sorting compares the raw values, so times sort as times and scores as
numbers, not as their formatted text.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("created", "kind", "user", "decision", "own_score", "best_other", "digits_match", "operator")
KINDS = (
    "enrol", "verify", "delete", "deletion_request", "export", "history_export", "call", "callback", "warrant",
    "threshold", "settings", "profile",
)  # fmt: skip
DECISIONS = ("enrolled", "refused", "accepted", "rejected", "not_enrolled", "not_checked", "error")
# Outcomes of the other kinds of event (shown translated; the decision filter lists attempts' only).
OUTCOMES = (
    "deleted", "local_only", "records_deleted", "pending", "ok", "failed", "saved", "switched", "placed", "issued",
    "bill",
)  # fmt: skip
SCORE_COLUMNS = ("own_score", "best_other")


def column_title(column: str) -> str:
    # Each literal sits in a translate() call so lupdate finds it.
    return {
        "created": QCoreApplication.translate("HistoryModel", "Time"),
        "kind": QCoreApplication.translate("HistoryModel", "Kind"),
        "user": QCoreApplication.translate("HistoryModel", "User"),
        "decision": QCoreApplication.translate("HistoryModel", "Decision"),
        "own_score": QCoreApplication.translate("HistoryModel", "Own score"),
        "best_other": QCoreApplication.translate("HistoryModel", "Best other"),
        "digits_match": QCoreApplication.translate("HistoryModel", "Digits match"),
        "operator": QCoreApplication.translate("HistoryModel", "Operator"),
    }[column]


def kind_label(kind: str) -> str:
    labels = {
        "enrol": QCoreApplication.translate("HistoryModel", "Enrol"),
        "verify": QCoreApplication.translate("HistoryModel", "Verify"),
        "delete": QCoreApplication.translate("HistoryModel", "Deletion"),
        "deletion_request": QCoreApplication.translate("HistoryModel", "Deletion request"),
        "export": QCoreApplication.translate("HistoryModel", "Data export"),
        "history_export": QCoreApplication.translate("HistoryModel", "History export"),
        "call": QCoreApplication.translate("HistoryModel", "Call"),
        "callback": QCoreApplication.translate("HistoryModel", "Callback"),
        "warrant": QCoreApplication.translate("HistoryModel", "Warrant"),
        "threshold": QCoreApplication.translate("HistoryModel", "Threshold"),
        "settings": QCoreApplication.translate("HistoryModel", "Settings"),
        "profile": QCoreApplication.translate("HistoryModel", "Profile switch"),
    }
    return labels.get(kind, kind)


def decision_label(decision: str) -> str:
    labels = {
        "enrolled": QCoreApplication.translate("HistoryModel", "Enrolled"),
        "refused": QCoreApplication.translate("HistoryModel", "Refused"),
        "accepted": QCoreApplication.translate("HistoryModel", "Accepted"),
        "rejected": QCoreApplication.translate("HistoryModel", "Rejected"),
        "not_enrolled": QCoreApplication.translate("HistoryModel", "Not enrolled"),
        "not_checked": QCoreApplication.translate("HistoryModel", "Not checked"),
        "error": QCoreApplication.translate("HistoryModel", "Error"),
        "deleted": QCoreApplication.translate("HistoryModel", "Deleted"),
        "local_only": QCoreApplication.translate("HistoryModel", "Deleted here only"),
        "records_deleted": QCoreApplication.translate("HistoryModel", "Records deleted"),
        "pending": QCoreApplication.translate("HistoryModel", "Pending"),
        "ok": QCoreApplication.translate("HistoryModel", "Done"),
        "failed": QCoreApplication.translate("HistoryModel", "Failed"),
        "saved": QCoreApplication.translate("HistoryModel", "Saved"),
        "switched": QCoreApplication.translate("HistoryModel", "Switched"),
        "placed": QCoreApplication.translate("HistoryModel", "Placed"),
        "issued": QCoreApplication.translate("HistoryModel", "Issued"),
        "bill": QCoreApplication.translate("HistoryModel", "Bill"),
        # A call's status pushes (Huawei's eventType values, PROTOCOLS §3).
        "callout": QCoreApplication.translate("HistoryModel", "Dialling"),
        "alerting": QCoreApplication.translate("HistoryModel", "Ringing"),
        "answer": QCoreApplication.translate("HistoryModel", "Answered"),
        "collectInfo": QCoreApplication.translate("HistoryModel", "Keys pressed"),
        "disconnect": QCoreApplication.translate("HistoryModel", "Hung up"),
    }
    return labels.get(decision, decision)


def _digits_label(value: bool | None) -> str:
    if value is None:
        return "—"  # no digits were compared (enrolment, or nothing recognised)
    if value:
        return QCoreApplication.translate("HistoryModel", "Yes")
    return QCoreApplication.translate("HistoryModel", "No")


def format_time(created: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(created))


class HistoryTableModel(QAbstractTableModel):
    """Read-only rows of ``History.rows()``; ``set_rows`` replaces them all at once.

    The model sorts itself (``sort``): one ``list.sort`` with a key is ~100× faster than a proxy
    calling a Python ``lessThan`` for every comparison, which took seconds at 10,000 rows.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self._search: list[str] = []  # casefolded text the filter looks in, aligned with _rows
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows: list[dict[str, Any]], search: list[str] | None = None) -> None:
        """``search``: ``search_texts(rows)`` when already made (on the loading thread)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._search = search_texts(self._rows) if search is None else list(search)
        self._order_rows()
        self.endResetModel()

    def all_rows(self) -> list[dict[str, Any]]:
        return list(self._rows)

    def row_at(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def search_text(self, row: int) -> str:
        return self._search[row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == self._sort:
            return  # already in this order (QTableView.sortByColumn asks twice)
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        # Persistent indexes (the selection) follow their rows to their new places.
        old = self.persistentIndexList()
        keys = [(self._rows[i.row()]["id"], i.column()) for i in old]
        self._order_rows()
        where = {row["id"]: r for r, row in enumerate(self._rows)}
        self.changePersistentIndexList(old, [self.index(where[rid], c) for rid, c in keys])
        self.layoutChanged.emit()

    def _order_rows(self) -> None:
        column, order = self._sort
        if not 0 <= column < len(COLUMNS):
            return
        name, rows = COLUMNS[column], self._rows
        # Empty cells (no score, no digits compared) come before every value, never raise.
        ranks = sorted(
            range(len(rows)), key=lambda i: _sort_key(rows[i].get(name)), reverse=order == Qt.SortOrder.DescendingOrder
        )
        self._rows = [rows[i] for i in ranks]
        self._search = [self._search[i] for i in ranks]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_title(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(column, row.get(column))
        if role == Qt.ItemDataRole.ToolTipRole:
            # The why of a refusal or error is one hover away without widening the table.
            return row.get("error") or row.get("message") or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in SCORE_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, str):
        return (1, value.casefold())
    return (1, value)


def search_texts(rows: list[dict[str, Any]]) -> list[str]:
    """The casefolded text the filter looks in, per row; labels translated once, not per row.
    Safe on any thread (``QCoreApplication.translate`` is thread-safe)."""
    kinds = {k: kind_label(k) for k in KINDS}
    decisions = {d: decision_label(d) for d in (*DECISIONS, *OUTCOMES)}
    fields = ("user", "top_name", "number", "prompt", "message", "error", "profile", "operator")
    out = []
    for r in rows:
        parts = [str(r.get(k) or "") for k in fields]
        kind, decision = str(r.get("kind")), str(r.get("decision"))
        parts += [kinds.get(kind, kind), decisions.get(decision, decision)]
        out.append(" ".join(parts).casefold())
    return out


def _display(column: str, value: Any) -> str:
    if column == "created":
        try:
            return format_time(float(value))
        except (TypeError, ValueError, OverflowError, OSError):
            return str(value)
    if column == "kind":
        return kind_label(str(value))
    if column == "decision":
        return decision_label(str(value))
    if column in SCORE_COLUMNS:
        return "" if value is None else f"{float(value):.4f}"
    if column == "digits_match":
        return _digits_label(value)
    return "" if value is None else str(value)


class HistoryFilterProxy(QSortFilterProxyModel):
    """Filters by free text (user, top candidate, spoken digits, message), kind and decision;
    sorting is handed to the source model, so the proxy keeps the source's order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._kind = ""
        self._decision = ""
        self._model = HistoryTableModel(self)

    def set_text(self, text: str) -> None:
        self._text = text.strip().casefold()
        self._refilter()

    def set_kind(self, kind: str) -> None:
        self._kind = kind
        self._refilter()

    def set_decision(self, decision: str) -> None:
        self._decision = decision
        self._refilter()

    def _refilter(self) -> None:
        # Only the rows' acceptance changed: the columns and the sort stay as they are. Qt 6.10
        # replaced invalidateRowsFilter (now deprecated) with the begin/end pair.
        if hasattr(self, "endFilterChange"):
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt < 6.10
            self.invalidateRowsFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._model.sort(column, order)

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, HistoryTableModel)
        self._model = model  # a Python reference: sourceModel() is a C++ call per row otherwise
        super().setSourceModel(model)

    def _source(self) -> HistoryTableModel:
        return self._model

    # The proxy reads the source's Python rows directly instead of ``index.data(role)``: it is
    # called once per row on every keystroke, and a round trip through QVariant costs more than the
    # test itself (and PySide6 6.12.0 dropped a reference to None on each empty one: a crash).
    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not (self._kind or self._decision or self._text):
            return True
        model = self._model
        if self._kind or self._decision:
            row = model.row_at(source_row)
            if self._kind and row.get("kind") != self._kind:
                return False
            if self._decision and row.get("decision") != self._decision:
                return False
        return not self._text or self._text in model.search_text(source_row)

    def row_at(self, proxy_row: int) -> dict[str, Any]:
        return self._source().row_at(self.mapToSource(self.index(proxy_row, 0)).row())

    def visible_rows(self) -> list[dict[str, Any]]:
        """The rows the operator sees, in the order they see them."""
        return [self.row_at(r) for r in range(self.rowCount())]
