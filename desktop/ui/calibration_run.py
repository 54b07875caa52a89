"""One calibration run off the GUI thread, with progress and cancel.

``CalibrationRun`` lives on the GUI thread and owns a ``_Worker`` moved to its own ``QThread``;
the worker loads the engine and runs ``desktop.calibrate.trials.calibrate``, reporting through
queued signals only. Cancelling is checked between recordings (embedding one takes well under
a second), by raising out of the progress callback, so the trial code needs no cancel of its own.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

if TYPE_CHECKING:
    from desktop.calibrate.trials import CalibrationResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOutcome:
    result: CalibrationResult | None = None
    error: str = ""  # a sentence for the operator
    cancelled: bool = False
    seconds: float = 0.0


class _Cancelled(Exception):
    pass


class _Worker(QObject):
    progress = Signal(int, int, str)  # done, total, "speaker/file"
    done = Signal(object)  # RunOutcome

    def __init__(self, folder: Path, engine: str) -> None:
        super().__init__()
        self.folder = folder
        self.engine = engine
        self.cancelled = threading.Event()

    def _progress(self, done: int, total: int, name: str) -> None:
        if self.cancelled.is_set():
            raise _Cancelled
        self.progress.emit(done, total, name)

    @Slot()
    def run(self) -> None:
        start = time.monotonic()
        try:
            outcome = RunOutcome(result=self._calibrate())
        except _Cancelled:
            outcome = RunOutcome(cancelled=True)
        except Exception as exc:  # InputError and friends carry a sentence; a bug still ends the run
            from desktop.errors import VpwError

            if not isinstance(exc, VpwError | ValueError):
                log.exception("calibration failed unexpectedly")
            outcome = RunOutcome(error=str(exc) or type(exc).__name__)
        self.done.emit(RunOutcome(outcome.result, outcome.error, outcome.cancelled, time.monotonic() - start))

    def _calibrate(self) -> CalibrationResult:
        from desktop.calibrate.trials import calibrate
        from desktop.sandbox.engines import registry

        engine = registry.get_engine(self.engine or None)
        if self.cancelled.is_set():
            raise _Cancelled
        return calibrate(self.folder, engine, self._progress)


class CalibrationRun(QObject):
    """Start, follow and cancel runs; one at a time."""

    progress = Signal(int, int, str)
    finished = Signal(object)  # RunOutcome, on the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _Worker | None = None

    @property
    def busy(self) -> bool:
        return self._worker is not None

    @property
    def cancelling(self) -> bool:
        """Cancel was asked and the run has not ended yet."""
        return self._worker is not None and self._worker.cancelled.is_set()

    def start(self, folder: Path, engine: str) -> None:
        if self.busy:
            raise RuntimeError("a calibration is already running")
        thread = QThread(self)
        worker = _Worker(folder, engine)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self.progress)
        worker.done.connect(self._done)  # queued: this object lives on the GUI thread
        # Direct: quit() is thread-safe, and a queued call would wait for a GUI thread that may
        # be blocked in wait() at shutdown.
        worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread, self._worker = thread, worker
        thread.start()

    def cancel(self) -> None:
        """Safe to call any time; the run ends after the recording it is reading."""
        if self._worker is not None:
            self._worker.cancelled.set()

    @Slot(object)
    def _done(self, outcome: RunOutcome) -> None:
        thread, self._thread, self._worker = self._thread, None, None
        if thread is not None:
            thread.wait()  # quit() was already called: the thread is ending now
            thread.deleteLater()
        self.finished.emit(outcome)

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Cancel and join (the window is closing): a QThread destroyed while running aborts."""
        self.cancel()
        thread = self._thread
        if thread is not None and not thread.wait(timeout_ms):
            log.warning("the calibration run did not stop within %d ms", timeout_ms)
