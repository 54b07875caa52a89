"""The stop_recognize parser: the seed's literal example, spacing variants, odd names, garbage."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.services.voiceprint_result import Candidate, SessionResult, digit_diff, parse_candidates

SEED_REPLY_DATA = "test,score= 0.816818;test1 , score = 0.7879;test2 , score = 0.749334;, number = 75339335"


def test_seed_example_literal() -> None:
    parsed = parse_candidates(SEED_REPLY_DATA)
    assert parsed.understood
    assert parsed.candidates == [
        Candidate("test", 0.816818),
        Candidate("test1", 0.7879),
        Candidate("test2", 0.749334),
    ]
    assert parsed.number == "75339335"


def test_seed_example_is_the_one_in_the_seed_file() -> None:
    seed = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_e0d0397239f398a5.txt"
    if seed.exists():  # the seeds sit beside the checkout in development and CI
        assert SEED_REPLY_DATA in seed.read_text(encoding="utf-8")


def test_fewer_candidates_and_missing_number() -> None:
    parsed = parse_candidates("alice , score=0.91;")
    assert parsed.candidates == [Candidate("alice", 0.91)]
    assert parsed.number is None
    assert parsed.understood


def test_empty_number() -> None:
    parsed = parse_candidates("a,score=0.5;, number = ")
    assert parsed.number == ""
    assert parsed.understood


def test_cjk_names_spaces_and_commas() -> None:
    parsed = parse_candidates("张 三,score=0.8; Lee, Ann ,score = -0.25 ;王五,score=1e-3;,number=12")
    assert [c.name for c in parsed.candidates] == ["张 三", "Lee, Ann", "王五"]
    assert [c.score for c in parsed.candidates] == [0.8, -0.25, 0.001]
    assert parsed.number == "12"


def test_garbage_is_not_understood_and_never_raises() -> None:
    for data in ["", "user not enrolled", "<html>", None, 42, ["a"], {"x": 1}, ";;;", "a,score=x"]:
        parsed = parse_candidates(data)
        assert not parsed.understood


_name = st.text(
    alphabet=st.characters(blacklist_characters=";=\r\n", blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=12
).filter(lambda s: s.strip() != "" and not s.strip().lower().startswith("number") and not s.strip().startswith(","))
_space = st.sampled_from(["", " ", "  ", "\t"])
_score = st.floats(min_value=-1, max_value=1, allow_nan=False).map(lambda x: round(x, 6))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_name, _score, _space, _space, _space, _space), min_size=0, max_size=3),
    st.one_of(st.none(), st.text(alphabet="0123456789", max_size=10)),
    _space,
    st.booleans(),
)
def test_spacing_variants_roundtrip(
    items: list[tuple[str, float, str, str, str, str]], number: str | None, sp: str, trailing_semicolon: bool
) -> None:
    parts = [f"{name}{a},{b}score{c}={d}{score}" for name, score, a, b, c, d in items]
    text = ";".join(parts)
    if number is not None:
        text += f";{sp},{sp}number{sp}={sp}{number}"
    elif trailing_semicolon and parts:
        text += ";"
    parsed = parse_candidates(text)
    assert [(c.name, c.score) for c in parsed.candidates] == [(n.strip(), s) for n, s, *_ in items]
    assert parsed.number == number
    assert parsed.understood == bool(items or number is not None)


def _result(**kw: object) -> SessionResult:
    base: dict[str, object] = dict(kind="verify", user="a", status=200, voice_accepted=True)
    base.update(kw)
    return SessionResult(**base)  # type: ignore[arg-type]


def test_digits_match_and_decision() -> None:
    assert _result(prompt="1234", number="1234").accepted
    mismatch = _result(prompt="1234", number="1243")
    assert mismatch.digits_match is False and not mismatch.accepted and mismatch.voice_accepted
    # Nothing heard: nothing to compare, the voice decides.
    assert _result(prompt="1234", number="").digits_match is None
    assert _result(prompt="1234", number="").accepted
    # Unparseable: not checked, never a rejection.
    garbage = _result(status=None, voice_accepted=False, understood=False)
    assert not garbage.checked


def test_digit_diff() -> None:
    assert digit_diff("123", "124") == [("1", "1", True), ("2", "2", True), ("3", "4", False)]
    assert digit_diff("12", "123")[-1] == ("", "3", False)
