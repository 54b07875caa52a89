"""The SingSound ``/auth/authorize`` wire format: the signature, the form, the reply.

One source of truth for the seed's rules (PROTOCOLS.md §4): ``request_sign`` is the lower-case
hex MD5 of the five fields ``app_secret, appid, timestamp, user_client_ip, user_id`` sorted by
name and joined as ``k=v&...`` with no URL encoding; ``warrant_available`` is sent but not signed;
the timestamp is 10-digit Unix seconds; the reply is ``{"code", "message"|"msg", "data"}``.
The transport, fail-over and cache live in ``desktop.services.singsound``.
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import Any

from desktop import i18n, untrusted
from desktop.errors import ConfigError, InputError, ProtocolFailure

DEFAULT_LIFETIME_S = 7200  # the seed's default for warrant_available
MAX_LIFETIME_S = 7 * 24 * 3600  # the seed sets no ceiling; a week keeps typos from minting year-long ids
MAX_USER_ID = 128
MAX_REPLY_BYTES = 64 * 1024  # an authorisation reply is tiny; anything bigger is not SingSound

i18n.register(
    {
        "singsound.bad_user_id": {
            "en": "The user id must be 1-{max} printable characters without spaces: {value!r}",
            "zh": "用户 ID 须为 1-{max} 个不含空白的可打印字符：{value!r}",
        },
        "singsound.bad_client_ip": {
            "en": "The client IP must be an IPv4 or IPv6 address: {value!r}",
            "zh": "客户端 IP 须为 IPv4 或 IPv6 地址：{value!r}",
        },
        "singsound.bad_lifetime": {
            "en": "The warrant lifetime must be a whole number of seconds from 1 to {max}: {value!r}",
            "zh": "授权有效期须为 1 到 {max} 之间的整数秒：{value!r}",
        },
        "singsound.bad_clock": {
            "en": "This computer's clock does not give a 10-digit Unix time ({value}); fix the clock.",
            "zh": "本机时钟给出的不是 10 位 Unix 时间（{value}）；请校正时钟。",
        },
        "singsound.garbage": {
            "en": "SingSound gateway {gateway} answered something that is not an authorisation reply ({detail}).",
            "zh": "先声网关 {gateway} 的应答不是授权结果（{detail}）。",
        },
    }
)


def request_sign(appid: str, timestamp: str | int, user_id: str, user_client_ip: str, app_secret: str) -> str:
    """The seed's ``request_sign``: the five fields sorted by name, joined as ``k=v&...`` (no URL
    encoding), lower-case hex MD5. ``warrant_available`` is deliberately not part of it."""
    params = {
        "appid": appid,
        "timestamp": str(timestamp),
        "user_id": user_id,
        "user_client_ip": user_client_ip,
        "app_secret": app_secret,
    }
    query = "&".join(f"{k}={params[k]}" for k in sorted(params))
    # MD5 is what the protocol prescribes; flagged so FIPS-mode Pythons still allow it.
    return hashlib.md5(query.encode("utf-8"), usedforsecurity=False).hexdigest()


def unix_timestamp(now: float) -> str:
    ts = str(int(now))
    if len(ts) != 10:
        raise ConfigError(i18n.tr("singsound.bad_clock", value=ts))
    return ts


def build_form(appid: str, app_secret: str, ts: str, user_id: str, client_ip: str, lifetime: int) -> dict[str, str]:
    """The form fields of one authorisation request (the secret signs it and is not among them)."""
    return {
        "appid": appid,
        "timestamp": ts,
        "user_id": user_id,
        "user_client_ip": client_ip,
        "request_sign": request_sign(appid, ts, user_id, client_ip, app_secret),
        "warrant_available": str(lifetime),
    }


def check_user_id(user_id: str) -> str:
    if not (0 < len(user_id) <= MAX_USER_ID) or not user_id.isprintable() or any(c.isspace() for c in user_id):
        raise InputError(i18n.tr("singsound.bad_user_id", max=MAX_USER_ID, value=user_id[:200]))
    return user_id


def check_client_ip(client_ip: str) -> str:
    try:
        return str(ipaddress.ip_address(client_ip.strip()))
    except ValueError:
        raise InputError(i18n.tr("singsound.bad_client_ip", value=client_ip[:100])) from None


def check_lifetime(lifetime: object) -> int:
    try:
        value = int(str(lifetime).strip()) if not isinstance(lifetime, bool) else -1
    except ValueError:
        value = -1
    if not 1 <= value <= MAX_LIFETIME_S:
        raise InputError(i18n.tr("singsound.bad_lifetime", max=MAX_LIFETIME_S, value=lifetime))
    return value


def as_int(value: Any) -> int | None:
    """An integer from a JSON number or an ASCII digit string (SingSound sends both) that fits
    64 bits, else None: not a bool, NaN, 1e999, "²" or a 40-digit number."""
    if isinstance(value, float):
        return None  # a code or a time is never written as a fraction
    return untrusted.int64(value)


def garbage(gateway: str, detail: str) -> ProtocolFailure:
    return ProtocolFailure(i18n.tr("singsound.garbage", gateway=gateway, detail=detail))


def parse_reply(gateway: str, body: bytes | None) -> tuple[int, str, Any]:
    """``(code, message, data)`` of a reply body (None = it was too large to be one)."""
    if body is None:
        raise garbage(gateway, f"more than {MAX_REPLY_BYTES} bytes")
    try:
        doc = untrusted.loads(body, max_bytes=MAX_REPLY_BYTES)
    except untrusted.UntrustedJSONError as exc:
        raise garbage(gateway, exc.reason) from None
    if not isinstance(doc, dict):
        raise garbage(gateway, "not a JSON object")
    code = as_int(doc.get("code"))
    if code is None:
        raise garbage(gateway, "no numeric code")
    # The seed's table calls it ``msg``, its example reply ``message``: accept either.
    message = doc.get("message", doc.get("msg", ""))
    return code, untrusted.one_line(message if message is not None else "", 500), doc.get("data")


def parse_warrant(gateway: str, data: Any, sent_ts: int) -> tuple[str, int, int]:
    """``(warrant_id, expire_at, lifetime_s)`` of a successful reply's ``data``.

    The lifetime is measured on SingSound's own clock (the reply's ``timestamp``, else the one we
    sent), so a skewed merchant clock cannot make a dead warrant look alive."""
    if not isinstance(data, dict):
        raise garbage(gateway, "success without data")
    warrant_id = data.get("warrant_id")
    expire_at = as_int(data.get("expire_at"))
    if not isinstance(warrant_id, str) or not warrant_id.strip() or len(warrant_id) > 512:
        raise garbage(gateway, "no warrant_id")
    if not warrant_id.isprintable() or not untrusted.is_utf8(warrant_id):
        # It is handed to devices and digested into the audit log: it must be plain text.
        raise garbage(gateway, "warrant_id with control characters or invalid Unicode")
    if expire_at is None:
        raise garbage(gateway, "no expire_at")
    lifetime = expire_at - (as_int(data.get("timestamp")) or sent_ts)
    if lifetime <= 0:
        raise garbage(gateway, f"warrant already expired at {expire_at}")
    return warrant_id, expire_at, lifetime
