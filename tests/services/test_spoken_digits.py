"""Digits in a transcript, in every spelling a recogniser (or a person) may use."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.services.spoken_digits import DIGIT_WORDS, digits_in

HANZI = "零一二三四五六七八九"
FULL_WIDTH = "０１２３４５６７８９"


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("4071", "4071"),
        ("four zero seven one", "4071"),
        ("Four, Oh, Seven, One.", "4071"),
        ("四零七一", "4071"),
        ("幺两三〇", "1230"),
        ("我的号码是 ４０７１ 谢谢", "4071"),
        ("four 0 seven 一", "4071"),
        ("someone has money", ""),  # "one" inside a word is no digit
        ("to for won ate", ""),  # homophones are words, not digits
        ("", ""),
        ("hello world", ""),
    ],
)
def test_spellings(text: str, digits: str) -> None:
    assert digits_in(text) == digits


@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.sampled_from(["ascii", "word", "Word", "hanzi", "full"])),
        max_size=12,
    ),
    st.sampled_from([" ", ", ", "，", "-", "  "]),
)
def test_any_mix_of_spellings_reads_back(parts: list[tuple[int, str]], sep: str) -> None:
    spelt = {
        "ascii": lambda d: str(d),
        "word": lambda d: DIGIT_WORDS[d],
        "Word": lambda d: DIGIT_WORDS[d].upper(),
        "hanzi": lambda d: HANZI[d],
        "full": lambda d: FULL_WIDTH[d],
    }
    text = sep.join(spelt[kind](d) for d, kind in parts)
    assert digits_in(text) == "".join(str(d) for d, _ in parts)


@given(st.text())
def test_never_raises_and_returns_only_ascii_digits(text: str) -> None:
    assert set(digits_in(text)) <= set("0123456789")
