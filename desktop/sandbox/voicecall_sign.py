"""How the platform may sign a callback: every variant Huawei documents, for the sandbox to push.

Written again here from the vendor pages (docs/VENDOR_NOTES.md), not imported from
``desktop.services.aksk``, so that a receiver bug cannot hide behind its own formula:

- ``sep``: ``"\\n"`` between url, nonce and created (current API pages, 2026) or none (2023 page);
- ``zone``: ``Created`` on Beijing time (current pages) or UTC (2023 page), always with a literal Z;
- ``url_form``: the push URL as configured (``plain``) or as sent base64 in statusUrl/feeUrl
  (``base64``; no page says so, which is why the receiver tolerates it);
- ``unsigned``: no ``Authorization``/``X-AKSK`` at all (what the seed's receiver samples expect).

Fault switch ``voicecall.callback_variant`` = ``{"sep": "newline"|"none", "zone": "UTC"|"UTC+8",
"url_form": "plain"|"base64", "unsigned": bool}``; unset keys keep the current pages' defaults.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

AUTHORIZATION = 'AKSK realm="SDP",profile="UsernameToken",type="Appkey"'


@dataclass(frozen=True)
class Variant:
    sep: str = "\n"
    zone_hours: int = 0  # 0 = UTC, 8 = Beijing time
    url_form: str = "plain"  # plain | base64
    unsigned: bool = False

    @classmethod
    def from_fault(cls, value: Any, default_zone_hours: int = 0) -> Variant:
        v = value if isinstance(value, dict) else {}
        zone = str(v.get("zone", "")).upper().replace(" ", "")
        hours = 8 if zone in ("UTC+8", "UTC+08:00") else 0 if zone == "UTC" else default_zone_hours
        return cls(
            sep="" if v.get("sep") == "none" else "\n",
            zone_hours=hours,
            url_form="base64" if v.get("url_form") == "base64" else "plain",
            unsigned=bool(v.get("unsigned")),
        )


def created(now: datetime, zone_hours: int) -> str:
    return (now.astimezone(UTC) + timedelta(hours=zone_hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def digest(secret: str, url: str, nonce: str, created_at: str, variant: Variant) -> str:
    text = base64.b64encode(url.encode()).decode() if variant.url_form == "base64" else url
    message = variant.sep.join((text, nonce, created_at))
    return base64.b64encode(hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()).decode()


def headers(
    app_key: str,
    secret: str,
    url: str,
    variant: Variant = Variant(),
    *,
    now: datetime | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The headers of one push to ``url`` signed as ``variant``."""
    out = {"Content-Type": "application/json;charset=UTF-8"}
    if variant.unsigned:
        return out
    nonce = nonce or secrets.token_hex(16)
    at = created(now or datetime.now(UTC), variant.zone_hours)
    d = digest(secret, url, nonce, at, variant)
    out["Authorization"] = AUTHORIZATION
    out["X-AKSK"] = f'UsernameToken Username="{app_key}",PasswordDigest="{d}",Nonce="{nonce}",Created="{at}"'
    return out
