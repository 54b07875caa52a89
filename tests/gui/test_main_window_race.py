"""A window closed while its embedded sandbox is still starting: the start thread's report must
not raise "Signal source has been deleted" (it did, in the test log, under load)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from desktop.context import Context
from tests.gui.conftest import dispose


def test_window_closed_before_the_sandbox_started(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.app import build_window

    release = threading.Event()
    entered = threading.Event()

    def slow_sandbox(self: Context) -> None:
        entered.set()
        release.wait(10)  # the sandbox takes its time; the operator closes the window meanwhile

    monkeypatch.setattr(Context, "ensure_sandbox", slow_sandbox)
    failures: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    ctx = Context()
    win = build_window(ctx, defer=False)
    win.show()
    assert entered.wait(10)
    starters = [t for t in threading.enumerate() if t.name == "vpw-ui-sandbox"]
    dispose(win)  # closed and deleted while the start thread still runs
    release.set()
    for t in starters:
        t.join(10)
    ctx.close()
    assert not failures, failures
