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

from desktop import i18n
from desktop.config import VoiceprintSettings
from desktop.errors import AuthFailure, ConnectionFailure, InputError, ProtocolFailure, VpwError
from desktop.services.voiceprint_result import SessionResult, parse_candidates

log = logging.getLogger(__name__)

i18n.register(
    {
        "voiceprint.handshake_refused": {
            "en": "The voiceprint gateway refused the connection (HTTP {status}): {reason}",
            "zh": "声纹网关拒绝了连接（HTTP {status}）：{reason}",
        },
        "voiceprint.bad_appcode": {
            "en": "The AppCode was refused; check the profile's voiceprint AppCode",
            "zh": "AppCode 被拒绝；请检查配置中的声纹 AppCode",
        },
        "voiceprint.not_authorised": {
            "en": "This app is not authorised for the voiceprint API",
            "zh": "该应用未获授权调用声纹 API",
        },
        "voiceprint.throttled": {
            "en": "Too many requests: the gateway is throttling; try again shortly",
            "zh": "请求过多，网关已限流；请稍后再试",
        },
        "voiceprint.unreachable": {
            "en": "Cannot reach the voiceprint service at {url}: {reason}",
            "zh": "无法连接声纹服务 {url}：{reason}",
        },
        "voiceprint.tls": {
            "en": "The voiceprint service's TLS certificate could not be verified: {reason}",
            "zh": "无法验证声纹服务的 TLS 证书：{reason}",
        },
        "voiceprint.lost": {
            "en": "The connection to the voiceprint service broke and could not be restored after {attempts} attempts",
            "zh": "与声纹服务的连接中断，尝试 {attempts} 次后仍无法恢复",
        },
        "voiceprint.timeout": {
            "en": "The voiceprint service did not answer within {seconds:g} s",
            "zh": "声纹服务在 {seconds:g} 秒内没有应答",
        },
        "voiceprint.bad_url": {
            "en": "The voiceprint URL must start with wss:// (or ws:// for a local sandbox): {url}",
            "zh": "声纹服务地址须以 wss:// 开头（本地沙箱可用 ws://）：{url}",
        },
        "voiceprint.empty_user": {
            "en": "Type the speaker's name first: 1 to 64 characters, for example Li Na.",
            "zh": "请先输入说话人的名字：1 到 64 个字符，例如 李娜。",
        },
        "voiceprint.long_user": {
            "en": "This name has {length} characters; at most 64 are allowed. Shorten it yourself: nothing was cut.",
            "zh": "这个名字有 {length} 个字符，最多允许 64 个。请自行缩短：系统没有截断任何字符。",
        },
        "voiceprint.user_chars": {
            "en": "A name cannot contain ';', '=' or control characters (such as a tab or line break); "
            "letters, digits, spaces and Chinese characters are fine.",
            "zh": "名字不能包含“;”、“=”或控制字符（例如制表符、换行）；字母、数字、空格和汉字都可以。",
        },
        "voiceprint.no_audio": {"en": "No audio was recorded or read", "zh": "没有录到或读到音频"},
        "voiceprint.session_closed": {
            "en": "This session has already finished",
            "zh": "本次会话已结束",
        },
    }
)

_APIG_MESSAGES = {
    "APIG.0303": "voiceprint.bad_appcode",
    "APIG.0304": "voiceprint.not_authorised",
    "APIG.0308": "voiceprint.throttled",
}

STOP_REPLY = {"enrol": "stop_train", "verify": "stop_recognize"}
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
    return name


def _handshake_error(exc: websocket.WebSocketBadStatusException) -> VpwError:
    status = exc.status_code
    body = exc.resp_body.decode("utf-8", "replace") if isinstance(exc.resp_body, bytes) else str(exc.resp_body or "")
    code: str | None = None
    reason = body.strip()[:200] or str(status)
    try:
        payload = json.loads(body)
        code = payload.get("error_code")
        reason = payload.get("error_msg") or reason
    except (ValueError, AttributeError):
        pass
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
            text = data.decode("utf-8", "replace")
            try:
                message = json.loads(text)
            except ValueError:
                message = None
            if not isinstance(message, dict):
                replies.put(text)  # garbage: the waiting session shows it raw
                continue
            kind = message.get("type")
            if kind in ("pong", "ping", "client"):
                continue
            if kind in STOP_REPLY.values() or kind == "error":
                replies.put(message)
                continue
            log.info("ignoring an unknown voiceprint message type %r", kind)
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
    def _audio_type(self) -> str:
        return "training" if self.kind == "enrol" else "recognizing"

    def _start_message(self) -> dict[str, Any]:
        return {"type": "start_train" if self.kind == "enrol" else "recognize_name", "data": self.user}

    def _stop_message(self) -> dict[str, Any]:
        return {"type": "stop_train"} if self.kind == "enrol" else {"type": "stop_recognize", "data": "stop"}

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
        expected = STOP_REPLY[self.kind]
        while True:
            self._with_replay(lambda: self.client._send(self._stop_message()), replay_covers_it=False)
            replies = self.client._replies  # after the send: a replay inside it renews the queue
            sent_at = time.monotonic()
            deadline = sent_at + timeout
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ProtocolFailure(i18n.tr("voiceprint.timeout", seconds=timeout), code="timeout")
                try:
                    reply = replies.get(timeout=remaining)
                except queue.Empty:
                    continue
                if reply is _CLOSED:
                    break  # dropped while the server worked: replay the session, ask again
                if isinstance(reply, str):
                    return self._result(None, reply, time.monotonic() - sent_at)
                if reply.get("type") == "error":
                    log.warning("voiceprint service reported an error: %s", reply.get("data"))
                    continue
                if reply.get("type") == expected:
                    return self._result(reply, json.dumps(reply, ensure_ascii=False), time.monotonic() - sent_at)
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
        try:
            result.status = int(reply["status"])
        except (KeyError, TypeError, ValueError):
            result.status = None
        result.voice_accepted = result.status == 200
        data = reply.get("data")
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
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
