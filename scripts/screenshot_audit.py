"""Screenshots of the Speakers panel, the History panel listing several kinds of audited event,
and the deletion confirmation, in English and Chinese, at the default window size (1100×720).
Run through ``scripts/screenshots`` (it starts Xvfb):

    xvfb-run -a .venv/bin/python scripts/screenshot_audit.py [OUT_DIR]   (default docs/screenshots)

Everything is real: a private sandbox and data folder; speakers are enrolled through the Enrol
panel with consent, one is verified, a call is placed and called back, a warrant refused, the
threshold changed, and one person deleted (so History shows the deletion and the trail kept).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from screenshot_voiceprint import wait, wav  # noqa: E402 - after the path is set

DEFAULT_SIZE = (1100, 720)


def shoot(app: Any, lang: str, home: Path, out_dir: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop.context import Context
    from desktop.speakers import delete_person
    from desktop.store.calls import CallStore
    from desktop.store.warrants import WarrantLog
    from desktop.ui import deletion
    from desktop.ui.app import build_window
    from tests.sandbox.speech import speech

    def shot(widget: Any, name: str) -> None:
        path = out_dir / f"{name}_{lang}.png"
        widget.grab().save(str(path))
        print(path)

    zh = lang != "en"
    names = ["王芳", "李娜", "张伟"] if zh else ["Wang Fang", "Li Na", "Zhang Wei"]
    voices = ["alice", "bob", "carol"]
    ctx = Context()
    win = build_window(ctx, app, lang)
    try:
        win.resize(*DEFAULT_SIZE)
        win.show()
        wait(app, lambda: win.ui.connection is not None and win.ui.connection.state == "connected")
        enrol = win.panel("EnrolPanel")
        win.show_panel(win.panels.index(enrol))
        for name, voice in zip(names, voices, strict=True):
            enrol.user.setText(name)
            enrol.consent_box.setChecked(True)
            enrol.start_files(name, [wav(home / f"{voice}.wav", speech(voice, 0, 1, 2))])
            wait(app, lambda: not enrol.busy)
        verify = win.panel("VerifyPanel")
        win.show_panel(win.panels.index(verify))
        verify.user.setText(names[0])
        verify.start_files(names[0], [wav(home / "probe.wav", speech("alice", 3, 4))])
        wait(app, lambda: not verify.busy)

        db = ctx.history.path
        calls = CallStore(db)
        calls.record_call(session_id="sid-0001", callee="+8613800000001", resultcode="0", profile="sandbox",
                          code_length=6)  # fmt: skip
        calls.add_status("callout", {"sessionId": "sid-0001", "timestamp": "2026-12-04 10:00:01"})
        calls.add_status("disconnect", {"sessionId": "sid-0001", "timestamp": "2026-12-04 10:00:31"})
        calls.close()
        warrants = WarrantLog(db)
        warrants.record("device:lab-3", "student-17", "10.0.0.7", message="rate limit")
        warrants.close()
        ctx.record("threshold", subject="sandbox", outcome="ok", details={"old": 0.8080, "new": 0.80805})
        delete_person(ctx, names[2])
        win.ui.bus.history_changed.emit()

        speakers = win.panel("SpeakersPanel")
        win.show_panel(win.panels.index(speakers))
        wait(app, lambda: len(speakers.speakers) == 2)
        speakers.select(names[1])
        shot(win, "speakers")

        box = QMessageBox(QMessageBox.Icon.Question, "", deletion.confirmation_text(win.ui, names[1]),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, win)  # fmt: skip
        box.setWindowTitle(win.tr("Delete a person"))
        box.show()
        wait(app, lambda: box.isVisible())
        shot(box, "speakers_delete")
        box.close()

        history = win.panel("HistoryPanel")
        win.show_panel(win.panels.index(history))
        wait(app, lambda: history.model.rowCount() >= 10)
        history.table.selectRow(1)  # the threshold change: its exact values show below the table
        shot(win, "history_events")
    finally:
        win.close()
        ctx.close()
        app.processEvents()


def main(out_dir: Path) -> int:
    home = Path(tempfile.mkdtemp(prefix="vpw-shots-audit-"))
    for var in list(os.environ):
        if var.startswith("VPW_"):
            del os.environ[var]
    os.environ.update(
        VPW_CONFIG_DIR=str(home / "config"), PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        XDG_DATA_HOME=str(home / "xdg"), VPW_OPERATOR="op-zhao",
    )  # fmt: skip
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from desktop.sandbox.server import SandboxConfig, SandboxThread
    from desktop.ui.app import make_app

    app = make_app()
    out_dir.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "zh_CN"):
        lang_home = home / lang
        lang_home.mkdir()
        os.environ["VPW_DATA_DIR"] = str(lang_home / "data")
        os.environ["VPW_SANDBOX_DIR"] = str(lang_home / "sandbox")
        sandbox = SandboxThread(SandboxConfig(port=0, state_dir=lang_home / "sandbox")).start()
        os.environ["VPW_SANDBOX_PORT"] = str(sandbox.port)
        try:
            shoot(app, lang, lang_home, out_dir)
        finally:
            sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
