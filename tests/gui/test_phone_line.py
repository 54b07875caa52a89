"""The Phone panel's line: a receiver that cannot run says why, in a sentence, without a thread dying."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop import config
from desktop.store.calls import CallStore
from desktop.ui.phone_line import LineSignals, PhoneLine


def test_strict_mode_without_a_secret_and_a_bad_mode_are_sentences(qtbot: Any, tmp_path: Path) -> None:
    line = PhoneLine(LineSignals(), store_factory=lambda: CallStore(tmp_path / "h.sqlite3"))
    profile = config.load_profile("sandbox")
    profile.voicecall.app_secret = ""
    profile.voicecall.callback_mode = "strict"
    server, error = line.ensure_receiver(profile)
    assert server is None and "app_secret" in error
    profile.voicecall.callback_mode = "paranoid"
    server, error = line.ensure_receiver(profile)
    assert server is None and "callback_mode" in error
    profile.voicecall.callback_mode = "record"
    server, error = line.ensure_receiver(profile)
    assert server is not None and error == "" and not server.receiver.strict
    line.close()
