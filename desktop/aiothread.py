"""An aiohttp application served from a background thread with its own event loop.

The sandbox, the voice-call callback receiver and the warrant service all run this way, so the
GUI and the CLI keep their own threads. ``start()`` returns once the port is bound (port 0 picks
a free one; ``port`` then tells it) or raises ``ListenError``. ``stop()`` closes every connection:
open WebSockets get a "going away" close frame first, because a WebSocket client otherwise keeps
waiting on a socket that will never speak again. Qt-free and free of ``desktop.services`` so the
sandbox can use it too.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import threading
import weakref
from collections.abc import Callable

from aiohttp import WSCloseCode, web

from desktop import i18n
from desktop.errors import ConnectionFailure

log = logging.getLogger(__name__)

i18n.register(
    {
        "aiothread.cannot_listen": {
            "en": "Cannot listen on {host}:{port} ({reason}). Choose another port (0 picks a free one) "
            "or stop what uses it.",
            "zh": "无法在 {host}:{port} 上监听（{reason}）。请换一个端口（0 表示自动选择空闲端口）或停止占用它的程序。",
        },
        "aiothread.timed_out": {"en": "not started within {seconds:g} s", "zh": "{seconds:g} 秒内未能启动"},
    }
)


class ListenError(ConnectionFailure, OSError):
    """The server could not bind its address (taken, not ours, unknown host) or did not start in time.

    Also an ``OSError`` carrying the bind's errno: callers that start a server on a port that may
    be taken catch ``OSError`` to retry on another, as they would for a bare socket.
    """

    def __init__(self, host: str, port: int, reason: str, err: int | None = None) -> None:
        super().__init__(i18n.tr("aiothread.cannot_listen", host=host, port=port, reason=reason))
        self.host, self.port, self.reason = host, port, reason
        self.errno = err


class AppThread:
    """Serves the application ``make_app()`` builds on ``host``:``port`` from a daemon thread.

    ``make_app`` runs on the server's thread, inside its loop, so the application's own start-up
    and clean-up hooks see the loop they serve on. ``grace_s`` bounds how long ``stop()`` lets
    open requests and WebSocket close handshakes finish before their connections are cut.
    """

    def __init__(
        self,
        make_app: Callable[[], web.Application],
        host: str,
        port: int,
        *,
        name: str = "vpw-aiohttp",
        grace_s: float = 2.0,
    ) -> None:
        self.host = host
        self.port = port
        self._make_app = make_app
        self._name = name
        self._grace_s = grace_s
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._sockets: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()

    @property
    def alive(self) -> bool:
        """True from ``start()`` until the server's thread has finished."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> AppThread:
        if self._thread is not None:
            raise RuntimeError("an AppThread starts once")
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            # Abandon it: should it bind later it stops at once rather than serve unseen.
            self.stop(0)
            reason = i18n.tr("aiothread.timed_out", seconds=timeout)
            raise ListenError(self.host, self.port, reason, errno.ETIMEDOUT)
        if self._error is not None:
            raise self._error
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Close every connection and the listening socket; waits up to ``timeout`` for that."""
        self._stop.set()
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nothing left to stop
                loop.call_soon_threadsafe(wake.set)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def __enter__(self) -> AppThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the server's thread -------------------------------------------------------------------

    def _run(self) -> None:
        try:
            # asyncio.run also waits for the loop's default executor, so no handler's work
            # outlives the server.
            asyncio.run(self._main())
        except BaseException as exc:  # the thread must not die silently; start() reports it
            self._error = self._error or exc
        finally:
            self._ready.set()

    async def _main(self) -> None:
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        runner: web.AppRunner | None = None
        try:
            app = self._make_app()
            app.on_response_prepare.append(self._track)
            app.on_shutdown.append(self._close_sockets)
            runner = web.AppRunner(app, access_log=None, shutdown_timeout=self._grace_s)
            await runner.setup()
            await self._bind(runner)
        except BaseException as exc:
            self._error = exc
            if runner is not None:
                await runner.cleanup()
            return
        self._ready.set()
        # stop() sets the flag before it reads the loop, so either it wakes us or we see the flag.
        if not self._stop.is_set():
            await self._wake.wait()
        await runner.cleanup()

    async def _bind(self, runner: web.AppRunner) -> None:
        # reuse_address is left to asyncio: on by default on POSIX, off on Windows, where it
        # would let a second server take a port that is in use instead of failing.
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            reason = exc.strerror or str(exc) or type(exc).__name__
            raise ListenError(self.host, self.port, reason, exc.errno) from exc
        if runner.addresses:
            self.port = runner.addresses[0][1]

    async def _track(self, request: web.Request, response: web.StreamResponse) -> None:
        if isinstance(response, web.WebSocketResponse):
            self._sockets.add(response)

    async def _close_sockets(self, app: web.Application) -> None:
        # Runs after the listening socket has closed, so no new WebSocket can slip in. A client
        # that does not answer the close frame within the grace is cut off by the timeout.
        sockets = [ws for ws in self._sockets if not ws.closed]
        if sockets:
            await asyncio.gather(*(self._close_socket(ws) for ws in sockets))

    async def _close_socket(self, ws: web.WebSocketResponse) -> None:
        try:
            await asyncio.wait_for(ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping"), self._grace_s)
        except Exception as exc:  # one stuck client must not keep the others open
            log.debug("closing a WebSocket on stop: %s", type(exc).__name__)
