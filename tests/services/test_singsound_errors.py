"""Every code in the seed has a sentence and the seed's advice, in both languages."""

from __future__ import annotations

import re

import pytest

from desktop import i18n
from desktop.errors import AuthFailure, ProtocolFailure, ServiceRefused
from desktop.services.singsound_errors import (
    ASSESSMENT_CODES,
    AUTH_CODES,
    FAILOVER_CODES,
    error_for,
    explain,
    known_codes,
)
from tests.services.singsound_support import SEED

# The codes as the seed lists them, for when the seed is not on this machine.
SEED_AUTH = {430001, 430002, 430003, 430004, 430005, 430006, 430007, 430008, 430009}
SEED_ASSESSMENT = {
    40092,
    41008,
    41010,
    41016,
    41017,
    41018,
    41019,
    41030,
    41035,
    41036,
    42003,
    430005,
    51000,
    53000,
    70001,
}


def seed_codes() -> tuple[set[int], set[int]]:
    if not SEED.exists():
        return SEED_AUTH, SEED_ASSESSMENT
    text = SEED.read_text(encoding="utf-8")
    auth = {int(c) for c in re.findall(r"^(4300\d\d)$", text, re.M)}
    # The assessment table comes after the last "errorId" heading: each row starts with its id.
    tail = text[text.rindex("errorId") :]
    assessment = {int(c) for c in re.findall(r"^(\d{5,6})$", tail, re.M)}
    assert auth == SEED_AUTH and assessment == SEED_ASSESSMENT, "the seed's tables changed"
    return auth, assessment


def test_every_seed_code_is_known() -> None:
    auth, assessment = seed_codes()
    assert auth | assessment <= set(known_codes())
    assert set(AUTH_CODES) == auth
    assert set(ASSESSMENT_CODES) == assessment


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_code_has_a_sentence_and_advice(lang: str) -> None:
    i18n.set_language(lang)
    try:
        unknown = explain(123)
        for code in known_codes():
            text = explain(code)
            assert text != unknown and "singsound.code" not in text and "singsound.advice" not in text
            sentence = i18n.tr(f"singsound.code.{code}")
            advice = i18n.tr(f"singsound.advice.{code}")
            assert sentence in text and advice in text and len(advice) > 5
    finally:
        i18n.set_language(None)


def test_zh_sentences_are_chinese_and_en_are_not() -> None:
    table = i18n.all_messages()
    for key, texts in table.items():
        if key.startswith(("singsound.", "singsound_cli.", "warrant_server.")):
            assert texts["en"] and texts["zh"], key
            assert re.search(r"[\u4e00-\u9fff]", texts["zh"]), key
            assert not re.search(r"[\u4e00-\u9fff]", texts["en"]), key


def test_seed_advice_is_carried() -> None:
    i18n.set_language("zh")
    try:
        assert "userId" in explain(41030) and "一致" in explain(41030)
        assert "测试环境" in explain(430005)
        assert "售前" in explain(41036)
    finally:
        i18n.set_language(None)


def test_unknown_and_malformed_codes_still_read() -> None:
    assert "777" in explain(777)
    assert "abc" in explain("abc")


def test_error_classes() -> None:
    assert isinstance(error_for(430008, "", "g"), AuthFailure)
    assert isinstance(error_for(430005, "", "g"), AuthFailure)
    assert isinstance(error_for(430002, "", "g"), ProtocolFailure)
    assert isinstance(error_for(430009, "", "g"), ServiceRefused)
    assert frozenset({430009}) == FAILOVER_CODES
    err = error_for(430006, "user_id missing", "https://gate-02/auth/authorize")
    assert "gate-02" in str(err) and "user_id missing" in str(err) and err.code == "430006"
