"""The merchant warrant service: assessment devices ask here, the app secret stays here.

The seed's flow puts the merchant's own server between the devices and SingSound. A device
``POST /warrant`` with ``Authorization: Bearer <device token>`` and its ``user_id`` (JSON or
form); the service takes the client IP from the connection (or, when configured, from a trusted
reverse proxy's header), asks ``WarrantClient`` (cached, single-flight, fail-over) and answers
only ``{"warrant_id", "expire_at"}``.

Device tokens are secrets: only their SHA-256 digests are kept, and a presented token is
compared against every digest with ``hmac.compare_digest``. Each device has a token bucket;
failed authentications are bucketed per peer address too, so guessing tokens is slow and cannot
flood the log. Nothing here logs or returns the app secret or a token.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import http_exceptions, web

from desktop import i18n
from desktop.aiothread import AppThread
from desktop.errors import ConfigError, ConnectionFailure, InputError, VpwError
from desktop.services.singsound import Warrant, WarrantClient, check_user_id

if TYPE_CHECKING:
    from desktop.config import SingsoundSettings

log = logging.getLogger(__name__)

PATH = "/warrant"
MAX_BODY = 4096
# (device, user_id, client_ip, warrant or None, error or None)
AuditHook = Callable[[str, str, str, Warrant | None, VpwError | None], None]

i18n.register(
    {
        "warrant_server.no_tokens": {
            "en": "No device tokens are configured, so no device could get a warrant: give them in "
            "$VPW_WARRANT_DEVICE_TOKENS (comma-separated, 'name:token' or 'token') or the keyring.",
            "zh": "未配置设备令牌，任何设备都无法获取授权：请通过 $VPW_WARRANT_DEVICE_TOKENS"
            "（逗号分隔，“名称:令牌”或“令牌”）或钥匙串提供。",
        },
        "warrant_server.short_token": {
            "en": "Device token '{name}' is shorter than {min} characters; use a long random token.",
            "zh": "设备令牌“{name}”短于 {min} 个字符；请使用足够长的随机令牌。",
        },
        "warrant_server.bad_rate": {
            "en": "The warrant rate limit needs a positive rate and a burst of at least 1.",
            "zh": "授权限流需要正的速率且突发量至少为 1。",
        },
        "warrant_server.unauthorised": {
            "en": "A valid device token is required (Authorization: Bearer <token>).",
            "zh": "需要有效的设备令牌（Authorization: Bearer <令牌>）。",
        },
        "warrant_server.rate_limited": {
            "en": "Too many requests from this device; retry in {seconds} s.",
            "zh": "该设备请求过于频繁；请在 {seconds} 秒后重试。",
        },
        "warrant_server.bad_body": {
            "en": "The request must carry a user_id, as a JSON object's field or a form field.",
            "zh": "请求须包含 user_id（JSON 对象字段或表单字段）。",
        },
        "warrant_server.no_client_ip": {
            "en": "The client's IP address could not be determined.",
            "zh": "无法确定客户端 IP 地址。",
        },
    }
)

MIN_TOKEN = 16


class DeviceTokens:
    """The configured device tokens, kept only as digests."""

    def __init__(self, spec: str) -> None:
        self._entries: list[tuple[str, bytes]] = []
        for i, item in enumerate(t.strip() for t in spec.split(",")):
            if not item:
                continue
            name, sep, token = item.partition(":")
            if not sep:
                name, token = f"device-{i + 1}", item
            name, token = name.strip(), token.strip()
            if len(token) < MIN_TOKEN:
                raise ConfigError(i18n.tr("warrant_server.short_token", name=name, min=MIN_TOKEN))
            self._entries.append((name, hashlib.sha256(token.encode()).digest()))
        if not self._entries:
            raise ConfigError(i18n.tr("warrant_server.no_tokens"))

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"DeviceTokens({len(self._entries)} devices)"

    def identify(self, presented: str) -> str | None:
        """The device name for ``presented``, or None. Compares against every digest so the
        time taken does not tell which entry came close."""
        digest = hashlib.sha256(presented.encode("utf-8", "replace")).digest()
        found = None
        for name, expected in self._entries:
            if hmac.compare_digest(digest, expected):
                found = name
        return found


class TokenBuckets:
    """One token bucket per key: ``burst`` requests at once, refilled at ``rate_per_s``."""

    def __init__(self, rate_per_s: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ConfigError(i18n.tr("warrant_server.bad_rate"))
        self.rate, self.burst, self._clock = rate_per_s, float(burst), clock
        self._state: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when a request may go ahead (and is counted), else the seconds until one may."""
        now = self._clock()
        with self._lock:
            tokens, last = self._state.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._state[key] = (tokens - 1, now)
                return 0.0
            self._state[key] = (tokens, now)
            if len(self._state) > 10_000:  # full buckets carry no information: forget them
                self._state = {k: v for k, v in self._state.items() if v[0] + (now - v[1]) * self.rate < self.burst}
            return (1 - tokens) / self.rate


