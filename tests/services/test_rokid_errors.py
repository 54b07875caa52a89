"""Every way a Rokid exchange can fail becomes its own typed error with a readable sentence."""

from __future__ import annotations

import socket
import time

import numpy as np
import pytest

from desktop.config import sandbox_profile
from desktop.errors import (
    AuthFailure,
    ConfigError,
    ConnectionFailure,
    ExitCode,
    ProtocolFailure,
    ServiceRefused,
    VpwError,
)
from desktop.sandbox import defaults
from desktop.sandbox.server import SandboxThread
from desktop.services import rokid
from tests.services.rokid_support import client, spoken_digits


def failure(call: object) -> VpwError:
    with pytest.raises(VpwError) as err:
        call()  # type: ignore[operator]
    assert defaults.ROKID_SECRET not in str(err.value)
    assert "\n" not in str(err.value)
    return err.value


def test_wrong_secret_shows_rokids_text(sandbox: SandboxThread) -> None:
    err = failure(lambda: client(sandbox, secret="wrong-secret").tts("你好"))
    assert isinstance(err, rokid.RokidServerError) and isinstance(err, AuthFailure)
    assert "sign mismatch" in str(err) and err.code == "HTTP 500" and err.exit_code == ExitCode.FAILURE
    assert "wrong-secret" not in str(err)


def test_unknown_key_and_stale_clock(sandbox: SandboxThread) -> None:
    assert "unknown key" in str(failure(lambda: client(sandbox, key="nobody").asr(spoken_digits("1"))))
    late = rokid.RokidClient(client(sandbox).settings, clock=lambda: time.time() - 3600)
    assert "server clock" in str(failure(lambda: late.tts("你好")))


def test_backend_failure_text(sandbox: SandboxThread) -> None:
    sandbox.cfg.faults["rokid"] = {"fail_500": "tts backend overloaded"}
    err = failure(lambda: client(sandbox).tts("你好"))
    assert isinstance(err, rokid.RokidServerError) and "tts backend overloaded" in str(err)


def test_captive_portal_page(sandbox: SandboxThread) -> None:
    sandbox.cfg.faults["rokid"] = {"html": True}
    err = failure(lambda: client(sandbox).tts("你好"))
    assert isinstance(err, ProtocolFailure) and "web page" in str(err) and "Sign in to the network" in str(err)


def test_proxy_error_page(sandbox: SandboxThread) -> None:
    sandbox.cfg.faults["rokid"] = {"status": 502}
    err = failure(lambda: client(sandbox).asr(spoken_digits("1")))
    assert isinstance(err, ProtocolFailure) and err.code == "HTTP 502" and "web page" in str(err)


@pytest.mark.parametrize("body", ["protobuf", "json"])
def test_garbage_reply(sandbox: SandboxThread, body: str) -> None:
    sandbox.cfg.faults["rokid"] = {"garbage": True}
    err = failure(lambda: client(sandbox, body=body).tts("你好"))
    assert isinstance(err, ProtocolFailure) and "not a Rokid reply" in str(err)


def test_reply_without_audio(sandbox: SandboxThread) -> None:
    sandbox.cfg.faults["rokid"] = {"empty_voice": True}
    err = failure(lambda: client(sandbox).tts("你好", codec="opu"))
    assert isinstance(err, ProtocolFailure) and "without any audio" in str(err)


def test_dropped_connection(sandbox: SandboxThread) -> None:
    sandbox.cfg.faults["rokid"] = {"drop": True}
    err = failure(lambda: client(sandbox).tts("你好"))
    assert isinstance(err, ConnectionFailure) and "closed the connection" in str(err)


def test_timeout(sandbox: SandboxThread) -> None:
    sandbox.cfg.faults["rokid"] = {"delay_s": 2}
    err = failure(lambda: client(sandbox, timeout_s=0.5).tts("你好"))
    assert isinstance(err, ProtocolFailure) and "did not answer within" in str(err)


def test_nothing_listening() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = rokid.RokidClient(sandbox_profile(port=port).rokid)
    err = failure(lambda: c.tts("你好"))
    assert isinstance(err, ConnectionFailure) and "Cannot reach" in str(err)


def test_tls_failure(sandbox: SandboxThread) -> None:
    c = client(sandbox)
    c.settings.tts_url = c.settings.tts_url.replace("http://", "https://")
    err = failure(lambda: c.tts("你好"))
    assert isinstance(err, ConnectionFailure) and "TLS" in str(err)


def test_server_413(sandbox: SandboxThread, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rokid, "BODY_LIMIT", 10_000_000)  # pretend our limit were looser than the gateway's
    err = failure(lambda: client(sandbox).asr(np.zeros(16000 * 21, np.int16), codec="pcm"))
    assert isinstance(err, ServiceRefused) and err.exit_code == ExitCode.REFUSED and err.code == "HTTP 413"


@pytest.mark.parametrize(("name", "value"), [("key", ""), ("secret", ""), ("device_id", " "), ("body", "xml")])
def test_missing_settings(sandbox: SandboxThread, name: str, value: str) -> None:
    err = failure(lambda: client(sandbox, **{name: value}).tts("你好"))
    assert isinstance(err, ConfigError)


def test_damaged_audio_in_a_good_reply(sandbox: SandboxThread, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.sandbox import rokid_audio

    real = rokid_audio.encode
    monkeypatch.setattr(rokid_audio, "encode", lambda codec, pcm, rate, **kw: real(codec, pcm, rate, **kw)[:-5])
    err = failure(lambda: client(sandbox).tts("你好", codec="opu"))
    assert isinstance(err, ProtocolFailure) and "cannot be decoded" in str(err)
