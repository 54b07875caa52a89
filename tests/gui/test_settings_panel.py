"""The Settings panel against a real config file and a (file) keyring: profiles, fields, secrets."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import numpy as np
import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop import config
from desktop.context import Context
from desktop.ui import settings_form as sf
from desktop.ui.context import KEY_INPUT_DEVICE, KEY_LANGUAGE, UiContext
from desktop.ui.panels.settings import SettingsPanel
from desktop.ui.settings_model import LABELS, section_fields
from tests.audio.conftest import portaudio_missing
from tests.audio.vmic import MIC, SPEAKER, VirtualAudio, portaudio_env
from tests.gui.conftest import panel as show

APPCODE = "Prod0AppCode0" + "x" * 60  # long enough to be an AppCode, unique enough to grep for
ROKID_SECRET = "rokid-secret-that-must-stay-hidden"


class Harness:
    """Builds panels the way the window does, and restarts them on the same files."""

    def __init__(self, qtbot: Any, home: Path) -> None:
        self.qtbot = qtbot
        self.ini = home / "ui.ini"
        self.contexts: list[Context] = []

    def panel(self) -> SettingsPanel:
        ctx = Context()
        self.contexts.append(ctx)
        ui = UiContext(ctx=ctx, settings=QSettings(str(self.ini), QSettings.Format.IniFormat))
        panel = SettingsPanel(ui)
        self.qtbot.addWidget(panel)
        panel.show()  # the form is built on first show
        return panel

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()


@pytest.fixture
def harness(qtbot: Any, isolated_env: Path) -> Iterator[Harness]:
    h = Harness(qtbot, isolated_env)
    yield h
    h.close()


def editor(panel: SettingsPanel, section: str, name: str) -> Any:
    return panel.forms[section].editors[name]


def set_text(panel: SettingsPanel, section: str, name: str, value: str) -> None:
    w = editor(panel, section, name).input
    assert isinstance(w, QLineEdit)
    w.setText(value)
    w.textEdited.emit(value)  # as typing does; setText alone is not an edit


def all_widget_text(root: QWidget) -> str:
    """Everything a widget tree could show or tell an accessibility tool."""
    parts: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        parts += [w.toolTip(), w.accessibleName(), w.accessibleDescription(), w.windowTitle()]
        if isinstance(w, QLineEdit):
            parts += [w.text(), w.placeholderText()]
        elif isinstance(w, (QLabel, QAbstractButton)):
            parts.append(w.text())
        elif isinstance(w, QPlainTextEdit):
            parts.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            parts += [w.itemText(i) for i in range(w.count())]
    return "\n".join(parts)


def test_every_field_has_a_label() -> None:
    missing = [(s, f.name) for s, cls in config.SECTIONS.items() for f in dataclasses.fields(cls)]
    missing = [key for key in missing if key not in LABELS]
    assert missing == [], "add a translated label in desktop/ui/settings_model.py LABELS"


def test_the_form_is_built_when_first_shown(qtbot: Any, isolated_env: Path) -> None:
    ctx = Context()
    panel = SettingsPanel(
        UiContext(ctx=ctx, settings=QSettings(str(isolated_env / "ui.ini"), QSettings.Format.IniFormat))
    )
    qtbot.addWidget(panel)
    assert panel.title() == "Settings" and not panel.built
    panel.on_profile_changed()  # before the first show: nothing to refresh, nothing breaks
    panel.show()
    assert panel.shown_name == "sandbox" and set(panel.forms) == set(config.SECTIONS)
    panel.shutdown()
    ctx.close()


def test_the_form_has_an_editor_for_every_field(harness: Harness) -> None:
    panel = harness.panel()
    for section, cls in config.SECTIONS.items():
        names = {f.name for f in dataclasses.fields(cls)}
        shown = set(panel.forms[section].editors)
        if section == "audio":
            shown |= {"input_device", "output_device"}  # the device pickers
        assert shown == names, section


def test_a_new_config_field_appears_by_itself(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    @dataclasses.dataclass
    class RokidPlus(config.RokidSettings):
        region: str = dataclasses.field(default="cn-east", metadata={"env": "VPW_ROKID_REGION"})
        retries: int = dataclasses.field(default=3, metadata={"env": "VPW_ROKID_RETRIES"})
        backup_urls: list[str] = dataclasses.field(default_factory=list, metadata={"env": "VPW_ROKID_BACKUP"})
        token: str = dataclasses.field(default="", metadata={"secret": True, "env": "VPW_ROKID_TOKEN"})

    monkeypatch.setitem(config.SECTIONS, "rokid", RokidPlus)
    form = sf.SectionForm(section_fields("rokid"))
    qtbot.addWidget(form)
    region, retries, backups, token = (form.editors[n] for n in ("region", "retries", "backup_urls", "token"))
    assert isinstance(region, sf.FieldEditor) and region.input.accessibleName() == "Region"  # readable fallback
    assert isinstance(retries, sf.FieldEditor) and isinstance(retries.input, QSpinBox)
    assert isinstance(backups, sf.FieldEditor) and isinstance(backups.input, QPlainTextEdit)
    assert isinstance(token, sf.SecretEditor)
    assert "VPW_ROKID_REGION" in region.toolTip()


def test_settings_saved_and_reloaded_secrets_never_shown(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    panel = harness.panel()
    assert panel.shown_name == "sandbox"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (" prod ", True))
    panel.new_button.click()
    assert panel.shown_name == "prod"
    set_text(panel, "voiceprint", "url", "wss://vp.example.com/ws")
    editor(panel, "voiceprint", "frame_ms").input.setValue(200)
    editor(panel, "voiceprint", "heartbeat_s").input.setValue(7.5)
    editor(panel, "voiceprint", "reply_timeout_s").input.setValue(12)
    editor(panel, "rokid", "body").input.setCurrentText("json")
    editor(panel, "singsound", "urls").input.setPlainText(
        "https://a.example.com/auth\n\n https://b.example.com/auth \n"
    )
    appcode = editor(panel, "voiceprint", "appcode")
    assert isinstance(appcode, sf.SecretEditor) and appcode.state == sf.NOT_SET
    harness.qtbot.keyClicks(appcode.replace, APPCODE)
    harness.qtbot.keyClicks(editor(panel, "rokid", "secret").replace, ROKID_SECRET)
    assert panel.dirty
    assert panel.use_shown_profile()  # saves first, then switches
    assert not panel.dirty
    assert panel.ui.profile.name == "prod"
    assert panel.ui.profile.voiceprint.appcode == APPCODE  # the running profile has the secret

    text = config.default_config_path().read_text(encoding="utf-8")
    assert "wss://vp.example.com/ws" in text
    assert APPCODE not in text and ROKID_SECRET not in text
    assert APPCODE not in all_widget_text(panel) and ROKID_SECRET not in all_widget_text(panel)

    again = harness.panel()  # a restart: new context, new panel, same files
    assert again.shown_name == "prod"
    assert editor(again, "voiceprint", "url").value() == "wss://vp.example.com/ws"
    assert editor(again, "voiceprint", "frame_ms").value() == 200
    assert editor(again, "voiceprint", "heartbeat_s").value() == 7.5
    assert editor(again, "voiceprint", "reply_timeout_s").value() == 12
    assert editor(again, "rokid", "body").value() == "json"
    assert editor(again, "singsound", "urls").value() == ["https://a.example.com/auth", "https://b.example.com/auth"]
    assert editor(again, "voiceprint", "appcode").state == sf.STORED
    assert editor(again, "voicecall", "app_secret").state == sf.NOT_SET
    assert APPCODE not in all_widget_text(again) and ROKID_SECRET not in all_widget_text(again)
    assert config.get_secret("prod", "rokid", "secret") == ROKID_SECRET


def test_switching_profiles_tells_the_window(harness: Harness, qtbot: Any) -> None:
    panel = harness.panel()
    assert panel.create_profile("staging")
    with qtbot.waitSignal(panel.ui.bus.profile_changed, timeout=1000):
        assert panel.use_shown_profile()
    assert panel.ui.profile.name == "staging"
    assert config.ConfigFile().default_profile == "staging"
    assert "staging (active)" in [panel.profile_combo.itemText(i) for i in range(panel.profile_combo.count())]
    # back to the sandbox through the picker
    panel.profile_combo.setCurrentIndex(panel.profile_combo.findData("sandbox"))
    panel.profile_combo.activated.emit(panel.profile_combo.currentIndex())
    assert panel.shown_name == "sandbox"
    with qtbot.waitSignal(panel.ui.bus.profile_changed, timeout=1000):
        panel.use_button.click()
    assert panel.ui.profile.is_sandbox


def test_saving_the_active_profile_reconnects(harness: Harness, qtbot: Any) -> None:
    panel = harness.panel()
    editor(panel, "voiceprint", "heartbeat_s").input.setValue(3.0)
    with qtbot.waitSignal(panel.ui.bus.profile_changed, timeout=1000):
        panel.save_button.click()
    assert panel.ui.profile.voiceprint.heartbeat_s == 3.0


def test_saving_another_profile_does_not_reconnect(harness: Harness, qtbot: Any) -> None:
    panel = harness.panel()
    panel.create_profile("other")
    set_text(panel, "voicecall", "app_key", "key-1")
    with qtbot.assertNotEmitted(panel.ui.bus.profile_changed):
        assert panel.save()
    assert config.load_profile("other").voicecall.app_key == "key-1"


def test_sandbox_endpoints_are_fixed_but_tuning_is_saved(harness: Harness) -> None:
    panel = harness.panel()
    for section, name in (("voiceprint", "url"), ("rokid", "asr_url"), ("voicecall", "url"), ("singsound", "urls")):
        assert not editor(panel, section, name).input.isEnabled(), (section, name)
    assert editor(panel, "voiceprint", "appcode").state == sf.BUILT_IN
    assert not editor(panel, "voiceprint", "appcode").replace.isEnabled()
    assert editor(panel, "voiceprint", "frame_ms").input.isEnabled()
    assert not panel.rename_button.isEnabled()
    assert panel.tabs.isTabVisible(panel.tabs.indexOf(panel.sandbox_page))
    editor(panel, "voiceprint", "frame_ms").input.setValue(40)
    editor(panel, "sandbox", "threshold").input.setValue(0.7)
    assert panel.save()
    p = config.load_profile("sandbox", env={})
    assert p.voiceprint.frame_ms == 40 and p.sandbox.threshold == 0.7
    assert p.voiceprint.url.startswith("ws://127.0.0.1:")  # still the sandbox


def test_sandbox_tab_only_for_the_sandbox(harness: Harness) -> None:
    panel = harness.panel()
    panel.create_profile("real")
    assert not panel.tabs.isTabVisible(panel.tabs.indexOf(panel.sandbox_page))
    assert editor(panel, "voiceprint", "url").input.isEnabled()


@pytest.mark.parametrize(
    ("section", "name", "value", "expected"),
    [
        ("voiceprint", "url", "https://vp.example.com/ws", "ws://"),
        ("voiceprint", "url", "", "required"),
        ("rokid", "tts_url", "ftp://x", "http://"),
        ("voicecall", "status_url", "not a url", "http://"),
        ("voiceprint", "ca_bundle", "/no/such/ca.pem", "no file"),
    ],
)
def test_bad_values_are_refused_and_kept(harness: Harness, section: str, name: str, value: str, expected: str) -> None:
    panel = harness.panel()
    panel.create_profile("p1")
    before = config.default_config_path().read_text(encoding="utf-8")
    set_text(panel, "voicecall", "app_key", "typed-and-kept")
    set_text(panel, section, name, value)
    assert not panel.save()
    assert expected in panel.error_label.text()
    assert panel.dirty
    assert editor(panel, section, name).value() == value.strip()
    assert editor(panel, "voicecall", "app_key").value() == "typed-and-kept"
    assert config.default_config_path().read_text(encoding="utf-8") == before
    assert panel.tabs.currentWidget().isAncestorOf(editor(panel, section, name))


def test_singsound_urls_are_each_checked(harness: Harness) -> None:
    panel = harness.panel()
    panel.create_profile("p2")
    editor(panel, "singsound", "urls").input.setPlainText("https://ok.example.com\ngarbage")
    assert not panel.save()
    assert "garbage" in panel.error_label.text()


def test_bad_profile_names(harness: Harness) -> None:
    panel = harness.panel()
    assert not panel.create_profile("no spaces")
    assert "letters, digits" in panel.error_label.text()
    assert not panel.create_profile("sandbox")
    assert "already exists" in panel.error_label.text()
    assert panel.create_profile("a")
    assert panel.create_profile("b")
    assert not panel.rename_profile("a")  # would silently replace "a"
    assert "already exists" in panel.error_label.text()
    assert config.ConfigFile().profile_names() == ["sandbox", "a", "b"]


def test_rename_moves_secrets_and_follows_the_active_profile(harness: Harness, qtbot: Any) -> None:
    panel = harness.panel()
    panel.create_profile("old")
    qtbot.keyClicks(editor(panel, "voicecall", "app_secret").replace, "vc-secret")
    assert panel.use_shown_profile()
    monkey_text = "new-name"
    with qtbot.waitSignal(panel.ui.bus.profile_changed, timeout=1000):
        assert panel.rename_profile(monkey_text)
    assert panel.ui.profile.name == "new-name"
    assert config.get_secret("new-name", "voicecall", "app_secret") == "vc-secret"
    assert config.get_secret("old", "voicecall", "app_secret") == ""
    assert editor(panel, "voicecall", "app_secret").state == sf.STORED
    assert "old" not in config.ConfigFile().profile_names()


def test_removing_a_secret(harness: Harness) -> None:
    panel = harness.panel()
    panel.create_profile("p3")
    harness.qtbot.keyClicks(editor(panel, "rokid", "secret").replace, "s1")
    assert panel.save()
    secret = editor(panel, "rokid", "secret")
    assert secret.state == sf.STORED and secret.clear_box.isEnabled()
    secret.clear_box.setChecked(True)
    assert panel.dirty
    assert panel.save()
    assert config.get_secret("p3", "rokid", "secret") == ""
    assert editor(panel, "rokid", "secret").state == sf.NOT_SET


def test_without_a_keyring_secrets_say_why(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    panel = harness.panel()
    panel.create_profile("nokey")
    secret = editor(panel, "voiceprint", "appcode")
    assert secret.state == sf.NO_KEYRING
    assert not secret.replace.isEnabled()
    assert "VPW_VOICEPRINT_APPCODE" in secret.status.text()
    assert "keyring" in secret.status.text().lower()
    set_text(panel, "voicecall", "app_key", "still-saved")
    assert panel.save()  # everything else still saves
    assert config.load_profile("nokey").voicecall.app_key == "still-saved"


def test_environment_overrides_are_noted(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPW_VOICEPRINT_HEARTBEAT_S", "9")
    panel = harness.panel()
    note = panel.forms["voiceprint"].notes["heartbeat_s"]
    assert not note.isHidden() and "VPW_VOICEPRINT_HEARTBEAT_S" in note.text()
    assert editor(panel, "voiceprint", "heartbeat_s").value() == 15.0  # the stored value, not the env's
    assert panel.forms["voiceprint"].notes["frame_ms"].isHidden()


def test_a_broken_config_file_is_reported_and_not_overwritten(harness: Harness) -> None:
    path = config.default_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("default_profile = [unclosed\n", encoding="utf-8")
    panel = harness.panel()  # must not raise
    assert "not valid TOML" in panel.error_label.text()
    assert not panel.save()
    assert not panel.create_profile("new")
    assert path.read_text(encoding="utf-8") == "default_profile = [unclosed\n"  # the operator's file is kept


def test_discarding_unsaved_changes_asks(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    panel = harness.panel()
    panel.create_profile("p4")
    set_text(panel, "voicecall", "app_key", "unsaved")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Cancel)
    index = panel.profile_combo.findData("sandbox")
    panel.profile_combo.setCurrentIndex(index)
    panel.profile_combo.activated.emit(index)
    assert panel.shown_name == "p4" and editor(panel, "voicecall", "app_key").value() == "unsaved"
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Discard)
    panel.profile_combo.setCurrentIndex(index)
    panel.profile_combo.activated.emit(index)
    assert panel.shown_name == "sandbox" and not panel.dirty


def test_language_is_saved_and_announced(harness: Harness, qtbot: Any) -> None:
    panel = harness.panel()
    panel.language_combo.setCurrentIndex(panel.language_combo.findData("zh_CN"))
    with qtbot.waitSignal(panel.ui.bus.language_changed, timeout=1000) as blocker:
        assert panel.save()
    assert blocker.args == ["zh_CN"]
    assert panel.ui.settings.value(KEY_LANGUAGE) == "zh_CN"
    again = harness.panel()
    assert again.language_combo.currentData() == "zh_CN"


def test_device_choice_is_saved_with_the_profile(harness: Harness) -> None:
    panel = harness.panel()
    panel.audio.set_devices("USB Mic", "")  # not plugged in here: kept and marked
    assert "USB Mic (not found)" in [
        panel.audio.input_combo.itemText(i) for i in range(panel.audio.input_combo.count())
    ]
    panel._mark_dirty()
    assert panel.save()
    assert config.load_profile("sandbox", env={}).audio.input_device == "USB Mic"
    assert panel.ui.settings.value(KEY_INPUT_DEVICE) == "USB Mic"
    assert panel.ui.input_device() == "USB Mic"
    again = harness.panel()
    assert again.audio.input_device() == "USB Mic"


def test_accessible_names_and_tab_order(harness: Harness) -> None:
    panel = harness.panel()
    for form in panel.forms.values():
        for w in form.focus_order():
            assert w.accessibleName(), w
    assert panel.profile_combo.nextInFocusChain() is panel.new_button
    # The operator name (General tab, after the language) is the last field before the buttons.
    assert panel.language_combo.nextInFocusChain() is panel.tabs.operator_edit
    assert panel.tabs.operator_edit.nextInFocusChain() is panel.revert_button


@pytest.fixture
def vdevices(tmp_path: Path) -> Iterator[VirtualAudio]:
    """The virtual ``vmic``/``vspk`` pair of tests/audio, visible to this process's PortAudio."""
    reason = portaudio_missing()
    if reason:
        pytest.skip(reason)
    audio = VirtualAudio(tmp_path / "vaudio")
    with portaudio_env(audio.env()):
        yield audio


