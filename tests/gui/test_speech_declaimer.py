"""The Speech panel's voice is a pick list that also takes a typed name (issue 11): the upstream
voices xmly and e2e are listed, and any other name is sent to Rokid as typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.gui.test_speech_panels import idle, make_panel  # noqa: F401  (fixture)


def test_listed_and_typed_voices(qtbot: Any, make_panel: Any, tmp_path: Path) -> None:  # noqa: F811
    p = make_panel("speech")
    assert p.declaimer.isEditable()
    assert p.declaimer.findData("xmly") >= 0 and p.declaimer.findData("e2e") >= 0
    p.declaimer.setCurrentIndex(p.declaimer.findData("c1"))
    assert p._choice()[1] == "c1"  # the item's name, not its label "Child (c1)"
    p.text.setPlainText("你好")
    p.declaimer.setEditText("xmly")
    assert p._choice()[1] == "xmly"
    p.save_to(tmp_path / "x.wav")
    idle(qtbot, p)
    assert not p.error.isVisible(), p.error.text()
    assert p.audio.declaimer == "xmly"
    p.declaimer.setEditText("no such voice")  # a space: refused before anything is sent
    p.save_to(tmp_path / "y.wav")
    idle(qtbot, p)
    assert p.error.isVisible() and "declaimer" in p.error.text()
