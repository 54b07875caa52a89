"""Sandbox of Huawei's voice verification code: ``callVerify`` and the callbacks it causes.

An independent reading of seed 001 and PROTOCOLS §3 (nothing from ``desktop.services``): the
``Authorization``/``X-AKSK`` headers are checked in the order the vendor's result-code table
lists them (1023xxx, HTTP 400), then the app key (1010003), the digest (1010010, HTTP 401) and
the ``Created`` window (1010013, HTTP 401); then the body's fields (1010002 naming the field,
HTTP 403). An accepted call answers a ``sessionId`` at once and plays the call through signed
callbacks (``voicecall_play``).

Fault switches (``POST /_sandbox/faults {"voicecall": {...}}``):
``created_zone`` ("UTC" default / "UTC+8": the clock ``Created`` must show), ``created_skew``
(seconds added to the sandbox's clock), ``created_window_s`` (default 300), ``result_code``
(answer this code after the checks), plus the call-playing switches listed in ``voicecall_play``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import itertools
import json
import re
import secrets
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from aiohttp import web

from desktop.sandbox import defaults, voicecall_play
from desktop.sandbox.server import CFG_KEY

CALL_VERIFY = defaults.VOICECALL_PREFIX + "/rest/httpsessions/callVerify/v1.0"
MAX_CALLS_KEPT = 1000
CALLS_KEY: web.AppKey[dict[str, dict[str, Any]]] = web.AppKey("vpw_voicecall_calls")

_ATTR = re.compile(r'([A-Za-z]+)="([^"]*)"')
_NONCE = re.compile(r"^[A-Za-z0-9]{1,128}$")
_E164 = re.compile(r"^\+\d{5,15}$")
_DISPLAY = re.compile(r"^\+\d{3,30}$")
_DIGITS = re.compile(r"^\d{2,8}$")
_counter = itertools.count(1)


def _answer(http: int, code: str, desc: str, **extra: Any) -> web.Response:
    return web.json_response({"resultcode": code, "resultdesc": desc, **extra}, status=http)


def sandbox_clock(cfg: Any) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=float(cfg.fault("voicecall", "created_skew", 0) or 0))


def expected_zone(cfg: Any) -> timezone:
    name = str(cfg.fault("voicecall", "created_zone", "UTC")).upper().replace(" ", "")
    return timezone(timedelta(hours=8)) if name in ("UTC+8", "UTC+08:00", "UTC+0800") else UTC


def _attrs(text: str) -> dict[str, str]:
    return {k: v for k, v in _ATTR.findall(text)}


def _check_authorization(value: str | None) -> web.Response | None:
    if not value or not value.strip().startswith("AKSK"):
        return _answer(400, "1023006", "Authorization not contained in the HTTP header.")
    a = _attrs(value)
    for name, want, missing, wrong in (
        ("realm", "SDP", "1023007", "1023009"),
        ("profile", "UsernameToken", "1023008", "1023010"),
        ("type", "Appkey", "1023012", "1023011"),
    ):
        if name not in a:
            return _answer(400, missing, f"{name} not contained in Authorization.")
        if a[name] != want:
            return _answer(400, wrong, f"The value of {name} in Authorization must be {want}.")
    return None


def _check_x_aksk(value: str | None, cfg: Any) -> web.Response | None:
    if not value or not value.strip().startswith("UsernameToken"):
        return _answer(400, "1023033", "HTTP header not found X-AKSK field.")
    a = {k.lower(): v for k, v in _attrs(value).items()}
    for name, code in (
        ("username", "1023034"),
        ("nonce", "1023035"),
        ("created", "1023036"),
        ("passworddigest", "1023037"),
    ):
        if not a.get(name):
            return _answer(400, code, f"{name} not contained in X-AKSK.")
    if not _NONCE.match(a["nonce"]):
        return _answer(400, "1023035", "Nonce must be 1-128 letters or digits.")
    if a["username"] != cfg.voicecall_app_key:
        return _answer(401, "1010003", "Invalid app_key.")
    mac = hmac.new(cfg.voicecall_app_secret.encode(), (a["nonce"] + a["created"]).encode(), hashlib.sha256)
    if not hmac.compare_digest(base64.b64encode(mac.digest()).decode(), a["passworddigest"]):
        return _answer(401, "1010010", "Invalid digest.")
    try:
        created = datetime.strptime(a["created"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=expected_zone(cfg))
    except ValueError:
        return _answer(400, "1023036", "Created must be yyyy-MM-ddTHH:mm:ssZ.")
    window = float(cfg.fault("voicecall", "created_window_s", 300))
    if abs((sandbox_clock(cfg) - created).total_seconds()) > window:
        return _answer(401, "1010013", "Time out limit.")
    return None


def _decode_url(value: Any) -> str | None:
    if not isinstance(value, str) or not 1 <= len(value) <= 128:  # String(1-128), base64 included
        return None
    try:
        url = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return url if re.match(r"^https?://[^\s/]+", url) else None


def _is_tone(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 1 <= len(value) <= 128
        and value.lower().endswith(".wav")
        and not any(c in value for c in " /\\")
    )


def _bad_field(body: dict[str, Any]) -> str | None:
    """The first field the platform would call invalid, or None."""
    checks: list[tuple[str, bool, bool]] = [  # (field, required, valid)
        ("displayNbr", True, isinstance(body.get("displayNbr"), str) and bool(_DISPLAY.match(body["displayNbr"]))),
        ("calleeNbr", True, isinstance(body.get("calleeNbr"), str) and bool(_E164.match(body["calleeNbr"]))),
        ("languageType", True, type(body.get("languageType")) is int),
        ("preTone", True, _is_tone(body.get("preTone"))),
        ("verifyCode", True, isinstance(body.get("verifyCode"), str) and bool(_DIGITS.match(body["verifyCode"]))),
        ("bindNbr", False, isinstance(body.get("bindNbr"), str) and bool(_DISPLAY.match(body["bindNbr"]))),
        ("posTone", False, _is_tone(body.get("posTone"))),
        ("times", False, type(body.get("times")) is int and 0 <= body["times"] <= 9),
        ("statusUrl", False, _decode_url(body.get("statusUrl")) is not None),
        ("feeUrl", False, _decode_url(body.get("feeUrl")) is not None),
        ("returnIdlePort", False, body.get("returnIdlePort") in ("true", "false")),
        ("userData", False, isinstance(body.get("userData"), str) and len(body["userData"]) <= 256),
    ]
    for name, required, valid in checks:
        if (required or name in body) and not valid:
            return name
    return None


async def _call_verify(request: web.Request) -> web.Response:
    cfg = request.app[CFG_KEY]
    refused = _check_authorization(request.headers.get("Authorization")) or _check_x_aksk(
        request.headers.get("X-AKSK"), cfg
    )
    if refused is not None:
        return refused
    try:
        body = json.loads(await request.text())
    except (ValueError, UnicodeDecodeError):
        return _answer(403, "1010002", "Invalid request: body is not JSON.")
    if not isinstance(body, dict):
        return _answer(403, "1010002", "Invalid request: body is not a JSON object.")
    bad = _bad_field(body)
    if bad:
        return _answer(403, "1010002", f"Invalid request: {bad}.")
    if body["displayNbr"] != defaults.VOICECALL_DISPLAY_NBR:
        return _answer(200, "1010023", "Display number invalid.")
    forced = cfg.fault("voicecall", "result_code")
    if forced not in (None, "", "0", 0):
        return _answer(200, str(forced), "Forced by the sandbox's fault switch.")
    now = sandbox_clock(cfg)
    session_id = (
        f"1201_{next(_counter)}_{secrets.randbelow(2**32)}_{now.strftime('%Y%m%d%H%M%S')}@callenabler.sandbox.local"
    )
    calls = request.app[CALLS_KEY]
    while len(calls) >= MAX_CALLS_KEPT:  # a long-running sandbox keeps only recent calls
        calls.pop(next(iter(calls)))
    calls[session_id] = {"done": False, "pushes": [], "calleeNbr": body["calleeNbr"]}
    voicecall_play.start(
        request.app,
        cfg,
        session_id,
        body,
        status_url=_decode_url(body.get("statusUrl")),
        fee_url=_decode_url(body.get("feeUrl")),
        record=calls[session_id],
    )
    extra = {"idlePort": "10"} if body.get("returnIdlePort") == "true" else {}
    return _answer(200, "0", "Success", sessionId=session_id, **extra)


async def _calls(request: web.Request) -> web.Response:
    """Test hook: every accepted call, whether its callbacks are done, and each push's outcome."""
    return web.json_response(request.app[CALLS_KEY])


async def _unknown(request: web.Request) -> web.Response:
    return _answer(404, "1010006", "Invalid REST API.")


def setup(app: web.Application, cfg: Any) -> None:
    """Register this service's routes on ``app``."""
    app[CALLS_KEY] = {}
    app.router.add_post(CALL_VERIFY, _call_verify)
    app.router.add_get(defaults.VOICECALL_PREFIX + "/_sandbox/calls", _calls)
    app.router.add_route("*", defaults.VOICECALL_PREFIX + "/{tail:.*}", _unknown)
    voicecall_play.setup(app)
