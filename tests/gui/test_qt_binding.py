"""Guards against a Qt binding that breaks the app in ways no feature test would pin down.

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without taking a reference, so every
emit from Python steals one from ``True``; after a few hundred emits the interpreter aborts
("deallocating True or False"). A live recording emits several signals per 100 ms frame, so the
window died within seconds. pyproject excludes that release; this test fails if it comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    ping = Signal(int)


def test_emit_keeps_reference_counts() -> None:
    emitter = _Emitter()
    emitter.ping.connect(lambda _n: None)
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for i in range(50):  # few enough that a broken binding fails here instead of crashing
        emitter.ping.emit(i)
    after = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    assert after == before
