"""The Settings panel: profiles, every service's endpoints and credentials, audio, language.

The form edits one profile at a time — the one chosen at the top, which need not be the active
one. The fields come from ``desktop.config``'s section dataclasses (see ``settings_model``), so a
new setting appears here by itself. Saving writes the non-secret values to the TOML file and the
secrets to the keyring (never the file, never back into a widget). When the saved or switched
profile is the active one, ``UiContext.switch_profile`` tells the window (``bus.profile_changed``),
which reconnects with the new settings. The sandbox profile's endpoints are fixed: shown read-only.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import config
from desktop.errors import ConfigError
from desktop.store.audit import set_settings_operator
from desktop.ui.context import KEY_INPUT_DEVICE, KEY_LANGUAGE, KEY_OUTPUT_DEVICE, UiContext
from desktop.ui.qtext import arg
from desktop.ui.settings_model import FieldSpec
from desktop.ui.settings_tabs import SettingsTabs

log = logging.getLogger(__name__)


class SettingsPanel(QWidget):
    icon_name = "settings"

    def __init__(self, ui: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.shown_name = config.SANDBOX
        self._dirty = False
        self._loading = False
        self._built = False
        QVBoxLayout(self)  # filled on first show: the window starts without paying for ~100 widgets

    def ensure_built(self) -> None:
        """Build the form and load the active profile (once; the first show does it)."""
        if self._built:
            return
        self._built = True
        self._build()
        self.load(self.active_name())
        self.audio.refresh_devices()

    @property
    def built(self) -> bool:
        return self._built

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure_built()
        super().showEvent(event)

    def title(self) -> str:
        return self.tr("Settings")

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.profile_combo = QComboBox(self)
        self.profile_combo.setAccessibleName(self.tr("Profile to edit"))
        self.profile_combo.activated.connect(self._on_profile_picked)
        self.new_button = QPushButton(self.tr("New…"), self)
        self.new_button.setAccessibleName(self.tr("Create a profile"))
        self.new_button.clicked.connect(self.new_profile_dialog)
        self.rename_button = QPushButton(self.tr("Rename…"), self)
        self.rename_button.setAccessibleName(self.tr("Rename this profile"))
        self.rename_button.clicked.connect(self.rename_profile_dialog)
        self.use_button = QPushButton(self.tr("Use this profile"), self)
        self.use_button.setAccessibleName(self.tr("Switch to this profile"))
        self.use_button.clicked.connect(self.use_shown_profile)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Profile"), self))
        top.addWidget(self.profile_combo, 1)
        for w in (self.new_button, self.rename_button, self.use_button):
            top.addWidget(w)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("settingsError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b03a2e; font-weight: bold;")
        self.error_label.setAccessibleName(self.tr("Settings error"))
        self.error_label.hide()
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)

        self.tabs = SettingsTabs(self)
        self.tabs.changed.connect(self._mark_dirty)
        # Short names for what tests and the window reach for.
        self.forms, self.audio, self.language_combo = self.tabs.forms, self.tabs.audio, self.tabs.language_combo
        self.sandbox_page = self.tabs.sandbox_page

        self.revert_button = QPushButton(self.tr("Revert"), self)
        self.revert_button.setAccessibleName(self.tr("Discard the unsaved changes"))
        self.revert_button.clicked.connect(lambda: self.load(self.shown_name))
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setAccessibleName(self.tr("Save this profile"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_shortcut.activated.connect(lambda: self._dirty and self.save())
        self.help_button = QPushButton(self.tr("Help"), self)
        self.help_button.setAccessibleName(self.tr("Help on profiles and environment variables"))
        self.help_button.clicked.connect(self.show_help)
        bottom = QHBoxLayout()
        bottom.addWidget(self.help_button)
        bottom.addStretch(1)
        bottom.addWidget(self.revert_button)
        bottom.addWidget(self.save_button)

        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.tabs.chain_focus(
            [self.profile_combo, self.new_button, self.rename_button, self.use_button],
            [self.revert_button, self.save_button],
        )

    def help_text(self) -> str:
        return self.tr(
            "<p><b>Profiles.</b> A profile holds the addresses and credentials of the services. The built-in "
            "<i>sandbox</i> profile points at the local stand-ins and cannot be edited here; create your own "
            "profile for the real services and click <i>Use this profile</i>.</p>"
            "<p><b>Environment variables.</b> Every setting can also be given by an environment variable, named "
            "under the field when it is set (for example VPW_WARRANT_DEVICE_TOKENS for SingSound's device "
            "tokens). While a variable is set it overrides the stored value, on every profile; it is the only "
            "way to give the sandbox profile device tokens for the Assessment panel's warrant service. Start "
            "the app again after changing one.</p>"
            "<p><b>Secrets</b> (app secrets, AppCode) are kept in the system keyring, never in the profile "
            "file.</p>"
        )

    @Slot()
    def show_help(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self, self.tr("Settings help"), self.help_text())

    # -- which profile -----------------------------------------------------------------------------
    def active_name(self) -> str:
        try:
            return self.ui.profile.name
        except ConfigError as exc:
            self.show_error(str(exc))
            return self.ui.ctx.profile_name or config.SANDBOX

    def _config_file(self) -> config.ConfigFile:
        return config.ConfigFile(self.ui.ctx.config_path)

    def _fill_profile_combo(self) -> None:
        try:
            names = self._config_file().profile_names()
        except ConfigError as exc:
            self.show_error(str(exc))
            names = [config.SANDBOX]
        if self.shown_name not in names:
            names.append(self.shown_name)
        active = self.active_name()
        self.profile_combo.clear()
        for name in names:
            label = arg(self.tr("%1 (active)"), name) if name == active else name
            self.profile_combo.addItem(label, name)
        self.profile_combo.setCurrentIndex(self.profile_combo.findData(self.shown_name))
        self.use_button.setEnabled(self.shown_name != active)

    @Slot(int)
    def _on_profile_picked(self, index: int) -> None:
        name = str(self.profile_combo.itemData(index))
        if name == self.shown_name:
            return
        if not self.confirm_discard():
            self.profile_combo.setCurrentIndex(self.profile_combo.findData(self.shown_name))
            return
        self.load(name)

    def confirm_discard(self) -> bool:
        if not self._dirty:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            arg(self.tr("Discard the unsaved changes to the profile “%1”?"), self.shown_name),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    # -- loading -----------------------------------------------------------------------------------
    def load(self, name: str) -> bool:
        """Show profile ``name`` as stored (environment overrides are noted, not shown as values)."""
        try:
            p = config.load_profile(name, path=self.ui.ctx.config_path, env={})
        except ConfigError as exc:
            self.show_error(str(exc))
            return False
        running = self._running_sandbox() if p.is_sandbox else None
        self._loading = True
        try:
            self.shown_name = name
            self.hide_error()
            self.tabs.show_profile(p, running, str(self.ui.settings.value(KEY_LANGUAGE, "") or ""))
            self.tabs.operator_edit.setText(config.operator_name(self.ui.ctx.config_path))
            self.rename_button.setEnabled(not p.is_sandbox)
            self.note_label.setText(self._note(p.is_sandbox))
            self.note_label.setVisible(bool(self.note_label.text()))
            self._fill_profile_combo()
        finally:
            self._loading = False
        self._set_dirty(False)
        return True

    def _running_sandbox(self) -> config.Profile | None:
        try:
            active = self.ui.profile
        except ConfigError:
            return None
        return active if active.is_sandbox else None

    def _note(self, is_sandbox: bool) -> str:
        if is_sandbox:
            return self.tr(
                "The built-in sandbox profile's endpoints and credentials are fixed; its audio devices, "
                "voiceprint tuning and sandbox address can be changed. Create a profile for real services."
            )
        return ""

    # -- dirty state -------------------------------------------------------------------------------
    def _mark_dirty(self, *_args: object) -> None:
        if not self._loading:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def hide_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    # -- saving ------------------------------------------------------------------------------------
    @Slot()
    def save(self) -> bool:
        """Validate, store the secrets, then the file; on any error nothing typed is lost."""
        name = self.shown_name
        try:
            p = config.load_profile(name, path=self.ui.ctx.config_path, env={})
        except ConfigError as exc:
            self.show_error(str(exc))
            return False
        before = config.redacted(p)
        secrets, problem = self.tabs.collect(p)
        if problem is not None:
            form, editor, sentence = problem
            self.show_error(sentence)
            self.tabs.point_at(form, editor)
            return False
        try:
            for spec, value in secrets:
                config.set_secret(name, spec.section, spec.name, value)
            cfg = self._config_file()
            cfg.store_profile(p)
            operator_before = cfg.operator
            cfg.operator = self.tabs.operator_edit.text()
            cfg.save()
        except (ConfigError, OSError) as exc:
            self.show_error(arg(self.tr("The profile was not saved: %1"), exc))
            return False
        self._audit_save(name, before, config.redacted(p), [s for s, _ in secrets], operator_before, cfg.operator)
        language_changed = self._save_language()
        self.load(name)  # fresh secret states; clears the typed replacements and the dirty mark
        if name == self.active_name():
            self._mirror_devices(p)
            self._switch(None)
        self.ui.bus.message.emit(arg(self.tr("Profile “%1” saved"), name))
        if language_changed is not None:
            self.ui.bus.language_changed.emit(language_changed)  # the window rebuilds its panels
        return True

    def _audit_save(
        self,
        name: str,
        before: dict[str, Any],
        after: dict[str, Any],
        secrets: list[FieldSpec],
        operator_before: str,
        operator_after: str,
    ) -> None:
        """Audit events: which settings changed (secrets by name only), the threshold's old and
        new value exactly, and a new operator name (which also goes on the status bar)."""
        changed = [
            f"{section}.{key}"
            for section, values in after.items()
            if isinstance(values, dict)
            for key, value in values.items()
            if before.get(section, {}).get(key) != value
        ]
        changed += [f"{s.section}.{s.name}" for s in secrets if f"{s.section}.{s.name}" not in changed]
        if operator_before != operator_after:
            changed.append("operator")
            set_settings_operator(operator_after)
        try:
            if changed:
                self.ui.ctx.record("settings", subject=name, outcome="saved", details={"changed": changed})
            old, new = before["sandbox"]["threshold"], after["sandbox"]["threshold"]
            if old != new:
                self.ui.ctx.record(
                    "threshold", subject=name, outcome="ok", details={"old": old, "new": new, "via": "settings"}
                )
        except Exception:  # the settings were saved; the failure to audit is logged, not hidden
            log.exception("recording the settings change failed")
            self.ui.bus.message.emit(self.tr("The change was saved but could not be recorded in the audit trail."))
        if operator_before != operator_after:
            self.ui.bus.operator_changed.emit(self.ui.ctx.operator)  # the status bar shows it

    def _audit_profile(self, name: str, outcome: str, details: dict[str, object]) -> None:
        try:
            self.ui.ctx.record("profile", subject=name, outcome=outcome, details=details)
        except Exception:  # done already; the missing audit event is said, not hidden
            log.exception("recording the profile change failed")
            self.ui.bus.message.emit(self.tr("The change was saved but could not be recorded in the audit trail."))

    def _save_language(self) -> str | None:
        chosen = self.tabs.language()
        if chosen == str(self.ui.settings.value(KEY_LANGUAGE, "") or ""):
            return None
        self.ui.settings.setValue(KEY_LANGUAGE, chosen)
        return chosen

    def _mirror_devices(self, p: config.Profile) -> None:
        # The window reads the per-machine choice first (UiContext.input_device): keep it in step.
        self.ui.settings.setValue(KEY_INPUT_DEVICE, p.audio.input_device)
        self.ui.settings.setValue(KEY_OUTPUT_DEVICE, p.audio.output_device)

    def _switch(self, name: str | None) -> bool:
        try:
            self.ui.switch_profile(name)
        except ConfigError as exc:
            self.show_error(str(exc))
            return False
        return True

    # -- profile operations ------------------------------------------------------------------------
    @Slot()
    def use_shown_profile(self) -> bool:
        """Make the shown profile the active one (and the default at the next start)."""
        if self._dirty and not self.save():
            return False
        name = self.shown_name
        try:
            cfg = self._config_file()
            cfg.default_profile = name
            cfg.save()
            p = config.load_profile(name, path=self.ui.ctx.config_path, env={})
        except (ConfigError, OSError) as exc:
            self.show_error(str(exc))
            return False
        self._mirror_devices(p)
        if not self._switch(name):
            return False
        self._fill_profile_combo()
        self.ui.bus.message.emit(arg(self.tr("Now using the profile “%1”"), name))
        return True

    @Slot()
    def new_profile_dialog(self) -> None:
        if not self.confirm_discard():
            return
        name, ok = QInputDialog.getText(self, self.tr("New profile"), self.tr("Name (letters, digits, - or _):"))
        if ok:
            self.create_profile(name.strip())

    def create_profile(self, name: str) -> bool:
        try:
            cfg = self._config_file()
            if name in cfg.profile_names():
                self.show_error(arg(self.tr("A profile named “%1” already exists."), name))
                return False
            cfg.store_profile(config.Profile(name=name))
            cfg.save()
        except (ConfigError, OSError) as exc:
            self.show_error(str(exc))
            return False
        self._audit_profile(name, "created", {})
        return self.load(name)

    @Slot()
    def rename_profile_dialog(self) -> None:
        if not self.confirm_discard():
            return
        new, ok = QInputDialog.getText(
            self, self.tr("Rename profile"), self.tr("New name (letters, digits, - or _):"), text=self.shown_name
        )
        if ok:
            self.rename_profile(new.strip())

    def rename_profile(self, new: str) -> bool:
        old = self.shown_name
        if new == old:
            return True
        was_active = old == self.active_name()
        try:
            cfg = self._config_file()
            if new in cfg.profile_names():  # rename_profile would silently replace it
                self.show_error(arg(self.tr("A profile named “%1” already exists."), new))
                return False
            cfg.rename_profile(old, new)
            cfg.save()
        except (ConfigError, OSError) as exc:
            self.show_error(str(exc))
            return False
        self._audit_profile(new, "renamed", {"from": old})
        self.shown_name = new
        if was_active:
            self._switch(new)
        return self.load(new)

    # -- hooks from the window ---------------------------------------------------------------------
    def on_profile_changed(self) -> None:
        if not self._built:
            return  # the first show loads whatever is active then
        if not self._dirty:
            self.load(self.shown_name)
        else:
            self._fill_profile_combo()

    def shutdown(self) -> None:
        if self._built:
            self.audio.shutdown()
