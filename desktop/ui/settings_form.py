"""Editors for the Settings form, one per ``FieldSpec``, and a section's form built from them.

A secret's editor never holds the stored value: it shows whether one is stored and offers a field
to type a replacement (or a box to remove it). So no secret can leak into a widget, a screenshot
or an accessibility tree, whatever the panel does with its widgets.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.qtext import arg
from desktop.ui.settings_model import FieldSpec

# Floats kept exactly as stored or typed: a spin box rounds to its decimals (0.8080 -> 0.81).
EXACT_FLOATS = {("sandbox", "threshold")}


class ExactFloatEdit(QLineEdit):
    """A number field that shows a float as ``repr`` shows it and reads back the same float.

    ``value()`` is the typed number (``nan`` when the text is not one; validation says why);
    the spin-box-like ``setValue`` keeps code and tests that fill forms working."""

    def __init__(self, minimum: float, maximum: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.minimum, self.maximum = minimum, maximum
        self.setPlaceholderText(f"{minimum:g} – {maximum:g}")

    def setValue(self, value: float) -> None:  # the QDoubleSpinBox spelling
        self.setText(repr(float(value)))

    def value(self) -> float:
        try:
            number = float(self.text().strip().replace(",", "."))
        except ValueError:
            return math.nan
        return number


# What the form knows about a stored secret (never its value).
STORED, NOT_SET, BUILT_IN, NO_KEYRING = "stored", "not_set", "built_in", "no_keyring"


class FieldEditor(QWidget):
    """One non-secret value; ``changed`` fires on every edit by the operator."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.input: QWidget = self._make_input()
        self.input.setAccessibleName(spec.label())
        layout.addWidget(self.input, 1)
        self.setFocusProxy(self.input)

    def _make_input(self) -> QWidget:
        spec = self.spec
        if spec.kind == "int":
            box = QSpinBox(self)
            box.setRange(int(spec.minimum), int(spec.maximum))
            box.valueChanged.connect(self.changed)
            return box
        if spec.kind == "float" and spec.key in EXACT_FLOATS:
            exact = ExactFloatEdit(spec.minimum, spec.maximum, self)
            exact.textEdited.connect(self.changed)
            return exact
        if spec.kind == "float":
            dbox = QDoubleSpinBox(self)
            dbox.setDecimals(2)
            dbox.setRange(spec.minimum, spec.maximum)
            dbox.setSingleStep(0.5 if spec.maximum > 10 else 0.01)
            dbox.valueChanged.connect(self.changed)
            return dbox
        if spec.kind == "choice":
            combo = QComboBox(self)
            combo.addItems(list(spec.choices))
            combo.currentIndexChanged.connect(self.changed)
            return combo
        if spec.kind == "list":
            text = QPlainTextEdit(self)
            text.setTabChangesFocus(True)  # Tab moves on, as in every other field of the form
            text.setFixedHeight(text.fontMetrics().lineSpacing() * 4 + 12)
            # Fixed, or the form hands this row all the spare height of the page.
            text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            text.textChanged.connect(self.changed)
            return text
        line = QLineEdit(self)
        line.textEdited.connect(self.changed)
        return line

    def value(self) -> Any:
        w = self.input
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QDoubleSpinBox | ExactFloatEdit):
            return w.value()
        if isinstance(w, QComboBox):
            return w.currentText()
        if isinstance(w, QPlainTextEdit):
            return [line.strip() for line in w.toPlainText().splitlines() if line.strip()]
        assert isinstance(w, QLineEdit)
        return w.text().strip()

    def set_value(self, value: Any) -> None:
        w = self.input
        w.blockSignals(True)  # loading is not an edit
        try:
            if isinstance(w, QSpinBox):
                w.setValue(int(value))
            elif isinstance(w, QDoubleSpinBox | ExactFloatEdit):
                w.setValue(float(value))
            elif isinstance(w, QComboBox):
                if w.findText(str(value)) < 0:
                    w.addItem(str(value))  # keep an unexpected stored value visible, not lost
                w.setCurrentText(str(value))
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText("\n".join(value))
            elif isinstance(w, QLineEdit):
                w.setText(str(value))
        finally:
            w.blockSignals(False)

    def set_editable(self, editable: bool) -> None:
        # Disabled, not read-only: a fixed value must look fixed at a glance.
        self.input.setEnabled(editable)


