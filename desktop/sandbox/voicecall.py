"""Sandbox voicecall service (being built; see its issue)."""

from __future__ import annotations

from typing import Any

from aiohttp import web


def setup(app: web.Application, cfg: Any) -> None:
    """Register this service's routes on ``app``."""
