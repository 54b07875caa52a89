"""The voice-call client without a network: digest, headers, validation, answers, TLS."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests

from desktop import i18n
from desktop.config import VoicecallSettings
from desktop.errors import AuthFailure, ConfigError, ConnectionFailure, InputError, ProtocolFailure, ServiceRefused
from desktop.services import aksk
from desktop.services.voicecall import CallRequest, VoicecallClient, generate_code, prepare
from desktop.services.voicecall_codes import RESULT_CODES, STATE_CODES, describe_event, describe_result
from tests.services.voicecall_support import seed_request_digest

SECRET = "s3cr3t-app-secret-value"
X_AKSK = re.compile(
    r'^UsernameToken Username="(?P<u>[^"]+)",PasswordDigest="(?P<d>[^"]+)",Nonce="(?P<n>[A-Za-z0-9]{1,128})",'
    r'Created="(?P<c>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"$'
)


class FakeSession:
    """Stands in for requests.Session: records every POST, answers a canned response."""

    def __init__(
        self, answer: Any = None, status: int = 200, text: str | None = None, exc: Exception | None = None
    ) -> None:
        self.answer = {"resultcode": "0", "resultdesc": "Success", "sessionId": "sid-1"} if answer is None else answer
        self.status, self.text, self.exc = status, text, exc
        self.calls: list[dict[str, Any]] = []

    def post(self, url: str, *, data: bytes, headers: dict[str, str], timeout: float, verify: Any) -> Any:
        self.calls.append(
            {"url": url, "body": json.loads(data), "headers": headers, "timeout": timeout, "verify": verify}
        )
        if self.exc is not None:
            raise self.exc
        resp = requests.Response()
        resp.status_code = self.status
        resp._content = (self.text if self.text is not None else json.dumps(self.answer)).encode()
        return resp


def settings(**kw: Any) -> VoicecallSettings:
    base: dict[str, Any] = {
        "url": "https://rtccall.example.com:443",
        "app_key": "appKey123",
        "app_secret": SECRET,
        "display_nbr": "+8657100000000",
    }
    return VoicecallSettings(**(base | kw))


def client(session: FakeSession, **kw: Any) -> VoicecallClient:
    return VoicecallClient(settings(**kw), session=session)  # type: ignore[arg-type]


# -- digest and headers ---------------------------------------------------------------------


def test_request_digest_matches_the_seed_formula_computed_independently() -> None:
    for nonce, created in [("ac1c911c4792492687f8f6b2264a491e", "2018-05-26T00:35:30Z"), ("A", "2026-01-01T00:00:00Z")]:
        assert aksk.request_digest(SECRET, nonce, created) == seed_request_digest(SECRET, nonce, created)
    # Order matters: nonce first, then Created, and no separator.
    assert aksk.request_digest(SECRET, "n", "c") != seed_request_digest(SECRET, "c", "n")


def test_headers_on_the_wire_carry_a_verifiable_digest() -> None:
    session = FakeSession()
    now = datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC)
    client(session).call_verify(CallRequest(callee="+8613800000001"), now=now)
    (call,) = session.calls
    h = call["headers"]
    assert h["Authorization"] == 'AKSK realm="SDP",profile="UsernameToken",type="Appkey"'
    assert h["Content-Type"] == "application/json;charset=UTF-8"
    m = X_AKSK.match(h["X-AKSK"])
    assert m, h["X-AKSK"]
    assert m["u"] == "appKey123"
    assert m["c"] == "2026-03-01T12:00:05Z"  # UTC by default
    assert m["d"] == seed_request_digest(SECRET, m["n"], m["c"])
    assert call["url"] == "https://rtccall.example.com:443/rest/httpsessions/callVerify/v1.0"


def test_created_zone_utc_plus_8_and_fresh_nonces() -> None:
    now = datetime(2026, 3, 1, 20, 0, 0, tzinfo=UTC)
    h1 = aksk.request_headers("k", SECRET, zone=aksk.parse_zone("UTC+8"), now=now)
    h2 = aksk.request_headers("k", SECRET, zone=aksk.parse_zone("utc+08:00"), now=now)
    m1, m2 = X_AKSK.match(h1["X-AKSK"]), X_AKSK.match(h2["X-AKSK"])
    assert m1 and m2
    assert m1["c"] == m2["c"] == "2026-03-02T04:00:00Z"
    assert m1["n"] != m2["n"]


@pytest.mark.parametrize("bad", ["Beijing", "UTC+99", "+8", "UTC+8:75"])
def test_bad_zone_is_a_config_error(bad: str) -> None:
    with pytest.raises(ConfigError, match="created_zone"):
        aksk.parse_zone(bad)


def test_header_parsers_reject_garbage() -> None:
    with pytest.raises(aksk.HeaderError):
        aksk.parse_authorization('AKSK realm="SDP",profile="UsernameToken"')
    with pytest.raises(aksk.HeaderError):
        aksk.parse_authorization("Bearer abc")
    with pytest.raises(aksk.HeaderError):
        aksk.parse_x_aksk('UsernameToken Username="k",Nonce="n",Created="c"')
    with pytest.raises(aksk.HeaderError):
        aksk.parse_x_aksk("UsernameToken \x00garbage")
    tok = aksk.parse_x_aksk('UsernameToken UserName="k", PasswordDigest="d=", Nonce="n", Created="c"')
    assert (tok.username, tok.digest, tok.nonce, tok.created) == ("k", "d=", "n", "c")


# -- the body -------------------------------------------------------------------------------


def test_body_has_every_documented_field_with_the_right_types() -> None:
    session = FakeSession(answer={"resultcode": "0", "resultdesc": "Success", "sessionId": "s", "idlePort": 7})
    req = CallRequest(
        callee="+86 138-0000-0001",
        code="1234",
        language="2",
        pre_tone="pre.wav",
        pos_tone="post.wav",
        times="3",
        status_url="https://cb.example.com/status",
        fee_url="https://cb.example.com/fee?x=1",
        return_idle_port=True,
        user_data="customer-7",
    )
    result = client(session).call_verify(req)
    body = session.calls[0]["body"]
    assert body == {
        "displayNbr": "+8657100000000",
        "calleeNbr": "+8613800000001",
        "languageType": 2,
        "preTone": "pre.wav",
        "verifyCode": "1234",
        "posTone": "post.wav",
        "times": 3,
        "statusUrl": base64.b64encode(b"https://cb.example.com/status").decode(),
        "feeUrl": base64.b64encode(b"https://cb.example.com/fee?x=1").decode(),
        "returnIdlePort": "true",
        "userData": "customer-7",
    }
    assert isinstance(body["languageType"], int) and isinstance(body["times"], int)
    assert result.session_id == "s" and result.idle_port == "7" and result.verify_code == "1234"


def test_profile_defaults_fill_the_optional_parts() -> None:
    session = FakeSession()
    client(session, status_url="http://127.0.0.1:8766/status").call_verify(CallRequest(callee="+8613800000001"))
    body = session.calls[0]["body"]
    assert body["preTone"] == "test.wav" and body["languageType"] == 2
    assert base64.b64decode(body["statusUrl"]) == b"http://127.0.0.1:8766/status"
    assert "feeUrl" not in body and "times" not in body and "returnIdlePort" not in body
    assert re.fullmatch(r"\d{6}", body["verifyCode"])


def test_generated_codes_are_random_digits() -> None:
    codes = {generate_code() for _ in range(50)}
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    assert len(codes) > 40  # 50 draws from a million; collisions are rare, a constant would fail
    assert re.fullmatch(r"\d{8}", generate_code(8))
    with pytest.raises(ValueError):
        generate_code(9)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"callee": "13800000001"}, "calleeNbr"),
        ({"callee": "+0138000001"}, "calleeNbr"),
        ({"callee": "+86138000000012345"}, "calleeNbr"),
        ({"callee": "+86abc"}, "calleeNbr"),
        ({"callee": ""}, "calleeNbr"),
        ({"display": "057100000000"}, "displayNbr"),
        ({"display": "+12"}, "displayNbr"),
        ({"code": "1"}, "verifyCode"),
        ({"code": "123456789"}, "verifyCode"),
        ({"code": "12a4"}, "verifyCode"),
        ({"code": "１２３４"}, "verifyCode"),  # full-width digits are not 0-9
        ({"language": "zh"}, "languageType"),
        ({"language": "2.5"}, "languageType"),
        ({"language": True}, "languageType"),
        ({"pre_tone": "tone.mp3"}, "preTone"),
        ({"pre_tone": "../x.wav"}, "preTone"),
        ({"pre_tone": "my tone.wav"}, "preTone"),
        ({"pre_tone": "a" * 130 + ".wav"}, "preTone"),
        ({"pos_tone": "post.ogg"}, "posTone"),
        ({"times": "10"}, "times"),
        ({"times": "-1"}, "times"),
        ({"times": "x"}, "times"),
        ({"times": True}, "times"),
        ({"status_url": "ftp://cb.example.com/status"}, "statusUrl"),
        ({"status_url": "cb.example.com/status"}, "statusUrl"),
        ({"fee_url": "https:///nohost"}, "feeUrl"),
        ({"user_data": "x" * 257}, "userData"),
    ],
)
def test_each_bad_field_is_caught_before_sending(change: dict[str, Any], field: str) -> None:
    session = FakeSession()
    req = CallRequest(callee="+8613800000001")
    for k, v in change.items():
        setattr(req, k, v)
    with pytest.raises(InputError) as err:
        client(session).call_verify(req)
    assert err.value.code == field
    assert err.value.exit_code == 2
    assert session.calls == []  # nothing left the machine


def test_bad_code_message_does_not_echo_the_code() -> None:
    with pytest.raises(InputError) as err:
        prepare(CallRequest(callee="+8613800000001", code="98765x"), settings())
    assert "98765x" not in str(err.value)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"app_secret": ""}, "app_secret"),
        ({"app_key": ""}, "app_key"),
        ({"url": "rtccall.example.com"}, "url"),
        ({"created_zone": "Mars"}, "created_zone"),
        ({"ca_bundle": "/nonexistent/ca.pem"}, "ca_bundle"),
    ],
)
def test_unusable_settings_fail_before_sending(change: dict[str, Any], match: str) -> None:
    session = FakeSession()
    with pytest.raises(ConfigError, match=match):
        client(session, **change).call_verify(CallRequest(callee="+8613800000001"))
    assert session.calls == []


# -- TLS ------------------------------------------------------------------------------------


def test_tls_is_verified_and_a_ca_bundle_is_passed_on(tmp_path: Path) -> None:
    session = FakeSession()
    client(session).call_verify(CallRequest(callee="+8613800000001"))
    assert session.calls[0]["verify"] is True
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    client(session, ca_bundle=str(bundle)).call_verify(CallRequest(callee="+8613800000001"))
    assert session.calls[1]["verify"] == str(bundle)


def test_tls_failure_is_a_readable_connection_failure() -> None:
    session = FakeSession(exc=requests.exceptions.SSLError("certificate verify failed"))
    with pytest.raises(ConnectionFailure, match="ca_bundle"):
        client(session).call_verify(CallRequest(callee="+8613800000001"))


# -- answers --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(RESULT_CODES))
def test_every_documented_resultcode_has_a_sentence_in_both_languages(code: str) -> None:
    for lang in ("en", "zh"):
        i18n.set_language(lang)
        try:
            text = describe_result(code)
        finally:
            i18n.set_language(None)
        assert text and code not in text  # a real sentence, not the "answered with code N" fallback
    if code == "0":
        return
    session = FakeSession(answer={"resultcode": code, "resultdesc": "desc from platform"}, status=400)
    with pytest.raises((AuthFailure, ServiceRefused)) as err:
        client(session).call_verify(CallRequest(callee="+8613800000001"))
    assert err.value.code == code
    assert describe_result(code) in err.value.message and "desc from platform" in err.value.message
    expected = AuthFailure if code.startswith("10230") or code in ("1010003", "1010013", "1010010") else None
    if expected:
        assert isinstance(err.value, expected) and err.value.exit_code == 3


def test_business_refusals_exit_1_and_unknown_codes_still_read() -> None:
    session = FakeSession(answer={"resultcode": "1010009", "resultdesc": "No more calls."})
    with pytest.raises(ServiceRefused) as err:
        client(session).call_verify(CallRequest(callee="+8613800000001"))
    assert err.value.exit_code == 1
    session = FakeSession(answer={"resultcode": 1099999, "resultdesc": "new"})
    with pytest.raises(ServiceRefused, match="1099999"):
        client(session).call_verify(CallRequest(callee="+8613800000001"))


@pytest.mark.parametrize(("zone", "advice"), [("UTC", "UTC+8"), ("UTC+8", "= UTC ")])
def test_1010013_tells_which_zone_setting_to_try(zone: str, advice: str) -> None:
    session = FakeSession(answer={"resultcode": "1010013", "resultdesc": "Time out limit."}, status=401)
    with pytest.raises(AuthFailure) as err:
        # Without the retry (test_voicecall_zone_retry.py) the refusal itself carries the advice.
        client(session, created_zone=zone).call_verify(CallRequest(callee="+8613800000001"), retry_zone=False)
    assert "voicecall.created_zone" in err.value.message and advice in err.value.message
    assert "clock" in err.value.message and len(session.calls) == 1


@pytest.mark.parametrize(
    ("session", "error"),
    [
        (FakeSession(text="<html>502 Bad Gateway</html>", status=502), ProtocolFailure),
        (FakeSession(answer=["not", "an", "object"]), ProtocolFailure),
        (FakeSession(answer={"resultcode": "0", "resultdesc": "Success"}), ProtocolFailure),  # no sessionId
        (FakeSession(exc=requests.exceptions.ConnectionError("refused")), ConnectionFailure),
        (FakeSession(exc=requests.exceptions.ReadTimeout("slow")), ProtocolFailure),
    ],
)
def test_broken_answers_and_connections_become_typed_errors(session: FakeSession, error: type) -> None:
    with pytest.raises(error) as err:
        client(session).call_verify(CallRequest(callee="+8613800000001"))
    assert SECRET not in str(err.value)


def test_session_id_is_kept() -> None:
    c = client(FakeSession(answer={"resultcode": "0", "resultdesc": "Success", "sessionId": "abc@host"}))
    assert c.last_session_id is None
    c.call_verify(CallRequest(callee="+8613800000001"))
    assert c.last_session_id == "abc@host"


def test_state_and_event_descriptions() -> None:
    for code in STATE_CODES:
        assert code not in describe_event("disconnect", int(code)).split(":")[0]
    assert "ended normally" in describe_event("disconnect", 0)
    assert "ringing" in describe_event("alerting").lower()
    assert "8003" not in describe_event("disconnect", "8003") and "answer" in describe_event("disconnect", "8003")
    assert "9999" in describe_event("disconnect", 9999)


def test_check_callback_explains_a_zone_mismatch() -> None:
    url = "https://cb.example.com/status"
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    created = aksk.format_created(now, timezone(timedelta(hours=8)))
    headers = {
        "Authorization": aksk.AUTHORIZATION,
        "X-AKSK": aksk.x_aksk("k", aksk.callback_digest(SECRET, url, "n1", created), "n1", created),
    }
    ok = aksk.check_callback(
        headers["Authorization"],
        headers["X-AKSK"],
        app_key="k",
        app_secret=SECRET,
        push_urls=[url],
        zone=aksk.parse_zone("UTC+8"),
        now=now,
    )
    assert ok.ok
    # Both clocks are documented, so the other one verifies too, saying which setting matches.
    other = aksk.check_callback(
        headers["Authorization"], headers["X-AKSK"], app_key="k", app_secret=SECRET, push_urls=[url], zone=UTC, now=now
    )
    assert other.ok and "created_zone = UTC+8" in other.detail and other.variant.endswith("Created UTC+8")
    stale = aksk.check_callback(
        headers["Authorization"],
        headers["X-AKSK"],
        app_key="k",
        app_secret=SECRET,
        push_urls=[url],
        zone=UTC,
        now=now,
        other_zones=False,
    )
    assert not stale.ok and stale.reason == "stale" and "created_zone = UTC+8" in stale.detail