def test_device_pickers_meter_and_tone_on_virtual_devices(harness: Harness, vdevices: VirtualAudio) -> None:
    t = np.arange(16000 * 5) / 16000
    vdevices.feed(np.round(np.sin(2 * np.pi * 300 * t) * 0.25 * 32767).astype(np.int16))  # about -15 dBFS RMS
    panel = harness.panel()
    audio = panel.audio
    qtbot = harness.qtbot
    # Generous waits: PortAudio work runs on pool threads that a loaded 2-core CI box starves.
    qtbot.waitUntil(
        lambda: audio.input_combo.findData(MIC) >= 0 and audio.output_combo.findData(SPEAKER) >= 0, timeout=20000
    )
    audio.input_combo.setCurrentIndex(audio.input_combo.findData(MIC))
    assert panel.dirty  # a device choice is an edit of the profile

    audio.meter_button.click()
    qtbot.waitUntil(lambda: audio.meter.level > -30.0, timeout=20000)
    assert audio.meter.level < -5.0  # the fed level, not a clipped or stuck bar
    audio.meter_button.click()
    assert audio.background.wait(20000)
    assert audio.meter.level == -60.0  # reset when stopped

    audio.output_combo.setCurrentIndex(audio.output_combo.findData(SPEAKER))
    audio.tone_button.click()
    qtbot.waitUntil(lambda: audio.tone_button.isEnabled(), timeout=20000)
    assert "played" in audio.status.text()
    played = vdevices.played().astype(np.float64)
    rms_dbfs = 20 * np.log10(np.sqrt(np.mean(played[played != 0] ** 2)) / 32768)
    assert -16.0 < rms_dbfs < -14.0  # the -12 dBFS-peak sine, all of it

    assert panel.save()
    p = config.load_profile("sandbox", env={})
    assert (p.audio.input_device, p.audio.output_device) == (MIC, SPEAKER)


