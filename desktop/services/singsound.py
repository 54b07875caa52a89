"""SingSound (先声) warrant client: the merchant-server half of the assessment authorisation.

The seed (PROTOCOLS.md §4) is the source: a form POST to ``/auth/authorize`` with ``appid``,
a 10-digit ``timestamp``, ``user_id``, ``user_client_ip``, ``request_sign`` and the unsigned
``warrant_available``; the reply carries ``warrant_id`` and ``expire_at`` (the wire format and
the signature live in ``singsound_wire``, re-exported here). This client tries the configured
gateways in order, caches each user's warrant until shortly before it expires, and lets
concurrent requests for one user share one upstream call, so a classroom of devices asking at
once costs SingSound one request per pupil.

The app secret stays in this object: it is never logged, never put in an exception, and any
server message that echoes it is scrubbed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import requests

from desktop import i18n
from desktop.errors import ConfigError, ConnectionFailure, ProtocolFailure
from desktop.services.singsound_errors import FAILOVER_CODES, error_for, explain
from desktop.services.singsound_wire import (
    DEFAULT_LIFETIME_S,
    MAX_REPLY_BYTES,
    build_form,
    check_client_ip,
    check_lifetime,
    check_user_id,
    parse_reply,
    parse_warrant,
    request_sign,
    unix_timestamp,
)

if TYPE_CHECKING:
    from desktop.config import SingsoundSettings

__all__ = [
    "Attempt",
    "Warrant",
    "WarrantClient",
    "check_client_ip",
    "check_lifetime",
    "check_user_id",
    "request_sign",
    "unix_timestamp",
]

log = logging.getLogger(__name__)

CACHE_LIMIT = 10_000

i18n.register(
    {
        "singsound.no_appid": {
            "en": "No SingSound appid is configured: set singsound.appid in the profile or $VPW_SINGSOUND_APPID.",
            "zh": "未配置先声 appid：请在配置中设置 singsound.appid 或 $VPW_SINGSOUND_APPID。",
        },
        "singsound.no_secret": {
            "en": "No SingSound app secret is configured: store it in the keyring or give $VPW_SINGSOUND_APP_SECRET.",
            "zh": "未配置先声 app_secret：请存入钥匙串或通过 $VPW_SINGSOUND_APP_SECRET 提供。",
        },
        "singsound.no_urls": {
            "en": "No SingSound gateway is configured (singsound.urls / $VPW_SINGSOUND_URLS).",
            "zh": "未配置先声网关地址（singsound.urls / $VPW_SINGSOUND_URLS）。",
        },
        "singsound.timeout": {
            "en": "{gateway} did not answer within {seconds:g} s",
            "zh": "{gateway} 在 {seconds:g} 秒内未应答",
        },
        "singsound.unreachable": {
            "en": "{gateway} could not be reached ({reason})",
            "zh": "无法连接 {gateway}（{reason}）",
        },
        "singsound.code_skipped": {
            "en": "{gateway} answered {code}: {explanation}",
            "zh": "{gateway} 返回 {code}：{explanation}",
        },
        "singsound.http_5xx": {"en": "{gateway} answered HTTP {status}", "zh": "{gateway} 返回 HTTP {status}"},
        "singsound.http_error": {
            "en": "SingSound gateway {gateway} answered HTTP {status}. Not retried on another gateway: "
            "the same request would be refused there too.",
            "zh": "先声网关 {gateway} 返回 HTTP {status}。未换用其他网关：同样的请求在那里也会被拒绝。",
        },
        "singsound.redirect": {
            "en": "SingSound gateway {gateway} redirects to {location}; put that address in singsound.urls.",
            "zh": "先声网关 {gateway} 重定向到 {location}；请把该地址写入 singsound.urls。",
        },
        "singsound.all_failed": {
            "en": "No SingSound gateway issued a warrant: {attempts}",
            "zh": "没有任何先声网关签发授权：{attempts}",
        },
        "singsound.wait_timeout": {
            "en": "Gave up waiting for another request's warrant for user {user_id}.",
            "zh": "等待同一用户 {user_id} 的另一请求的授权结果超时。",
        },
    }
)


@dataclass(frozen=True)
class Attempt:
    """A gateway that was tried and skipped, with the reason in the operator's language."""

    gateway: str
    reason: str
    code: str | None = None  # the business code, when the gateway answered one


