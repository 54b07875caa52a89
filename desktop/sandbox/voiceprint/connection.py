"""One client's WebSocket conversation: message dispatch, the open session, fault injection.

Messages of a connection are handled one after another, in order; the blocking work of a stop
runs on the service's executor so that other connections carry on meanwhile. Nothing a client
sends ends the conversation: malformed input is answered with an ``error`` message.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from aiohttp import WSMsgType, web

from desktop import i18n
from desktop.sandbox.server import SandboxConfig
from desktop.sandbox.voiceprint import messages as m
from desktop.sandbox.voiceprint.backend import BAD_AUDIO, ENGINE_ERROR, Backend, Outcome

log = logging.getLogger(__name__)

SERVICE = "voiceprint"
BYTES_PER_S = 32_000  # 16 kHz s16le mono
GARBAGE = 'HTTP/1.1 502 Bad Gateway\r\n\r\n{"status":2'  # a reply cut short by a broken proxy

# kind -> (start type, audio type, stop type)
_KINDS = {
    "train": (m.START_TRAIN, m.TRAINING, m.STOP_TRAIN),
    "recognize": (m.RECOGNIZE_NAME, m.RECOGNIZING, m.STOP_RECOGNIZE),
}
_BY_TYPE = {
    t: (kind, role) for kind, types in _KINDS.items() for role, t in zip(("start", "audio", "stop"), types, strict=True)
}


@dataclass
class Session:
    kind: str  # "train" or "recognize"
    name: str
    name_error: str | None
    audio: bytearray = field(default_factory=bytearray)
    overflow: bool = False


@dataclass
class DropState:
    """Shared by all connections: how many sessions ``drop_after_frames`` has cut so far."""

    key: tuple[Any, Any] | None = None
    done: int = 0

    def should_drop(self, after: int, times: int) -> bool:
        if self.key != (after, times):  # the switch changed: start counting again
            self.key, self.done = (after, times), 0
        return self.done < times


class Connection:
    def __init__(
        self,
        ws: web.WebSocketResponse,
        request: web.Request,
        cfg: SandboxConfig,
        backend: Backend,
        executor: Executor,
        drops: DropState,
    ) -> None:
        self.ws = ws
        self.request = request
        self.cfg = cfg
        self.backend = backend
        self.executor = executor
        self.drops = drops
        self.session: Session | None = None
        self.audio_frames = 0
        self.client_id: str | None = None

    def fault(self, name: str, default: Any = None) -> Any:
        """A fault switch's value now: switches change while connections are open."""
        return self.cfg.fault(SERVICE, name, default)

    def number(self, name: str, default: float) -> float:
        """A numeric switch; a malformed value (set by hand) counts as the default, not a crash."""
        value = self.fault(name, default)
        try:
            return float(value)
        except (TypeError, ValueError):
            log.warning("fault switch %s=%r is not a number; using %s", name, value, default)
            return default

    async def run(self) -> None:
        async for msg in self.ws:
            if msg.type == WSMsgType.TEXT:
                try:
                    await self._on_text(msg.data)
                except ConnectionResetError:
                    raise
                except Exception as exc:  # a bug must cost one answer, not the connection
                    log.exception("voiceprint message handling failed")
                    await self._send(m.encode({"type": m.ERROR, "status": 500, "data": type(exc).__name__}))
            elif msg.type == WSMsgType.BINARY:
                await self._send(m.error(i18n.tr("sandbox.voiceprint.binary")))
            elif msg.type == WSMsgType.ERROR:
                log.info("voiceprint connection error: %s", self.ws.exception())
                break
            if self.ws.closed:
                break

    async def _send(self, text: str) -> None:
        if self.ws.closed:
            return
        if self.fault("unknown_message", False):
            await self.ws.send_str(m.encode({"type": m.SURPRISE, "data": "an unannounced message type"}))
        await self.ws.send_str(text)

    async def _on_text(self, text: str) -> None:
        try:
            message = json.loads(text)
        except ValueError as exc:
            await self._send(m.error(i18n.tr("sandbox.voiceprint.not_json", reason=str(exc))))
            return
        kind = m.normalise_type(message.get("type")) if isinstance(message, dict) else None
        if kind is None:
            await self._send(m.error(i18n.tr("sandbox.voiceprint.not_object")))
            return
        data = message.get("data")
        if kind == m.CLIENT:
            self.client_id = str(data)[:64]
        elif kind == m.PING:
            await self._send(m.encode({"type": m.PONG}))
        elif kind in _BY_TYPE:
            session_kind, role = _BY_TYPE[kind]
            if role == "start":
                await self._start(session_kind, data)
            elif role == "audio":
                await self._audio(session_kind, data)
            else:
                await self._stop(session_kind)
        else:
            await self._send(m.error(i18n.tr("sandbox.voiceprint.unknown_type", type=kind)))

    async def _start(self, kind: str, data: Any) -> None:
        if self.session is not None:
            what = i18n.tr(f"sandbox.voiceprint.what_{self.session.kind}")
            await self._send(m.error(i18n.tr("sandbox.voiceprint.discarded", what=what, name=self.session.name)))
        name, problem = m.check_name(data)
        # A bad name is reported in the stop answer, where the client waits for the verdict.
        self.session = Session(kind, name, problem)

    def _no_session(self, kind: str) -> str:
        return i18n.tr(
            "sandbox.voiceprint.no_session", what=i18n.tr(f"sandbox.voiceprint.what_{kind}"), start=_KINDS[kind][0]
        )

    async def _audio(self, kind: str, data: Any) -> None:
        session = self.session
        if session is None or session.kind != kind:
            await self._send(m.error(self._no_session(kind)))
            return
        if not isinstance(data, str):
            await self._bad_audio(i18n.tr("sandbox.voiceprint.not_string"))
            return
        try:
            chunk = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            await self._bad_audio(i18n.tr("sandbox.voiceprint.not_base64"))
            return
        if len(chunk) % 2:
            await self._bad_audio(i18n.tr("sandbox.voiceprint.odd_bytes", count=len(chunk)))
            return
        self.audio_frames += 1
        if self._maybe_drop():
            return
        limit_s = self.number("max_audio_s", 60.0)
        if len(session.audio) + len(chunk) > limit_s * BYTES_PER_S:
            if not session.overflow:
                session.overflow = True
                await self._send(m.error(i18n.tr("sandbox.voiceprint.too_long", limit=limit_s)))
            return
        session.audio += chunk

    async def _bad_audio(self, reason: str) -> None:
        await self._send(m.error(i18n.tr("sandbox.voiceprint.bad_audio", reason=reason)))

    def _maybe_drop(self) -> bool:
        after = int(self.number("drop_after_frames", -1))
        if after < 0:
            self.drops.key = None  # switched off: the next switch-on counts its drops afresh
            return False
        times = int(self.number("drop_times", 1))
        if self.audio_frames < after:
            return False
        if not self.drops.should_drop(after, times):
            return False
        self.drops.done += 1
        log.info("fault: dropping the connection after %d audio frames", self.audio_frames)
        transport = self.request.transport
        if transport is not None:
            transport.abort()  # no close frame, no FIN handshake: as a dead network looks
        self.session = None
        return True

    async def _stop(self, kind: str) -> None:
        stop_type = _KINDS[kind][2]
        session = self.session
        if self.fault("never_reply", False):
            self.session = None  # swallowed whole: not processed, not answered
            return
        if session is None or session.kind != kind:
            await self._answer(stop_type, Outcome(BAD_AUDIO, self._no_session(kind)))
            return
        self.session = None
        started = time.perf_counter()
        if session.name_error is not None:
            outcome = Outcome(BAD_AUDIO, session.name_error)
        else:
            outcome = await self._decide(session)
        await self._answer(stop_type, outcome)
        # Stop received -> answer sent: the server's share of the client's stop-to-result time.
        self.cfg.record(f"voiceprint.{kind}_stop_ms", (time.perf_counter() - started) * 1000)

    async def _decide(self, session: Session) -> Outcome:
        pcm = np.frombuffer(bytes(session.audio), dtype="<i2").astype(np.int16)
        loop = asyncio.get_running_loop()
        try:
            if session.kind == "train":
                minimum = self.number("min_enrol_speech_s", 3.0)
                return await loop.run_in_executor(self.executor, self.backend.enrol, session.name, pcm, minimum)
            minimum = self.number("min_verify_speech_s", 1.0)
            return await loop.run_in_executor(
                self.executor, self.backend.verify, session.name, pcm, minimum, self.cfg.threshold
            )
        except Exception as exc:  # a full disk, a broken switch value: answer, keep serving
            log.exception("voiceprint %s of %r failed", session.kind, session.name)
            return Outcome(ENGINE_ERROR, i18n.tr("sandbox.voiceprint.internal", reason=type(exc).__name__))

    async def _answer(self, stop_type: str, outcome: Outcome) -> None:
        delay = self.number("reply_delay_s", 0.0)
        if delay > 0:
            await asyncio.sleep(delay)
        scripted = self.fault("reply_text")
        if isinstance(scripted, str):  # a hostile answer, verbatim, for end-to-end tests
            await self._send(scripted)
        elif self.fault("garbage", False):
            await self._send(GARBAGE)
        else:
            await self._send(m.reply(stop_type, outcome.status, outcome.data))
