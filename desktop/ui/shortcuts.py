"""The window's keyboard shortcuts: where Ctrl+1..9 put the focus, and the Help page listing them."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from desktop.ui.qtext import arg

FIELDS = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit)


def _focusable(panel: QWidget, w: QWidget) -> bool:
    return (
        panel.isAncestorOf(w)
        and w.isVisibleTo(panel)
        and w.isEnabled()
        and bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)
    )


def first_field(panel: QWidget) -> QWidget | None:
    """The panel's own ``first_field()`` if it has one, else the first input field in its tab
    order (else the first widget that takes the focus at all)."""
    own = getattr(panel, "first_field", None)
    if callable(own):
        found = own()
        if isinstance(found, QWidget):
            return found
    fallback: QWidget | None = None
    w = panel.nextInFocusChain()
    seen = 0
    while w is not None and w is not panel and seen < 2000:
        seen += 1
        if _focusable(panel, w):
            read_only = bool(getattr(w, "isReadOnly", lambda: False)())
            if isinstance(w, FIELDS) and not read_only:
                return w
            fallback = fallback or w
        w = w.nextInFocusChain()
    return fallback


def shortcuts_html(window: Any) -> str:
    """A two-column table: the keys, and what they do (panel names from the window's own list)."""
    rows = [
        (
            "Ctrl+N",
            QCoreApplication.translate(
                "Shortcuts", "New caller: clear the name, consent, results and transcript; cursor in the name field"
            ),
        ),
        (
            "Space",
            QCoreApplication.translate("Shortcuts", "Enrol, Verify: start or stop recording (outside a text field)"),
        ),
        ("Ctrl+Enter", QCoreApplication.translate("Shortcuts", "Phone: place the call")),
        ("F1", QCoreApplication.translate("Shortcuts", "This list")),
        ("Ctrl+Q", QCoreApplication.translate("Shortcuts", "Quit")),
    ]
    for i, action in enumerate(getattr(window, "panel_actions", [])[:9]):
        text = arg(
            QCoreApplication.translate("Shortcuts", "Open %1 and put the cursor in its first field"), action.text()
        )
        rows.insert(1 + i, (f"Ctrl+{i + 1}", text))
    body = "".join(
        f"<tr><td style='padding-right:14px'><b>{html.escape(keys)}</b></td><td>{html.escape(text)}</td></tr>"
        for keys, text in rows
    )
    return f"<table>{body}</table>"
