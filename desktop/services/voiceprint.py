"""Client of the voiceprint WebSocket service (PROTOCOLS.md §1). The one module that knows its
message format.

A ``VoiceprintClient`` keeps one connection: ``client`` hello on connect, ``ping`` on a timer,
a reader thread that takes every incoming message (pongs and unknown types are logged and
dropped; session replies go to a queue). A ``Session`` streams one enrolment or verification:
frames are sent as they come and also kept, so that when the connection drops mid-session the
client reconnects with backoff and replays the whole session from its start (the server lost
it) — no audio is lost, and the result says it was replayed.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import queue
import random
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import websocket

from desktop import i18n, untrusted
from desktop.config import VoiceprintSettings
from desktop.errors import AuthFailure, ConfigError, ConnectionFailure, InputError, ProtocolFailure, VpwError
from desktop.services.voiceprint_messages import MESSAGES
from desktop.services.voiceprint_result import SessionResult, parse_candidates
from desktop.services.voiceprint_wire import RAW_LIMIT, SPELLINGS, STOP_REPLY, classify, message_type

log = logging.getLogger(__name__)

i18n.register(MESSAGES)

_APIG_MESSAGES = {
    "APIG.0303": "voiceprint.bad_appcode",
    "APIG.0304": "voiceprint.not_authorised",
    "APIG.0308": "voiceprint.throttled",
}

_CLOSED = object()  # queued by the reader when the socket ends


def validate_user(name: str) -> str:
    """Names travel inside the result's ``name,score=…;`` text, so ``;`` and ``=`` would corrupt it."""
    name = name.strip()
    # One sentence per problem, saying what is allowed: the operator fixes it in one go.
    if not name:
        raise InputError(i18n.tr("voiceprint.empty_user"))
    if len(name) > 64:
        raise InputError(i18n.tr("voiceprint.long_user", length=len(name)))
    if any(c in name for c in ";=") or any(ord(c) < 32 for c in name):
        raise InputError(i18n.tr("voiceprint.user_chars"))
    if not untrusted.is_utf8(name):  # undecodable bytes on a command line become lone surrogates
        raise InputError(i18n.tr("voiceprint.undecodable_user"))
    return name


def _handshake_error(exc: websocket.WebSocketBadStatusException) -> VpwError:
    status = exc.status_code
    body = exc.resp_body.decode("utf-8", "replace") if isinstance(exc.resp_body, bytes) else str(exc.resp_body or "")
    code: str | None = None
    reason = untrusted.one_line(body.strip(), 200) or str(status)
    try:
        payload = untrusted.loads(body, max_bytes=64 * 1024)
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        raw_code, raw_msg = payload.get("error_code"), payload.get("error_msg")
        code = untrusted.one_line(raw_code, 40) if isinstance(raw_code, str) and raw_code else None
        reason = untrusted.one_line(raw_msg, 200) if isinstance(raw_msg, str) and raw_msg.strip() else reason
    key = _APIG_MESSAGES.get(code or "")
    message = i18n.tr(key) if key else i18n.tr("voiceprint.handshake_refused", status=status, reason=reason)
    if status in (401, 403):
        return AuthFailure(message, code=code or f"HTTP {status}")
    return ConnectionFailure(message, code=code or f"HTTP {status}")


