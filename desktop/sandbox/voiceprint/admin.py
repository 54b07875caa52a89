"""Sandbox-only administration of enrolled voiceprints: list and delete (the seed's WebSocket
protocol has no delete message, and a privacy request must really remove the voiceprint).

Routes, on the voiceprint service's own path and behind the same ``X-Apig-AppCode`` check as its
WebSocket (401 ``APIG.0303`` JSON on a wrong or missing code):

- ``GET  <VOICEPRINT_PATH>/_admin/speakers`` -> 200 ``{"speakers": [{"name": ..., "takes": n}]}``
- ``DELETE <VOICEPRINT_PATH>/_admin/speakers/{name}`` (name URL-encoded) -> 200
  ``{"deleted": name, "takes": n}``; 404 ``{"error": "not enrolled", "name": name}`` when the name
  has no voiceprint. After it, verifying that name answers 404 and it is in nobody's candidates.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Executor

from aiohttp import web

from desktop.sandbox import defaults
from desktop.sandbox.server import SandboxConfig
from desktop.sandbox.voiceprint.backend import Backend

log = logging.getLogger(__name__)

ADMIN_PATH = defaults.VOICEPRINT_PATH + "/_admin/speakers"


def setup(
    app: web.Application,
    cfg: SandboxConfig,
    backend: Backend,
    executor: Executor,
    refusal: Callable[[web.Request], web.Response | None],
) -> None:
    async def run(fn: Callable[[], object]) -> object:
        # Loading the engine and touching the disk are blocking: the service's executor does them.
        return await asyncio.get_running_loop().run_in_executor(executor, fn)

    def listing() -> list[dict[str, object]]:
        store = backend.store()
        counts = getattr(store, "take_counts", None)  # the matrix store counts in one query
        if callable(counts):
            found = counts()
            return [{"name": n, "takes": int(found.get(n, 0))} for n in store.names()]
        takes = getattr(store, "takes", None)
        return [{"name": n, "takes": len(takes(n)) if callable(takes) else None} for n in store.names()]

    async def list_speakers(request: web.Request) -> web.Response:
        refused = refusal(request)
        if refused is not None:
            return refused
        return web.json_response({"speakers": await run(listing)})

    async def delete_speaker(request: web.Request) -> web.Response:
        refused = refusal(request)
        if refused is not None:
            return refused
        name = request.match_info["name"]  # aiohttp has already percent-decoded it
        takes = await run(lambda: backend.store().delete(name))
        if not takes:
            return web.json_response({"error": "not enrolled", "name": name}, status=404)
        log.info("admin: deleted the voiceprint of %r (%s takes)", name, takes)
        return web.json_response({"deleted": name, "takes": takes})

    app.router.add_get(ADMIN_PATH, list_speakers)
    app.router.add_delete(ADMIN_PATH + "/{name}", delete_speaker)
