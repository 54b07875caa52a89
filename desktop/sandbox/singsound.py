"""Sandbox SingSound authorisation: three gateways issuing warrants, with switchable faults.

An independent reading of the seed (PROTOCOLS.md §4), deliberately not importing the client:
``POST /singsound/gate-0N/auth/authorize`` takes a form (urlencoded or multipart), checks the
fields in the order of the seed's codes 430001-430008, verifies ``request_sign`` and issues a
warrant for ``warrant_available`` seconds (default 7200).

Fault switches (``POST /_sandbox/faults {"singsound": {...}}``), each either for every gateway
(``"down": true``) or for one (``"gate-01.down": "close"``):

- ``slow``: seconds to wait before answering;
- ``down``: ``true``/``500``/``503`` answers that HTTP status, ``"close"`` drops the connection;
- ``code_430009``: answer code 430009 (authorisation cache down);
- ``msg_key``: ``"msg"`` to name the reply's text ``msg`` instead of ``message`` (the seed uses both);
- ``reply_body``: a string sent verbatim (UTF-8, lone surrogates kept) as a 200 JSON answer
  (hostile-input tests).

``GET /singsound/_calls`` counts the requests each gateway received (``DELETE`` resets), and
``GET /singsound/_warrants/{id}`` tells what a warrant was issued for, so tests can check both.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import time
from collections import Counter
from typing import Any

from aiohttp import http_exceptions, web

from desktop.sandbox import defaults

log = logging.getLogger(__name__)

SERVICE = "singsound"
GATEWAYS = tuple(f"gate-{i:02d}" for i in range(1, defaults.SINGSOUND_GATEWAYS + 1))
DEFAULT_LIFETIME = 7200
MAX_WARRANTS = 50_000

CFG_KEY: web.AppKey[Any] = web.AppKey("vpw_singsound_cfg")
CALLS_KEY: web.AppKey[Counter[str]] = web.AppKey("vpw_singsound_calls")
WARRANTS_KEY: web.AppKey[dict[str, dict[str, Any]]] = web.AppKey("vpw_singsound_warrants")

# The seed's error table, in the order the fields are checked.
MESSAGES = {
    430001: "no parameters were passed",
    430002: "timestamp was not passed (10-digit Unix seconds)",
    430003: "request_sign was not passed",
    430004: "appid was not passed",
    430005: "appid is not valid (not a merchant of this platform)",
    430006: "user_id was not passed",
    430007: "user_client_ip was not passed",
    430008: "request_sign failed verification",
    430009: "authorisation cache is down",
}


def _sign(fields: dict[str, str]) -> str:
    # Re-derived from the seed's PHP: ksort, implode k=v with '&', md5.
    joined = "&".join(f"{k}={fields[k]}" for k in sorted(fields))
    return hashlib.md5(joined.encode("utf-8"), usedforsecurity=False).hexdigest()


def _switch(cfg: Any, gate: str, name: str) -> Any:
    value = cfg.fault(SERVICE, f"{gate}.{name}", None)
    return cfg.fault(SERVICE, name, None) if value is None else value


def _reply(cfg: Any, gate: str, code: int, message: str, data: dict[str, Any] | None = None) -> web.Response:
    key = "msg" if _switch(cfg, gate, "msg_key") == "msg" else "message"
    body: dict[str, Any] = {"code": code, key: message}
    if data is not None:
        body["data"] = data
    return web.json_response(body)


def _check(cfg: Any, form: Any) -> tuple[int, str] | None:
    """The first error code the request earns, in the seed's order, or None when it is good."""

    def given(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    names = ("appid", "timestamp", "user_id", "user_client_ip", "request_sign", "warrant_available")
    if not any(given(n) for n in names):
        return 430001, MESSAGES[430001]
    ts = given("timestamp")
    if not ts:
        return 430002, MESSAGES[430002]
    if not (len(ts) == 10 and ts.isdigit()):
        # The seed has no code for a malformed timestamp; 430002 is the nearest ("no usable one").
        return 430002, f"timestamp must be 10-digit Unix seconds, got {ts[:20]!r}"
    if not given("request_sign"):
        return 430003, MESSAGES[430003]
    appid = given("appid")
    if not appid:
        return 430004, MESSAGES[430004]
    if not hmac.compare_digest(appid.encode(), cfg.singsound_appid.encode()):
        return 430005, MESSAGES[430005]
    if not given("user_id"):
        return 430006, MESSAGES[430006]
    if not given("user_client_ip"):
        return 430007, MESSAGES[430007]
    fields = {
        "appid": appid,
        "timestamp": ts,
        "user_id": form.get("user_id"),
        "user_client_ip": form.get("user_client_ip"),
        "app_secret": cfg.singsound_app_secret,
    }
    expected = _sign(fields)
    if not hmac.compare_digest(given("request_sign").encode(), expected.encode()):
        # Like the trial host, say what was signed, but never the secret itself.
        shown = "&".join(f"{k}={'***' if k == 'app_secret' else fields[k]}" for k in sorted(fields))
        return 430008, f"{MESSAGES[430008]}; expected md5 of: {shown}"
    return None


async def _authorize(request: web.Request) -> web.StreamResponse:
    cfg = request.app[CFG_KEY]
    gate = request.match_info["gate"]
    if gate not in GATEWAYS:
        raise web.HTTPNotFound()
    request.app[CALLS_KEY][gate] += 1
    # Read the body first, as a real gateway would before it is slow to answer; reading it after
    # the delay would fail noisily once the client has timed out and gone.
    try:
        form = await request.post()
    except (ValueError, http_exceptions.HttpProcessingError):  # malformed form: no usable parameter
        form = {}  # type: ignore[assignment]
    delay = _switch(cfg, gate, "slow")
    if delay:
        await asyncio.sleep(float(delay))
    down = _switch(cfg, gate, "down")
    if down == "close":
        # Drop the connection without an answer, as a crashed gateway would.
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError()
    if down:
        status = int(down) if not isinstance(down, bool) and str(down).isdigit() else 500
        return web.Response(status=status, text="gateway down (sandbox fault)")
    scripted = _switch(cfg, gate, "reply_body")
    if isinstance(scripted, str):
        return web.Response(body=scripted.encode("utf-8", "surrogatepass"), content_type="application/json")
    if _switch(cfg, gate, "code_430009"):
        return _reply(cfg, gate, 430009, MESSAGES[430009])
    problem = _check(cfg, form)
    if problem is not None:
        log.info("sandbox singsound %s refused: %s", gate, problem[0])
        return _reply(cfg, gate, *problem)
    raw_life = form.get("warrant_available")
    lifetime = DEFAULT_LIFETIME
    if isinstance(raw_life, str) and raw_life.strip():
        if not raw_life.strip().isdigit() or int(raw_life) <= 0:
            # Not documented either; a plain HTTP 400 keeps it apart from the seed's codes.
            return web.json_response(
                {"code": 400, "message": "warrant_available must be a positive integer"}, status=400
            )
        lifetime = int(raw_life)
    now = int(time.time())
    warrant_id = secrets.token_hex(15)
    user_id = str(form.get("user_id"))
    warrants = request.app[WARRANTS_KEY]
    if len(warrants) >= MAX_WARRANTS:
        warrants.pop(next(iter(warrants)))
    warrants[warrant_id] = {
        "appid": cfg.singsound_appid,
        "user_id": user_id,
        "user_client_ip": str(form.get("user_client_ip")),
        "expire_at": now + lifetime,
        "gateway": gate,
    }
    data = {
        "warrant_id": warrant_id,
        "expire_at": now + lifetime,
        "timestamp": str(now),
        "user_data": {"user_id": user_id},
    }
    return _reply(cfg, gate, 0, "success", data)


async def _calls(request: web.Request) -> web.Response:
    counter = request.app[CALLS_KEY]
    if request.method == "DELETE":
        counter.clear()
    return web.json_response({g: counter.get(g, 0) for g in GATEWAYS})


async def _warrant(request: web.Request) -> web.Response:
    info = request.app[WARRANTS_KEY].get(request.match_info["warrant_id"])
    if info is None:
        raise web.HTTPNotFound()
    return web.json_response({**info, "valid": info["expire_at"] > time.time()})


def setup(app: web.Application, cfg: Any) -> None:
    """Register this service's routes on ``app``."""
    app[CFG_KEY] = cfg
    app[CALLS_KEY] = Counter()
    app[WARRANTS_KEY] = {}
    prefix = defaults.SINGSOUND_PREFIX
    app.router.add_post(prefix + "/{gate}/auth/authorize", _authorize)
    app.router.add_route("GET", prefix + "/_calls", _calls)
    app.router.add_route("DELETE", prefix + "/_calls", _calls)
    app.router.add_get(prefix + "/_warrants/{warrant_id}", _warrant)
