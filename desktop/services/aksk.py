"""The Huawei AKSK headers (``Authorization`` + ``X-AKSK``): the one place that knows them.

Requests to the platform carry ``PasswordDigest = base64(HMAC-SHA256(appSecret, nonce + created))``
(seed 001). Callbacks from the platform carry the same two headers, but their digest also binds
the URL it pushed to, and Huawei documents that in several versions (docs/VENDOR_NOTES.md): with
or without ``"\\n"`` between the parts, ``Created`` in UTC or Beijing time, and the URL plain (or,
we assume, base64 as it was sent in ``statusUrl``/``feeUrl``). ``check_callback`` accepts each and
says which one matched. ``Created`` is ``%Y-%m-%dT%H:%M:%SZ`` with a literal ``Z`` in every version.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from desktop import i18n
from desktop.errors import ConfigError

AUTHORIZATION = 'AKSK realm="SDP",profile="UsernameToken",type="Appkey"'
CREATED_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
DEFAULT_WINDOW_S = 300.0  # [assumed] the platform says "not too far"; WS-Security tokens use minutes
BEIJING = timezone(timedelta(hours=8))
# The two clocks Huawei's pages name for ``Created``; a callback may use either (docs/VENDOR_NOTES.md).
DOCUMENTED_ZONES = (UTC, BEIJING)
# Callback digest message layouts: current API pages put "\n" between the parts, a 2023 page none.
SEPARATORS = ("\n", "")

i18n.register(
    {
        "aksk.bad_zone": {
            "en": "Setting 'voicecall.created_zone' must be UTC or UTC+8 (or UTC±H[:MM]), not {value!r}",
            "zh": "设置“voicecall.created_zone”应为 UTC 或 UTC+8（或 UTC±H[:MM]），而不是 {value!r}",
        },
    }
)

_ZONE = re.compile(r"^UTC(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$")
_PAIR = re.compile(r'\s*([A-Za-z]+)\s*=\s*"([^"]*)"\s*(?:,|$)')


def parse_zone(value: str) -> timezone:
    """``UTC`` / ``UTC+8`` / ``UTC+08:00`` / ``UTC-5`` → a fixed-offset zone."""
    text = (value or "UTC").strip().upper().replace(" ", "")
    if text in ("Z", "GMT"):
        text = "UTC"
    m = _ZONE.match(text)
    if not m:
        raise ConfigError(i18n.tr("aksk.bad_zone", value=value))
    if not m.group(1):
        return UTC
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes >= 60:
        raise ConfigError(i18n.tr("aksk.bad_zone", value=value))
    sign = -1 if m.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def zone_name(zone: timezone) -> str:
    offset = zone.utcoffset(None)
    if not offset:
        return "UTC"
    total = int(offset.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def format_created(now: datetime, zone: timezone) -> str:
    """``now`` (aware) shown on the clock of ``zone``, with the literal ``Z`` the platform wants."""
    return now.astimezone(zone).strftime(CREATED_FORMAT)


def parse_created(created: str, zone: timezone) -> datetime:
    """The aware instant a ``Created`` string denotes when read on the clock of ``zone``."""
    return datetime.strptime(created, CREATED_FORMAT).replace(tzinfo=zone)


def new_nonce() -> str:
    """32 hex characters: inside the platform's 1–128 alphanumerics, unguessable."""
    return secrets.token_hex(16)


def _b64_hmac(secret: str, message: str) -> str:
    mac = hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(mac).decode("ascii")


def request_digest(app_secret: str, nonce: str, created: str) -> str:
    """``PasswordDigest`` of a request to the platform (seed: ``hmac(secret, nonce + now)``)."""
    return _b64_hmac(app_secret, nonce + created)


def callback_digest(app_secret: str, push_url: str, nonce: str, created: str, sep: str = "\n") -> str:
    """``PasswordDigest`` the platform puts on a callback it pushes to ``push_url`` (``sep`` per variant)."""
    return _b64_hmac(app_secret, sep.join((push_url, nonce, created)))


def url_forms(url: str) -> list[tuple[str, str]]:
    """The URL as it may enter the digest: plain, or base64 as ``statusUrl``/``feeUrl`` carried it."""
    return [("plain", url), ("base64", base64.b64encode(url.encode("utf-8")).decode("ascii"))]


def x_aksk(app_key: str, digest: str, nonce: str, created: str) -> str:
    return f'UsernameToken Username="{app_key}",PasswordDigest="{digest}",Nonce="{nonce}",Created="{created}"'


