"""Every UI string is translated into Chinese, and the Chinese window really shows it.

The .ts files in resources/translations are the source of truth. lupdate is run over desktop/ui
into a temporary copy: any ``tr()`` string that the committed file lacks shows up there as
unfinished, so a new untranslated string fails here, not in front of an operator.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel

from tests.gui.conftest import dispose

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "vpw_zh_CN.ts"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))
from ts_tools import messages, unfinished  # noqa: E402


def lupdate_into(copy: Path) -> None:
    sources = sorted(str(p) for p in (ROOT / "desktop" / "ui").rglob("*.py"))
    sources.append(str(ROOT / "desktop" / "calibrate" / "plot.py"))  # Qt-drawn, used by the CLI too
    subprocess.run(
        [str(BIN / "pyside6-lupdate"), "-silent", "-locations", "none", "-target-language", "zh_CN", *sources,
         "-ts", str(copy)],
        check=True, capture_output=True,
    )  # fmt: skip


def test_committed_translation_is_complete() -> None:
    missing = unfinished(TS)
    assert not missing, f"untranslated in {TS.name}: {missing}"


def test_every_tr_string_in_the_source_is_translated(tmp_path: Path) -> None:
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    lupdate_into(copy)
    # desktop.i18n.tr("key") calls look like Qt's tr() to lupdate: they are the CLI table's keys.
    missing = [(ctx, src) for ctx, src in unfinished(copy) if ctx != "i18n"]
    assert not missing, "new UI strings need a zh_CN translation (scripts/build_translations --update): " + repr(
        missing
    )


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\d", text))


def test_translations_keep_placeholders_and_accelerators() -> None:
    for ctx, source, translation in messages(TS):
        zh = "".join(translation.itertext())
        assert _placeholders(zh) == _placeholders(source), (ctx, source, zh)
        for accel in re.findall(r"&(\w)", html.unescape(source)):
            assert f"&{accel}" in zh, (ctx, source, zh)


@pytest.fixture
def compiled() -> None:
    qm = TS.with_suffix(".qm")
    if not qm.exists() or qm.stat().st_mtime < TS.stat().st_mtime:
        subprocess.run([str(ROOT / "scripts" / "build_translations")], check=True, capture_output=True)


def test_chinese_window_shows_no_english_ui_strings(qtbot: Any, sandbox: Any, compiled: None) -> None:
    from desktop.context import Context
    from desktop.ui import translations
    from desktop.ui.app import build_window

    english = {source for _ctx, source, _tr in messages(TS)}
    ctx = Context()
    win = build_window(ctx, lang="zh_CN")
    try:
        win.show()
        assert "声纹工作站" in win.windowTitle()
        assert "沙箱" in win.banner.label.text()
        left: list[str] = []
        for i, panel in enumerate(win.panels):
            win.show_panel(i)
            assert win.nav.item(i).text() not in english, win.nav.item(i).text()
            for widget in panel.findChildren(QLabel) + panel.findChildren(QAbstractButton):
                text = widget.text()
                if text and text in english and text.strip() not in ("AppCode", "Key", "Secret", "App ID"):
                    left.append(f"{type(panel).__name__}: {text!r}")
            left += [
                f"{type(panel).__name__}: {g.title()!r}" for g in panel.findChildren(QGroupBox) if g.title() in english
            ]
        assert not left, left
    finally:
        dispose(win)
        ctx.close()
        translations.install(QApplication.instance(), "en")  # the next tests expect English
