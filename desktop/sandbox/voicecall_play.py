"""The sandbox plays an accepted verification call through the platform's callbacks.

Normal call: callout → alerting → answer → disconnect (stateCode 0), then one bill. Each push is
POSTed JSON, signed as the platform signs callbacks (``voicecall_sign``; by default the current
pages' ``base64(HMAC-SHA256(appSecret, push_url + "\\n" + nonce + "\\n" + created))``, with
``Created`` on the ``created_zone`` clock; ``callback_variant`` picks another documented variant).
A push that does not get HTTP 200 in time is pushed again, up to six more times, as the platform
does (an hour apart there; ``repush_interval_s`` here).

Fault switches under ``voicecall``: ``no_answer`` (ring, then 8003), ``busy`` (failure tone,
8002), ``missing_tone`` (8006 after answer), ``bill_twice`` (the same bill pushed twice),
``event_interval_s`` (pause between events, default 0.5: a call one can watch), ``slow_receiver`` (seconds we wait
for the receiver before counting the push as failed; ``true`` = 0.1; default 5),
``repush_interval_s`` (default 0.2), ``forge_callbacks`` (sign with a wrong secret),
``callback_variant`` (see ``voicecall_sign``).
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from aiohttp import web

from desktop.sandbox import voicecall_sign

MAX_REPUSH = 6
SESSION_KEY: web.AppKey[dict[str, Any]] = web.AppKey("vpw_voicecall_play")
_STATE_DESC = {
    "0": "The user releases the call.",
    "8002": "The network plays a failure tone.",
    "8003": "Ringing timed out.",
    "8006": "The tone file does not exist.",
}


def setup(app: web.Application) -> None:
    app[SESSION_KEY] = {"http": None, "tasks": set()}

    async def _cleanup(app: web.Application) -> None:
        state = app[SESSION_KEY]
        for task in list(state["tasks"]):
            task.cancel()
        if state["tasks"]:
            await asyncio.gather(*state["tasks"], return_exceptions=True)
        if state["http"] is not None:
            await state["http"].close()

    app.on_cleanup.append(_cleanup)


def start(
    app: web.Application,
    cfg: Any,
    session_id: str,
    body: dict[str, Any],
    *,
    status_url: str | None,
    fee_url: str | None,
    record: dict[str, Any],
) -> None:
    """Play the call in the background; ``record`` collects each push's outcome for tests."""
    state = app[SESSION_KEY]
    task = asyncio.get_running_loop().create_task(_play(state, cfg, session_id, body, status_url, fee_url, record))
    state["tasks"].add(task)
    task.add_done_callback(state["tasks"].discard)


def _fault(cfg: Any, name: str, default: Any = None) -> Any:
    return cfg.fault("voicecall", name, default)


def _clock(cfg: Any) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=float(_fault(cfg, "created_skew", 0) or 0))


def _stamp(cfg: Any) -> str:
    # The vendor documents callback timestamps as UTC "yyyy-MM-dd HH:mm:ss".
    return _clock(cfg).strftime("%Y-%m-%d %H:%M:%S")


def _signed_headers(cfg: Any, url: str) -> dict[str, str]:
    secret = cfg.voicecall_app_secret
    if _fault(cfg, "forge_callbacks"):
        secret = "not-" + secret
    eight = str(_fault(cfg, "created_zone", "UTC")).upper().replace(" ", "") in ("UTC+8", "UTC+08:00")
    variant = voicecall_sign.Variant.from_fault(_fault(cfg, "callback_variant"), 8 if eight else 0)
    return voicecall_sign.headers(cfg.voicecall_app_key, secret, url, variant, now=_clock(cfg))