def test_an_unusable_device_is_reported_not_raised(harness: Harness, vdevices: VirtualAudio) -> None:
    panel = harness.panel()
    panel.audio.set_devices("no-such-mic", "no-such-speaker")
    panel.audio.meter_button.click()
    harness.qtbot.waitUntil(lambda: not panel.audio.meter_button.isChecked(), timeout=20000)
    assert "no-such-mic" in panel.audio.status.text()
    panel.audio.tone_button.click()
    harness.qtbot.waitUntil(lambda: panel.audio.tone_button.isEnabled(), timeout=20000)
    assert "no-such-speaker" in panel.audio.status.text()


def test_a_slow_device_listing_does_not_hide_a_device_error(
    harness: Harness, vdevices: VirtualAudio, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PortAudio's first listing can take seconds; its device count must not overwrite an error
    # the operator caused meanwhile (this raced on CI).
    import threading

    from desktop.ui import audio_check

    release = threading.Event()
    real_list = audio_check._list_devices

    def slow_list() -> tuple[list[str], list[str]]:
        assert release.wait(10)
        return real_list()

    monkeypatch.setattr(audio_check, "_list_devices", slow_list)
    panel = harness.panel()
    panel.audio.set_devices("no-such-mic", "")
    panel.audio.meter_button.click()
    harness.qtbot.waitUntil(lambda: not panel.audio.meter_button.isChecked(), timeout=20000)
    release.set()
    harness.qtbot.waitUntil(lambda: panel.audio.refresh_button.isEnabled(), timeout=20000)
    assert "no-such-mic" in panel.audio.status.text()
    assert panel.audio.input_combo.findData(MIC) >= 0  # the listing itself still arrived
    panel.audio.refresh_button.click()  # asked for explicitly, the count is shown
    harness.qtbot.waitUntil(lambda: "found" in panel.audio.status.text(), timeout=20000)


# -- in the real window, against the real sandbox --------------------------------------------------


def test_saving_in_the_window_reconnects_with_the_new_settings(qtbot: Any, window: Any) -> None:
    panel = show(window, "SettingsPanel")
    old = window.ui.connection
    editor(panel, "voiceprint", "heartbeat_s").input.setValue(2.5)
    panel.save_button.click()
    assert window.ui.connection is not old
    qtbot.waitUntil(lambda: window.ui.connection.state == "connected", timeout=15000)
    assert window.ui.connection.client.settings.heartbeat_s == 2.5
    assert not panel.dirty


@pytest.fixture
def english_after() -> Iterator[None]:
    """The window installs translators into the session's one QApplication: put English back."""
    yield
    from desktop.ui import translations

    app = QApplication.instance()
    assert app is not None
    translations.install(app, "en")


def test_switching_language_in_the_window_rebuilds_it_in_chinese(qtbot: Any, window: Any, english_after: None) -> None:
    panel = show(window, "SettingsPanel")
    panel.language_combo.setCurrentIndex(panel.language_combo.findData("zh_CN"))
    panel.save_button.click()
    qtbot.waitUntil(lambda: window.panel("SettingsPanel") is not panel, timeout=5000)
    rebuilt = show(window, "SettingsPanel")
    assert rebuilt.title() == "设置"
    assert rebuilt.language_combo.currentData() == "zh_CN"
    assert rebuilt.save_button.text() == "保存"
