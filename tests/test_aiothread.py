"""The shared background-thread aiohttp runner, and the three servers that use it."""

from __future__ import annotations

import asyncio
import errno
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import websocket
from aiohttp import web

from desktop.aiothread import AppThread, ListenError
from desktop.errors import ConnectionFailure, ExitCode
from desktop.sandbox import defaults
from desktop.sandbox.server import SandboxConfig, SandboxThread
from desktop.services.singsound import WarrantClient
from desktop.services.warrant_server import DeviceTokens, WarrantServerThread, WarrantService

GOING_AWAY = 1001


def _ws_app(stuck: asyncio.Event | None = None) -> web.Application:
    """An echo WebSocket at /ws; with ``stuck``, a handler that never reads (it waits on it)."""

    async def echo(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        if stuck is not None:
            await stuck.wait()
        async for msg in ws:
            await ws.send_str(msg.data)
        return ws

    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="hello")

    async def hang(request: web.Request) -> web.Response:
        await asyncio.sleep(3600)
        return web.Response(text="too late")

    app = web.Application()
    app.router.add_get("/ws", echo)
    app.router.add_get("/", hello)
    app.router.add_get("/hang", hang)
    return app


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A port something else already listens on."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    yield sock
    sock.close()


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return True
    return False


def _wait_gone(server: AppThread, limit: float = 5.0) -> bool:
    deadline = time.monotonic() + limit
    while server.alive and time.monotonic() < deadline:
        time.sleep(0.02)
    return not server.alive


