"""The receiver for the voice-call platform's callbacks: call-status events and bills.

An aiohttp server on ``/status``, ``/fee`` and ``/`` (either kind; the ``eventType`` decides).
Each push is stored before we answer 200: the platform stops re-pushing once it sees 200, so
answering first and storing after could lose a bill if we crashed in between. Storing is one
short SQLite transaction, which keeps the answer quick. When the app secret is known, the
platform's signature (PROTOCOLS §3) is checked and forged, stale or replayed pushes get 401 and
are recorded. Fields we do not know are kept in the stored payload, missing ones are tolerated.
"""

from __future__ import annotations

import hashlib
import json
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
from desktop.errors import ConnectionFailure
from desktop.services import aksk
from desktop.store.calls import CallStore, Rejection

log = logging.getLogger(__name__)

MAX_BODY = 256 * 1024  # 50 bill records of ~1.5 kB each fit many times over
STATUS_EVENTS = ("callout", "alerting", "answer", "collectInfo", "disconnect")
OK_BODY = {"resultcode": "0", "resultdesc": "Success"}

i18n.register(
    {
        "callbacks.cannot_listen": {
            "en": "Cannot listen for callbacks on {host}:{port} ({reason}). Choose another "
            "voicecall.callback_port (0 picks a free one) or stop what uses it.",
            "zh": "无法在 {host}:{port} 上监听回调（{reason}）。请换一个 voicecall.callback_port"
            "（0 表示自动选择空闲端口）或停止占用它的程序。",
        },
    }
)


@dataclass(frozen=True)
class CallbackEvent:
    """One stored push, or one refused (``kind`` ``rejected``), for a live timeline."""

    kind: str  # "status" | "fee" | "rejected"
    event_type: str  # callout/alerting/answer/collectInfo/disconnect/fee, or the refusal reason
    session_id: str
    data: dict[str, Any] = field(default_factory=dict)
    received_at: float = field(default_factory=time.time)


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
        self._nonces = _NonceCache(window_s)
        self.stats = {"stored": 0, "duplicates": 0, "rejected": 0}

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
        if self.app_secret:
            refused = self._check_signature(request)
            if refused is not None:
                return refused
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return self._reject(request, 413, "too_large", "body over the cap", b"")
        try:
            doc = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self._reject(request, 400, "not_json", "body is not JSON", body)
        if not isinstance(doc, dict) or not isinstance(doc.get("eventType"), str) or not doc["eventType"]:
            return self._reject(request, 400, "not_event", "no eventType", body)
        event_type = doc["eventType"]
        if event_type == "fee":
            records = doc.get("feeLst")
            if not isinstance(records, list):
                return self._reject(request, 400, "not_event", "fee push without a feeLst list", body)
            self._store_bills([r for r in records if isinstance(r, dict)])
        else:
            info = doc.get("statusInfo")
            self._store_status(event_type, info if isinstance(info, dict) else {})
        if request.path not in ("/", _expected_path(event_type)):
            # Still stored: losing a bill is worse than a misconfigured URL, but say so in the log.
            log.warning("a %s callback arrived on %s", event_type, request.path)
        return web.json_response(OK_BODY)

    def _check_signature(self, request: web.Request) -> web.Response | None:
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
        if check.ok and token is not None and self._nonces.seen_before(token.nonce, time.time()):
            check = aksk.CallbackCheck(False, "replayed", "this Nonce was already used", token)
        if check.ok:
            return None
        return self._reject(request, 401, check.reason, check.detail, b"", token)

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

    def _store_status(self, event_type: str, info: dict[str, Any]) -> None:
        if event_type not in STATUS_EVENTS:
            log.info("storing an unknown callback event type %r", event_type)
        if self.store.add_status(event_type, info):
            self.stats["stored"] += 1
            self._notify(CallbackEvent("status", event_type, str(info.get("sessionId") or ""), info))
        else:
            self.stats["duplicates"] += 1

    def _store_bills(self, records: list[dict[str, Any]]) -> None:
        for rec, new in zip(records, self.store.add_bills(records), strict=True):
            if new:
                self.stats["stored"] += 1
                self._notify(CallbackEvent("fee", "fee", str(rec.get("sessionId") or ""), rec))
            else:
                self.stats["duplicates"] += 1

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
    ) -> CallbackServer:
        receiver = CallbackReceiver(
            store,
            app_key=settings.app_key,
            app_secret=settings.app_secret,
            created_zone=settings.created_zone,
            push_urls=[settings.status_url, settings.fee_url],
            observer=observer,
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
