"""Widgets draw what they are given: scores with the claimed user marked, digit comparison,
decision words, the digit prompt, the waveform envelope."""

from __future__ import annotations

from typing import Any

import numpy as np

from desktop.services.voiceprint_result import Candidate
from desktop.ui import verdict as v
from desktop.ui.widgets.decision import DecisionBanner
from desktop.ui.widgets.digits import DigitComparison, DigitPrompt, fresh_digits
from desktop.ui.widgets.scores import ScoreBars
from desktop.ui.workers import envelope


def test_scores_highlight_the_claimed_user_wherever_it_ranks(qtbot: Any) -> None:
    bars = ScoreBars()
    qtbot.addWidget(bars)
    bars.show_candidates([Candidate("bob", 0.91), Candidate("alice", 0.7), Candidate("<i>x</i>", 1.7)], "alice")
    assert bars.highlighted == 1
    assert "(claimed)" in bars.names[1].text() and "(claimed)" not in bars.names[0].text()
    assert [b.value() for b in bars.bars] == [910, 700, 1000]  # clamped to the bar, number kept
    assert bars.values[2].text() == "1.7000"
    assert "&lt;i&gt;" in bars.names[2].text()  # names are text, not markup
    bars.show_candidates([], "alice")
    assert bars.highlighted is None and bars.names[0].text() == "No candidates"
    assert bars.bars[0].isHidden()


def test_digit_comparison(qtbot: Any) -> None:
    cmp = DigitComparison()
    qtbot.addWidget(cmp)
    cmp.show_comparison("12345678", "1234568")
    assert cmp.same == [True] * 6 + [False, False]
    assert cmp.cells[7][1].text() == "·"  # a digit not heard at all
    cmp.show_comparison("1234", None)
    assert cmp.cells == [] and "no digits" in cmp.summary.text()


def test_decision_words(qtbot: Any) -> None:
    banner = DecisionBanner()
    qtbot.addWidget(banner)
    banner.show_verdict(v.Verdict(v.NOT_CHECKED, v.OFFLINE, "Cannot reach ws://x"))
    assert banner.word.text() == "NOT CHECKED" and banner.property("decision") == "not_checked"
    assert "could not be reached" in banner.reason.text()
    banner.show_verdict(v.Verdict(v.REFUSED, v.TOO_SHORT, "too short"))
    assert banner.word.text() == "NOT ENROLLED" and banner.property("decision") == "rejected"


def test_prompt_digits_are_fresh_and_spaced(qtbot: Any) -> None:
    seen = {fresh_digits() for _ in range(50)}
    assert len(seen) == 50 and all(len(d) == 8 and d.isdigit() for d in seen)
    prompt = DigitPrompt()
    qtbot.addWidget(prompt)
    prompt.set_digits("75339335")
    assert prompt.text() == "7 5 3 3 9 3 3 5"
    assert "7 5 3" in prompt.accessibleName()


def test_envelope_pairs() -> None:
    pcm = (np.sin(np.arange(1600) / 5) * 16384).astype("<i2")
    pairs = envelope(pcm.tobytes())
    assert len(pairs) == 20
    assert all(lo <= hi for lo, hi in zip(pairs[0::2], pairs[1::2], strict=True))
    assert max(pairs) <= 0.51 and min(pairs) >= -0.51
    assert envelope(b"") == []


def test_a_new_comparison_leaves_no_old_cell_painted(qtbot: Any) -> None:
    """Old cells are deleted later (by the event loop); until then they must not show under the
    new ones (a screenshot taken straight after a second result showed both, overlapping)."""
    from PySide6.QtWidgets import QLabel

    w = DigitComparison()
    qtbot.addWidget(w)
    w.show()
    w.show_comparison("12345678", "12345670")
    w.show_comparison("87654321", "87654321")
    shown = [c.text() for c in w.grid_host.findChildren(QLabel) if c.isVisible()]
    assert shown == ["Prompt", "Heard", *[d for pair in zip("87654321", "87654321", strict=True) for d in pair]]
