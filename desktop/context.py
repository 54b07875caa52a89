"""What a command needs around it: the loaded profile, the history store, the sandbox.

Loaded lazily so that ``vpw --help`` and input errors stay fast.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import config

if TYPE_CHECKING:
    from desktop.sandbox.server import SandboxThread
    from desktop.store.audit import AuditLog
    from desktop.store.history import History

log = logging.getLogger(__name__)


def sandbox_listening(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when a vpw sandbox (not just anything) answers on ``host:port``."""
    import json
    import urllib.request  # here: http.client costs the GUI's start-up a tenth of a second

    url = f"http://{host}:{port}/_sandbox/health"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return bool(json.loads(resp.read().decode()).get("sandbox") == "vpw")
    except (OSError, ValueError):
        return False


class Context:
    def __init__(self, profile_name: str | None = None, config_path: Path | None = None) -> None:
        self.profile_name = profile_name
        self.config_path = config_path
        self._profile: config.Profile | None = None
        self._history: History | None = None
        self._audit: AuditLog | None = None
        self._operator_read = False
        self._sandbox: SandboxThread | None = None

    @property
    def profile(self) -> config.Profile:
        if self._profile is None:
            self._profile = config.load_profile(self.profile_name, path=self.config_path)
        return self._profile

    @property
    def history(self) -> History:
        if self._history is None:
            from desktop.store.audit import set_settings_operator
            from desktop.store.history import History

            set_settings_operator(config.operator_name(self.config_path))
            self._history = History(config.data_dir() / "history.sqlite3")
        return self._history

    @property
    def audit(self) -> AuditLog:
        if self._audit is None:
            from desktop.store.audit import AuditLog, set_settings_operator

            set_settings_operator(config.operator_name(self.config_path))
            self._audit = AuditLog(config.data_dir() / "history.sqlite3")
        return self._audit

    @property
    def operator(self) -> str:
        """Who is at the keyboard: ``VPW_OPERATOR``, else the Settings name, else the OS user."""
        from desktop.store.audit import current_operator, set_settings_operator

        if not self._operator_read:
            set_settings_operator(config.operator_name(self.config_path))
            self._operator_read = True
        return current_operator()

    def record(
        self, action: str, *, subject: str = "", outcome: str = "", details: dict[str, object] | None = None
    ) -> None:
        """One audit event on the current profile (its name; an unreadable profile is named as such)."""
        try:
            profile = self.profile.name
        except Exception:  # the event must be written even when the profile is broken
            profile = self.profile_name or "?"
        self.audit.record(action, subject=subject, outcome=outcome, profile=profile, details=details)

    def ensure_sandbox(self) -> None:
        """On the sandbox profile, make sure a sandbox answers: use one already listening at the
        profile's address, else start one in-process for the life of this context (its state is
        on disk, so both ways see the same enrolled speakers)."""
        p = self.profile
        if not p.is_sandbox or self._sandbox is not None:
            return
        if sandbox_listening(p.sandbox.host, p.sandbox.port):
            return
        from desktop.sandbox.server import SandboxConfig, SandboxThread, default_state_dir

        cfg = SandboxConfig(host=p.sandbox.host, port=p.sandbox.port, state_dir=default_state_dir())
        if p.sandbox.threshold:
            cfg.threshold = p.sandbox.threshold
        try:
            self._sandbox = SandboxThread(cfg).start()
        except OSError:
            # The port is taken by something that is not a sandbox: take any free port instead.
            cfg.port = 0
            self._sandbox = SandboxThread(cfg).start()
        if self._sandbox.port != p.sandbox.port:
            config.move_sandbox(p, self._sandbox.port)
        log.info("started an in-process sandbox on %s:%s", p.sandbox.host, p.sandbox.port)

    def reload_profile(self, name: str | None = None) -> None:
        """Switch to profile ``name`` (``None``: the same one, re-read after an edit). A sandbox
        this context started keeps running, and the sandbox profile keeps pointing at it."""
        if name is not None:
            self.profile_name = name
        self._profile = None
        p = self.profile
        if p.is_sandbox and self._sandbox is not None and self._sandbox.port != p.sandbox.port:
            config.move_sandbox(p, self._sandbox.port)
        if p.is_sandbox and self._sandbox is not None:
            # A threshold edited in Settings or applied by calibration counts from the next attempt.
            self._sandbox.cfg.threshold = p.sandbox.threshold

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None
        if self._history is not None:
            self._history.close()
            self._history = None
        if self._audit is not None:
            self._audit.close()
            self._audit = None
