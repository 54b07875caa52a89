"""``vpw --self-test``: does this installation work here, headless? One line per check.

Meant for the packaged executable on a machine that has never seen Python (CI runs the bundle
with the environment cleared), and just as useful from a source tree. Each check is isolated:
an exception fails that check only, and a check whose prerequisite failed is reported as such
instead of failing with a confusing error. The Qt checks run last, because a Qt that cannot
start may abort the process and the other lines should already be out by then. A watchdog ends
a hung run, so CI never waits forever.

State never touches the operator's files: config, data and the sandbox live in a temporary
directory that is removed at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import i18n

if TYPE_CHECKING:
    from desktop.config import Profile
    from desktop.sandbox.server import SandboxThread

i18n.register(
    {
        "selftest.header": {
            "en": "vpw {version} self-test ({where})",
            "zh": "vpw {version} 自检（{where}）",
        },
        "selftest.bundle": {"en": "bundle at {path}", "zh": "打包程序 {path}"},
        "selftest.source": {"en": "Python {python} at {path}", "zh": "Python {python}，位于 {path}"},
        "selftest.needs": {"en": "not run: needs {names}", "zh": "未运行：依赖 {names}"},
        "selftest.passed": {
            "en": "self-test passed: {count} checks in {seconds:.1f} s",
            "zh": "自检通过：{count} 项检查，用时 {seconds:.1f} 秒",
        },
        "selftest.failed": {
            "en": "self-test FAILED: {failed} of {count} checks failed ({seconds:.1f} s)",
            "zh": "自检失败：{count} 项检查中 {failed} 项失败（用时 {seconds:.1f} 秒）",
        },
        "selftest.watchdog": {
            "en": "self-test FAILED: still running after {seconds:.0f} s; stopped",
            "zh": "自检失败：运行超过 {seconds:.0f} 秒，已中止",
        },
    }
)

WATCHDOG_S = float(os.environ.get("VPW_SELFTEST_TIMEOUT_S", "240"))


class CheckFailed(Exception):
    """A check's own verdict (as opposed to an unexpected exception): the message is the detail."""


@dataclass
class Env:
    """What the checks share: a private temporary home and what earlier checks produced."""

    tmp: Path
    sandbox: SandboxThread | None = None
    profile: Profile | None = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[Env], str]  # returns the detail of a pass; raises to fail
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    name: str
    ok: bool
    detail: str
    seconds: float


def frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def _isolate(tmp: Path) -> None:
    """Point config, data and sandbox state at ``tmp`` (this process only) so that the self-test
    never reads or changes the operator's profiles, history or enrolled speakers."""
    for var, sub in (("VPW_CONFIG_DIR", "config"), ("VPW_DATA_DIR", "data"), ("VPW_SANDBOX_DIR", "sandbox")):
        path = tmp / sub
        path.mkdir(parents=True, exist_ok=True)
        os.environ[var] = str(path)
    os.environ.pop("VPW_PROFILE", None)  # the built-in sandbox profile, whatever the operator uses
    # Headless unless the caller asked for a platform (offscreen needs no display server).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _line(outcome: Outcome) -> str:
    mark = "ok  " if outcome.ok else "FAIL"
    return f"{mark} {outcome.name:<12} {outcome.seconds:6.2f} s  {outcome.detail}"


def run_checks(checks: list[Check], env: Env, out: Callable[[str], None]) -> list[Outcome]:
    outcomes: dict[str, Outcome] = {}
    verbose = bool(os.environ.get("VPW_SELFTEST_VERBOSE"))
    for check in checks:
        missing = [n for n in check.needs if not (n in outcomes and outcomes[n].ok)]
        start = time.perf_counter()
        if missing:
            outcome = Outcome(check.name, False, i18n.tr("selftest.needs", names=", ".join(missing)), 0.0)
        else:
            try:
                detail = check.run(env)
                outcome = Outcome(check.name, True, detail, time.perf_counter() - start)
            except CheckFailed as exc:
                outcome = Outcome(check.name, False, str(exc), time.perf_counter() - start)
            except Exception as exc:  # isolation: one broken check must not hide the others
                if verbose:
                    traceback.print_exc(file=sys.stderr)
                detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
                outcome = Outcome(check.name, False, detail[:500], time.perf_counter() - start)
        outcomes[check.name] = outcome
        out(_line(outcome))
    return list(outcomes.values())


def all_checks() -> list[Check]:
    from desktop.selftest import engine, libs, qt, rokid, services

    return [*libs.CHECKS, *engine.CHECKS, *services.CHECKS, *rokid.CHECKS, *qt.CHECKS]


def _watchdog(seconds: float, out: Callable[[str], None]) -> threading.Timer:
    def expire() -> None:
        out(i18n.tr("selftest.watchdog", seconds=seconds))
        os._exit(1)  # a hung native call cannot be interrupted any other way

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    return timer


def run_self_test(checks: list[Check] | None = None) -> int:
    from desktop.version import VERSION

    def out(text: str) -> None:
        print(text, flush=True)

    started = time.perf_counter()
    where = (
        i18n.tr("selftest.bundle", path=getattr(sys, "_MEIPASS", sys.executable))
        if frozen()
        else i18n.tr("selftest.source", python=sys.version.split()[0], path=sys.executable)
    )
    out(i18n.tr("selftest.header", version=VERSION, where=where))
    timer = _watchdog(WATCHDOG_S, out)
    tmp = Path(tempfile.mkdtemp(prefix="vpw-selftest-"))
    env = Env(tmp=tmp)
    try:
        _isolate(tmp)
        outcomes = run_checks(checks if checks is not None else all_checks(), env, out)
    finally:
        for closer in env.extras.pop("closers", []):
            with contextlib.suppress(Exception):  # cleanup must not turn a pass into a crash
                closer()
        if env.sandbox is not None:
            env.sandbox.stop()
        timer.cancel()
        shutil.rmtree(tmp, ignore_errors=True)
    seconds = time.perf_counter() - started
    failed = sum(not o.ok for o in outcomes)
    if failed:
        out(i18n.tr("selftest.failed", failed=failed, count=len(outcomes), seconds=seconds))
        return 1
    out(i18n.tr("selftest.passed", count=len(outcomes), seconds=seconds))
    return 0
