"""Issue 14, Phone and files: Call stays disabled while a call is in progress and the client refuses
an identical call seconds later; what the person read back is stored with the call; Save as MP3
writes an MP3; file dialogs open in the last folder used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import miniaudio
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from desktop import config
from desktop.errors import InputError
from desktop.services.call_guard import CallGuard
from desktop.services.voicecall import CallRequest, VoicecallClient
from desktop.ui import file_dialogs
from desktop.ui.phone_view import CallView
from tests.gui import test_phone_panel as phone_tests
from tests.gui import test_speech_panels as speech_tests
from tests.gui.test_phone_panel import CALLEE, call, faults, stored
from tests.services.voicecall_support import sandbox_calls

make_panel = phone_tests.make_panel  # the fixtures of those tests, reused here
make_speech_panel = speech_tests.make_panel


def test_call_is_disabled_while_the_call_is_in_progress(qtbot: Any, make_panel: Any, sandbox: Any) -> None:
    faults(sandbox, event_interval_s=0.3)
    p = make_panel()
    call(qtbot, p)
    assert not p.call_button.isEnabled()
    qtbot.waitUntil(lambda: p.session_id is not None, timeout=10000)
    assert p.view.state == CallView.WORKING and not p.call_button.isEnabled()  # answered, not yet ended
    p.place_call()  # Enter in a field: ignored while the call goes on
    qtbot.waitUntil(lambda: p.view.state == CallView.DONE, timeout=10000)
    assert p.call_button.isEnabled()
    assert len(sandbox_calls(sandbox.port)) == 1


def test_the_client_refuses_an_identical_call_within_seconds(sandbox: Any) -> None:
    profile = config.sandbox_profile(port=sandbox.port)
    req = CallRequest(callee=CALLEE, code="4321", times=3)
    first = VoicecallClient(profile.voicecall).call_verify(req)
    # Another client (the GUI makes one per call), the same call: refused before anything is sent.
    with pytest.raises(InputError) as refused:
        VoicecallClient(profile.voicecall).call_verify(CallRequest(callee=CALLEE, code="4321", times=3))
    assert refused.value.code == "duplicate" and "was not placed again" in refused.value.message
    assert list(sandbox_calls(sandbox.port)) == [first.session_id]
    # A new code is a new call.
    VoicecallClient(profile.voicecall).call_verify(CallRequest(callee=CALLEE, code="8765", times=3))
    assert len(sandbox_calls(sandbox.port)) == 2


def test_the_guard_forgets_after_its_window() -> None:
    now = [100.0]
    guard = CallGuard(window_s=10, clock=lambda: now[0])
    body = {"calleeNbr": CALLEE, "verifyCode": "1234"}
    guard.admit(body)
    now[0] += 2
    with pytest.raises(InputError):
        guard.admit(dict(body))
    now[0] += 9  # 11 s after the first
    guard.admit(body)


def test_what_the_person_read_back_is_stored_with_the_call(qtbot: Any, make_panel: Any, sandbox: Any) -> None:
    faults(sandbox)
    p = make_panel()
    assert not p.read_back.buttons["correct"].isEnabled()  # nothing to record before a call
    call(qtbot, p)
    qtbot.waitUntil(lambda: p.session_id is not None, timeout=10000)
    assert p.read_back.buttons["wrong"].isEnabled()
    qtbot.mouseClick(p.read_back.buttons["wrong"], Qt.MouseButton.LeftButton)
    store = stored()
    try:
        qtbot.waitUntil(lambda: (store.call(p.session_id) or {}).get("read_back") == "wrong", timeout=5000)
        qtbot.mouseClick(p.read_back.buttons["correct"], Qt.MouseButton.LeftButton)  # a slip, corrected
        qtbot.waitUntil(lambda: (store.call(p.session_id) or {}).get("read_back") == "correct", timeout=5000)
    finally:
        store.close()


@pytest.mark.parametrize("codec", ["opu2", "mp3"])
def test_save_as_mp3_writes_an_mp3(qtbot: Any, make_speech_panel: Any, tmp_path: Path, codec: str) -> None:
    p = make_speech_panel("speech")
    p.text.setPlainText("语音合成")
    p.codec.setCurrentIndex(p.codec.findData(codec))
    out = tmp_path / "speech.mp3"
    p.save_to(out)  # what Save as… does with a name ending in .mp3, whatever type was selected
    qtbot.waitUntil(lambda: not p.busy, timeout=30000)
    assert not p.error.isVisible(), p.error.text()
    data = out.read_bytes()
    assert data[:4] != b"RIFF"
    assert data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)  # ID3 tag or MPEG frame sync
    decoded = miniaudio.mp3_read_s16(data)
    assert decoded.num_frames / decoded.sample_rate == pytest.approx(p.audio.pcm.seconds, abs=0.2)


def test_save_as_type_decides_a_name_without_a_suffix(tmp_path: Path) -> None:
    from desktop.audio import speech_export as se

    assert se.format_for(tmp_path / "a.mp3", se.WAV) == se.MP3
    assert se.format_for(tmp_path / "a.WAV", se.MP3) == se.WAV
    assert se.format_for(tmp_path / "a", se.MP3) == se.MP3
    assert se.with_suffix(tmp_path / "a", se.MP3, "opu2").name == "a.mp3"
    assert se.with_suffix(tmp_path / "a", se.RAW, "opu2").name == "a.opu2"


def test_file_dialogs_open_in_the_last_folder_used(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings_path = str(tmp_path / "window.ini")
    settings = QSettings(settings_path, QSettings.Format.IniFormat)
    parent = QWidget()
    qtbot.addWidget(parent)
    asked: list[str] = []
    folder = tmp_path / "recordings"
    folder.mkdir()

    def fake_open(_parent: Any, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        asked.append(start)
        return str(folder / "take.wav"), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_open)
    file_dialogs.open_file(parent, settings, "Open", "*.wav")
    assert asked[-1] == str(Path.home())  # nothing used yet: the home folder
    settings.sync()
    reopened = QSettings(settings_path, QSettings.Format.IniFormat)  # persisted: a new session
    file_dialogs.open_file(parent, reopened, "Open", "*.wav")
    assert asked[-1] == str(folder)

    def fake_save(_parent: Any, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        asked.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    file_dialogs.save_file(parent, reopened, "Save", "speech.wav", "*.wav")
    assert asked[-1] == str(folder / "speech.wav")
    # A folder that has gone since: back to the home folder, never an error.
    folder.rmdir()
    file_dialogs.open_file(parent, reopened, "Open", "*.wav")
    assert asked[-1] == str(Path.home())


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_field_error_does_not_move_the_call_button(qtbot: Any, make_panel: Any, lang: str) -> None:
    from desktop.ui import translations
    from desktop.ui.app import apply_style

    app = QApplication.instance()
    apply_style(app)  # type: ignore[arg-type]  # the bold error type, as in the window
    translations.install(app, lang)  # type: ignore[arg-type]
    try:
        _check_call_button_stays(make_panel())
    finally:
        translations.install(app, "en")  # type: ignore[arg-type]


def _check_call_button_stays(p: Any) -> None:
    p.resize(920, 633)  # the room a panel gets in the default window
    QApplication.processEvents()
    y = p.call_button.mapTo(p, p.call_button.rect().topLeft()).y()
    for field, value in (("callee", "13800000001"), ("display", "0571"), ("code", "1")):
        p.callee.setText(CALLEE)
        p.display.setText("+8657100000000")
        p.fresh_code()
        getattr(p, field).setText(value)
        p.place_call()
        QApplication.processEvents()
        assert any(note.isVisible() for note in p.notes.values()), field
        assert all(not n.isVisible() or n.toolTip() for n in p.notes.values())  # the whole sentence, on hover
        assert p.call_button.mapTo(p, p.call_button.rect().topLeft()).y() == y, field
