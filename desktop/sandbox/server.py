"""Compose the four sandbox services into one aiohttp application and run it.

One port serves everything (paths in ``defaults``). Each service module exposes
``setup(app, cfg)``. ``/_sandbox/health`` tells a client that a sandbox already listens, and
``/_sandbox/faults`` switches fault injection at run time (tests, demos), per service.
"""

from __future__ import annotations

import json
import logging
import os
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from desktop.aiothread import AppThread
from desktop.sandbox import defaults

log = logging.getLogger(__name__)

CFG_KEY: web.AppKey[SandboxConfig] = web.AppKey("vpw_sandbox_cfg")


@dataclass
class SandboxConfig:
    host: str = defaults.HOST
    port: int = defaults.PORT
    state_dir: Path = field(default_factory=lambda: Path("."))
    appcode: str = defaults.APPCODE
    rokid_key: str = defaults.ROKID_KEY
    rokid_secret: str = defaults.ROKID_SECRET
    voicecall_app_key: str = defaults.VOICECALL_APP_KEY
    voicecall_app_secret: str = defaults.VOICECALL_APP_SECRET
    singsound_appid: str = defaults.SINGSOUND_APPID
    singsound_app_secret: str = defaults.SINGSOUND_APP_SECRET
    threshold: float = 0.0  # 0 = the speaker engine's own default
    # Digits in the prompts that clients show (the app shows 8: ui/widgets/digits.PROMPT_DIGITS). The
    # protocol never says how many; expecting it lets the reader prefer that many, which misreads
    # fewer (tests/bench/bench_digits.py), while a prompt of another length is still read as said.
    # 0 = nothing expected: any number of digits.
    digit_length: int = 8
    # Fault-injection switches, one dict per service; read on every request so they can change live.
    faults: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Server-side timings for benchmarks, e.g. "voiceprint.stop_ms": the last stop-to-answer times.
    stats: dict[str, deque[float]] = field(default_factory=dict)

    def record(self, name: str, value: float) -> None:
        self.stats.setdefault(name, deque(maxlen=500)).append(value)

    def fault(self, service: str, name: str, default: Any = None) -> Any:
        return self.faults.get(service, {}).get(name, default)


def _services() -> list[Any]:
    # Imported here so that a service's heavy engine loads only when a sandbox really starts.
    from desktop.sandbox import rokid, singsound, voicecall
    from desktop.sandbox.voiceprint import service as voiceprint

    return [voiceprint, rokid, voicecall, singsound]


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"sandbox": "vpw", "ok": True})


async def _faults(request: web.Request) -> web.Response:
    cfg = request.app[CFG_KEY]
    if request.method == "POST":
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return web.json_response({"error": "body is not JSON"}, status=400)
        if not isinstance(body, dict) or not all(isinstance(v, dict) for v in body.values()):
            return web.json_response({"error": "expected {service: {switch: value}}"}, status=400)
        for service, switches in body.items():
            current = cfg.faults.setdefault(service, {})
            for k, v in switches.items():
                if v is None:
                    current.pop(k, None)
                else:
                    current[k] = v
    return web.json_response(cfg.faults)


async def _stats(request: web.Request) -> web.Response:
    return web.json_response({k: list(v) for k, v in request.app[CFG_KEY].stats.items()})


def build_app(cfg: SandboxConfig) -> web.Application:
    cfg.state_dir.mkdir(parents=True, exist_ok=True)
    app = web.Application(client_max_size=8 * 1024 * 1024)
    app[CFG_KEY] = cfg
    app.router.add_get("/_sandbox/health", _health)
    app.router.add_route("*", "/_sandbox/faults", _faults)
    app.router.add_get("/_sandbox/stats", _stats)
    for service in _services():
        service.setup(app, cfg)
    return app


def default_state_dir() -> Path:
    env = os.environ.get("VPW_SANDBOX_DIR")
    if env:
        return Path(env)
    from desktop.config import data_dir

    return data_dir() / "sandbox"


class SandboxThread:
    """The sandbox on a background thread with its own event loop (the embedded default).

    ``start()`` returns once the port is bound (port 0 picks a free one; ``port`` then tells it);
    a taken port raises ``ListenError``, which is also an ``OSError``.
    """

    def __init__(self, cfg: SandboxConfig) -> None:
        self.cfg = cfg
        self._server = AppThread(lambda: build_app(cfg), cfg.host, cfg.port, name="vpw-sandbox")

    @property
    def port(self) -> int:
        return self._server.port

    def start(self, timeout: float = 30.0) -> SandboxThread:
        self._server.start(timeout)
        self.cfg.port = self.port
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> SandboxThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_forever(cfg: SandboxConfig) -> None:
    web.run_app(build_app(cfg), host=cfg.host, port=cfg.port, print=None, access_log=None)