class VoiceprintClient:
    """One WebSocket to the voiceprint service, with heartbeat and reconnection.

    ``on_state(state)`` is called from the client's threads with ``connecting``, ``connected``,
    ``reconnecting`` or ``offline``; a UI must marshal it to its own thread.
    """

    def __init__(
        self,
        settings: VoiceprintSettings,
        *,
        on_state: Callable[[str], None] | None = None,
        max_reconnects: int = 5,
        backoff_s: float = 0.5,
        keepalive: bool = False,
    ) -> None:
        if not settings.url.startswith(("wss://", "ws://")):
            raise InputError(i18n.tr("voiceprint.bad_url", url=settings.url))
        if settings.spelling not in SPELLINGS:
            raise ConfigError(i18n.tr("voiceprint.bad_spelling", value=untrusted.one_line(settings.spelling, 40)))
        self.settings = settings
        self.on_state = on_state
        self.max_reconnects = max_reconnects
        self.backoff_s = backoff_s
        self.keepalive = keepalive  # reconnect in the background while idle (the GUI's one socket)
        self.state = "offline"
        self.last_heartbeat: float | None = None
        self._ws: websocket.WebSocket | None = None
        self._send_lock = threading.Lock()
        self._conn_lock = threading.RLock()
        self._replies: queue.Queue[Any] = queue.Queue()
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None
        self._pinger: threading.Thread | None = None
        self.last_ws_ping: float | None = None
        self._generation = 0  # bumps on every (re)connect so a stale reader's sentinel is ignored

    # -- connection --------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self.state = state
        if self.on_state is not None:
            try:
                self.on_state(state)
            except Exception:  # an observer's bug must not break the connection
                log.exception("state observer failed")

    def _sslopt(self) -> dict[str, Any]:
        opts: dict[str, Any] = {"cert_reqs": ssl.CERT_REQUIRED}
        if self.settings.ca_bundle:
            opts["ca_certs"] = self.settings.ca_bundle
        return opts

    def connect(self) -> None:
        """Open the socket and say hello; raises a typed error the operator can read."""
        with self._conn_lock:
            self._close_socket()
            self._set_state("connecting")
            try:
                ws = websocket.create_connection(
                    self.settings.url,
                    header=[f"X-Apig-AppCode: {self.settings.appcode}"],
                    timeout=min(10.0, self.settings.reply_timeout_s),
                    sslopt=self._sslopt(),
                    enable_multithread=True,
                )
            except websocket.WebSocketBadStatusException as exc:
                self._set_state("offline")
                raise _handshake_error(exc) from None
            except ssl.SSLError as exc:
                self._set_state("offline")
                raise ConnectionFailure(i18n.tr("voiceprint.tls", reason=exc.reason or exc)) from None
            except (OSError, websocket.WebSocketException) as exc:
                self._set_state("offline")
                raise ConnectionFailure(
                    i18n.tr("voiceprint.unreachable", url=self.settings.url, reason=exc or type(exc).__name__)
                ) from None
            ws.settimeout(None)  # the reader blocks; reply deadlines are kept by the queue
            self._ws = ws
            self._generation += 1
            self._replies = queue.Queue()
            threading.Thread(
                target=self._read_loop, args=(ws, self._generation, self._replies), name="vpw-ws-reader", daemon=True
            ).start()
            self._send({"type": "client", "data": self.settings.client_id})
            self._set_state("connected")
            self._ensure_heartbeat()

    def _close_socket(self) -> None:
        if self._ws is not None:
            # Closing a broken socket may fail in many ways; it is gone anyway.
            with contextlib.suppress(Exception):
                self._ws.close(timeout=1)
            self._ws = None

    def close(self) -> None:
        self._stop.set()
        with self._conn_lock:
            self._close_socket()
        self._set_state("offline")

    @property
    def connected(self) -> bool:
        return self._ws is not None and self._ws.connected

    def _send(self, message: dict[str, Any]) -> None:
        ws = self._ws
        if ws is None:
            raise websocket.WebSocketConnectionClosedException("not connected")
        text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        with self._send_lock:
            ws.send(text)

    def _read_loop(self, ws: websocket.WebSocket, generation: int, replies: queue.Queue[Any]) -> None:
        while True:
            try:
                opcode, data = ws.recv_data()
            except Exception:  # any failure here means the socket is gone
                break
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                break
            if opcode != websocket.ABNF.OPCODE_TEXT:
                log.warning("ignoring a non-text frame from the voiceprint service (opcode %s)", opcode)
                continue
            item = classify(data)
            if item is not None:
                replies.put(item)  # a string is garbage: the waiting session shows it raw
        replies.put(_CLOSED)
        # Under the connection lock: a reconnect may have finished meanwhile, and a dying reader
        # of the old socket must not report a live new one as lost.
        with self._conn_lock:
            if generation == self._generation and not self._stop.is_set():
                self._set_state("reconnecting" if self.keepalive else "offline")

    # -- heartbeat ---------------------------------------------------------------------------

    def _ensure_heartbeat(self) -> None:
        if self._heartbeat is None or not self._heartbeat.is_alive():
            self._heartbeat = threading.Thread(target=self._heartbeat_loop, name="vpw-heartbeat", daemon=True)
            self._heartbeat.start()
        if self.settings.ws_ping_s > 0 and (self._pinger is None or not self._pinger.is_alive()):
            self._pinger = threading.Thread(target=self._ws_ping_loop, name="vpw-ws-ping", daemon=True)
            self._pinger.start()

    def _ws_ping_loop(self) -> None:
        """WebSocket protocol pings besides the JSON ``ping``: API Gateway counts ping/pong frames
        as traffic, and a gateway in front of a server that ignores JSON pings still sees them."""
        while not self._stop.wait(self.settings.ws_ping_s):
            ws = self._ws
            if ws is None or not ws.connected:
                continue
            try:
                with self._send_lock:
                    ws.ping()
                self.last_ws_ping = time.time()
            except Exception:  # the reader and the JSON heartbeat notice a drop and act on it
                log.debug("WebSocket ping failed", exc_info=True)

    def _heartbeat_loop(self) -> None:
        failures = 0
        while not self._stop.wait(self.settings.heartbeat_s if failures == 0 else self._backoff(failures)):
            if self.connected:
                try:
                    self._send({"type": "ping"})
                    self.last_heartbeat = time.time()
                    failures = 0
                    continue
                except Exception:  # the reader notices the drop too
                    pass
            if not self.keepalive:
                continue
            with self._conn_lock:
                if self.connected:
                    continue
                try:
                    self._set_state("reconnecting")
                    self.connect()
                    failures = 0
                except VpwError:
                    failures += 1
                    self._set_state("reconnecting")

    def _backoff(self, attempt: int) -> float:
        # Exponential with jitter, so many clients do not come back in lockstep.
        return float(min(30.0, self.backoff_s * 2 ** (attempt - 1)) * (0.75 + random.random() / 2))

    def reconnect(self) -> None:
        """Reconnect with backoff, up to ``max_reconnects`` attempts."""
        last: VpwError | None = None
        for attempt in range(1, self.max_reconnects + 1):
            self._set_state("reconnecting")
            time.sleep(self._backoff(attempt))
            try:
                self.connect()
                return
            except AuthFailure:
                raise  # a refused AppCode will not get better by retrying
            except VpwError as exc:
                last = exc
        self._set_state("offline")
        raise ConnectionFailure(
            i18n.tr("voiceprint.lost", attempts=self.max_reconnects), code=last.code if last else None
        )

    # -- sessions ----------------------------------------------------------------------------

    def begin(self, kind: str, user: str, prompt: str | None = None) -> Session:
        return Session(self, kind, validate_user(user), prompt)

    def enroll(self, user: str, frames: Iterable[bytes], pace: bool = False) -> SessionResult:
        return self.begin("enrol", user).stream(frames, pace)

    def verify(
        self, user: str, frames: Iterable[bytes], prompt: str | None = None, pace: bool = False
    ) -> SessionResult:
        return self.begin("verify", user, prompt).stream(frames, pace)


