"""Run one blocking call on a pool thread and get its result back on the GUI thread.

The result or the error arrives through a queued signal of a small QObject created on the GUI
thread, so the callbacks run there and may touch widgets; the callable itself never must. An
answer that arrives after the owner was destroyed (the window rebuilt its panels on a language
switch while a device listing or a history read was still queued) is dropped: the callbacks are
often lambdas over the owner's widgets, which Qt cannot disconnect for us.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)  # the callable's result
    failed = Signal(str)  # a readable sentence


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()  # created here, on the GUI thread: its signals queue to it

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # every failure becomes a sentence for the operator
            log.info("background task failed: %s", exc)
            self.signals.failed.emit(str(exc) or type(exc).__name__)
            return
        self.signals.done.emit(result)


class Background:
    """Keeps its tasks alive until they report; ``wait`` joins them (when the window closes)."""

    def __init__(self, parent: QObject, max_threads: int = 2) -> None:
        self.pool = QThreadPool(parent)  # not the global pool: other panels' work never queues behind ours
        self.pool.setMaxThreadCount(max_threads)
        self._tasks: set[_Task] = set()

    def run(self, fn: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[str], None]) -> None:
        task = _Task(fn)
        task.setAutoDelete(False)  # held in _tasks until its signal arrives, so its QObject lives
        self._tasks.add(task)
        task.signals.done.connect(lambda result: self._deliver(task, done, result))
        task.signals.failed.connect(lambda sentence: self._deliver(task, failed, sentence))
        self.pool.start(task)

    def _deliver(self, task: _Task, callback: Callable[[Any], None], value: Any) -> None:
        # Done before the callback runs: a callback that asks ``busy`` (to enable its buttons) must
        # see only the tasks still running. Discarded after it, the Speakers panel disabled Delete
        # for a selected row after every reload. The connected lambda keeps the task alive.
        self._tasks.discard(task)
        # The pool is the owner's child: gone with it, so nobody is left to tell.
        if shiboken6.isValid(self.pool):
            callback(value)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def wait(self, timeout_ms: int = 3000) -> bool:
        return self.pool.waitForDone(timeout_ms)
