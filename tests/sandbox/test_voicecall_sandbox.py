"""The voice-call sandbox seen from outside, with requests signed here by hand (no desktop.services).

Checks the header codes (1023xxx, HTTP 400), the credential codes (1010003/1010010/1010013),
the field codes (1010002 naming the field), and the call it plays through signed callbacks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from desktop.sandbox import defaults
from tests.services.voicecall_support import fast, wait_call_done

KEY, SECRET = defaults.VOICECALL_APP_KEY, defaults.VOICECALL_APP_SECRET
AUTH = 'AKSK realm="SDP",profile="UsernameToken",type="Appkey"'


def created_at(offset_s: float = 0, hours: int = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=offset_s, hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def x_aksk(key: str = KEY, secret: str = SECRET, nonce: str = "0123abcdef", created: str | None = None) -> str:
    created = created or created_at()
    digest = base64.b64encode(hmac.new(secret.encode(), (nonce + created).encode(), hashlib.sha256).digest()).decode()
    return f'UsernameToken Username="{key}",PasswordDigest="{digest}",Nonce="{nonce}",Created="{created}"'


def body(**change: Any) -> dict[str, Any]:
    b: dict[str, Any] = {
        "displayNbr": defaults.VOICECALL_DISPLAY_NBR,
        "calleeNbr": "+8613800000001",
        "languageType": 2,
        "preTone": "test.wav",
        "verifyCode": "1234",
    }
    b.update(change)
    return {k: v for k, v in b.items() if v is not None}


def call(
    sandbox: Any,
    doc: Any = None,
    *,
    authorization: str | None = AUTH,
    xaksk: str | None = "",
    path: str = "/voicecall/rest/httpsessions/callVerify/v1.0",
) -> requests.Response:
    headers = {"Content-Type": "application/json;charset=UTF-8"}
    if authorization is not None:
        headers["Authorization"] = authorization
    if xaksk is not None:
        headers["X-AKSK"] = xaksk or x_aksk()
    data = doc if isinstance(doc, bytes) else json.dumps(body() if doc is None else doc).encode()
    return requests.post(f"http://127.0.0.1:{sandbox.port}{path}", data=data, headers=headers, timeout=5)


def test_a_good_request_gets_a_session_id(sandbox: Any) -> None:
    r = call(sandbox, body(returnIdlePort="true", times=3, posTone="bye.wav", userData="u1"))
    assert r.status_code == 200
    answer = r.json()
    assert answer["resultcode"] == "0" and answer["resultdesc"] == "Success"
    assert re.fullmatch(r"\d+_\d+_\d+_\d{14}@[\w.]+", answer["sessionId"])
    assert answer["idlePort"] == "10"
    assert "idlePort" not in call(sandbox).json()


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "1023006"),
        ("Bearer abc", "1023006"),
        ('AKSK profile="UsernameToken",type="Appkey"', "1023007"),
        ('AKSK realm="SDP",type="Appkey"', "1023008"),
        ('AKSK realm="XYZ",profile="UsernameToken",type="Appkey"', "1023009"),
        ('AKSK realm="SDP",profile="Token",type="Appkey"', "1023010"),
        ('AKSK realm="SDP",profile="UsernameToken",type="AK"', "1023011"),
        ('AKSK realm="SDP",profile="UsernameToken"', "1023012"),
    ],
)
def test_malformed_authorization_gets_1023xxx(sandbox: Any, authorization: str | None, code: str) -> None:
    r = call(sandbox, authorization=authorization)
    assert r.status_code == 400 and r.json()["resultcode"] == code


@pytest.mark.parametrize(
    ("xaksk", "code"),
    [
        (None, "1023033"),
        ("Basic abc", "1023033"),
        ('UsernameToken PasswordDigest="x",Nonce="abc",Created="2026-01-01T00:00:00Z"', "1023034"),
        ('UsernameToken Username="k",PasswordDigest="x",Created="2026-01-01T00:00:00Z"', "1023035"),
        ('UsernameToken Username="k",PasswordDigest="x",Nonce="abc"', "1023036"),
        ('UsernameToken Username="k",Nonce="abc",Created="2026-01-01T00:00:00Z"', "1023037"),
        ('UsernameToken Username="k",PasswordDigest="x",Nonce="a-b!",Created="2026-01-01T00:00:00Z"', "1023035"),
    ],
)
def test_malformed_x_aksk_gets_1023xxx(sandbox: Any, xaksk: str | None, code: str) -> None:
    r = call(sandbox, xaksk=xaksk)
    assert r.status_code == 400 and r.json()["resultcode"] == code


@pytest.mark.parametrize(
    ("xaksk", "code"),
    [
        (lambda: x_aksk(key="notTheKey"), "1010003"),
        (lambda: x_aksk(secret="not-the-secret"), "1010010"),
        (lambda: x_aksk(created=created_at(-600)), "1010013"),
        (lambda: x_aksk(created=created_at(+600)), "1010013"),
        (lambda: x_aksk(created=created_at(hours=8)), "1010013"),  # Beijing time sent to a UTC platform
    ],
)
def test_credentials_and_the_created_window(sandbox: Any, xaksk: Any, code: str) -> None:
    r = call(sandbox, xaksk=xaksk())
    assert r.status_code == 401 and r.json()["resultcode"] == code


def test_created_zone_and_skew_switches(sandbox: Any) -> None:
    sandbox.cfg.faults["voicecall"] = {"created_zone": "UTC+8"}
    assert call(sandbox).json()["resultcode"] == "1010013"
    assert call(sandbox, xaksk=x_aksk(created=created_at(hours=8))).json()["resultcode"] == "0"
    sandbox.cfg.faults["voicecall"] = {"created_skew": 900}
    assert call(sandbox).json()["resultcode"] == "1010013"
    assert call(sandbox, xaksk=x_aksk(created=created_at(900))).json()["resultcode"] == "0"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"displayNbr": None}, "displayNbr"),
        ({"displayNbr": "0571000"}, "displayNbr"),
        ({"calleeNbr": "13800000001"}, "calleeNbr"),
        ({"calleeNbr": 8613800000001}, "calleeNbr"),
        ({"languageType": "2"}, "languageType"),  # the seed's sample sends a string: the platform says no
        ({"languageType": True}, "languageType"),
        ({"preTone": "tone.mp3"}, "preTone"),
        ({"preTone": None}, "preTone"),
        ({"verifyCode": "123456789"}, "verifyCode"),
        ({"verifyCode": 1234}, "verifyCode"),
        ({"posTone": "x"}, "posTone"),
        ({"times": 10}, "times"),
        ({"times": "3"}, "times"),
        ({"statusUrl": "http://not-base64/"}, "statusUrl"),
        ({"feeUrl": base64.b64encode(b"ftp://x/fee").decode()}, "feeUrl"),
        ({"returnIdlePort": True}, "returnIdlePort"),
        ({"userData": "u" * 257}, "userData"),
        ({"bindNbr": "0571"}, "bindNbr"),
        ({"statusUrl": base64.b64encode(b"http://x.example/" + b"s" * 80).decode()}, "statusUrl"),  # >128 encoded
    ],
)
def test_bad_fields_get_1010002_naming_the_field(sandbox: Any, change: dict[str, Any], field: str) -> None:
    r = call(sandbox, body(**change))
    assert r.status_code == 403
    assert r.json()["resultcode"] == "1010002" and field in r.json()["resultdesc"]


def test_other_refusals(sandbox: Any) -> None:
    assert call(sandbox, b"{not json").json()["resultcode"] == "1010002"
    assert call(sandbox, b"[1]").json()["resultcode"] == "1010002"
    assert call(sandbox, body(displayNbr="+8657199999999")).json()["resultcode"] == "1010023"
    r = call(sandbox, path="/voicecall/rest/httpsessions/nothing/v1.0")
    assert r.status_code == 404 and r.json()["resultcode"] == "1010006"
    sandbox.cfg.faults["voicecall"] = {"result_code": "1010009"}
    assert call(sandbox).json()["resultcode"] == "1010009"


# -- the call played through callbacks --------------------------------------------------------


class Receiver:
    """A bare HTTP receiver that records each push and checks its signature independently."""

    def __init__(self) -> None:
        self.pushes: list[dict[str, Any]] = []
        self.delay_first_fee = 0.0
        self.status_code = 200
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                doc = json.loads(raw)
                url = f"http://127.0.0.1:{outer.port}{self.path}"
                attrs = dict(re.findall(r'(\w+)="([^"]*)"', self.headers.get("X-AKSK", "")))
                msg = f"{url}\n{attrs.get('Nonce')}\n{attrs.get('Created')}".encode()
                want = base64.b64encode(hmac.new(SECRET.encode(), msg, hashlib.sha256).digest()).decode()
                variants = {}  # the other documented layouts, computed here independently
                for name, sep, u in (("none", "", url), ("b64", "\n", base64.b64encode(url.encode()).decode())):
                    m = sep.join((u, attrs.get("Nonce", ""), attrs.get("Created", ""))).encode()
                    variants[name] = base64.b64encode(hmac.new(SECRET.encode(), m, hashlib.sha256).digest()).decode()
                outer.pushes.append(
                    {
                        "path": self.path,
                        "doc": doc,
                        "signed": attrs.get("PasswordDigest") == want,
                        "variant": next((k for k, v in variants.items() if v == attrs.get("PasswordDigest")), ""),
                        "auth": self.headers.get("Authorization"),
                        "attrs": attrs,
                    }
                )
                if doc["eventType"] == "fee" and outer.delay_first_fee:
                    delay, outer.delay_first_fee = outer.delay_first_fee, 0.0
                    time.sleep(delay)
                self.send_response(outer.status_code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def urls(self) -> dict[str, str]:
        enc = lambda p: base64.b64encode(f"http://127.0.0.1:{self.port}{p}".encode()).decode()  # noqa: E731
        return {"statusUrl": enc("/status"), "feeUrl": enc("/fee")}

    def events(self) -> list[str]:
        return [p["doc"]["eventType"] for p in self.pushes]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rx = Receiver()
    yield rx
    rx.httpd.shutdown()
    rx.httpd.server_close()


def place(sandbox: Any, receiver: Receiver, **faults: Any) -> tuple[str, dict[str, Any]]:
    fast(sandbox, **faults)
    answer = call(sandbox, body(**receiver.urls(), userData="cust-1")).json()
    assert answer["resultcode"] == "0"
    return answer["sessionId"], wait_call_done(sandbox.port, answer["sessionId"])


def test_a_normal_call_is_played_through_signed_callbacks(sandbox: Any, receiver: Receiver) -> None:
    sid, _ = place(sandbox, receiver)
    assert receiver.events() == ["callout", "alerting", "answer", "disconnect", "fee"]
    assert all(p["signed"] and p["auth"] == AUTH and p["attrs"]["Username"] == KEY for p in receiver.pushes)
    assert [p["path"] for p in receiver.pushes] == ["/status"] * 4 + ["/fee"]
    info = receiver.pushes[3]["doc"]["statusInfo"]
    assert info["sessionId"] == sid and info["stateCode"] == 0 and info["userData"] == "cust-1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", info["timestamp"])
    (bill,) = receiver.pushes[4]["doc"]["feeLst"]
    seed_fields = {
        "direction",
        "spId",
        "appKey",
        "icid",
        "bindNum",
        "sessionId",
        "callerNum",
        "calleeNum",
        "callEndTime",
        "callOutStartTime",
        "callOutAnswerTime",
        "ttsPlayTimes",
        "serviceType",
        "hostName",
        "userData",
    }
    assert seed_fields <= set(bill) and bill["sessionId"] == sid and bill["callOutAnswerTime"]


@pytest.mark.parametrize(
    ("fault", "events", "state"),
    [
        ("no_answer", ["callout", "alerting", "disconnect"], 8003),
        ("busy", ["callout", "disconnect"], 8002),
        ("missing_tone", ["callout", "alerting", "answer", "disconnect"], 8006),
    ],
)
def test_failed_calls(sandbox: Any, receiver: Receiver, fault: str, events: list[str], state: int) -> None:
    place(sandbox, receiver, **{fault: True})
    assert receiver.events() == [*events, "fee"]
    assert receiver.pushes[-2]["doc"]["statusInfo"]["stateCode"] == state
    assert receiver.pushes[-1]["doc"]["feeLst"][0]["callOutAnswerTime"] == "" or fault == "missing_tone"


def test_bill_pushed_twice_is_the_same_bill_freshly_signed(sandbox: Any, receiver: Receiver) -> None:
    place(sandbox, receiver, bill_twice=True)
    fees = [p for p in receiver.pushes if p["doc"]["eventType"] == "fee"]
    assert len(fees) == 2 and fees[0]["doc"] == fees[1]["doc"]
    assert fees[0]["attrs"]["Nonce"] != fees[1]["attrs"]["Nonce"] and all(f["signed"] for f in fees)


def test_a_slow_receiver_gets_the_push_again(sandbox: Any, receiver: Receiver) -> None:
    receiver.delay_first_fee = 0.5
    _, record = place(sandbox, receiver, slow_receiver=0.15)
    fee_attempts = [p for p in record["pushes"] if p["eventType"] == "fee"]
    assert [p["outcome"] for p in fee_attempts] == ["timeout", 200]


def test_a_failing_receiver_is_retried_six_more_times(sandbox: Any, receiver: Receiver) -> None:
    receiver.status_code = 500
    fast(sandbox, busy=True, repush_interval_s=0.01)
    sid = call(sandbox, body(**receiver.urls())).json()["sessionId"]
    record = wait_call_done(sandbox.port, sid)
    assert [p["attempt"] for p in record["pushes"] if p["eventType"] == "callout"] == list(range(1, 8))


def test_forged_callbacks_switch(sandbox: Any, receiver: Receiver) -> None:
    place(sandbox, receiver, forge_callbacks=True)
    assert receiver.pushes and not any(p["signed"] for p in receiver.pushes)


def test_without_callback_urls_nothing_is_pushed(sandbox: Any, receiver: Receiver) -> None:
    fast(sandbox)
    sid = call(sandbox).json()["sessionId"]
    assert wait_call_done(sandbox.port, sid)["pushes"] == [] and receiver.pushes == []


@pytest.mark.parametrize(
    ("variant", "name", "hours"),
    [({"sep": "none"}, "none", 0), ({"url_form": "base64", "zone": "UTC+8"}, "b64", 8)],
)
def test_callbacks_can_be_signed_in_each_documented_variant(
    sandbox: Any, receiver: Receiver, variant: dict[str, str], name: str, hours: int
) -> None:
    place(sandbox, receiver, callback_variant=variant)
    assert receiver.pushes and all(p["variant"] == name and not p["signed"] for p in receiver.pushes)
    created = datetime.strptime(receiver.pushes[0]["attrs"]["Created"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs((created - datetime.now(UTC)).total_seconds() - hours * 3600) < 60


def test_unsigned_callbacks_switch(sandbox: Any, receiver: Receiver) -> None:
    place(sandbox, receiver, callback_variant={"unsigned": True})
    assert receiver.pushes and all(p["auth"] is None and p["attrs"] == {} for p in receiver.pushes)
