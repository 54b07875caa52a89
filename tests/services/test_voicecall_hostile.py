"""The platform's answer to callVerify is untrusted too: whatever bytes come back, the client
returns a result or raises a readable ``VpwError``, and the attempt can be stored and read back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.config import VoicecallSettings
from desktop.errors import ProtocolFailure, VpwError
from desktop.services.voicecall import CallRequest, InputError, VoicecallClient, prepare
from desktop.store.calls import CallStore
from tests.services.test_callbacks_fuzz import EXAMPLES, bodies, texts
from tests.services.voicecall_support import assert_readable


class Replies:
    def __init__(self, body: bytes, status: int = 200) -> None:
        self.body, self.status = body, status

    def post(self, url: str, **kw: Any) -> Any:
        resp = requests.Response()
        resp.status_code = self.status
        resp._content = self.body
        return resp


def settings_() -> VoicecallSettings:
    return VoicecallSettings(
        url="https://rtccall.example.com", app_key="k", app_secret="s", display_nbr="+8657100000000"
    )


def attempt(store: CallStore, body: bytes, status: int = 200) -> None:
    """What `vpw call` and the Phone panel do with one answer."""
    client = VoicecallClient(settings_(), Replies(body, status))  # type: ignore[arg-type]
    try:
        result = client.call_verify(CallRequest(callee="+8613800000001"), retry_zone=False)
    except VpwError as exc:
        store.record_call(callee="+8613800000001", resultcode=exc.code or "", resultdesc=exc.message)
        assert exc.message.strip()
        return
    store.record_call(
        callee="+8613800000001",
        session_id=result.session_id,
        resultcode=result.resultcode,
        resultdesc=result.resultdesc,
    )


@pytest.mark.parametrize(
    "body",
    [
        b'{"resultcode": "1010002", "resultdesc": "bad \\ud800 field \\u001b[31m"}',
        b'{"resultcode": "0", "resultdesc": "Success", "sessionId": "s\\udfff\\u0000id"}',
        b'{"resultcode": "0", "resultdesc": "Success", "sessionId": ' + b"9" * 400 + b"}",
        b'{"resultcode": NaN, "resultdesc": Infinity}',
        b'{"resultcode": 1e999}',
        b"[" * 50_000 + b"]" * 50_000,
        b"[]",
        b"null",
        b'"0"',
        b'{"resultcode": "0", "resultdesc": "' + b"x" * 2_000_000 + b'", "sessionId": "big"}',
    ],
)
def test_hostile_answers_are_errors_or_results_and_store_readably(tmp_path: Path, body: bytes) -> None:
    store = CallStore(tmp_path / "h.sqlite3")
    attempt(store, body)
    assert len(store.calls()) == 1
    assert_readable(store)
    store.close()


def test_a_deep_answer_is_a_protocol_failure() -> None:
    client = VoicecallClient(settings_(), Replies(b"[" * 50_000 + b"]" * 50_000))  # type: ignore[arg-type]
    with pytest.raises(ProtocolFailure):
        client.call_verify(CallRequest(callee="+8613800000001"))


def test_a_huge_language_type_is_an_input_error() -> None:
    with pytest.raises(InputError):
        prepare(CallRequest(callee="+8613800000001", language=10**30), settings_())


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    body=bodies
    | st.builds(
        lambda d: json.dumps(d).encode(),
        st.fixed_dictionaries(
            {"resultcode": texts | st.just("0")}, optional={"resultdesc": texts, "sessionId": texts, "idlePort": texts}
        ),
    ),
    status=st.sampled_from([200, 400, 401, 403, 500]),
)
def test_fuzzed_answers_never_escape_as_anything_but_a_vpw_error(body: bytes, status: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        store = CallStore(Path(tmp) / "h.sqlite3")
        attempt(store, body, status)
        assert_readable(store)
        store.close()
