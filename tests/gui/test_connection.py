"""The window's voiceprint ``Connection`` against a real sandbox: it connects in the background,
and asked to start again (a slow sandbox start reporting after a profile switch already started
it) it does not connect a second time."""

from __future__ import annotations

import threading
from typing import Any

from desktop import config
from desktop.ui.connection import Connection


def connectors() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "vpw-ui-connect"]


def test_a_second_start_does_not_connect_again(qtbot: Any, sandbox: Any) -> None:
    conn = Connection(config.load_profile("sandbox").voiceprint)
    connects: list[str] = []
    real = conn.client.connect

    def counting() -> None:
        connects.append(threading.current_thread().name)
        real()

    conn.client.connect = counting  # type: ignore[method-assign]
    states: list[str] = []
    conn.state_changed.connect(states.append)
    try:
        conn.start()
        conn.start()  # the late "sandbox ready" of an earlier start-up
        qtbot.waitUntil(lambda: conn.state == "connected" and not connectors(), timeout=20000)
        assert connects == ["vpw-ui-connect"]
        qtbot.waitUntil(lambda: states[-1:] == ["connected"], timeout=20000)
        assert states == ["connecting", "connected"]  # no drop and reconnect on the way
    finally:
        conn.close()