class Session:
    """One enrolment or verification, started lazily on the first frame.

    Every frame is kept until the result arrives, so a dropped connection costs a replay,
    never audio.
    """

    def __init__(self, client: VoiceprintClient, kind: str, user: str, prompt: str | None) -> None:
        if kind not in STOP_REPLY:
            raise ValueError(kind)
        self.client = client
        self.kind = kind
        self.user = user
        self.prompt = prompt
        self.frames: list[bytes] = []
        self.started = False
        self.finished = False
        self.reconnects = 0
        self.replayed = False
        self.generation = -1  # the client's connection generation this session was sent on

    @property
    def _seed_spelling(self) -> bool:
        return self.client.settings.spelling == "seed"

    @property
    def _audio_type(self) -> str:
        if self.kind == "enrol":
            # The seed writes " training" and " stop_train" with a leading space. Documented
            # spelling by default; the profile can send the literal one for a server that
            # was built from the seed's text and compares types verbatim.
            return " training" if self._seed_spelling else "training"
        return "recognizing"

    def _start_message(self) -> dict[str, Any]:
        return {"type": "start_train" if self.kind == "enrol" else "recognize_name", "data": self.user}

    def _stop_message(self) -> dict[str, Any]:
        if self.kind == "enrol":
            return {"type": " stop_train" if self._seed_spelling else "stop_train"}
        return {"type": "stop_recognize", "data": "stop"}

    def _frame_message(self, frame: bytes) -> dict[str, Any]:
        return {"type": self._audio_type, "data": base64.b64encode(frame).decode("ascii")}

    def _ensure_connected(self) -> None:
        if not self.client.connected:
            self.client.connect()

    def _replay(self) -> None:
        """After a drop: reconnect and send the whole session again from its start."""
        if self.reconnects >= self.client.max_reconnects:
            raise ConnectionFailure(i18n.tr("voiceprint.lost", attempts=self.reconnects))
        # Still on the connection that failed (a socket does not know it is dead until used):
        # make a new one. A different generation means the keepalive already did.
        if self.client._generation == self.generation or not self.client.connected:
            self.client.reconnect()
        self.reconnects += 1
        self.replayed = True
        log.warning("voiceprint connection dropped; replaying %d frames of %s", len(self.frames), self.kind)
        self.generation = self.client._generation
        self.started = True
        self.client._send(self._start_message())
        for frame in self.frames:
            self.client._send(self._frame_message(frame))

    def _with_replay(self, action: Callable[[], None], *, replay_covers_it: bool) -> None:
        """Run ``action``; after a drop replay the session. A frame is part of the replay, so it
        is not sent again; the stop message is not, so it is."""
        pending = True
        while True:
            try:
                if self.started and self.generation != self.client._generation:
                    # Someone (the keepalive) reconnected under us: the server lost this session.
                    self._replay()
                    pending = pending and not replay_covers_it
                if pending:
                    action()
                return
            except (websocket.WebSocketException, OSError):
                self._replay_until_sent()
                pending = pending and not replay_covers_it
                if not pending:
                    return

    def _replay_until_sent(self) -> None:
        while True:
            try:
                self._replay()
                return
            except (websocket.WebSocketException, OSError):
                continue  # dropped again during the replay; _replay counts and gives up in time

    def send(self, frame: bytes) -> None:
        """Send one s16le 16 kHz mono frame (any length)."""
        if self.finished:
            raise InputError(i18n.tr("voiceprint.session_closed"))
        if not frame:
            return
        self.frames.append(frame)

        def first_or_next() -> None:
            if not self.started:
                self._ensure_connected()
                self.generation = self.client._generation
                self.client._send(self._start_message())
                self.started = True
            self.client._send(self._frame_message(frame))

        self._with_replay(first_or_next, replay_covers_it=True)

    def stream(self, frames: Iterable[bytes], pace: bool = False) -> SessionResult:
        frame_s = self.client.settings.frame_ms / 1000
        t0 = time.monotonic()
        for i, frame in enumerate(frames):
            if pace:  # a file streamed as if it were spoken: one frame per frame length
                delay = t0 + i * frame_s - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            self.send(frame)
        return self.finish()

    def finish(self) -> SessionResult:
        if self.finished:
            raise InputError(i18n.tr("voiceprint.session_closed"))
        if not self.frames:
            raise InputError(i18n.tr("voiceprint.no_audio"))
        self.finished = True
        timeout = self.client.settings.reply_timeout_s
        last_error: str | None = None
        while True:
            self._with_replay(lambda: self.client._send(self._stop_message()), replay_covers_it=False)
            replies = self.client._replies  # after the send: a replay inside it renews the queue
            sent_at = time.monotonic()
            deadline = sent_at + timeout
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    if last_error is not None:
                        message = i18n.tr("voiceprint.timeout_after_error", seconds=timeout, error=last_error)
                        raise ProtocolFailure(message, code="timeout")
                    raise ProtocolFailure(i18n.tr("voiceprint.timeout", seconds=timeout), code="timeout")
                try:
                    reply = replies.get(timeout=remaining)
                except queue.Empty:
                    continue
                if reply is _CLOSED:
                    break  # dropped while the server worked: replay the session, ask again
                if isinstance(reply, str):
                    return self._result(None, reply, time.monotonic() - sent_at)
                if message_type(reply) == "error":
                    # A notice about an earlier message (a frame past the limit, a discarded
                    # session), not the answer: the answer still follows.
                    last_error = untrusted.one_line(reply.get("data"), 300)
                    log.warning("voiceprint service reported an error: %s", last_error)
                    continue
                # The answer's type is documented nowhere: the first reply with a status is it.
                return self._result(reply, untrusted.dumps(reply)[:RAW_LIMIT], time.monotonic() - sent_at)
            self._replay_until_sent()

    def _result(self, reply: dict[str, Any] | None, raw: str, elapsed: float) -> SessionResult:
        result = SessionResult(
            kind=self.kind,
            user=self.user,
            status=None,
            voice_accepted=False,
            prompt=self.prompt,
            raw=raw,
            replayed=self.replayed,
            reconnects=self.reconnects,
            audio_s=sum(len(f) for f in self.frames) / 32000,
            stop_to_result_s=elapsed,
        )
        if reply is None:  # garbage instead of JSON: nothing was decided
            result.understood = False
            return result
        # A status is an integer or its digits; NaN, 1e999, true, 10**30 are no status at all.
        result.status = untrusted.int64(reply.get("status"))
        result.voice_accepted = result.status == 200
        data = reply.get("data")
        text = untrusted.clean_text(data if isinstance(data, str) else untrusted.dumps(data), RAW_LIMIT)
        if self.kind == "enrol":
            result.message = text
            result.understood = result.status is not None
            return result
        parsed = parse_candidates(data)
        result.candidates, result.number = parsed.candidates, parsed.number
        result.message = "" if parsed.understood else text
        # A refusal with an error text instead of candidates is still a decision the service made.
        result.understood = result.status is not None and (parsed.understood or result.status != 200)
        return result