async def _push(state: dict[str, Any], cfg: Any, url: str, doc: dict[str, Any], log: list[Any]) -> None:
    if state["http"] is None:
        state["http"] = aiohttp.ClientSession()
    slow = _fault(cfg, "slow_receiver", 5.0)
    timeout = 0.1 if slow is True else float(slow or 5.0)
    for attempt in range(1, MAX_REPUSH + 2):
        outcome: int | str
        try:
            async with state["http"].post(
                url, json=doc, headers=_signed_headers(cfg, url), timeout=aiohttp.ClientTimeout(total=timeout)
            ) as resp:
                outcome = resp.status
        except TimeoutError:
            outcome = "timeout"
        except aiohttp.ClientError as exc:
            outcome = type(exc).__name__
        log.append({"eventType": doc["eventType"], "url": url, "attempt": attempt, "outcome": outcome})
        if outcome == 200:
            return
        await asyncio.sleep(float(_fault(cfg, "repush_interval_s", 0.2)))


def _bill(cfg: Any, session_id: str, body: dict[str, Any], times: dict[str, str], state_code: str) -> dict[str, Any]:
    answered = bool(times.get("answer"))
    return {
        "direction": 0,
        "spId": "sandbox_sp",
        "appKey": cfg.voicecall_app_key,
        "icid": f"CAE-{times['callout'].replace('-', '').replace(' ', '').replace(':', '')}-{secrets.randbelow(10**8)}",
        "bindNum": body["displayNbr"],
        "sessionId": session_id,
        "callerNum": body["displayNbr"],
        "calleeNum": body["calleeNbr"],
        "callEndTime": times["disconnect"],
        "fwdUnaswRsn": 0,
        "failTime": "" if answered else times["disconnect"],
        "ulFailReason": 0 if answered else int(state_code),
        "sipStatusCode": 0 if answered else (486 if state_code == "8002" else 480),
        "callOutStartTime": times["callout"],
        "callOutAlertingTime": times.get("alerting", ""),
        "callOutAnswerTime": times.get("answer", ""),
        "callOutUnaswRsn": 0 if answered else (17 if state_code == "8002" else 19),
        "dynIVRStartTime": "",
        "dynIVRPath": "",
        "recordFlag": 0,
        "ttsPlayTimes": 0,
        "ttsTransDuration": 0,
        "serviceType": "003",
        "hostName": "callenabler.sandbox.local",
        "userData": body.get("userData", ""),
    }


async def _play(
    state: dict[str, Any],
    cfg: Any,
    session_id: str,
    body: dict[str, Any],
    status_url: str | None,
    fee_url: str | None,
    record: dict[str, Any],
) -> None:
    if _fault(cfg, "busy"):
        steps, state_code = ["callout"], "8002"
    elif _fault(cfg, "no_answer"):
        steps, state_code = ["callout", "alerting"], "8003"
    elif _fault(cfg, "missing_tone"):
        steps, state_code = ["callout", "alerting", "answer"], "8006"
    else:
        steps, state_code = ["callout", "alerting", "answer"], "0"
    times: dict[str, str] = {}
    try:
        for event in [*steps, "disconnect"]:
            await asyncio.sleep(float(_fault(cfg, "event_interval_s", 0.5)))
            times[event] = _stamp(cfg)
            info: dict[str, Any] = {
                "sessionId": session_id,
                "timestamp": times[event],
                "caller": body["displayNbr"],
                "called": body["calleeNbr"],
            }
            if "userData" in body:
                info["userData"] = body["userData"]
            if event == "disconnect":
                info["stateCode"] = int(state_code)
                info["stateDesc"] = _STATE_DESC[state_code]
            if status_url:
                await _push(state, cfg, status_url, {"eventType": event, "statusInfo": info}, record["pushes"])
        if fee_url:
            await asyncio.sleep(float(_fault(cfg, "event_interval_s", 0.5)))
            fee = {"eventType": "fee", "feeLst": [_bill(cfg, session_id, body, times, state_code)]}
            for _ in range(2 if _fault(cfg, "bill_twice") else 1):
                await _push(state, cfg, fee_url, fee, record["pushes"])
    finally:
        record["done"] = True
