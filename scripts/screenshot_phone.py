"""Screenshots of the Phone panel mid-call (issue 5), in English and Chinese.

    xvfb-run -a .venv/bin/python scripts/screenshot_phone.py [OUT_DIR]   (default docs/screenshots)

Runs the real window on a private sandbox (temporary config, data and keyring), places a call
from the panel and grabs the window once the person has answered and before the call ends.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(out_dir: Path) -> int:
    home = Path(tempfile.mkdtemp(prefix="vpw-shots-"))
    for var in list(os.environ):
        if var.startswith("VPW_"):
            del os.environ[var]
    os.environ.update(
        VPW_CONFIG_DIR=str(home / "config"), VPW_DATA_DIR=str(home / "data"), VPW_SANDBOX_DIR=str(home / "sandbox"),
        PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring", XDG_DATA_HOME=str(home / "xdg"),
    )  # fmt: skip
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from PySide6.QtWidgets import QApplication

    from desktop.context import Context
    from desktop.sandbox.server import SandboxConfig, SandboxThread
    from desktop.ui.app import build_window, make_app
    from desktop.ui.panels.phone import PhonePanel

    sandbox = SandboxThread(SandboxConfig(port=0, state_dir=home / "sandbox")).start()
    os.environ["VPW_SANDBOX_PORT"] = str(sandbox.port)
    # Slow enough that "answered, code being read out" lasts long enough to be photographed.
    sandbox.cfg.faults["voicecall"] = {"event_interval_s": 1.5}
    app = make_app()
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        for lang in ("en", "zh_CN"):
            ctx = Context()
            win = build_window(ctx, app, lang)
            win.resize(1100, 720)
            win.show()
            phone = win.panel("PhonePanel")
            assert isinstance(phone, PhonePanel), "the Phone panel is not in the window"
            win.show_panel(win.panels.index(phone))
            phone.callee.setText("+86 138 0000 0001")
            phone.code.setText("482913")
            phone.times.setValue(2)
            phone.place_call()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and len(phone.view.rows) < 3:
                app.processEvents()
                time.sleep(0.02)
            assert len(phone.view.rows) == 3, f"the call did not reach 'answer' ({phone.view.rows})"
            for _ in range(20):  # let the layout settle after the last row
                app.processEvents()
                time.sleep(0.01)
            path = out_dir / f"phone_{lang}.png"
            win.grab().save(str(path))
            print(path)
            win.close()
            ctx.close()
            QApplication.processEvents()
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