class SecretEditor(QWidget):
    """Says whether a secret is stored; takes a replacement; never shows or holds the stored one."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.state = NOT_SET
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.replace = QLineEdit(self)
        self.replace.setEchoMode(QLineEdit.EchoMode.Password)
        self.replace.setAccessibleName(arg(self.tr("New value for %1"), spec.label()))
        self.replace.textEdited.connect(self._on_typed)
        self.clear_box = QCheckBox(self.tr("Remove"), self)
        self.clear_box.setAccessibleName(arg(self.tr("Remove the stored %1"), spec.label()))
        self.clear_box.toggled.connect(self._on_clear)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.replace, 1)
        row.addWidget(self.clear_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.setFocusProxy(self.replace)

    def set_state(self, state: str, detail: str = "") -> None:
        """Show what is known about the stored secret and forget any replacement typed."""
        self.state = state
        self.replace.clear()
        self.clear_box.setChecked(False)
        texts = {
            STORED: self.tr("Stored in the keyring"),
            NOT_SET: self.tr("Not set"),
            BUILT_IN: self.tr("Built-in sandbox credential"),
            NO_KEYRING: self.tr("Cannot be stored here: no keyring"),
        }
        self.status.setText(texts[state] + (f"\n{detail}" if detail else ""))
        self.status.setAccessibleName(arg(self.tr("%1: %2"), self.spec.label(), texts[state]))
        can_edit = state in (STORED, NOT_SET)
        self.replace.setEnabled(can_edit)
        self.clear_box.setEnabled(can_edit and state == STORED)
        # Nothing can be typed for a built-in or unstorable secret: no empty box to puzzle over.
        self.replace.setVisible(can_edit)
        self.clear_box.setVisible(can_edit)
        if not can_edit:
            self.replace.setPlaceholderText("")
        elif state == STORED:
            self.replace.setPlaceholderText(self.tr("Type a new value to replace it"))
        else:
            self.replace.setPlaceholderText(self.tr("Type a value to store it"))

    def replacement(self) -> str | None:
        """None: leave the stored secret alone; "": remove it; else: store this."""
        if self.clear_box.isChecked():
            return ""
        typed = self.replace.text()
        return typed if typed else None

    def _on_typed(self, _text: str) -> None:
        if self.clear_box.isChecked():
            self.clear_box.setChecked(False)
        self.changed.emit()

    def _on_clear(self, checked: bool) -> None:
        if checked:
            self.replace.clear()
        self.changed.emit()


class SectionForm(QWidget):
    """The editors of one section's fields, labelled, in declaration order."""

    changed = Signal()

    def __init__(self, specs: list[FieldSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.specs = specs
        self.editors: dict[str, FieldEditor | SecretEditor] = {}
        self.notes: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for spec in specs:
            editor: FieldEditor | SecretEditor = SecretEditor(spec, self) if spec.secret else FieldEditor(spec, self)
            editor.changed.connect(self.changed)
            if spec.env:
                editor.setToolTip(arg(self.tr("Environment override: %1"), spec.env))
            explain: QLabel | None = None
            if spec.help():
                # Shown, not hidden in a tooltip: the operator must read it to pick the value.
                explain = QLabel(spec.help(), self)
                explain.setObjectName("fieldHelp")
                explain.setWordWrap(True)
                editor.setWhatsThis(spec.help())
                editor.setAccessibleDescription(spec.help())
            note = QLabel(self)
            note.setObjectName("envNote")
            note.setWordWrap(True)
            note.hide()
            cell = QVBoxLayout()
            cell.setContentsMargins(0, 0, 0, 0)
            cell.addWidget(editor)
            if explain is not None:
                cell.addWidget(explain)
            cell.addWidget(note)
            label = QLabel(spec.label(), self)
            label.setBuddy(editor)
            form.addRow(label, cell)
            self.editors[spec.name] = editor
            self.notes[spec.name] = note

    def show_env_note(self, name: str, var: str | None) -> None:
        note = self.notes[name]
        if var:
            note.setText(arg(self.tr("The environment variable %1 overrides this value while it is set."), var))
        note.setVisible(bool(var))

    def focus_order(self) -> list[QWidget]:
        out: list[QWidget] = []
        for editor in self.editors.values():
            if isinstance(editor, SecretEditor):
                out += [editor.replace, editor.clear_box]
            else:
                out.append(editor.input)
        return out
