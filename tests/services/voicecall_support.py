"""Helpers shared by the voice-call tests: an independent digest, fast sandbox calls, waiting."""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import json
import time
from collections.abc import Callable
from typing import Any

import requests

# Straight from the seed (001): digist = hmac.new(appSecret.encode(), (nonce + now).encode(), sha256)
# and PROTOCOLS §3 for callbacks; written out again here so a bug in desktop.services.aksk cannot
# hide behind its own formula.


def seed_request_digest(secret: str, nonce: str, created: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), (nonce + created).encode(), hashlib.sha256).digest()).decode()


def protocol_callback_digest(secret: str, url: str, nonce: str, created: str) -> str:
    msg = (url + "\n" + nonce + "\n" + created).encode()
    return base64.b64encode(hmac.new(secret.encode(), msg, hashlib.sha256).digest()).decode()


def callback_headers(app_key: str, secret: str, url: str, nonce: str, created: str) -> dict[str, str]:
    digest = protocol_callback_digest(secret, url, nonce, created)
    return {
        "Content-Type": "application/json;charset=UTF-8",
        "Authorization": 'AKSK realm="SDP",profile="UsernameToken",type="Appkey"',
        "X-AKSK": f'UsernameToken Username="{app_key}",PasswordDigest="{digest}",Nonce="{nonce}",Created="{created}"',
    }


def fast(sandbox: Any, **faults: Any) -> None:
    """Make the sandbox play calls quickly, with extra fault switches."""
    sandbox.cfg.faults["voicecall"] = {"event_interval_s": 0.02, "repush_interval_s": 0.05, **faults}


def wait_until(pred: Callable[[], bool], timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.02)
    return pred()


def sandbox_calls(port: int) -> dict[str, Any]:
    resp = requests.get(f"http://127.0.0.1:{port}/voicecall/_sandbox/calls", timeout=5)
    resp.raise_for_status()
    data: dict[str, Any] = resp.json()
    return data


def wait_call_done(port: int, session_id: str, timeout: float = 10.0) -> dict[str, Any]:
    assert wait_until(lambda: sandbox_calls(port).get(session_id, {}).get("done", False), timeout)
    call: dict[str, Any] = sandbox_calls(port)[session_id]
    return call


def assert_readable(store: Any) -> None:
    """What later commands do with stored call rows: strict JSON payloads, UTF-8 text, CSV rows,
    and no control characters in the columns a one-line view shows."""
    rows = store.events() + store.bills() + store.unparsed() + store.rejected() + store.calls()
    writer = csv.writer(io.StringIO())
    for row in rows:
        if "payload" in row:

            def no_constant(name: str) -> Any:
                raise AssertionError(f"{name} in a stored payload")

            json.loads(row["payload"], parse_constant=no_constant)
        for name, value in row.items():
            if isinstance(value, str):
                value.encode("utf-8")  # raises on a lone surrogate
                if name != "payload":
                    assert not any(ord(c) < 32 and c != "\t" for c in value), (name, value)
        writer.writerow(row.values())