def _close_code(ws: websocket.WebSocket) -> int:
    opcode, frame = ws.recv_data_frame(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE
    return int.from_bytes(frame.data[:2], "big")


def test_port_zero_reports_the_bound_port_and_stop_releases_it() -> None:
    server = AppThread(_ws_app, "127.0.0.1", 0).start()
    assert server.port > 0 and server.alive
    assert requests.get(f"http://127.0.0.1:{server.port}/", timeout=5).text == "hello"
    server.stop()
    assert not server.alive
    assert _refused(server.port)
    server.stop()  # a second stop is harmless


def test_a_taken_port_is_a_typed_readable_error_that_is_also_an_oserror(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    server = AppThread(_ws_app, "127.0.0.1", port)
    with pytest.raises(ListenError) as caught:
        server.start()
    err = caught.value
    assert isinstance(err, ConnectionFailure) and isinstance(err, OSError)
    assert err.errno == errno.EADDRINUSE and err.exit_code == ExitCode.FAILURE
    assert f"127.0.0.1:{port}" in str(err) and err.reason
    assert _wait_gone(server)


def test_an_address_not_on_this_machine_is_a_listen_error() -> None:
    # 192.0.2.0/24 is reserved for documentation: never a local address, and no DNS is asked.
    with pytest.raises(ListenError) as caught:
        AppThread(_ws_app, "192.0.2.1", 0).start()
    assert caught.value.errno == errno.EADDRNOTAVAIL


def test_an_application_that_fails_to_build_reports_its_own_error() -> None:
    def broken() -> web.Application:
        raise PermissionError(13, "state directory not writable")

    server = AppThread(broken, "127.0.0.1", 0)
    with pytest.raises(PermissionError, match="not writable"):
        server.start()
    assert _wait_gone(server)


def test_a_start_that_times_out_is_abandoned_not_left_serving() -> None:
    release = threading.Event()

    def slow() -> web.Application:
        release.wait(10)
        return _ws_app()

    server = AppThread(slow, "127.0.0.1", 0)
    with pytest.raises(ListenError) as caught:
        server.start(timeout=0.2)
    assert caught.value.errno == errno.ETIMEDOUT
    release.set()
    assert _wait_gone(server)  # it bound late, saw it had been abandoned and stopped
    assert server.port > 0 and _refused(server.port)


def test_start_twice_is_refused() -> None:
    with AppThread(_ws_app, "127.0.0.1", 0) as server, pytest.raises(RuntimeError):
        server.start()


def test_stop_closes_open_websockets_with_going_away() -> None:
    server = AppThread(_ws_app, "127.0.0.1", 0).start()
    clients = [websocket.create_connection(f"ws://127.0.0.1:{server.port}/ws", timeout=5) for _ in range(3)]
    clients[0].send("ping")
    assert clients[0].recv() == "ping"
    server.stop()
    assert not server.alive
    for ws in clients:
        assert _close_code(ws) == GOING_AWAY
        with pytest.raises((websocket.WebSocketConnectionClosedException, OSError)):
            ws.recv()
        ws.close()


def test_stop_cuts_a_websocket_whose_handler_and_client_never_answer() -> None:
    stuck = asyncio.Event()  # never set: the handler never reads, so the close handshake stalls
    server = AppThread(lambda: _ws_app(stuck), "127.0.0.1", 0, grace_s=0.3).start()
    ws = websocket.create_connection(f"ws://127.0.0.1:{server.port}/ws", timeout=5)
    started = time.monotonic()
    server.stop()
    assert not server.alive and time.monotonic() - started < 5  # the grace, not the 10-s join
    assert _close_code(ws) == GOING_AWAY
    with pytest.raises((websocket.WebSocketConnectionClosedException, OSError)):
        ws.recv()
    ws.close()


def test_stop_ends_a_request_still_being_handled() -> None:
    server = AppThread(_ws_app, "127.0.0.1", 0, grace_s=0.3).start()
    outcome: list[BaseException | str] = []

    def ask() -> None:
        try:
            outcome.append(requests.get(f"http://127.0.0.1:{server.port}/hang", timeout=10).text)
        except requests.RequestException as exc:
            outcome.append(exc)

    asker = threading.Thread(target=ask)
    asker.start()
    time.sleep(0.2)  # let the request reach its handler
    server.stop()
    asker.join(5)
    assert not asker.is_alive() and not server.alive
    # Cut off, not left waiting for its 10-s timeout and not answered by a handler that never finished.
    assert len(outcome) == 1 and isinstance(outcome[0], requests.ConnectionError)


# -- the servers built on it ---------------------------------------------------------------------


def test_a_sandbox_websocket_client_sees_the_close_after_stop(tmp_path: Path) -> None:
    sandbox = SandboxThread(SandboxConfig(port=0, state_dir=tmp_path)).start()
    url = defaults.voiceprint_url(sandbox.cfg.host, sandbox.port)
    ws = websocket.create_connection(url, timeout=5, header={"X-Apig-AppCode": defaults.APPCODE})
    started = time.monotonic()
    sandbox.stop()
    assert time.monotonic() - started < 5
    assert _close_code(ws) == GOING_AWAY
    with pytest.raises((websocket.WebSocketConnectionClosedException, OSError)):
        ws.recv()
    ws.close()
    assert _refused(sandbox.port)


def test_a_sandbox_on_a_taken_port_raises_an_oserror(tmp_path: Path, listener: socket.socket) -> None:
    # Context.ensure_sandbox catches OSError to retry on a free port.
    port = listener.getsockname()[1]
    with pytest.raises(OSError) as caught:
        SandboxThread(SandboxConfig(port=port, state_dir=tmp_path)).start()
    assert caught.value.errno == errno.EADDRINUSE


def test_a_warrant_server_on_a_taken_port_is_a_readable_error(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    client = WarrantClient(["http://127.0.0.1:9/warrant"], "appid", "secret-never-shown")
    service = WarrantService(client, DeviceTokens("dev:" + "t" * 32))
    with pytest.raises(ListenError) as caught:
        WarrantServerThread(service, "127.0.0.1", port).start()
    assert f"127.0.0.1:{port}" in str(caught.value)
    assert "secret-never-shown" not in str(caught.value)
    client.close()
