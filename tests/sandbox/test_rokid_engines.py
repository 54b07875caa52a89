"""The sandbox's on-device speech engines: eSpeak NG voices and the pocketsphinx recogniser."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.sandbox.engines import asr, tts
from tests.services.rokid_support import english, padded, spoken_digits


def test_voices_and_rates() -> None:
    e = tts.engine()
    assert e.rate == 22050
    zh = e.synthesize("你好，世界", "zh")
    assert 0.5 < zh.size / e.rate < 3 and zh.dtype == np.int16
    at16 = e.synthesize("你好，世界", "zh", rate=16000)
    assert abs(at16.size / 16000 - zh.size / e.rate) < 0.01
    with pytest.raises(tts.TtsEngineError, match="unknown voice"):
        e.synthesize("x", "klingon")


def test_mandarin_reads_chinese_not_letters() -> None:
    # The cmn voice speaks each hanzi as a syllable; English text read letter-for-letter is short.
    e = tts.engine()
    assert e.synthesize("一二三四五六七八九十", "zh").size > e.rate * 2


def test_trim_and_silence() -> None:
    assert asr.trim(np.zeros(16000, np.int16)).size == 0
    quiet = padded(np.zeros(10, np.int16), 2.0)  # room noise only
    assert asr.trim(quiet).size == 0
    speech = spoken_digits("42")
    trimmed = asr.trim(padded(speech, 3.0))
    assert speech.size * 0.8 < trimmed.size < speech.size * 1.2
    assert asr.recognizer().transcribe(quiet) == ""


@pytest.mark.parametrize(("digits", "as_words"), [("0815", True), ("593172", False)])
def test_digit_strings_come_back_as_numerals(digits: str, as_words: bool) -> None:
    assert asr.recognizer().transcribe(spoken_digits(digits, as_words)) == digits


def test_sentences_are_not_forced_into_digits() -> None:
    for text in ("good afternoon everybody", "where is the station"):
        heard = asr.recognizer().transcribe(english(text))
        assert heard and not any(c.isdigit() for c in heard), heard
    assert asr.recognizer().transcribe(english("where is the station")) == "where is the station"