@dataclass(frozen=True)
class Warrant:
    warrant_id: str
    expire_at: int  # SingSound's clock, Unix seconds
    user_id: str
    gateway: str  # the URL that issued it
    skipped: tuple[Attempt, ...] = ()  # gateways tried before it, and why they were passed over
    source: str = "upstream"  # upstream | cache | shared (joined another caller's in-flight request)
    refresh_at: float = field(default=0.0, compare=False)  # local clock: stop handing it out after this

    def seconds_left(self, now: float | None = None) -> int:
        return max(0, self.expire_at - int(time.time() if now is None else now))


class _Flight:
    """One upstream call that several callers wait on."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Warrant | None = None
        self.error: BaseException | None = None


class WarrantClient:
    """Thread-safe: one instance serves every request of the merchant warrant service."""

    def __init__(
        self,
        urls: list[str],
        appid: str,
        app_secret: str,
        *,
        timeout_s: float = 5.0,
        ca_bundle: str = "",
        refresh_margin_s: float = 60.0,
        clock: Callable[[], float] = time.time,
        session_factory: Callable[[], Any] = requests.Session,
    ) -> None:
        if not urls:
            raise ConfigError(i18n.tr("singsound.no_urls"))
        if not appid:
            raise ConfigError(i18n.tr("singsound.no_appid"))
        if not app_secret:
            raise ConfigError(i18n.tr("singsound.no_secret"))
        self.urls = list(urls)
        self.appid = appid
        self.__secret = app_secret
        self.timeout_s = float(timeout_s)
        # TLS is always verified; a CA bundle only adds trust (a private CA, a corporate proxy).
        self._verify: bool | str = ca_bundle or True
        self.refresh_margin_s = refresh_margin_s
        self._clock = clock
        self._session_factory = session_factory
        self._local = threading.local()
        self._sessions: list[Any] = []
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], Warrant] = {}
        self._inflight: dict[tuple[str, str], _Flight] = {}
        self.upstream_calls = 0  # HTTP requests sent, over all gateways

    @classmethod
    def from_settings(cls, s: SingsoundSettings, **kwargs: Any) -> WarrantClient:
        return cls(s.urls, s.appid, s.app_secret, timeout_s=s.timeout_s, ca_bundle=s.ca_bundle, **kwargs)

    def __repr__(self) -> str:  # the default would be harmless, but say so explicitly: no secret here
        return f"WarrantClient(appid={self.appid!r}, gateways={len(self.urls)})"

    def scrub(self, text: str) -> str:
        """``text`` with the app secret masked, for anything that may have echoed it."""
        return text.replace(self.__secret, "********") if self.__secret else text

    # -- the cache and the single flight ------------------------------------------------------

    def get_warrant(
        self, user_id: str, client_ip: str, lifetime: int | str | None = None, *, use_cache: bool = True
    ) -> Warrant:
        """A warrant for ``user_id``: the cached one while it is fresh, else one from SingSound.

        Concurrent callers for the same user share one upstream call (and its error)."""
        user_id = check_user_id(user_id)
        client_ip = check_client_ip(client_ip)
        life = DEFAULT_LIFETIME_S if lifetime is None else check_lifetime(lifetime)
        key = (self.appid, user_id)
        with self._lock:
            cached = self._cache.get(key)
            if use_cache and cached is not None and self._clock() < cached.refresh_at:
                return replace(cached, source="cache", skipped=())
            flight = self._inflight.get(key)
            leader = flight is None
            if flight is None:
                flight = self._inflight[key] = _Flight()
        if not leader:
            return self._follow(flight, user_id)
        try:
            warrant = self._call(user_id, client_ip, life)
            flight.result = warrant
            with self._lock:
                self._store(key, warrant)
            return warrant
        except BaseException as exc:
            flight.error = exc
            raise
        finally:
            with self._lock:
                self._inflight.pop(key, None)
            flight.done.set()

    def _follow(self, flight: _Flight, user_id: str) -> Warrant:
        # The leader gives up after every gateway has timed out; wait a little longer than that.
        if not flight.done.wait(self.timeout_s * 2 * len(self.urls) + 5):
            raise ConnectionFailure(i18n.tr("singsound.wait_timeout", user_id=user_id))
        if flight.error is not None:
            raise flight.error
        assert flight.result is not None
        return replace(flight.result, source="shared")

    def _store(self, key: tuple[str, str], warrant: Warrant) -> None:
        self._cache[key] = warrant
        if len(self._cache) > CACHE_LIMIT:
            now = self._clock()
            for k in [k for k, w in self._cache.items() if w.refresh_at <= now]:
                del self._cache[k]
            while len(self._cache) > CACHE_LIMIT:  # oldest insertions first
                del self._cache[next(iter(self._cache))]

    def invalidate(self, user_id: str | None = None) -> None:
        """Forget one user's cached warrant (e.g. a device reported 41030), or all of them."""
        with self._lock:
            if user_id is None:
                self._cache.clear()
            else:
                self._cache.pop((self.appid, user_id), None)

    # -- one authorisation over the gateways --------------------------------------------------

    def _session(self) -> Any:
        # requests.Session is not documented as thread-safe: one per thread, closed together.
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._session_factory()
            with self._lock:
                self._sessions.append(session)
        return session

    def _call(self, user_id: str, client_ip: str, lifetime: int) -> Warrant:
        sent_at = self._clock()
        ts = unix_timestamp(sent_at)
        form = build_form(self.appid, self.__secret, ts, user_id, client_ip, lifetime)
        skipped: list[Attempt] = []
        for url in self.urls:
            reply = self._post(url, form, skipped)
            if reply is None:
                continue
            code, message, data = reply
            if code == 0:
                warrant = self._warrant(url, data, user_id, int(ts), sent_at, tuple(skipped))
                log.info(
                    "singsound warrant for user %s from %s (%d gateway(s) skipped, expires %d)",
                    user_id,
                    url,
                    len(skipped),
                    warrant.expire_at,
                )
                return warrant
            if code in FAILOVER_CODES:
                log.warning("singsound gateway %s answered code %s; trying the next one", url, code)
                reason = i18n.tr("singsound.code_skipped", gateway=url, code=code, explanation=explain(code))
                skipped.append(Attempt(url, reason, str(code)))
                continue
            log.warning("singsound gateway %s refused user %s with code %s", url, user_id, code)
            raise error_for(code, self.scrub(message), url)
        raise ConnectionFailure(
            i18n.tr("singsound.all_failed", attempts="; ".join(a.reason for a in skipped)),
            code=skipped[-1].code if skipped else None,
        )

    def _post(self, url: str, form: dict[str, str], skipped: list[Attempt]) -> tuple[int, str, Any] | None:
        """POST to one gateway: the parsed reply, or None (after noting why) to try the next."""
        self.upstream_calls += 1
        try:
            resp = self._session().post(
                url, data=form, timeout=self.timeout_s, verify=self._verify, allow_redirects=False, stream=True
            )
            try:
                body = _read_capped(resp)
            finally:
                resp.close()
        except requests.Timeout:
            log.warning("singsound gateway %s timed out after %.1f s", url, self.timeout_s)
            skipped.append(Attempt(url, i18n.tr("singsound.timeout", gateway=url, seconds=self.timeout_s)))
            return None
        except requests.RequestException as exc:
            # Connection refused or dropped, TLS failure, unresolvable host, malformed URL: all
            # specific to this gateway, so the next one deserves a try.
            reason = _short_reason(exc)
            log.warning("singsound gateway %s unreachable: %s", url, reason)
            skipped.append(Attempt(url, i18n.tr("singsound.unreachable", gateway=url, reason=reason)))
            return None
        status = resp.status_code
        if status >= 500:
            log.warning("singsound gateway %s answered HTTP %d", url, status)
            skipped.append(Attempt(url, i18n.tr("singsound.http_5xx", gateway=url, status=status)))
            return None
        if 300 <= status < 400:
            location = resp.headers.get("Location", "?")
            raise ProtocolFailure(i18n.tr("singsound.redirect", gateway=url, location=location))
        if status != 200:
            raise ProtocolFailure(i18n.tr("singsound.http_error", gateway=url, status=status), code=str(status))
        return parse_reply(url, body)

    def _warrant(
        self, url: str, data: Any, user_id: str, ts: int, sent_at: float, skipped: tuple[Attempt, ...]
    ) -> Warrant:
        warrant_id, expire_at, lifetime = parse_warrant(url, data, ts)
        # Hand it out until shortly before it dies on the local clock; short warrants keep 90 %.
        margin = min(self.refresh_margin_s, lifetime * 0.1)
        return Warrant(
            warrant_id=warrant_id,
            expire_at=expire_at,
            user_id=user_id,
            gateway=url,
            skipped=skipped,
            refresh_at=sent_at + lifetime - margin,
        )

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for s in sessions:
            s.close()


def _read_capped(resp: Any) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_content(8192):
        size += len(chunk)
        if size > MAX_REPLY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _short_reason(exc: BaseException) -> str:
    text = str(exc).lower()
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS failure: certificate not trusted or handshake refused"
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema)):
        return "malformed URL"
    if "refused" in text:
        return "connection refused"
    if "name or service" in text or "getaddrinfo" in text or "nodename" in text or "resolve" in text:
        return "host name not found"
    if "aborted" in text or "reset" in text or "disconnected" in text or "closed" in text:
        return "connection dropped"
    return type(exc).__name__
