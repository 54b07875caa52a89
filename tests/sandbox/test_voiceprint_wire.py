"""The sandbox voiceprint service on the wire: the AppCode handshake, the message vocabulary,
malformed and out-of-order input (answered, never fatal), and the seed's result text."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from unittest import mock

import pytest
import requests
import websocket

from desktop.sandbox import defaults
from desktop.sandbox.server import SandboxThread
from desktop.sandbox.voiceprint import messages
from tests.sandbox.speech import speech
from tests.sandbox.voiceprint_support import Raw, parse_result, reset, running, set_faults, url

ANY_TEXT = mock.ANY
SEED_RESULT = "test,score= 0.816818;test1 , score = 0.7879;test2 , score = 0.749334;, number = 75339335"


@pytest.fixture(scope="module")
def vp_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxThread]:
    with running(tmp_path_factory.mktemp("vp-wire")) as thread:
        yield thread


@pytest.fixture
def vp(vp_sandbox: SandboxThread) -> Iterator[SandboxThread]:
    reset(vp_sandbox)
    yield vp_sandbox
    reset(vp_sandbox)


@pytest.fixture
def raw(vp: SandboxThread) -> Iterator[Raw]:
    with Raw(vp) as r:
        yield r


def http_url(thread: SandboxThread) -> str:
    return f"{defaults.base_url(thread.cfg.host, thread.port)}{defaults.VOICEPRINT_PATH}"


def assert_apig_body(body: object, code: str) -> None:
    assert isinstance(body, dict)
    assert set(body) == {"error_msg", "error_code", "request_id"}
    assert body["error_code"] == code
    assert isinstance(body["error_msg"], str) and body["error_msg"]
    assert re.fullmatch(r"[0-9a-f]{32}", str(body["request_id"]))


# -- handshake ---------------------------------------------------------------------------------


@pytest.mark.parametrize("appcode", [None, "", "wrong" + defaults.APPCODE[5:], defaults.APPCODE + "x"])
def test_missing_or_wrong_appcode_is_refused_before_the_upgrade(vp: SandboxThread, appcode: str | None) -> None:
    header = [f"X-Apig-AppCode: {appcode}"] if appcode is not None else []
    with pytest.raises(websocket.WebSocketBadStatusException) as info:
        websocket.create_connection(url(vp), header=header, timeout=5)
    assert info.value.status_code == 401
    assert info.value.resp_headers is not None
    assert info.value.resp_headers["content-type"].startswith("application/json")
    body = json.loads(info.value.resp_body or b"")
    assert_apig_body(body, "APIG.0303")
    assert defaults.APPCODE not in json.dumps(body)  # the expected code is never revealed


def test_refusals_carry_a_fresh_request_id(vp: SandboxThread) -> None:
    ids = {requests.get(http_url(vp), timeout=5).json()["request_id"] for _ in range(3)}
    assert len(ids) == 3


@pytest.mark.parametrize(
    ("status", "code"), [(401, "APIG.0303"), (403, "APIG.0304"), (413, "APIG.0201"), (429, "APIG.0308")]
)
def test_auth_status_fault_refuses_even_a_good_code(vp: SandboxThread, status: int, code: str) -> None:
    set_faults(vp, auth_status=status)
    r = requests.get(http_url(vp), headers={"X-Apig-AppCode": defaults.APPCODE}, timeout=5)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    assert_apig_body(r.json(), code)


@pytest.mark.parametrize("value", ["not a number", 200, 999, [403]])
def test_a_malformed_auth_switch_still_refuses_cleanly(vp: SandboxThread, value: object) -> None:
    set_faults(vp, auth_status=value)
    r = requests.get(http_url(vp), headers={"X-Apig-AppCode": defaults.APPCODE}, timeout=5)
    assert r.status_code == 401
    assert_apig_body(r.json(), "APIG.0303")


def test_auth_fault_switched_through_the_http_endpoint(vp: SandboxThread) -> None:
    base = defaults.base_url(vp.cfg.host, vp.port)
    requests.post(f"{base}/_sandbox/faults", json={"voiceprint": {"auth_status": 429}}, timeout=5).raise_for_status()
    with pytest.raises(websocket.WebSocketBadStatusException) as info:
        Raw(vp)
    assert info.value.status_code == 429
    requests.post(f"{base}/_sandbox/faults", json={"voiceprint": {"auth_status": None}}, timeout=5).raise_for_status()
    with Raw(vp) as r:
        assert r.ping() == {"type": "pong"}


def test_plain_get_with_a_good_code_is_a_client_error_not_a_crash(vp: SandboxThread) -> None:
    r = requests.get(http_url(vp), headers={"X-Apig-AppCode": defaults.APPCODE}, timeout=5)
    assert 400 <= r.status_code < 500


# -- the vocabulary ------------------------------------------------------------------------------


def test_hello_gets_no_answer_and_ping_gets_pong(raw: Raw) -> None:
    raw.send("client", "weixin")
    assert raw.ping() == {"type": "pong"}  # the first thing back answers the ping


def test_seed_typos_with_stray_spaces_are_understood(raw: Raw) -> None:
    reply = raw.enrol("typo-user", speech("dave", 0, 1), audio_type=" training", stop_type=" stop_train")
    assert reply["type"] == "stop_train" and reply["status"] == 200, reply
    assert "typo-user" in reply["data"]


def test_cjk_user_enrols_and_is_named_in_the_result(raw: Raw) -> None:
    reply = raw.enrol("张三", speech("carol", 0, 1))
    assert reply["status"] == 200, reply
    assert "张三" in reply["data"]
    result = raw.verify("张三", speech("carol", 3))
    assert result["status"] == 200, result
    candidates, number = parse_result(result["data"])
    assert candidates[0][0] == "张三"
    assert number is not None and re.fullmatch(r"\d*", number)


# -- malformed and out-of-order input -------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


MALFORMED = [
    ("text", "this is not json"),
    ("text", '{"type": "ping"'),
    ("text", "[1, 2, 3]"),
    ("text", '"ping"'),
    ("text", "{}"),
    ("text", '{"type": 42}'),
    ("text", '{"type": null, "data": "x"}'),
    ("text", '{"type": "surprise_me"}'),
    ("text", json.dumps({"type": "training", "data": _b64(b"\x00\x00")})),  # before start_train
    ("text", json.dumps({"type": "recognizing", "data": _b64(b"\x00\x00")})),  # before recognize_name
    ("binary", b"\x00\x01\x02\x03"),
]


@pytest.mark.parametrize(("kind", "payload"), MALFORMED)
def test_malformed_input_is_answered_and_the_connection_lives(raw: Raw, kind: str, payload: str | bytes) -> None:
    if kind == "binary":
        assert isinstance(payload, bytes)
        raw.ws.send_binary(payload)
    else:
        assert isinstance(payload, str)
        raw.send_text(payload)
    reply = raw.recv()
    assert reply["type"] == "error" and reply["status"] == 400
    assert isinstance(reply["data"], str) and reply["data"]
    assert raw.ping() == {"type": "pong"}


@pytest.mark.parametrize("data", ["***not base64***", "QUJD=x", 12345, None, ["AAAA"], _b64(b"\x00\x01\x02")])
def test_bad_audio_frames_are_refused_one_by_one_and_the_session_goes_on(raw: Raw, data: object) -> None:
    pcm = speech("bob", 0, 1)
    raw.send("start_train", "frames-user")
    raw.frames("training", pcm[: len(pcm) // 2])
    raw.ws.send(json.dumps({"type": "training", "data": data}))
    error = raw.recv()
    assert error["type"] == "error" and error["status"] == 400
    raw.frames("training", pcm[len(pcm) // 2 :])
    raw.send("stop_train")
    reply = raw.recv()
    assert reply == {"status": 200, "type": "stop_train", "data": reply["data"]}


def test_stop_without_start_answers_with_the_stop_type(raw: Raw) -> None:
    raw.send("stop_train")
    reply = raw.recv()
    assert reply["type"] == "stop_train" and reply["status"] == 400 and "start_train" in reply["data"]
    raw.send("stop_recognize", "stop")
    reply = raw.recv()
    assert reply["type"] == "stop_recognize" and reply["status"] == 400 and "recognize_name" in reply["data"]


def test_crossed_sessions_are_refused(raw: Raw) -> None:
    raw.send("start_train", "crossed")
    raw.frames("recognizing", speech("bob", 0)[:1600])  # one verification frame inside an enrolment
    assert raw.recv()["type"] == "error"
    raw.send("stop_recognize", "stop")  # the wrong stop leaves the enrolment open
    assert raw.recv() == {"status": 400, "type": "stop_recognize", "data": ANY_TEXT}
    raw.frames("training", speech("bob", 0, 1))
    raw.send("stop_train")
    assert raw.recv()["status"] == 200


def test_a_second_start_discards_the_first_session_with_a_warning(raw: Raw) -> None:
    raw.send("start_train", "first")
    raw.frames("training", speech("bob", 0, 1))
    raw.send("start_train", "second")
    warning = raw.recv()
    assert warning["type"] == "error" and "first" in warning["data"]
    raw.send("stop_train")
    reply = raw.recv()
    assert reply["status"] == 400  # the second session holds no audio


@pytest.mark.parametrize("name", ["", "   ", "a;b", "a,b", "a=b", "tab\there", "x" * 65, 42, None, ["alice"]])
def test_invalid_user_names_are_refused_at_stop(raw: Raw, name: object) -> None:
    raw.ws.send(json.dumps({"type": "start_train", "data": name}))
    raw.frames("training", speech("alice", 0, 1))
    raw.send("stop_train")
    reply = raw.recv()
    assert reply["type"] == "stop_train" and reply["status"] == 400
    assert "name" in reply["data"]


def test_audio_past_the_limit_is_refused_once(vp: SandboxThread) -> None:
    set_faults(vp, max_audio_s=4, min_enrol_speech_s=1.0)
    with Raw(vp) as raw:
        raw.send("start_train", "long-talker")
        raw.frames("training", speech("dave", 0, 1))  # ~10 s
        warning = raw.recv()
        assert warning["type"] == "error" and "4 s" in warning["data"]
        raw.send("stop_train")
        reply = raw.recv()  # one warning only, then the verdict on the first 4 s
        assert reply["type"] == "stop_train" and reply["status"] == 200
        assert re.search(r"\b[34]\.\d s of speech", reply["data"]), reply


# -- the result text -------------------------------------------------------------------------------


def test_result_text_reproduces_the_seed_example_exactly() -> None:
    text = messages.format_result([("test", 0.816818), ("test1", 0.7879), ("test2", 0.749334)], "75339335")
    assert text == SEED_RESULT
    assert messages.reply("stop_recognize", 200, text) == (
        '{"status":200,"type":"stop_recognize","data":"' + SEED_RESULT + '"}'
    )


@pytest.mark.parametrize(
    ("score", "text"),
    [(0.5, "0.5"), (1.0, "1"), (0.0, "0"), (-0.25, "-0.25"), (1e-9, "0"), (0.1234567, "0.123457"), (-1e-9, "0")],
)
def test_scores_never_use_exponents_or_trailing_zeros(score: float, text: str) -> None:
    assert messages.format_score(score) == text


def test_fewer_candidates_and_no_digits() -> None:
    assert messages.format_result([("solo", 0.9)], "") == "solo,score= 0.9;, number = "
    assert parse_result(messages.format_result([("a b", 0.5), ("李四", -0.1)], "12")) == (
        [("a b", 0.5), ("李四", -0.1)],
        "12",
    )


def test_names_are_normalised_so_one_person_is_one_speaker() -> None:
    decomposed = "Jose\u0301"
    assert messages.check_name(f"  {decomposed} ") == ("José", None)
    assert messages.check_name("王小明")[1] is None
