"""Suite-wide fixtures: every test runs with its own config, data and sandbox directories, a
file keyring in a temp dir, and English messages, so nothing touches the operator's real files."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in list(os.environ):
        if var.startswith("VPW_"):
            monkeypatch.delenv(var)
    home = tmp_path / "vpw-home"
    monkeypatch.setenv("VPW_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("VPW_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("VPW_SANDBOX_DIR", str(home / "sandbox"))
    monkeypatch.setenv("VPW_LOG_DIR", str(home / "logs"))  # the CLI's error log (desktop.crashlog)
    monkeypatch.setenv("VPW_LANG", "en")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    from desktop import i18n

    i18n.set_language(None)
    guard = sys.modules.get("desktop.services.call_guard")
    if guard is not None:  # each test is a fresh operator: no call "placed seconds ago" by another test
        guard.DEFAULT_GUARD.forget()
    return home


@pytest.fixture
def sandbox(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A real sandbox of all four services on a free loopback port; the sandbox profile points at it."""
    from desktop.sandbox.server import SandboxConfig, SandboxThread

    cfg = SandboxConfig(port=0, state_dir=isolated_env / "sandbox")
    thread = SandboxThread(cfg).start()
    monkeypatch.setenv("VPW_SANDBOX_PORT", str(thread.port))
    try:
        yield thread
    finally:
        thread.stop()
