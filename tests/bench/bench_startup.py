"""Start-up time: process start to the main window shown, against a bare PySide6 ``QMainWindow``
started the same way in the same run (goal: ratio <= 1.5x).

Both are fresh ``python -c`` processes with the same interpreter and environment and the same
probe on their ``QApplication``, which prints when a top-level window is first exposed. The bare
one creates its application and a ``QMainWindow``; ours runs what the ``vpw`` entry point runs
(``desktop.cli.main``, no arguments: the GUI), with the probe put on the application it makes. The
parent times from just before spawning to reading the line. For ours it also reports "ready":
panels built and services starting (the window shows its frame first, then builds the panels in
the first event-loop turn).

Byte-code is written and warmed up first (the environment may set PYTHONDONTWRITEBYTECODE; an
installed app has its .pyc files). Runs alternate so machine load hits both alike.

Run: ``.venv/bin/python tests/bench/bench_startup.py [--runs N] [--quick]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication


class Probe(QObject):
    shown = False

    def eventFilter(self, obj, event):
        if not self.shown and event.type() == QEvent.Type.Expose and isinstance(obj, QWindow) and obj.isExposed():
            self.shown = True
            print("shown", flush=True)
            QTimer.singleShot(0, self.after_shown)
        return False

    def after_shown(self):
        for w in QApplication.topLevelWidgets():
            ready = getattr(w, "ready", None)
            if ready is not None and not getattr(w, "panels", None):
                ready.connect(self.done)
                return
        self.done()

    def done(self):
        print("ready", flush=True)
        for w in QApplication.topLevelWidgets():
            w.close()
        QApplication.quit()


probe = Probe()
"""

BARE = (
    PROBE
    + r"""
from PySide6.QtWidgets import QMainWindow

app = QApplication(sys.argv[:1])
app.installEventFilter(probe)
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1100, 720)
window.show()
sys.exit(app.exec())
"""
)

# What the ``vpw`` entry point runs (``desktop.cli:main``), with the probe put on the
# QApplication the app creates.
OURS = (
    r"""
import sys
from desktop.cli import main
import desktop.ui.app as _app
"""
    + PROBE
    + r"""
_make_app = _app.make_app


def make_app(argv=None):
    app = _make_app(argv)
    app.installEventFilter(probe)
    return app


_app.make_app = make_app
sys.exit(main(["gui"]))
"""
)


def one_run(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(seconds to "shown", seconds to "ready") from just before the process is spawned."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    times: dict[str, float] = {}
    for line in proc.stdout:
        times[line.strip()] = time.perf_counter() - start
        if line.strip() == "ready":
            break
    proc.wait(30)
    if "shown" not in times:
        raise RuntimeError(f"the child never showed a window (exit {proc.returncode})")
    return times["shown"], times.get("ready", times["shown"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="3 runs each")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    home = Path(tempfile.mkdtemp(prefix="vpw-bench-startup-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith("VPW_")}
    env.update(
        QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM", "offscreen"),
        VPW_CONFIG_DIR=str(home / "config"),
        VPW_DATA_DIR=str(home / "data"),
        VPW_SANDBOX_DIR=str(home / "sandbox"),
        VPW_SANDBOX_PORT="0",  # never a sandbox a developer has running
        VPW_LANG="en",
        PYTHONPATH=str(ROOT),
    )
    for code in (BARE, OURS):  # write and warm the byte-code and the OS file cache
        one_run(code, env)
    bare: list[tuple[float, float]] = []
    ours: list[tuple[float, float]] = []
    for _ in range(runs):
        bare.append(one_run(BARE, env))
        ours.append(one_run(OURS, env))
    b_shown = statistics.median(t[0] for t in bare)
    o_shown = statistics.median(t[0] for t in ours)
    o_ready = statistics.median(t[1] for t in ours)
    print(f"start-up, median of {runs} runs each (offscreen, {os.cpu_count()} CPUs)")
    print(f"  bare QMainWindow shown      {b_shown * 1000:7.0f} ms")
    print(f"  vpw window shown            {o_shown * 1000:7.0f} ms   ratio {o_shown / b_shown:4.2f}x  (goal <= 1.50x)")
    print(f"  vpw panels ready            {o_ready * 1000:7.0f} ms   ratio {o_ready / b_shown:4.2f}x")
    print("  runs (ms): bare " + " ".join(f"{t[0] * 1000:.0f}" for t in bare))
    print("             vpw  " + " ".join(f"{t[0] * 1000:.0f}/{t[1] * 1000:.0f}" for t in ours))
    return 0


if __name__ == "__main__":
    sys.exit(main())
