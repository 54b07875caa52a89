"""Screenshots of the Speech and Transcribe panels (issue 4), in English and Chinese.

    xvfb-run -a .venv/bin/python scripts/screenshot_speech.py [OUT_DIR]   (default docs/screenshots)

Runs the real window on a private sandbox (temporary config, data and keyring): synthesises a
text in the Speech panel (not played: there may be no speaker), and transcribes a file of
English digits made by the sandbox's own voice in the Transcribe panel.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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

    import soundfile as sf
    from PySide6.QtWidgets import QApplication

    from desktop.context import Context
    from desktop.sandbox.engines.tts import engine
    from desktop.sandbox.server import SandboxConfig, SandboxThread
    from desktop.ui.app import build_window, make_app

    sandbox = SandboxThread(SandboxConfig(port=0, state_dir=home / "sandbox")).start()
    os.environ["VPW_SANDBOX_PORT"] = str(sandbox.port)
    digits = home / "digits.wav"
    sf.write(str(digits), engine().synthesize("five eight two three", "en", 16000), 16000, subtype="PCM_16")
    app = make_app()
    out_dir.mkdir(parents=True, exist_ok=True)

    def settle(panel: Any, what: str) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and panel.busy:
            app.processEvents()
            time.sleep(0.02)
        assert not panel.busy and not panel.error.isVisible(), f"{what}: {panel.error.text()}"
        for _ in range(20):  # let the layout settle
            app.processEvents()
            time.sleep(0.01)

    try:
        for lang in ("en", "zh_CN"):
            ctx = Context()
            win = build_window(ctx, app, lang)
            win.resize(1100, 720)
            win.show()
            speech: Any = win.panel("SpeechPanel")
            assert speech is not None, "the Speech panel is not in the window"
            win.show_panel(win.panels.index(speech))
            speech.text.setPlainText("欢迎使用声纹工作站。请在提示音后朗读屏幕上的数字。")
            speech._synthesise(lambda _audio: None)
            settle(speech, "the synthesis did not finish")
            win.grab().save(str(out_dir / f"speech_{lang}.png"))
            print(out_dir / f"speech_{lang}.png")

            transcribe: Any = win.panel("TranscribePanel")
            assert transcribe is not None, "the Transcribe panel is not in the window"
            win.show_panel(win.panels.index(transcribe))
            transcribe.use_file(digits)
            transcribe.transcribe()
            settle(transcribe, "the transcription did not finish")
            win.grab().save(str(out_dir / f"transcribe_{lang}.png"))
            print(out_dir / f"transcribe_{lang}.png")
            win.close()
            ctx.close()
            QApplication.processEvents()
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"))
