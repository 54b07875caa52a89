"""The receiver for the voice-call platform's callbacks: call-status events and bills.

An aiohttp server on ``/status``, ``/fee`` and ``/`` (either kind; the ``eventType`` decides).
Each push is stored before we answer 200: the platform stops re-pushing once it sees 200, so
answering first and storing after could lose a bill if we crashed in between. Storing is one
short SQLite transaction, which keeps the answer quick.

Two modes (``voicecall.callback_mode``, ``vpw callbacks --strict``), because Huawei documents the
callback signature in conflicting versions and a push we refuse is lost (status pushes are never
re-sent, bills six times):
- ``record`` (default): every push is stored and answered 200, with a signature mark
  (``desktop.store.calls.MARKS``): verified / stale / replayed / unverified / bad signature.
  A body that is not a readable JSON event is kept raw (``call_unparsed_pushes``) and answered 200.
- ``strict``: unsigned, forged, stale and replayed pushes get 401 and unreadable bodies 400, as
  recorded refusals; nothing of theirs is stored. Strict mode needs the app secret.
Bodies over ``max_body`` get 413 in both modes (nothing the platform sends comes near the cap).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from desktop import i18n
from desktop.aiothread import AppThread, ListenError
from desktop.config import VoicecallSettings
from desktop.errors import ConfigError, ConnectionFailure
from desktop.services import aksk
from desktop.services.callback_body import Push, Unparseable, parse_push
from desktop.store.calls import (
    BAD_SIGNATURE,
    REPLAYED,
    STALE,
    UNVERIFIED,
    VERIFIED,
    CallStore,
    Mark,
    Rejection,
)

log = logging.getLogger(__name__)

MAX_BODY = 256 * 1024  # 50 bill records of ~1.5 kB each fit many times over
STATUS_EVENTS = ("callout", "alerting", "answer", "collectInfo", "disconnect")
OK_BODY = {"resultcode": "0", "resultdesc": "Success"}
MODES = ("record", "strict")
# A Created read on the other documented clock is 8 h off: a nonce must be remembered that long.
ZONE_SPREAD_S = 8 * 3600

i18n.register(
    {
        "callbacks.cannot_listen": {
            "en": "Cannot listen for callbacks on {host}:{port} ({reason}). Choose another "
            "voicecall.callback_port (0 picks a free one) or stop what uses it.",
            "zh": "无法在 {host}:{port} 上监听回调（{reason}）。请换一个 voicecall.callback_port"
            "（0 表示自动选择空闲端口）或停止占用它的程序。",
        },
        "callbacks.bad_mode": {
            "en": "Setting 'voicecall.callback_mode' must be record or strict, not {value!r}",
            "zh": "设置“voicecall.callback_mode”应为 record 或 strict，而不是 {value!r}",
        },
        "callbacks.strict_needs_secret": {
            "en": "Strict callback mode refuses every push it cannot verify, and without "
            "voicecall.app_secret it can verify none. Set the app secret or use record mode.",
            "zh": "严格回调模式会拒绝所有无法校验的推送，而没有 voicecall.app_secret 就无法校验任何推送。"
            "请设置 app_secret，或使用 record 模式。",
        },
    }
)


@dataclass(frozen=True)
class CallbackEvent:
    """One stored push, one kept raw (``unparsed``), or one refused (``rejected``), for a live view."""

    kind: str  # "status" | "fee" | "unparsed" | "rejected"
    event_type: str  # callout/alerting/answer/collectInfo/disconnect/fee, or the unparsed/refusal reason
    session_id: str
    data: dict[str, Any] = field(default_factory=dict)
    received_at: float = field(default_factory=time.time)
    signature: str = ""  # a desktop.store.calls mark ("" for refusals)
    signature_detail: str = ""


Observer = Callable[[CallbackEvent], None]


class _NonceCache:
    """Nonces seen inside the freshness window: a replayed push is refused, not re-stored."""

    def __init__(self, ttl_s: float, limit: int = 100_000) -> None:
        self.ttl_s, self.limit = ttl_s, limit
        self._seen: OrderedDict[str, float] = OrderedDict()

    def seen_before(self, nonce: str, now: float) -> bool:
        while self._seen and (next(iter(self._seen.values())) < now or len(self._seen) > self.limit):
            self._seen.popitem(last=False)
        if nonce in self._seen:
            return True
        # A nonce must outlive the window on both sides of "now" to catch every replay.
        self._seen[nonce] = now + 2 * self.ttl_s
        return False


@dataclass(frozen=True)
class _Signature:
    mark: Mark
    reason: str = ""  # the refusal key strict mode records ("" when verified)
    token: aksk.UsernameToken | None = None


def parse_mode(value: str) -> bool:
    """``record`` → False, ``strict`` → True; anything else is a ``ConfigError``."""
    mode = (value or "record").strip().lower()
    if mode not in MODES:
        raise ConfigError(i18n.tr("callbacks.bad_mode", value=value))
    return mode == "strict"


class CallbackReceiver:
    """HTTP handling, independent of how the server is run (thread, CLI, tests' own loop)."""

    def __init__(
        self,
        store: CallStore,
        *,
        app_key: str = "",
        app_secret: str = "",
        created_zone: str = "UTC",
        push_urls: list[str] | None = None,
        max_body: int = MAX_BODY,
        window_s: float = aksk.DEFAULT_WINDOW_S,
        observer: Observer | None = None,
        clock: Callable[[], datetime] | None = None,
        strict: bool = False,
    ) -> None:
        self.store = store
        self.app_key = app_key
        self.app_secret = app_secret
        self.zone = aksk.parse_zone(created_zone)
        self.push_urls = [u for u in (push_urls or []) if u]
        self.max_body = max_body
        self.window_s = window_s
        self.observer = observer
        self.clock = clock or (lambda: datetime.now(UTC))
        self.strict = strict
        self._nonces = _NonceCache(window_s + ZONE_SPREAD_S)
        self.stats = {"stored": 0, "duplicates": 0, "rejected": 0, "unparsed": 0}
        self.stats.update(dict.fromkeys((VERIFIED, STALE, REPLAYED, UNVERIFIED, BAD_SIGNATURE), 0))

    def build_app(self) -> web.Application:
        # aiohttp's own cap answers 413 before reading an oversized body into memory.
        app = web.Application(client_max_size=self.max_body)
        for path in ("/", "/status", "/fee"):
            app.router.add_post(path, self.handle)
        app.router.add_get("/", self._hello)
        return app

    async def _hello(self, request: web.Request) -> web.Response:
        return web.json_response({"receiver": "vpw-voicecall-callbacks", "ok": True})

    async def handle(self, request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > self.max_body:
            return self._reject(request, 413, "too_large", f"{request.content_length} bytes", b"")
        sig: _Signature | None = None
        if self.strict:  # refuse before reading a body we will not keep
            sig = self._signature(request)
            if sig.mark.signature != VERIFIED:
                return self._reject(request, 401, sig.reason, sig.mark.detail, b"", sig.token)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return self._reject(request, 413, "too_large", "body over the cap", b"")
        sig = sig or self._signature(request)
        try:
            push = parse_push(body)
        except Unparseable as exc:
            if self.strict:
                return self._reject(request, 400, exc.reason, exc.detail, body)
            return self._saved(request, functools.partial(self._keep_unparsed, request, body, exc, sig.mark))
        if push.notes or push.skipped:
            log.info("callback on %s repaired: %s (%d records skipped)", request.path, push.notes, push.skipped)
        stored = self._saved(request, functools.partial(self._store, push, sig.mark))
        if stored.status != 200:
            return stored
        if request.path not in ("/", _expected_path(push.event_type)):
            # Still stored: losing a bill is worse than a misconfigured URL, but say so in the log.
            log.warning("a %s callback arrived on %s", push.event_type, request.path)
        return web.json_response(OK_BODY)

    def _saved(self, request: web.Request, store: Callable[[], None]) -> web.Response:
        """Answer 200 only once the push is committed; if the database fails (full disk, locked
        file), answer 500 so that the platform pushes it again rather than think it delivered."""
        try:
            store()
        except Exception:
            log.exception("could not store a callback on %s; answering 500 so it is pushed again", request.path)
            return web.json_response({"resultcode": "500", "resultdesc": "not stored"}, status=500)
        return web.json_response(OK_BODY)

    def _signature(self, request: web.Request) -> _Signature:
        """The push's mark: checked against every documented variant when we hold the secret."""
        if not self.app_secret:
            return _Signature(Mark(UNVERIFIED, "no app secret in this profile"), "no_secret")
        own = f"{request.scheme}://{request.host}{request.path_qs}"
        check = aksk.check_callback(
            request.headers.get("Authorization"),
            request.headers.get("X-AKSK"),
            app_key=self.app_key,
            app_secret=self.app_secret,
            push_urls=[*self.push_urls, own],
            zone=self.zone,
            now=self.clock(),
            window_s=self.window_s,
        )
        token = check.token
        if check.ok and token is not None:
            if self._nonces.seen_before(token.nonce, time.time()):
                return _Signature(Mark(REPLAYED, "this Nonce was already used"), "replayed", token)
            detail = "; ".join(t for t in (check.variant, check.detail) if t)
            return _Signature(Mark(VERIFIED, detail), "", token)
        if check.reason == "missing":
            return _Signature(Mark(UNVERIFIED, check.detail), "missing", token)
        if check.reason == "stale":
            return _Signature(Mark(STALE, check.detail), "stale", token)
        return _Signature(Mark(BAD_SIGNATURE, f"{check.reason}: {check.detail}"), check.reason, token)

    def _reject(
        self,
        request: web.Request,
        status: int,
        reason: str,
        detail: str,
        body: bytes,
        token: aksk.UsernameToken | None = None,
    ) -> web.Response:
        rejection = Rejection(
            remote=request.remote or "",
            path=request.path,
            status=status,
            reason=reason,
            detail=detail,
            username=token.username if token else "",
            nonce=token.nonce if token else "",
            created=token.created if token else "",
            body_len=len(body) if body else (request.content_length or 0),
            body_sha256=hashlib.sha256(body).hexdigest() if body else "",
        )
        try:
            self.store.add_rejection(rejection)
        except Exception:  # recording is best effort; the refusal itself must still go out
            log.exception("could not record a refused callback")
        self.stats["rejected"] += 1
        log.warning("refused a callback on %s from %s: %s (%s)", request.path, request.remote, reason, detail)
        self._notify(CallbackEvent("rejected", reason, "", {"status": status, "detail": detail, "path": request.path}))
        # A forger learns nothing from a 401 (which check failed stays in our record); garbage is told why.
        desc = "Unauthorized" if status == 401 else reason
        return web.json_response({"resultcode": str(status), "resultdesc": desc}, status=status)

    def _store(self, push: Push, mark: Mark) -> None:
        if push.bills is not None:
            for rec, new in zip(push.bills, self.store.add_bills(push.bills, mark), strict=True):
                self._stored(CallbackEvent("fee", "fee", str(rec.get("sessionId") or ""), rec), mark, new)
            return
        info = push.status_info
        if push.event_type not in STATUS_EVENTS:
            log.info("storing an unknown callback event type %r", push.event_type)
        new = self.store.add_status(push.event_type, info, mark)
        self._stored(CallbackEvent("status", push.event_type, str(info.get("sessionId") or ""), info), mark, new)

    def _keep_unparsed(self, request: web.Request, body: bytes, exc: Unparseable, mark: Mark) -> None:
        new = self.store.add_unparsed(
            body,
            reason=exc.reason,
            detail=exc.detail,
            mark=mark,
            remote=request.remote or "",
            path=request.path,
            content_type=request.headers.get("Content-Type", ""),
        )
        log.warning("kept an unreadable callback on %s raw: %s (%s)", request.path, exc.reason, exc.detail)
        data = {"path": request.path, "detail": exc.detail, "bytes": len(body)}
        self._stored(CallbackEvent("unparsed", exc.reason, "", data), mark, new)

    def _stored(self, event: CallbackEvent, mark: Mark, new: bool) -> None:
        """The one place every stored push (new or re-pushed) passes through, after its commit."""
        if not new:
            self.stats["duplicates"] += 1
            return
        if event.kind == "unparsed":
            self.stats["unparsed"] += 1
        else:  # the marks break down "stored", so that the summary adds up
            self.stats["stored"] += 1
            self.stats[mark.signature] = self.stats.get(mark.signature, 0) + 1
        if mark.signature != VERIFIED:
            log.info("stored a %s push marked %s: %s", event.kind, mark.signature, mark.detail)
        self._notify(dataclasses.replace(event, signature=mark.signature, signature_detail=mark.detail))

    def _notify(self, event: CallbackEvent) -> None:
        if self.observer is None:
            return
        try:
            self.observer(event)
        except Exception:  # a broken observer (a closed window) must not fail the platform's push
            log.exception("callback observer failed")


def _expected_path(event_type: str) -> str:
    return "/fee" if event_type == "fee" else "/status"


class CallbackServer:
    """The receiver on a background thread with its own event loop.

    ``start()`` returns once the port is bound (port 0 picks a free one; ``port`` then tells it).
    ``observer`` runs on the server's thread: a GUI must hand the event to its own thread.
    """

    def __init__(self, receiver: CallbackReceiver, host: str = "127.0.0.1", port: int = 0) -> None:
        self.receiver = receiver
        self.host = host
        self._server = AppThread(receiver.build_app, host, port, name="vpw-callbacks")

    @classmethod
    def from_settings(
        cls,
        settings: VoicecallSettings,
        store: CallStore,
        *,
        observer: Observer | None = None,
        host: str | None = None,
        port: int | None = None,
        strict: bool | None = None,
    ) -> CallbackServer:
        receiver = CallbackReceiver(
            store,
            app_key=settings.app_key,
            app_secret=settings.app_secret,
            created_zone=settings.created_zone,
            push_urls=[settings.status_url, settings.fee_url],
            observer=observer,
            strict=parse_mode(settings.callback_mode) if strict is None else strict,
        )
        return cls(
            receiver, settings.callback_host if host is None else host, settings.callback_port if port is None else port
        )

    @property
    def base_url(self) -> str:
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        host = "[::1]" if host == "::" else (f"[{host}]" if ":" in host else host)
        return f"http://{host}:{self.port}"

    @property
    def status_url(self) -> str:
        return self.base_url + "/status"

    @property
    def fee_url(self) -> str:
        return self.base_url + "/fee"

    @property
    def port(self) -> int:
        return self._server.port

    def start(self, timeout: float = 10.0) -> CallbackServer:
        if self.receiver.strict and not self.receiver.app_secret:
            raise ConfigError(i18n.tr("callbacks.strict_needs_secret"))
        try:
            self._server.start(timeout)
        except ListenError as exc:
            # Our own sentence: it names the setting to change.
            message = i18n.tr("callbacks.cannot_listen", host=self.host, port=self.port, reason=exc.reason)
            raise ConnectionFailure(message) from exc
        # Signatures bind the URL the platform pushed to; our own loopback URLs are candidates too.
        self.receiver.push_urls += [self.status_url, self.fee_url, self.base_url + "/"]
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> CallbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
