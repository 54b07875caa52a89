"""Shared hypothesis settings for the fuzz tests of every parser that reads another party's bytes.

CI runs a short budget; run a longer one by hand with, e.g.::

    VPW_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests -q -p no:cacheprovider -k fuzz

(the variable is read at import, before the suite's fixtures clear ``VPW_*`` variables).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = max(1, int(os.environ.get("VPW_FUZZ_EXAMPLES", "60")))

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a shared 2-core CI machine makes per-example timing meaningless
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    database=None,  # nothing written under the work tree
)

# The hostile classes of issue 11, as values a JSON document may carry.
LONE_SURROGATES = st.sampled_from(["\ud800", "\udfff", "a\udc80b", "\ud83d"])
CONTROL = st.text(alphabet=st.characters(max_codepoint=0x9F, categories=["Cc"]), min_size=1, max_size=8)
NASTY_STRINGS = st.one_of(LONE_SURROGATES, CONTROL, st.text(max_size=40), st.just("x" * 70_000))
NASTY_NUMBERS = st.one_of(
    st.just(float("nan")),
    st.just(float("inf")),
    st.just(float("-inf")),
    st.integers(min_value=2**63, max_value=2**200),
    st.integers(max_value=-(2**63) - 1, min_value=-(2**200)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.booleans(),
)
SCALARS = st.one_of(st.none(), NASTY_STRINGS, NASTY_NUMBERS)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=8), LONE_SURROGATES), inner, max_size=4)
    ),
    max_leaves=12,
)


def deep(depth: int, kind: str = "list") -> str:
    """JSON nested ``depth`` levels deep: Python's parser raises RecursionError past ~1000."""
    if kind == "list":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


HOSTILE_DOCS = [
    deep(100_000),
    deep(5000, "dict"),
    '{"status": ' + "9" * 5000 + "}",  # past Python's int digit limit
    '{"status": ' + "9" * 40 + ', "type": "stop_recognize", "data": "a,score=1e999"}',
    '{"status": NaN, "data": "x"}',
    '{"status": Infinity, "data": "x"}',
    '{"status": -Infinity}',
    '{"status": 200, "data": "\\ud800,score=0.9;, number = 1"}',
    '{"status": 200, "data": "\\u001b[2Jevil,score=0.9"}',
    "[]",
    "[1, 2]",
    '"a string"',
    "null",
    "true",
    "1e999",
    "",
    "\x00\x01",
    '{"status": "200", "type": 7, "data": {"deep": [[[[1]]]]}}',
    '{"status": true}',
]
