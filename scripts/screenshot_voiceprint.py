"""Screenshots of the shell and the Enrol, Verify, History and Settings panels, in English and
Chinese, each in a meaningful state. Run through ``scripts/screenshots`` (it starts Xvfb):

    xvfb-run -a .venv/bin/python scripts/screenshot_voiceprint.py [OUT_DIR]   (default docs/screenshots)

Everything is real: a private sandbox (temporary config, data, keyring), its speaker engine and
its digit reader; the speakers are eSpeak NG voices (``tests/sandbox/speech.py``). Enrol shows a
finished enrolment from a file; Verify shows an accepted attempt (the speaker reads the digits
shown), a rejected one whose digits differ, and another voice claiming to be the same person,
each with the Rokid ASR cross-check of the digits turned on; before those, a claimed name nobody
enrolled, flagged before anyone speaks; after them, the rejection escalated to the Phone panel.
All at the default window size, 1100×720.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def spoken(digits: str) -> str:
    return ", ".join(WORDS[int(d)] for d in digits)


def wait(app: Any, predicate: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        app.processEvents()
        time.sleep(0.01)
    if not predicate():
        raise RuntimeError("timed out")
    for _ in range(30):  # let layouts settle and paint
        app.processEvents()
        time.sleep(0.005)


def wav(path: Path, pcm: Any) -> Path:
    import numpy as np
    import soundfile as sf

    sf.write(str(path), np.asarray(pcm, dtype=np.int16), 16000, subtype="PCM_16")
    return path


def shoot(app: Any, lang: str, home: Path, out_dir: Path) -> None:
    import numpy as np

    from desktop.audio.frames import split_frames
    from desktop.context import Context
    from desktop.ui.app import build_window
    from tests.sandbox.speech import VOICES, speech, synthesize

    def shot(name: str) -> None:
        path = out_dir / f"{name}_{lang}.png"
        win.grab().save(str(path))
        print(path)

    ctx = Context()
    win = build_window(ctx, app, lang)
    try:
        win.resize(1100, 720)  # the default window size: everything must fit it
        win.show()
        wait(app, lambda: win.ui.connection is not None and win.ui.connection.state == "connected")
        shot("window")  # the shell: banner, navigation, status bar

        client = win.ui.connection.client
        for other in ("bob", "carol"):
            assert client.enroll(other, split_frames(speech(other, 0, 1))).voice_accepted

        enrol = win.panel("EnrolPanel")
        win.show_panel(win.panels.index(enrol))
        name = "Li Na" if lang == "en" else "李娜"
        enrol.user.setText(name)
        enrol.consent_box.setChecked(True)
        # As the panel asks: the digits shown, then natural speech (enrolled as one take).
        reading = np.concatenate([synthesize(spoken(enrol.prompt), VOICES["alice"]), speech("alice", 0, 1, 2)])
        enrol.start_files(name, [wav(home / "alice-enrol.wav", reading)])
        wait(app, lambda: not enrol.busy)
        shot("enrol")

        verify = win.panel("VerifyPanel")
        win.show_panel(win.panels.index(verify))
        verify.cross_check_box.setChecked(True)  # Rokid ASR's second opinion on the digits
        verify.user.setText("Wang Wu" if lang == "en" else "王五")  # nobody enrolled this name
        wait(app, lambda: verify.not_enrolled)
        shot("verify_not_enrolled")  # flagged before anyone speaks
        attempts: list[tuple[str, str, Callable[[str], str]]] = [
            ("verify", "alice", lambda p: p),  # reads the digits shown
            ("verify_digits", "alice", lambda p: p[:2] + str((int(p[2]) + 3) % 10) + p[3:]),  # misreads one
            ("verify_rejected", "bob", lambda p: p),  # another voice
        ]
        for shot_name, speaker, read in attempts:
            verify.user.setText(name)
            verify.reference_edit.setText("CASE-2026-0042")
            verify.phone_edit.setText("+86 138 0000 0001")
            verify.before_attempt()  # the digits of the previous result give way to fresh ones
            audio = synthesize(spoken(read(verify.prompt)), VOICES[speaker])
            verify.start_files(name, [wav(home / f"{shot_name}.wav", audio)])
            wait(app, lambda: not verify.busy and not verify.cross_check.running)
            shot(shot_name)  # the digits read stay beside their comparison

        verify.escalate_button.click()  # the rejection, one click from a phone code
        wait(app, lambda: win.stack.currentWidget() is win.panel("PhonePanel"))
        shot("phone_escalated")

        for panel_name, shot_name in (("HistoryPanel", "history"), ("SettingsPanel", "settings"),
                                      ("CalibrationPanel", "calibration")):  # fmt: skip
            panel = win.panel(panel_name)
            if panel is not None:
                win.show_panel(win.panels.index(panel))
                wait(app, lambda: True)
                shot(shot_name)

        assessment: Any = win.panel("AssessmentPanel")
        if assessment is not None:  # a warrant issued by the sandbox's SingSound
            win.show_panel(win.panels.index(assessment))
            wait(app, lambda: assessment.client_ip.text() != "")
            assessment.user.setText("pupil-0042")
            assessment.get_button.click()
            wait(app, lambda: not assessment.busy)
            shot("assessment")
    finally:
        win.close()
        ctx.close()
        app.processEvents()


def main(out_dir: Path) -> int:
    home = Path(tempfile.mkdtemp(prefix="vpw-shots-vp-"))
    for var in list(os.environ):
        if var.startswith("VPW_"):
            del os.environ[var]
    os.environ.update(
        VPW_CONFIG_DIR=str(home / "config"), PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        XDG_DATA_HOME=str(home / "xdg"),
    )  # fmt: skip
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from desktop.sandbox.server import SandboxConfig, SandboxThread
    from desktop.ui.app import make_app

    app = make_app()
    out_dir.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "zh_CN"):
        # A fresh sandbox and history per language: the same voice enrolled under two names
        # would make a true but confusing picture.
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
