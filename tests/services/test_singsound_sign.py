"""``request_sign`` against the seed: its own Python example, run from the seed's text, and a
reference MD5 built by hand from the seed's rule."""

from __future__ import annotations

import hashlib
import re
import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.errors import ConfigError
from desktop.services.singsound import request_sign, unix_timestamp
from tests.services.singsound_support import SEED

# The seed's signature example, verbatim, so the test runs even where /work/shared is absent; when
# the seed is there, the test checks that this really is its text.
SEED_EXAMPLE = '''from hashlib import md5

def generate_signature(app_id, timestamp, user_id, user_client_ip, app_secret):
  """
  根据给定的参数生成签名字符串。
  """
  params = {'appid': app_id, 'timestamp': str(timestamp),'user_id': user_id, 'user_client_ip': user_client_ip,'app_secret': app_secret}
  sorted_params = dict(sorted(params.items()))
  query_string = '&'.join([f"{k}={v}" for k, v in sorted_params.items()])
  signature = md5(query_string.encode()).hexdigest()
  return signature

# 示例
app_id = 'a111'
timestamp = 1603885321
user_id = 'w9egtDf3PMAOaxZVGSlQUip12no6WCvu'
user_client_ip = '111.111.XXX.XXX'
app_secret = 'wHkC1SMmDLrVO86vcydG2ax4oPYuqiIh'
'''  # noqa: E501 - verbatim seed text


def seed_example() -> str:
    if SEED.exists():
        text = SEED.read_text(encoding="utf-8")
        assert SEED_EXAMPLE in text, "the embedded example no longer matches the seed"
    return SEED_EXAMPLE


def example_inputs() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ("app_id", "timestamp", "user_id", "user_client_ip", "app_secret"):
        m = re.search(rf"^{name} = (.+)$", seed_example(), re.M)
        assert m, name
        raw = m.group(1).strip()
        values[name] = raw.strip("'") if raw.startswith("'") else int(raw)
    return values


def test_seed_example_inputs_are_the_ones_the_issue_names() -> None:
    v = example_inputs()
    assert v["app_id"] == "a111" and v["timestamp"] == 1603885321


def test_our_sign_equals_a_hand_built_reference_for_the_seed_example() -> None:
    v = example_inputs()
    # The seed's rule written out: the five names in ascending order, k=v joined by '&', MD5.
    reference_string = (
        f"app_secret={v['app_secret']}&appid={v['app_id']}&timestamp={v['timestamp']}"
        f"&user_client_ip={v['user_client_ip']}&user_id={v['user_id']}"
    )
    reference = hashlib.md5(reference_string.encode()).hexdigest()
    ours = request_sign(v["app_id"], v["timestamp"], v["user_id"], v["user_client_ip"], v["app_secret"])
    assert ours == reference
    assert re.fullmatch(r"[0-9a-f]{32}", ours)


def test_our_sign_equals_the_seeds_own_python_function() -> None:
    namespace: dict[str, Any] = {}
    code = seed_example()
    exec(compile(code, "seed-002-example", "exec"), namespace)  # the seed's code, as published
    v = example_inputs()
    theirs = namespace["generate_signature"](
        v["app_id"], v["timestamp"], v["user_id"], v["user_client_ip"], v["app_secret"]
    )
    assert request_sign(v["app_id"], str(v["timestamp"]), v["user_id"], v["user_client_ip"], v["app_secret"]) == theirs


def test_every_field_changes_the_sign() -> None:
    base = ("a111", "1603885321", "user-1", "10.0.0.1", "secret")
    signs = {request_sign(*base)}
    for i in range(5):
        changed = list(base)
        changed[i] += "x"
        signs.add(request_sign(*changed))  # type: ignore[arg-type]
    assert len(signs) == 6


text = st.text(alphabet=string.ascii_letters + string.digits + "-_.:", min_size=1, max_size=40)


@given(appid=text, ts=st.integers(1_000_000_000, 9_999_999_999), user=text, ip=text, secret=text)
def test_sign_is_the_sorted_query_string_md5(appid: str, ts: int, user: str, ip: str, secret: str) -> None:
    pairs = sorted(
        {"appid": appid, "timestamp": str(ts), "user_id": user, "user_client_ip": ip, "app_secret": secret}.items()
    )
    expected = hashlib.md5("&".join(f"{k}={v}" for k, v in pairs).encode()).hexdigest()
    assert request_sign(appid, ts, user, ip, secret) == expected


def test_timestamp_is_ten_digits_and_a_broken_clock_is_refused() -> None:
    assert unix_timestamp(1603885321.9) == "1603885321"
    with pytest.raises(ConfigError):
        unix_timestamp(1603885321123)  # milliseconds by mistake
    with pytest.raises(ConfigError):
        unix_timestamp(12345)
