"""Off-GUI-thread work for the Assessment panel: one warrant request, this computer's address,
and starting/stopping the merchant warrant service.

Every blocking call (HTTP to SingSound, binding a port, joining the service's thread) runs on a
``QThreadPool`` task. A task reports through a ``_Relay`` QObject created on the GUI thread: a
signal emitted from the pool thread is queued to the GUI thread, where the panel's slot runs, so
no widget is ever touched off the GUI thread. If the panel is gone by then, Qt has already
dropped the connection and the result goes nowhere.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from desktop import config
from desktop.errors import VpwError

if TYPE_CHECKING:
    from desktop.config import SingsoundSettings
    from desktop.services.singsound import Warrant, WarrantClient
    from desktop.services.warrant_server import WarrantServerThread
    from desktop.store.warrants import WarrantLog

log = logging.getLogger(__name__)

# connect() on a UDP socket sends nothing: the kernel only picks the route (and so the source
# address) it would use to reach these public addresses.
_PROBES = ((socket.AF_INET, ("8.8.8.8", 53)), (socket.AF_INET6, ("2001:4860:4860::8888", 53)))


def outward_ip() -> str:
    """This computer's address on the interface that leads to the internet; loopback when there
    is no route at all. Behind NAT SingSound sees the router's public address instead."""
    for family, probe in _PROBES:
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect(probe)
                address = str(s.getsockname()[0]).split("%")[0]  # drop an IPv6 zone
        except OSError:
            continue
        ip = ipaddress.ip_address(address)
        if not (ip.is_unspecified or ip.is_loopback):
            return str(ip)
    return "127.0.0.1"


class _Relay(QObject):
    """Carries one task's result to the GUI thread. Kept in ``_LIVE`` until its result has been
    delivered there, so it is destroyed on the thread it belongs to, never on the pool's."""

    finished = Signal(object)

    @Slot(object)
    def release(self, _result: object) -> None:
        _LIVE.discard(self)


_LIVE: set[_Relay] = set()


def run_task(fn: Callable[[], Any], on_done: Callable[[TaskResult], None]) -> None:
    """Run ``fn()`` on the global thread pool; ``on_done(TaskResult)`` then runs on the GUI
    thread. ``on_done`` must be a slot of a QObject living on the GUI thread (a bound method),
    so that the call is queued there and dropped if that object has been deleted."""
    relay = _Relay()
    relay.finished.connect(on_done)
    relay.finished.connect(relay.release)  # queued too: runs after ``on_done``, on the GUI thread
    _LIVE.add(relay)

    def work() -> None:
        try:
            result = TaskResult(value=fn())
        except BaseException as exc:  # reported as a value; a bug must still end the task visibly
            if not isinstance(exc, VpwError):
                log.exception("an assessment task failed")
            result = TaskResult(error=exc)
        relay.finished.emit(result)

    QThreadPool.globalInstance().start(work)


@dataclass
class TaskResult:
    value: Any = None
    error: BaseException | None = None


@dataclass
class WarrantRequest:
    """One "Get warrant": what was asked, and how it ended."""

    user_id: str
    client_ip: str
    lifetime: int
    use_cache: bool
    warrant: Warrant | None = None
    error: BaseException | None = None
    message: str = ""  # the error sentence, scrubbed of secrets


def fetch_warrant(client: WarrantClient, request: WarrantRequest) -> WarrantRequest:
    """Ask ``client`` (blocking: run on a task) and record the attempt in the warrant audit log."""
    try:
        request.warrant = client.get_warrant(
            request.user_id, request.client_ip, request.lifetime, use_cache=request.use_cache
        )
    except VpwError as exc:
        request.error = exc
        request.message = client.scrub(str(exc))
    _audit("gui", request.user_id, request.client_ip, request.warrant, request.error, request.message)
    return request


def _audit(origin: str, user_id: str, ip: str, warrant: Any, exc: Any, message: str) -> None:
    try:
        from desktop.store.warrants import WarrantLog

        audit = WarrantLog(config.data_dir() / "history.sqlite3")
        try:
            audit.record(origin, user_id, ip, warrant, exc, message=message)
        finally:
            audit.close()
    except Exception:  # the audit trail is a convenience: the operator still gets the warrant
        log.warning("could not record the warrant in the audit log", exc_info=True)