class WarrantService:
    def __init__(
        self,
        client: WarrantClient,
        tokens: DeviceTokens,
        *,
        lifetime_s: int = 7200,
        rate_per_min: float = 30.0,
        burst: int = 10,
        trusted_proxy_header: str = "",
        audit: AuditHook | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.tokens = tokens
        self.lifetime_s = lifetime_s
        self.buckets = TokenBuckets(rate_per_min / 60.0, burst, clock)
        self.failures = TokenBuckets(rate_per_min / 60.0, burst, clock)
        self.trusted_proxy_header = trusted_proxy_header.strip()
        self.audit = audit

    @classmethod
    def from_settings(cls, s: SingsoundSettings, **kwargs: Any) -> WarrantService:
        client = WarrantClient.from_settings(s)
        return cls(
            client,
            DeviceTokens(s.device_tokens),
            lifetime_s=s.warrant_lifetime_s,
            rate_per_min=s.warrant_rate_per_min,
            burst=s.warrant_burst,
            trusted_proxy_header=s.trusted_proxy_header,
            **kwargs,
        )

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(PATH, self._handle)
        app.router.add_get("/health", _health)
        return app

    # -- request handling ----------------------------------------------------------------------

    def client_ip(self, request: web.Request) -> str | None:
        if self.trusted_proxy_header:
            value = request.headers.get(self.trusted_proxy_header, "")
            # X-Forwarded-For grows to the right; the last hop is the one our own proxy added.
            candidate = value.split(",")[-1].strip() if value else ""
            if candidate:
                try:
                    return str(ipaddress.ip_address(candidate))
                except ValueError:
                    log.warning("ignoring malformed %s header", self.trusted_proxy_header)
        return request.remote

    async def _handle(self, request: web.Request) -> web.Response:
        peer = request.remote or "?"
        auth = request.headers.get("Authorization", "")
        scheme, _, presented = auth.partition(" ")
        device = self.tokens.identify(presented.strip()) if scheme.lower() == "bearer" else None
        if device is None:
            wait = self.failures.take("peer:" + peer)
            if wait:
                return _error(429, i18n.tr("warrant_server.rate_limited", seconds=int(wait) + 1), retry=wait)
            log.warning("warrant request from %s refused: missing or unknown device token", peer)
            return _error(401, i18n.tr("warrant_server.unauthorised"), headers={"WWW-Authenticate": "Bearer"})
        wait = self.buckets.take(device)
        if wait:
            log.warning("warrant request from device %s rate-limited", device)
            return _error(429, i18n.tr("warrant_server.rate_limited", seconds=int(wait) + 1), retry=wait)
        user_id = await _user_id(request)
        client_ip = self.client_ip(request)
        if user_id is None:
            return _error(400, i18n.tr("warrant_server.bad_body"))
        if not client_ip:
            return _error(400, i18n.tr("warrant_server.no_client_ip"))
        loop = asyncio.get_running_loop()
        try:
            check_user_id(user_id)
            # The client blocks on HTTP; run it off the loop so other devices keep being served.
            warrant = await loop.run_in_executor(None, self.client.get_warrant, user_id, client_ip, self.lifetime_s)
        except VpwError as exc:
            self._audit(device, user_id, client_ip, None, exc)
            status = 400 if isinstance(exc, InputError) else 504 if isinstance(exc, ConnectionFailure) else 502
            return _error(status, self.client.scrub(str(exc)), code=exc.code)
        self._audit(device, user_id, client_ip, warrant, None)
        log.info(
            "warrant for user %s (device %s, ip %s) from %s [%s]",
            user_id,
            device,
            client_ip,
            warrant.gateway,
            warrant.source,
        )
        return web.json_response(
            {"warrant_id": warrant.warrant_id, "expire_at": warrant.expire_at},
            headers={"Cache-Control": "no-store"},
        )

    def _audit(self, device: str, user_id: str, ip: str, warrant: Warrant | None, exc: VpwError | None) -> None:
        if self.audit is None:
            return
        try:
            self.audit(device, user_id, ip, warrant, exc)
        except Exception:  # an audit failure must not cost a device its warrant
            log.exception("could not record the warrant audit entry")


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def _user_id(request: web.Request) -> str | None:
    try:
        if request.content_type == "application/json":
            body = await request.json()
            value = body.get("user_id") if isinstance(body, dict) else None
        else:
            value = (await request.post()).get("user_id")
    except (ValueError, RecursionError, http_exceptions.HttpProcessingError):  # deep JSON raises RecursionError
        return None
    return value if isinstance(value, str) and value else None


def _error(
    status: int, message: str, *, code: str | None = None, retry: float = 0.0, headers: dict[str, str] | None = None
) -> web.Response:
    body: dict[str, Any] = {"error": message}
    if code:
        body["code"] = code
    hdrs = dict(headers or {})
    if retry:
        hdrs["Retry-After"] = str(int(retry) + 1)
    hdrs["Cache-Control"] = "no-store"
    return web.json_response(body, status=status, headers=hdrs)


class WarrantServerThread:
    """The service on a background thread with its own loop; port 0 picks a free port."""

    def __init__(self, service: WarrantService, host: str = "127.0.0.1", port: int = 0) -> None:
        self.service = service
        self.host = host
        # No access log (AppThread): nothing about requests is logged except what _handle says.
        self._server = AppThread(service.build_app, host, port, name="vpw-warrant-server")

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{PATH}"

    def start(self, timeout: float = 15.0) -> WarrantServerThread:
        self._server.start(timeout)
        return self

    def stop(self) -> None:
        # The server waits for warrants still being fetched before the client closes under them.
        self._server.stop()
        self.service.client.close()

    def __enter__(self) -> WarrantServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
