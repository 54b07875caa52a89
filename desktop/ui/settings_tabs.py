"""The tabs of the Settings panel: one per service, Audio, Sandbox, General.

They show one profile and hand its edited values back; which profile, and saving it, is the
panel's business. The service tabs are generated from ``desktop.config``'s sections (see
``settings_model``); Audio is the device pickers plus any other audio field; General is the
window's language (a per-computer choice kept in QSettings, not in the profile).
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import config, i18n
from desktop.ui import settings_form as sf
from desktop.ui.audio_check import AudioCheck
from desktop.ui.settings_model import SERVICE_SECTIONS, FieldSpec, editable, env_override, section_fields, section_title
from desktop.ui.settings_model import validate as validate_field

DEVICE_FIELDS = ("input_device", "output_device")  # edited by the pickers, not by text fields

# What ``collect`` found wrong: the form and editor to point at, and the sentence.
Problem = tuple[sf.SectionForm, QWidget, str]


class SettingsTabs(QTabWidget):
    changed = Signal()  # any edit by the operator

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Settings sections"))
        self.forms: dict[str, sf.SectionForm] = {}
        for section in SERVICE_SECTIONS:
            self._add_section_tab(section)
        self.audio = AudioCheck(self)
        self.audio.changed.connect(self.changed)
        audio_page = QWidget(self)
        audio_layout = QVBoxLayout(audio_page)
        audio_layout.addWidget(self.audio)
        others = [s for s in section_fields("audio") if s.name not in DEVICE_FIELDS]
        self.forms["audio"] = sf.SectionForm(others, audio_page)  # new audio settings land here
        self.forms["audio"].changed.connect(self.changed)
        audio_layout.addWidget(self.forms["audio"])
        audio_layout.addStretch(1)
        self.addTab(audio_page, section_title("audio"))
        self.sandbox_page = self._add_section_tab("sandbox")
        self.addTab(self._build_general(), self.tr("General"))

    def _add_section_tab(self, section: str) -> QWidget:
        form = sf.SectionForm(section_fields(section))
        form.changed.connect(self.changed)
        self.forms[section] = form
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(form)
        self.addTab(scroll, section_title(section))
        return scroll

    def _build_general(self) -> QWidget:
        page = QWidget(self)
        self.language_combo = QComboBox(page)
        self.language_combo.setAccessibleName(self.tr("Language"))
        self.language_combo.addItem(self.tr("Follow the system"), "")
        # Each language is named in itself, so an operator who cannot read the current one finds theirs.
        self.language_combo.addItem("English", "en")
        self.language_combo.addItem("简体中文", "zh_CN")
        self.language_combo.currentIndexChanged.connect(self.changed)
        self.operator_edit = QLineEdit(page)
        self.operator_edit.setMaxLength(100)
        self.operator_edit.setAccessibleName(self.tr("Operator name"))
        self.operator_edit.setPlaceholderText(self.tr("Empty: the computer's user name"))
        self.operator_edit.setToolTip(
            self.tr("Recorded with every action in the audit trail. VPW_OPERATOR overrides it.")
        )
        self.operator_edit.textEdited.connect(self.changed)
        form = QFormLayout(page)
        form.addRow(self.tr("Language"), self.language_combo)
        form.addRow(self.tr("Operator name"), self.operator_edit)
        hint = QLabel(
            self.tr("The language applies to this computer; the microphone and speaker are saved with the profile."),
            page,
        )
        hint.setWordWrap(True)
        form.addRow(hint)
        return page

    def focus_order(self) -> list[QWidget]:
        chain: list[QWidget] = [self]
        for section in SERVICE_SECTIONS:
            chain += self.forms[section].focus_order()
        chain += self.audio.focus_order() + self.forms["audio"].focus_order() + self.forms["sandbox"].focus_order()
        return [*chain, self.language_combo, self.operator_edit]

    def chain_focus(self, before: list[QWidget], after: list[QWidget]) -> None:
        for first, second in itertools.pairwise([*before, *self.focus_order(), *after]):
            QWidget.setTabOrder(first, second)

    # -- showing a profile -------------------------------------------------------------------------
    def show_profile(self, p: config.Profile, running: config.Profile | None, language: str) -> None:
        """Fill every tab from ``p``; ``running`` (the live sandbox profile) supplies the sandbox's
        fixed endpoints, which are shown where it really listens (it may have had to take another
        port), not where the file would put it."""
        for section, form in self.forms.items():
            for spec in form.specs:
                source = running if running is not None and not editable(p.name, spec) else p
                self._load_field(p.name, form, spec, getattr(source.section(section), spec.name))
        self.audio.set_devices(p.audio.input_device, p.audio.output_device)
        self.setTabVisible(self.indexOf(self.sandbox_page), p.is_sandbox)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(language)))

    def _load_field(self, name: str, form: sf.SectionForm, spec: FieldSpec, value: object) -> None:
        editor = form.editors[spec.name]
        form.show_env_note(spec.name, env_override(spec))
        if isinstance(editor, sf.SecretEditor):
            editor.set_state(*_secret_state(name, spec))
            return
        editor.set_value(value)
        editor.set_editable(editable(name, spec))

    # -- reading the edits -------------------------------------------------------------------------
    def collect(self, p: config.Profile) -> tuple[list[tuple[FieldSpec, str]], Problem | None]:
        """Write the edited values into ``p``; returns the secrets to store (``""`` = remove) and
        the first invalid value, if any (then ``p`` is half-written and must not be saved)."""
        secrets: list[tuple[FieldSpec, str]] = []
        for section, form in self.forms.items():
            for spec in form.specs:
                if not editable(p.name, spec):
                    continue
                editor = form.editors[spec.name]
                if isinstance(editor, sf.SecretEditor):
                    new = editor.replacement()
                    if new is not None:
                        secrets.append((spec, new))
                    continue
                value = editor.value()
                problem = validate_field(spec, value)
                if problem:
                    return secrets, (form, editor, problem)
                setattr(p.section(section), spec.name, value)
        p.audio.input_device, p.audio.output_device = self.audio.input_device(), self.audio.output_device()
        return secrets, None

    def language(self) -> str:
        return str(self.language_combo.currentData() or "")

    def point_at(self, form: sf.SectionForm, editor: QWidget) -> None:
        """Bring the tab holding ``editor`` forward and put the cursor in it."""
        for i in range(self.count()):
            page = self.widget(i)
            if page is not None and page.isAncestorOf(form):
                self.setCurrentIndex(i)
        editor.setFocus()


def _secret_state(profile: str, spec: FieldSpec) -> tuple[str, str]:
    """What the form may say about a stored secret — never its value."""
    if profile == config.SANDBOX:
        return sf.BUILT_IN, ""
    if not config.keyring_available():
        return sf.NO_KEYRING, i18n.tr("config.no_keyring", env=spec.env)
    stored = bool(config.get_secret(profile, spec.section, spec.name))
    return (sf.STORED if stored else sf.NOT_SET), ""