# -- the merchant warrant service ------------------------------------------------------------


class ServiceControl(QObject):
    """Starts and stops one ``WarrantServerThread`` and counts what it hands out.

    States: ``stopped``, ``starting``, ``running``, ``stopping``, ``failed`` (with a sentence).
    """

    state_changed = Signal(str, object)  # state, the exception when it is "failed" (else None)
    counts_changed = Signal(int, int, str)  # issued, refused, last user id
    _served = Signal(bool, str)  # from the service's thread: issued?, user id

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = "stopped"
        self.error: BaseException | None = None
        self.server: WarrantServerThread | None = None
        self.url = ""
        self.issued = 0
        self.refused = 0
        self._audit_log: WarrantLog | None = None
        self._scrub: Callable[[str], str] = lambda text: text
        self._lock = threading.Lock()  # the audit log is closed from one thread, written from another
        self._served.connect(self._on_served)

    def _set_state(self, state: str, error: BaseException | None = None) -> None:
        self.state, self.error = state, error
        self.state_changed.emit(state, error)

    def start(self, settings: SingsoundSettings) -> None:
        if self.state not in ("stopped", "failed"):
            return
        self.issued = self.refused = 0
        self.counts_changed.emit(0, 0, "")
        self._set_state("starting")
        run_task(lambda: self._start(settings), self._on_started)

    def _start(self, s: SingsoundSettings) -> WarrantServerThread:
        from desktop.services.warrant_server import WarrantServerThread, WarrantService
        from desktop.store.warrants import WarrantLog

        service = WarrantService.from_settings(s, audit=self._record)
        try:
            audit = WarrantLog(config.data_dir() / "history.sqlite3")
        except Exception:  # serve warrants even when the history file is locked or newer
            log.warning("warrant audit log unavailable", exc_info=True)
            audit = None
        with self._lock:
            self._audit_log, self._scrub = audit, service.client.scrub
        try:
            return WarrantServerThread(service, s.warrant_server_host, s.warrant_server_port).start()
        except BaseException:
            service.client.close()
            self._close_log()
            raise

    @Slot(object)
    def _on_started(self, result: TaskResult) -> None:
        if result.error is not None:
            self._set_state("failed", result.error)
            return
        self.server = result.value
        assert self.server is not None
        self.url = self.server.url
        self._set_state("running")

    def stop(self) -> None:
        server = self.server
        if self.state != "running" or server is None:
            return
        self._set_state("stopping")
        run_task(lambda: self._stop(server), self._on_stopped)

    def _stop(self, server: WarrantServerThread) -> None:
        server.stop()
        self._close_log()

    @Slot(object)
    def _on_stopped(self, result: TaskResult) -> None:
        self.server = None
        self._set_state("stopped")

    def stop_now(self) -> None:
        """Stop on the calling thread (the window is closing: nothing may keep the port)."""
        server, self.server = self.server, None
        if server is not None:
            server.stop()
        self._close_log()
        self.state = "stopped"

    def _close_log(self) -> None:
        with self._lock:
            audit, self._audit_log = self._audit_log, None
        if audit is not None:
            audit.close()

    def _record(self, device: str, user_id: str, ip: str, warrant: Warrant | None, exc: VpwError | None) -> None:
        """The service's audit hook, on its own thread: log, then tell the GUI thread."""
        with self._lock:
            if self._audit_log is not None:
                message = self._scrub(str(exc)) if exc is not None else ""
                try:
                    self._audit_log.record(f"device:{device}", user_id, ip, warrant, exc, message=message)
                except Exception:  # the count below must still move
                    log.warning("could not record the warrant in the audit log", exc_info=True)
        self._served.emit(warrant is not None, user_id)

    @Slot(bool, str)
    def _on_served(self, issued: bool, user_id: str) -> None:
        if issued:
            self.issued += 1
        else:
            self.refused += 1
        self.counts_changed.emit(self.issued, self.refused, user_id)
