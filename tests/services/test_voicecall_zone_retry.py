"""callVerify: the optional bindNbr, statusUrl/feeUrl length after base64, and the one retry on
the other Created clock after 1010013 (saying which clock worked)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from desktop.config import VoicecallSettings
from desktop.errors import AuthFailure, InputError, ServiceRefused
from desktop.services.voicecall import CallRequest, VoicecallClient, prepare

SECRET = "zone-secret"
OUT_OF_WINDOW = {"resultcode": "1010013", "resultdesc": "Time out limit."}
OK = {"resultcode": "0", "resultdesc": "Success", "sessionId": "sid-1"}


class ScriptedSession:
    """Answers each POST with the next canned answer; records the Created of each request."""

    def __init__(self, *answers: dict[str, Any]) -> None:
        self.answers = list(answers)
        self.created: list[str] = []
        self.bodies: list[dict[str, Any]] = []

    def post(self, url: str, *, data: bytes, headers: dict[str, str], timeout: float, verify: Any) -> Any:
        self.created.append(headers["X-AKSK"].split('Created="')[1].rstrip('"'))
        self.bodies.append(json.loads(data))
        answer = self.answers.pop(0)
        resp = requests.Response()
        resp.status_code = 401 if answer["resultcode"] == "1010013" else 200
        resp._content = json.dumps(answer).encode()
        return resp


def settings(**kw: Any) -> VoicecallSettings:
    base = {"url": "https://rtccall.example.com:443", "app_key": "k", "app_secret": SECRET}
    return VoicecallSettings(**(base | {"display_nbr": "+8657100000000"} | kw))


NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("zone", "first", "second", "other"), [
    ("UTC", "2026-03-01T12:00:00Z", "2026-03-01T20:00:00Z", "UTC+8"),
    ("UTC+8", "2026-03-01T20:00:00Z", "2026-03-01T12:00:00Z", "UTC"),
])  # fmt: skip
def test_1010013_is_retried_once_on_the_other_clock(zone: str, first: str, second: str, other: str) -> None:
    session = ScriptedSession(OUT_OF_WINDOW, OK)
    c = VoicecallClient(settings(created_zone=zone), session)  # type: ignore[arg-type]
    result = c.call_verify(CallRequest(callee="+8613800000001", code="1234"), now=NOW)
    assert session.created == [first, second] and session.bodies[0] == session.bodies[1]
    assert result.session_id == "sid-1" and result.created_zone == other
    (note,) = result.notes
    assert f"voicecall.created_zone = {other}" in note and f"on {zone} (1010013)" in note


def test_refused_on_both_clocks_blames_the_computer_clock() -> None:
    session = ScriptedSession(OUT_OF_WINDOW, OUT_OF_WINDOW)
    with pytest.raises(AuthFailure) as err:
        VoicecallClient(settings(), session).call_verify(CallRequest(callee="+8613800000001"))  # type: ignore[arg-type]
    assert err.value.code == "1010013" and "clock" in err.value.message and "UTC+8" in err.value.message
    assert len(session.created) == 2  # once, not a loop


def test_other_refusals_are_not_retried_and_a_later_one_is_reported() -> None:
    session = ScriptedSession({"resultcode": "1010023", "resultdesc": "Display number invalid."})
    with pytest.raises(ServiceRefused):
        VoicecallClient(settings(), session).call_verify(CallRequest(callee="+8613800000001"))  # type: ignore[arg-type]
    assert len(session.created) == 1
    session = ScriptedSession(OUT_OF_WINDOW, {"resultcode": "1010009", "resultdesc": "No more calls."})
    with pytest.raises(ServiceRefused) as err:
        VoicecallClient(settings(), session).call_verify(CallRequest(callee="+8613800000001"))  # type: ignore[arg-type]
    assert err.value.code == "1010009"


def test_a_first_try_success_has_no_note() -> None:
    result = VoicecallClient(settings(), ScriptedSession(OK)).call_verify(  # type: ignore[arg-type]
        CallRequest(callee="+8613800000001")
    )
    assert result.notes == [] and result.created_zone == "UTC"


def test_bind_nbr_is_optional_and_checked() -> None:
    assert "bindNbr" not in prepare(CallRequest(callee="+8613800000001"), settings()).body
    body = prepare(CallRequest(callee="+8613800000001", bind_nbr="+86 571 0000 0001"), settings()).body
    assert body["bindNbr"] == "+8657100000001"
    assert prepare(CallRequest(callee="+8613800000001"), settings(bind_nbr="+8657100000002")).body["bindNbr"]
    with pytest.raises(InputError) as err:
        prepare(CallRequest(callee="+8613800000001", bind_nbr="0571"), settings())
    assert err.value.code == "bindNbr" and "bind_nbr" in err.value.message


@pytest.mark.parametrize("field", ["status_url", "fee_url"])
def test_callback_urls_are_measured_after_base64(field: str) -> None:
    def req(url: str) -> CallRequest:
        r = CallRequest(callee="+8613800000001")
        setattr(r, field, url)
        return r

    longest = "https://cb.example.com/" + "a" * (96 - len("https://cb.example.com/"))
    assert len(longest) == 96
    body = prepare(req(longest), settings()).body
    wire = body["statusUrl" if field == "status_url" else "feeUrl"]
    assert len(wire) == 128 and base64.b64decode(wire).decode() == longest
    with pytest.raises(InputError) as err:
        prepare(req(longest + "b"), settings())
    assert "128" in err.value.message and err.value.code in ("statusUrl", "feeUrl")
    with pytest.raises(InputError):  # a malformed URL is a readable input error, not a ValueError
        prepare(req("http://[nothost/x"), settings())


def test_a_deeply_nested_answer_is_a_protocol_failure() -> None:
    class Deep(ScriptedSession):
        def post(self, url: str, **kw: Any) -> Any:
            resp = requests.Response()
            resp.status_code = 200
            resp._content = b"[" * 100_000 + b"]" * 100_000
            return resp

    from desktop.errors import ProtocolFailure

    with pytest.raises(ProtocolFailure):
        VoicecallClient(settings(), Deep()).call_verify(CallRequest(callee="+8613800000001"))  # type: ignore[arg-type]
