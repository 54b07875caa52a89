"""The voiceprint client's wire behaviour, checked against a recording fake server.

The fake is deliberately dumb (it records and answers what the test tells it), so these tests
pin down exactly what goes over the wire: hello first, pings on the timer, start/frames/stop in
order with base64 PCM, the AppCode on the handshake, and the replay after a drop.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from desktop.config import VoiceprintSettings
from desktop.errors import AuthFailure, InputError, ProtocolFailure
from desktop.services.voiceprint import VoiceprintClient, validate_user

SEED_REPLY = {
    "status": 200,
    "type": "stop_recognize",
    "data": "test,score= 0.816818;test1 , score = 0.7879;test2 , score = 0.749334;, number = 75339335",
}


class FakeServer:
    def __init__(self) -> None:
        self.received: list[list[dict[str, Any]]] = []  # one list per connection
        self.headers: list[dict[str, str]] = []
        self.drop_after_frames: int | None = None
        self.reply: dict[str, Any] | str | None = SEED_REPLY
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._ready = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()
        assert self._ready.wait(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_get("/vp", self._ws)
        runner = web.AppRunner(app)
        self.loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._ready.set()
        self.loop.run_forever()

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("X-Apig-AppCode") != "good-code":
            return web.json_response({"error_msg": "bad", "error_code": "APIG.0303", "request_id": "x"}, status=401)
        self.headers.append(dict(request.headers))
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        log: list[dict[str, Any]] = []
        self.received.append(log)
        frames = 0
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            m = json.loads(msg.data)
            log.append(m)
            if m["type"] in ("training", "recognizing"):
                frames += 1
                if self.drop_after_frames is not None and frames >= self.drop_after_frames:
                    self.drop_after_frames = None
                    await ws.close()
                    break
            if m["type"] in ("stop_recognize", "stop_train") and self.reply is not None:
                await ws.send_str(json.dumps({"type": "surprise", "data": 1}))
                reply = self.reply
                if isinstance(reply, dict) and m["type"] == "stop_train":
                    reply = {"status": 200, "type": "stop_train", "data": "ok"}
                await ws.send_str(reply if isinstance(reply, str) else json.dumps(reply))
        return ws

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    s = FakeServer()
    yield s
    s.stop()


def _client(server: FakeServer, **kw: Any) -> VoiceprintClient:
    settings = VoiceprintSettings(url=f"ws://127.0.0.1:{server.port}/vp", appcode="good-code", **kw)
    return VoiceprintClient(settings, backoff_s=0.01)


FRAMES = [bytes([i]) * 3200 for i in range(10)]


def test_wire_sequence_hello_frames_stop(server: FakeServer) -> None:
    client = _client(server, client_id="desk")
    client.connect()
    result = client.verify("test", FRAMES, prompt="75339335")
    client.close()
    msgs = server.received[0]
    assert msgs[0] == {"type": "client", "data": "desk"}
    assert msgs[1] == {"type": "recognize_name", "data": "test"}
    sent = [base64.b64decode(m["data"]) for m in msgs if m["type"] == "recognizing"]
    assert sent == FRAMES
    assert msgs[-1] == {"type": "stop_recognize", "data": "stop"}
    assert server.headers[0]["X-Apig-AppCode"] == "good-code"
    assert result.accepted and result.digits_match is True and result.number == "75339335"
    assert [c.name for c in result.candidates] == ["test", "test1", "test2"]
    assert result.audio_s == pytest.approx(1.0)
    assert json.loads(result.raw) == SEED_REPLY


def test_enrol_sequence(server: FakeServer) -> None:
    client = _client(server)
    client.connect()
    result = client.enroll("张三", FRAMES[:3])
    client.close()
    types = [m["type"] for m in server.received[0]]
    assert types == ["client", "start_train", "training", "training", "training", "stop_train"]
    assert server.received[0][1]["data"] == "张三"
    assert result.accepted and result.message == "ok"


def test_heartbeat_pings_on_timer(server: FakeServer) -> None:
    client = _client(server, heartbeat_s=0.1)
    client.connect()
    time.sleep(0.55)
    client.close()
    pings = [m for m in server.received[0] if m["type"] == "ping"]
    assert 3 <= len(pings) <= 7
    assert client.last_heartbeat is not None


def test_drop_replays_whole_session(server: FakeServer) -> None:
    server.drop_after_frames = 4
    client = _client(server)
    client.connect()
    result = client.verify("test", FRAMES)
    client.close()
    assert result.replayed and result.reconnects == 1
    second = server.received[1]
    assert second[0]["type"] == "client" and second[1] == {"type": "recognize_name", "data": "test"}
    assert [base64.b64decode(m["data"]) for m in second if m["type"] == "recognizing"] == FRAMES


def test_garbage_reply_is_returned_raw(server: FakeServer) -> None:
    server.reply = "<html>502 Bad Gateway</html>"
    client = _client(server)
    client.connect()
    result = client.verify("test", FRAMES[:2])
    client.close()
    assert not result.checked and not result.accepted and result.raw == "<html>502 Bad Gateway</html>"


def test_no_reply_times_out(server: FakeServer) -> None:
    server.reply = None
    client = _client(server, reply_timeout_s=0.5)
    client.connect()
    t0 = time.monotonic()
    with pytest.raises(ProtocolFailure, match=r"did not answer within 0\.5 s"):
        client.verify("test", FRAMES[:2])
    assert time.monotonic() - t0 < 3
    client.close()


def test_bad_appcode(server: FakeServer) -> None:
    settings = VoiceprintSettings(url=f"ws://127.0.0.1:{server.port}/vp", appcode="nope")
    with pytest.raises(AuthFailure) as info:
        VoiceprintClient(settings).connect()
    assert info.value.code == "APIG.0303"


def test_bad_url_and_names() -> None:
    with pytest.raises(InputError):
        VoiceprintClient(VoiceprintSettings(url="https://x/y"))
    for bad in ["", " ", "a;b", "a=b", "x" * 65, "tab\tname"]:
        with pytest.raises(InputError):
            validate_user(bad)
    assert validate_user(" 李 四 ") == "李 四"


def test_empty_session_refused(server: FakeServer) -> None:
    client = _client(server)
    client.connect()
    with pytest.raises(InputError):
        client.verify("test", [])
    client.close()
