"""The digits in a speech-recognition transcript, however the recogniser wrote them.

Rokid's real ASR writes Chinese ("四零七一", "幺" for one, "两" for two), the sandbox's English
recogniser writes numerals for a digit string and words otherwise, and a person may mix them
("four 0 seven 一"). The Verify panel's cross-check and the self-test compare these digits with
the prompt, so every spelling of a digit counts and nothing else does.
"""

from __future__ import annotations

import re
import unicodedata

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_WORDS = {w: str(i) for i, w in enumerate(DIGIT_WORDS)} | {"oh": "0"}
# Mandarin digits as ASR writes them; 幺 (yāo) is how one is read out in phone and ID numbers.
_HANZI = {"零": "0", "〇": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3", "四": "4",
          "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}  # fmt: skip
_LATIN_WORD = re.compile(r"[a-z]+")


def digits_in(text: str) -> str:
    """Every digit spoken in ``text``, in order, as ASCII numerals ("" when there are none)."""
    out: list[str] = []
    lowered = text.lower()
    i = 0
    while i < len(lowered):
        ch = lowered[i]
        word = _LATIN_WORD.match(lowered, i)
        if word:
            # A whole word only: "one" in "someone" or "money" is not a digit.
            if word.group() in _WORDS:
                out.append(_WORDS[word.group()])
            i = word.end()
            continue
        if ch in _HANZI:
            out.append(_HANZI[ch])
        elif ch.isdecimal():  # ASCII, full-width and other scripts' numerals
            out.append(str(unicodedata.decimal(ch)))
        i += 1
    return "".join(out)
