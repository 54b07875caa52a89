"""The sandbox's Rokid endpoints over raw HTTP, with headers built from the seed's own recipe
(not the client's code), so that a shared mistake cannot pass."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable

import numpy as np
import pytest
import requests

from desktop.proto import rokid_asr_pb2, rokid_tts_pb2
from desktop.sandbox import defaults, rokid_audio
from desktop.sandbox.server import SandboxThread
from tests.services.rokid_support import spoken_digits
from tests.services.test_rokid_wire import seed_authorization

KEY, SECRET = defaults.ROKID_KEY, defaults.ROKID_SECRET
DTID, DID = defaults.ROKID_DEVICE_TYPE_ID, defaults.ROKID_DEVICE_ID


def url(sb: SandboxThread, kind: str) -> str:
    return defaults.rokid_tts_url(port=sb.port) if kind == "tts" else defaults.rokid_asr_url(port=sb.port)


def auth(service: str = "tts", *, secret: str = SECRET, key: str = KEY, now: float | None = None) -> str:
    t = str(int(time.time() if now is None else now))
    return seed_authorization("1.0", t, secret, key, DTID, DID, service)


def post(sb: SandboxThread, kind: str, body: bytes, *, json_body: bool = False, header: str | None = None,
         timeout: float = 60) -> requests.Response:  # fmt: skip
    headers = {"Content-Type": "application/json;charset=utf-8" if json_body else "application/octet-stream"}
    headers["Authorization"] = auth(kind) if header is None else header
    return requests.post(url(sb, kind), data=body, headers=headers, timeout=timeout)


def tts_body(text: str = "你好", codec: str = "pcm", declaimer: str = "zh") -> bytes:
    return rokid_tts_pb2.TtsRequest(text=text, codec=codec, declaimer=declaimer).SerializeToString()


def test_the_seeds_header_is_accepted(sandbox: SandboxThread) -> None:
    resp = post(sandbox, "tts", tts_body())
    assert resp.status_code == 200, resp.text
    voice = rokid_tts_pb2.TtsResponse.FromString(resp.content).voice
    assert len(voice) > 24000  # more than half a second of 24 kHz s16le


def test_defaults_are_the_seeds(sandbox: SandboxThread) -> None:
    resp = post(sandbox, "tts", rokid_tts_pb2.TtsRequest(text="你好").SerializeToString())
    voice = rokid_tts_pb2.TtsResponse.FromString(resp.content).voice
    assert voice[:3] == b"ID3" or voice[0] == 0xFF  # mp3 when no codec is asked for


# Built when the test runs: a header made at collection time could be stale by then.
HEADERS: dict[str, tuple[Callable[[], str], str]] = {
    "wrong secret": (lambda: auth(secret="not-the-secret"), "sign mismatch"),
    "unknown key": (lambda: auth(key="someone-else"), "unknown key"),
    "no header": (lambda: "", "header missing"),
    "fields missing": (lambda: "version=1.0;time=1;key=k", "missing sign"),
    "sign altered": (lambda: auth().replace("sign=", "sign=0"), "sign mismatch"),
    "device changed": (lambda: auth().replace(f"device_id={DID}", "device_id=other"), "sign mismatch"),
    "service changed": (lambda: auth().replace("service=tts", "service=asr"), "sign mismatch"),
    "time not a number": (lambda: auth().replace("time=", "time=x"), "not a unix time"),
}


@pytest.mark.parametrize("case", list(HEADERS))
def test_forged_or_broken_headers_get_500_with_a_reason(sandbox: SandboxThread, case: str) -> None:
    make, reason = HEADERS[case]
    resp = post(sandbox, "tts", tts_body(), header=make())
    assert resp.status_code == 500 and resp.headers["Content-Type"].startswith("text/plain")
    assert reason in resp.text and SECRET not in resp.text


def test_header_field_order_is_free(sandbox: SandboxThread) -> None:
    fields = auth().split(";")
    assert post(sandbox, "tts", tts_body(), header=";".join(reversed(fields))).status_code == 200


def test_time_window(sandbox: SandboxThread) -> None:
    now = time.time()
    assert post(sandbox, "tts", tts_body(), header=auth(now=now - 280)).status_code == 200
    stale = post(sandbox, "tts", tts_body(), header=auth(now=now - 400))
    assert stale.status_code == 500 and "server clock" in stale.text
    assert post(sandbox, "tts", tts_body(), header=auth(now=now + 400)).status_code == 500


def test_replayed_header_is_refused_once_stale(sandbox: SandboxThread) -> None:
    sandbox.cfg.faults["rokid"] = {"time_window_s": 1}
    header = auth()
    time.sleep(2.2)
    assert post(sandbox, "tts", tts_body(), header=header).status_code == 500


def test_body_limit(sandbox: SandboxThread) -> None:
    # 655,340 bytes of silence as pcm: a 655,349-byte protobuf body (tag, 3-byte length, codec).
    at_limit = rokid_asr_pb2.AsrRequest(voice=bytes(655_340), codec="pcm").SerializeToString()
    assert len(at_limit) <= 655_350
    resp = post(sandbox, "asr", at_limit)
    assert resp.status_code == 200 and rokid_asr_pb2.AsrResponse.FromString(resp.content).asr == ""
    over = rokid_asr_pb2.AsrRequest(voice=bytes(655_342), codec="pcm").SerializeToString()
    assert len(over) == 655_351
    assert post(sandbox, "asr", over).status_code == 413


def test_json_in_json_out(sandbox: SandboxThread) -> None:
    body = json.dumps({"text": "你好", "codec": "opu2", "declaimer": "c1", "unknown": [1, 2]}).encode()
    resp = post(sandbox, "tts", body, json_body=True)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("application/json")
    voice = base64.b64decode(json.loads(resp.content)["voice"])
    assert len(voice) % 40 == 0 and len(voice) >= 40 * 25
    voice = spoken_digits("2718").tobytes()
    body = json.dumps({"voice": base64.b64encode(voice).decode(), "codec": "pcm", "lang": "zh"}).encode()
    resp = post(sandbox, "asr", body, json_body=True, header=auth("asr"))
    assert resp.status_code == 200 and json.loads(resp.content) == {"asr": "2718"}


def test_asr_takes_the_clients_opu_and_opu2(sandbox: SandboxThread) -> None:
    from desktop.audio import codecs

    speech = spoken_digits("4096")
    for codec, voice in (("opu", codecs.encode_opu(speech)), ("opu2", codecs.encode_opu2(speech))):
        body = rokid_asr_pb2.AsrRequest(voice=voice, codec=codec).SerializeToString()
        resp = post(sandbox, "asr", body, header=auth("asr"))
        assert rokid_asr_pb2.AsrResponse.FromString(resp.content).asr == "4096", codec


def test_the_sandbox_framing_matches_the_clients_decoders() -> None:
    from desktop.audio import codecs

    speech = spoken_digits("12")
    assert codecs.decode_opu(rokid_audio.encode("opu", speech, 16000)).samples.size % 320 == 0
    assert codecs.decode_opu2(rokid_audio.encode("opu2", speech, 16000)).samples.size % 320 == 0
    assert rokid_audio.decode("opu", codecs.encode_opu(speech)).size == -(-speech.size // 320) * 320


@pytest.mark.parametrize(
    ("kind", "body", "json_body", "reason"),
    [
        ("tts", b"\xff\xff\xff", False, "not a protobuf"),
        ("tts", rokid_tts_pb2.TtsRequest(codec="mp3").SerializePartialToString(), False, "text missing"),
        ("asr", b"", False, "voice missing"),
        ("tts", b"{not json", True, "not JSON"),
        ("tts", b"[1]", True, "not an object"),
        ("asr", b'{"voice": "@@@"}', True, "not base64"),
        ("asr", b'{"codec": "pcm"}', True, "voice missing"),
        ("tts", tts_body(text=" "), False, "empty"),
        ("tts", tts_body(codec="wav"), False, "unsupported codec"),
        ("tts", tts_body(declaimer="en"), False, "unsupported declaimer"),
        ("asr", rokid_asr_pb2.AsrRequest(voice=b"\x05ab", codec="opu").SerializeToString(), False, "cut short"),
        ("asr", rokid_asr_pb2.AsrRequest(voice=b"abc", codec="pcm").SerializeToString(), False, "odd"),
        ("asr", rokid_asr_pb2.AsrRequest(voice=b"abcd", codec="amr").SerializeToString(), False, "unsupported"),
    ],
)
def test_bad_requests(sandbox: SandboxThread, kind: str, body: bytes, json_body: bool, reason: str) -> None:
    resp = post(sandbox, kind, body, json_body=json_body, header=auth(kind))
    assert resp.status_code == 500 and reason in resp.text, resp.text


def test_fault_switches(sandbox: SandboxThread) -> None:
    faults = sandbox.cfg.faults
    faults["rokid"] = {"fail_500": "backend busy"}
    resp = post(sandbox, "tts", tts_body())
    assert (resp.status_code, resp.text) == (500, "backend busy")
    faults["rokid"] = {"html": True}
    resp = post(sandbox, "tts", tts_body())
    assert resp.status_code == 200 and resp.text.startswith("<!DOCTYPE html>")
    faults["rokid"] = {"status": 502}
    assert post(sandbox, "tts", tts_body()).status_code == 502
    faults["rokid"] = {"garbage": True}
    assert post(sandbox, "tts", tts_body()).content.startswith(b"\xff")
    faults["rokid"] = {"drop": True}
    with pytest.raises(requests.ConnectionError):
        post(sandbox, "tts", tts_body())
    faults["rokid"] = {"delay_s": 0.6}
    started = time.monotonic()
    assert post(sandbox, "tts", tts_body()).status_code == 200
    assert time.monotonic() - started >= 0.6


def test_engines_run_off_the_event_loop(sandbox: SandboxThread) -> None:
    # 19 s of loud noise: nothing to trim, seconds of decoding (the GIL-holding part of the work).
    loud = np.random.default_rng(4).normal(0, 3000, 16000 * 19).astype(np.int16)
    body = rokid_asr_pb2.AsrRequest(voice=loud.tobytes(), codec="pcm").SerializeToString()
    finished: list[float] = []

    def transcribe() -> None:
        post(sandbox, "asr", body, header=auth("asr"))
        finished.append(time.monotonic())

    worker = threading.Thread(target=transcribe)
    worker.start()
    time.sleep(0.3)
    health = requests.get(f"http://127.0.0.1:{sandbox.port}/_sandbox/health", timeout=10)
    answered = time.monotonic()
    worker.join(120)
    assert health.json()["ok"] and finished and answered < finished[0]