def request_headers(
    app_key: str,
    app_secret: str,
    *,
    zone: timezone = UTC,
    now: datetime | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The three headers of a signed request (``now``/``nonce`` are for tests)."""
    nonce = nonce or new_nonce()
    created = format_created(now or datetime.now(UTC), zone)
    return {
        "Content-Type": "application/json;charset=UTF-8",
        "Authorization": AUTHORIZATION,
        "X-AKSK": x_aksk(app_key, request_digest(app_secret, nonce, created), nonce, created),
    }


@dataclass(frozen=True)
class UsernameToken:
    username: str
    digest: str
    nonce: str
    created: str


class HeaderError(ValueError):
    """A malformed ``Authorization`` or ``X-AKSK`` header; ``str()`` names what is wrong."""


def parse_authorization(value: str | None) -> dict[str, str]:
    """``AKSK realm="SDP",profile="UsernameToken",type="Appkey"`` → its attributes, checked."""
    if not value:
        raise HeaderError("Authorization header missing")
    scheme, _, rest = value.strip().partition(" ")
    if scheme != "AKSK":
        raise HeaderError("Authorization scheme is not AKSK")
    attrs = _pairs(rest, "Authorization")
    expected = {"realm": "SDP", "profile": "UsernameToken", "type": "Appkey"}
    for name, want in expected.items():
        if attrs.get(name) != want:
            raise HeaderError(f"Authorization {name} is not {want}")
    return attrs


def parse_x_aksk(value: str | None) -> UsernameToken:
    """``UsernameToken Username=...,PasswordDigest=...,Nonce=...,Created=...`` → its parts."""
    if not value:
        raise HeaderError("X-AKSK header missing")
    scheme, _, rest = value.strip().partition(" ")
    if scheme != "UsernameToken":
        raise HeaderError("X-AKSK is not a UsernameToken")
    # Huawei's own error table spells it "UserName" once: match attribute names case-blind.
    attrs = {k.lower(): v for k, v in _pairs(rest, "X-AKSK").items()}
    names = ("Username", "PasswordDigest", "Nonce", "Created")
    missing = [k for k in names if not attrs.get(k.lower())]
    if missing:
        raise HeaderError("X-AKSK lacks " + ", ".join(missing))
    return UsernameToken(*(attrs[k.lower()] for k in names))


def _pairs(text: str, header: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _PAIR.match(text, pos)
        if not m:
            raise HeaderError(f'{header} is not a list of name="value" pairs')
        attrs[m.group(1)] = m.group(2)
        pos = m.end()
    return attrs


def digests_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


@dataclass(frozen=True)
class CallbackCheck:
    """Why a callback's signature was refused (``reason`` is a stable key) — or how it matched.

    ``reason``: "" when ok; else ``missing`` (no X-AKSK at all), ``malformed``, ``wrong_app_key``,
    ``bad_digest`` or ``stale``. ``variant`` names the documented variant that matched and
    ``detail`` says, for a match in the other zone, which setting would match directly.
    """

    ok: bool
    reason: str = ""
    detail: str = ""
    token: UsernameToken | None = None
    variant: str = ""


def _match_digest(token: UsernameToken, app_secret: str, push_urls: list[str]) -> str:
    """The variant (url form + separator) whose digest equals the token's, or ""."""
    seen: set[str] = set()
    for url in push_urls:
        if not url or url in seen:
            continue
        seen.add(url)
        for form, text in url_forms(url):
            for sep in SEPARATORS:
                if digests_equal(callback_digest(app_secret, text, token.nonce, token.created, sep), token.digest):
                    layout = 'url+"\\n"+nonce+"\\n"+created' if sep else "url+nonce+created"
                    return f"{layout}, {form} URL {url}"
    return ""


def check_callback(
    authorization: str | None,
    x_aksk_value: str | None,
    *,
    app_key: str,
    app_secret: str,
    push_urls: list[str],
    zone: timezone,
    now: datetime | None = None,
    window_s: float = DEFAULT_WINDOW_S,
    other_zones: bool = True,
) -> CallbackCheck:
    """Check the platform's signature on a callback pushed to one of ``push_urls``.

    Several URLs, both URL forms and both separators are tried: the receiver does not know which
    public address the platform used (a reverse proxy may sit in front), nor which documented
    formula it follows; each needs the secret, so this is no weaker. ``Created`` is fresh when it
    is within ``window_s`` on the profile's clock or (``other_zones``) on the other documented one.
    The ``Authorization`` header carries no secret: a wrong one is noted, not refused, once the
    digest matches.
    """
    if not x_aksk_value and not authorization:
        return CallbackCheck(False, "missing", "no Authorization or X-AKSK header")
    try:
        token = parse_x_aksk(x_aksk_value)
    except HeaderError as exc:
        return CallbackCheck(False, "malformed", str(exc))
    if app_key and token.username != app_key:
        return CallbackCheck(False, "wrong_app_key", "Username is not this profile's app key", token)
    variant = _match_digest(token, app_secret, push_urls)
    if not variant:
        return CallbackCheck(False, "bad_digest", "PasswordDigest does not match", token)
    try:
        parse_authorization(authorization)
    except HeaderError as exc:
        variant += f"; {exc}"
    try:
        parse_created(token.created, zone)
    except ValueError:
        return CallbackCheck(False, "malformed", "Created is not yyyy-MM-ddTHH:mm:ssZ", token)
    now = now or datetime.now(UTC)
    zones = [zone] + ([z for z in DOCUMENTED_ZONES if z != zone] if other_zones else [])
    for z in zones:
        if abs((now - parse_created(token.created, z)).total_seconds()) <= window_s:
            detail = "" if z == zone else f"Created is on {zone_name(z)}: set voicecall.created_zone = {zone_name(z)}"
            return CallbackCheck(True, detail=detail, token=token, variant=f"{variant}, Created {zone_name(z)}")
    return CallbackCheck(False, "stale", _stale_detail(token.created, zone, now, window_s), token, variant)


def _stale_detail(created: str, zone: timezone, now: datetime, window_s: float) -> str:
    """Say how far off ``Created`` is and which zone setting would have matched, if one would."""
    off = abs((now - parse_created(created, zone)).total_seconds())
    detail = f"Created {created} read as {zone_name(zone)} is {off:.0f} s away"
    for other in DOCUMENTED_ZONES:
        if other != zone and abs((now - parse_created(created, other)).total_seconds()) <= window_s:
            detail += f"; it matches {zone_name(other)}: set voicecall.created_zone = {zone_name(other)}"
    return detail
