"""Shared helpers for the SingSound tests: a sandbox running only the SingSound service.

Only the SingSound routes are mounted, so these tests neither wait for nor depend on the other
services' engines; the app, the server thread and the fault switches are the real ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from desktop.sandbox import defaults
from desktop.sandbox import server as sandbox_server
from desktop.sandbox import singsound as sandbox_singsound
from desktop.sandbox.server import SandboxConfig, SandboxThread

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds" / "002_afcdda184ad94867.txt"


@contextmanager
def singsound_sandbox(state_dir: Path) -> Iterator[SandboxThread]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sandbox_server, "_services", lambda: [sandbox_singsound])
        thread = SandboxThread(SandboxConfig(port=0, state_dir=state_dir)).start()
    try:
        yield thread
    finally:
        thread.stop()


def base(thread: SandboxThread) -> str:
    return f"{defaults.base_url(port=thread.port)}{defaults.SINGSOUND_PREFIX}"


def urls(thread: SandboxThread) -> list[str]:
    return defaults.singsound_urls(port=thread.port)


def calls(thread: SandboxThread) -> dict[str, int]:
    return dict(requests.get(base(thread) + "/_calls", timeout=5).json())


def reset(thread: SandboxThread, faults: dict[str, Any] | None = None) -> None:
    """Clear the call counters and set exactly ``faults`` (e.g. ``{"gate-01.down": True}``)."""
    requests.delete(base(thread) + "/_calls", timeout=5)
    thread.cfg.faults.clear()
    if faults:
        resp = requests.post(
            f"{defaults.base_url(port=thread.port)}/_sandbox/faults", json={"singsound": faults}, timeout=5
        )
        resp.raise_for_status()


def warrant_info(thread: SandboxThread, warrant_id: str) -> dict[str, Any] | None:
    resp = requests.get(f"{base(thread)}/_warrants/{warrant_id}", timeout=5)
    return None if resp.status_code == 404 else dict(resp.json())
