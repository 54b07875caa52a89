"""The sandbox voiceprint service's fault switches, as a client under test would meet them:
dropped connections (and the replay that then succeeds), late, garbled, surprising and missing
answers. Each switch is read live, so tests flip them on a running sandbox."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator

import pytest
import websocket

from desktop.sandbox.server import SandboxThread
from tests.sandbox.speech import speech
from tests.sandbox.voiceprint_support import Raw, reset, running, set_faults


@pytest.fixture(scope="module")
def vp_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxThread]:
    with running(tmp_path_factory.mktemp("vp-faults")) as thread, Raw(thread) as raw:
        assert raw.enrol("alice", speech("alice", 0, 1))["status"] == 200
        yield thread


@pytest.fixture
def vp(vp_sandbox: SandboxThread) -> Iterator[SandboxThread]:
    reset(vp_sandbox)
    yield vp_sandbox
    reset(vp_sandbox)


# How a cut connection shows to websocket-client; OSError covers resets and timeouts.
CUT = (websocket.WebSocketConnectionClosedException, OSError)


def dropped(raw: Raw) -> bool:
    """True when the server cut the connection (no more replies, the socket is dead)."""
    try:
        raw.ping()
    except CUT:
        return True
    return False


def test_drop_after_frames_cuts_one_session_then_a_replay_succeeds(vp: SandboxThread) -> None:
    set_faults(vp, drop_after_frames=5)
    pcm = speech("alice", 3)
    with Raw(vp, timeout=5) as raw:
        raw.send("recognize_name", "alice")
        with pytest.raises(CUT):
            raw.frames("recognizing", pcm)  # the server aborts at frame 5; sending fails soon after
            raw.send("stop_recognize", "stop")
            raw.recv()
    with Raw(vp) as raw:  # the client's replay on a new connection
        reply = raw.verify("alice", pcm)
    assert reply["status"] == 200, reply


def test_drop_times_counts_connections(vp: SandboxThread) -> None:
    set_faults(vp, drop_after_frames=2, drop_times=2)
    frames = speech("alice", 3)[:16000]  # ten frames
    outcomes = []
    for _ in range(3):
        with Raw(vp, timeout=5) as raw:
            raw.send("recognize_name", "alice")
            with contextlib.suppress(*CUT):
                raw.frames("recognizing", frames)
            outcomes.append(dropped(raw))
    assert outcomes == [True, True, False]


def test_drop_counting_restarts_when_the_switch_is_set_again(vp: SandboxThread) -> None:
    frames = speech("alice", 3)[:8000]
    results = []
    for switches in ({"drop_after_frames": 1}, {"drop_after_frames": 1}, {}, {"drop_after_frames": 1}):
        set_faults(vp, **switches)
        with Raw(vp, timeout=5) as raw:
            raw.send("recognize_name", "alice")
            with contextlib.suppress(*CUT):
                raw.frames("recognizing", frames)
            results.append(dropped(raw))
    # Dropped once, then spent; switched off (a frame arrives with no switch); on again: drops again.
    assert results == [True, False, False, True]


def test_reply_delay_holds_the_stop_answer(vp: SandboxThread) -> None:
    set_faults(vp, reply_delay_s=1.2)
    with Raw(vp) as raw:
        raw.send("recognize_name", "alice")
        raw.frames("recognizing", speech("alice", 3))
        t0 = time.monotonic()
        raw.send("stop_recognize", "stop")
        reply = raw.recv()
        elapsed = time.monotonic() - t0
    assert reply["status"] == 200
    assert elapsed >= 1.2


def test_unknown_message_precedes_every_reply(vp: SandboxThread) -> None:
    set_faults(vp, unknown_message=True)
    with Raw(vp) as raw:
        raw.send("ping", with_data=False)
        assert raw.recv()["type"] == "surprise"
        assert raw.recv() == {"type": "pong"}
        raw.send("recognize_name", "alice")
        raw.frames("recognizing", speech("alice", 3))
        raw.send("stop_recognize", "stop")
        assert raw.recv()["type"] == "surprise"
        reply = raw.recv()
    assert reply["type"] == "stop_recognize" and reply["status"] == 200


def test_garbage_answers_are_not_json_but_the_work_is_done(vp: SandboxThread) -> None:
    set_faults(vp, garbage=True)
    with Raw(vp) as raw:
        raw.send("start_train", "garbled")
        raw.frames("training", speech("bob", 0, 1))
        raw.send("stop_train")
        text = raw.recv_text()
        with pytest.raises(ValueError):
            json.loads(text)
        assert raw.ping() == {"type": "pong"}  # only stop answers are garbled
        set_faults(vp)
        reply = raw.verify("garbled", speech("bob", 3))
    assert reply["status"] == 200, reply


def test_never_reply_swallows_stops_and_processes_nothing(vp: SandboxThread) -> None:
    set_faults(vp, never_reply=True)
    with Raw(vp, timeout=1.0) as raw:
        raw.send("start_train", "ghost")
        raw.frames("training", speech("bob", 0, 1))
        raw.send("stop_train")
        with pytest.raises(websocket.WebSocketTimeoutException):
            raw.recv()
        raw.ws.settimeout(10)
        assert raw.ping() == {"type": "pong"}  # the connection itself is fine
        set_faults(vp)
        reply = raw.verify("ghost", speech("bob", 3))
    assert reply["status"] == 404  # the swallowed enrolment was never stored


def test_malformed_switch_values_fall_back_to_defaults(vp: SandboxThread) -> None:
    set_faults(vp, reply_delay_s="soon", drop_after_frames="never", max_audio_s=None, min_verify_speech_s=[1])
    with Raw(vp) as raw:
        reply = raw.verify("alice", speech("alice", 3))
        assert reply["status"] == 200, reply
        assert raw.ping() == {"type": "pong"}
