"""Client + receiver + store against the real sandbox: whole calls, refusals, forged and late pushes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from desktop import config
from desktop.config import Profile
from desktop.errors import AuthFailure, ServiceRefused
from desktop.services.callbacks import CallbackEvent, CallbackServer
from desktop.services.voicecall import CallRequest, VoicecallClient
from desktop.store.calls import CallStore
from tests.services.voicecall_support import fast, wait_call_done


@pytest.fixture
def profile(sandbox: Any) -> Profile:
    return config.load_profile("sandbox")


@pytest.fixture
def store(tmp_path: Any) -> Iterator[CallStore]:
    s = CallStore(config.data_dir() / "history.sqlite3")
    yield s
    s.close()


@pytest.fixture
def seen() -> list[CallbackEvent]:
    return []


@pytest.fixture
def receiver(profile: Profile, store: CallStore, seen: list[CallbackEvent]) -> Iterator[CallbackServer]:
    srv = CallbackServer.from_settings(profile.voicecall, store, observer=seen.append, port=0).start()
    yield srv
    srv.stop()


def place(profile: Profile, receiver: CallbackServer, **kw: Any) -> str:
    req = CallRequest(callee="+8613800000001", status_url=receiver.status_url, fee_url=receiver.fee_url, **kw)
    return VoicecallClient(profile.voicecall).call_verify(req).session_id


def test_full_call_all_events_received_and_stored_once(
    sandbox: Any, profile: Profile, receiver: CallbackServer, store: CallStore, seen: list[CallbackEvent]
) -> None:
    fast(sandbox, bill_twice=True)
    sid = place(profile, receiver, times=2)
    record = wait_call_done(sandbox.port, sid)
    assert all(p["outcome"] == 200 for p in record["pushes"])  # our receiver accepted every push
    assert len(record["pushes"]) == 6  # 4 events + the bill twice
    assert [e["event_type"] for e in store.events(sid)] == ["callout", "alerting", "answer", "disconnect"]
    assert store.events(sid)[-1]["state_code"] == "0"
    (bill,) = store.bills(sid)
    assert bill["push_count"] == 2  # the repeated bill is stored once
    assert [(e.kind, e.event_type) for e in seen] == [
        ("status", "callout"),
        ("status", "alerting"),
        ("status", "answer"),
        ("status", "disconnect"),
        ("fee", "fee"),
    ]
    assert store.rejected() == []


def test_no_answer_is_stored_with_its_reason(
    sandbox: Any, profile: Profile, receiver: CallbackServer, store: CallStore
) -> None:
    fast(sandbox, no_answer=True)
    sid = place(profile, receiver)
    wait_call_done(sandbox.port, sid)
    assert [e["event_type"] for e in store.events(sid)] == ["callout", "alerting", "disconnect"]
    assert store.events(sid)[-1]["state_code"] == "8003"


def test_forged_callbacks_are_refused_and_recorded_in_strict_mode(
    sandbox: Any, profile: Profile, store: CallStore, seen: list[CallbackEvent]
) -> None:
    profile.voicecall.callback_mode = "strict"
    fast(sandbox, forge_callbacks=True, repush_interval_s=0.01)
    with CallbackServer.from_settings(profile.voicecall, store, observer=seen.append, port=0) as receiver:
        sid = place(profile, receiver)
        record = wait_call_done(sandbox.port, sid)
    assert {p["outcome"] for p in record["pushes"]} == {401}
    assert len(record["pushes"]) == 5 * 7  # every push retried six more times, all refused
    assert store.events() == [] and store.bills() == []
    assert {r["reason"] for r in store.rejected(1000)} == {"bad_digest"}
    assert len(store.rejected(1000)) == 35
    assert {e.kind for e in seen} == {"rejected"}


def test_forged_callbacks_are_stored_marked_in_record_mode(
    sandbox: Any, profile: Profile, receiver: CallbackServer, store: CallStore, seen: list[CallbackEvent]
) -> None:
    fast(sandbox, forge_callbacks=True, repush_interval_s=0.01)
    sid = place(profile, receiver)
    record = wait_call_done(sandbox.port, sid)
    assert [p["outcome"] for p in record["pushes"]] == [200] * 5  # nothing re-pushed, nothing lost
    assert {e["signature"] for e in store.events(sid)} == {"bad_signature"} and len(store.events(sid)) == 4
    assert [b["signature"] for b in store.bills(sid)] == ["bad_signature"]
    assert store.rejected() == [] and {e.signature for e in seen} == {"bad_signature"}


def test_late_callbacks_are_refused_as_stale_in_strict_mode(sandbox: Any, profile: Profile, store: CallStore) -> None:
    # The platform's clock is 20 minutes ahead: our request must match it, its pushes are then stale to us.
    profile.voicecall.callback_mode = "strict"
    fast(sandbox, created_skew=1200, repush_interval_s=0.01)
    with CallbackServer.from_settings(profile.voicecall, store, port=0) as receiver:
        req = CallRequest(callee="+8613800000001", status_url=receiver.status_url, fee_url=receiver.fee_url)
        late = datetime.now(UTC) + timedelta(seconds=1200)
        sid = VoicecallClient(profile.voicecall).call_verify(req, now=late).session_id
        wait_call_done(sandbox.port, sid)
    assert store.events() == [] and {r["reason"] for r in store.rejected(1000)} == {"stale"}


def test_late_callbacks_are_stored_as_stale_in_record_mode(
    sandbox: Any, profile: Profile, receiver: CallbackServer, store: CallStore
) -> None:
    fast(sandbox, created_skew=1200, repush_interval_s=0.01)
    req = CallRequest(callee="+8613800000001", status_url=receiver.status_url, fee_url=receiver.fee_url)
    late = datetime.now(UTC) + timedelta(seconds=1200)
    sid = VoicecallClient(profile.voicecall).call_verify(req, now=late).session_id
    wait_call_done(sandbox.port, sid)
    assert {e["signature"] for e in store.events(sid)} == {"stale"} and len(store.events(sid)) == 4
    assert "s away" in store.events(sid)[0]["signature_detail"] and store.rejected() == []


def test_a_slow_receiver_gets_the_bill_again_and_stores_it_once(
    sandbox: Any, profile: Profile, store: CallStore
) -> None:
    slow_once = {"done": False}

    def slow(ev: CallbackEvent) -> None:
        if ev.kind == "fee" and not slow_once["done"]:
            slow_once["done"] = True
            time.sleep(0.5)  # runs on the receiver's loop: the whole receiver stalls, as a busy disk would

    with CallbackServer.from_settings(profile.voicecall, store, observer=slow, port=0) as srv:
        fast(sandbox, slow_receiver=0.2)
        sid = place(profile, srv)
        record = wait_call_done(sandbox.port, sid)
    assert [p["outcome"] for p in record["pushes"] if p["eventType"] == "fee"][-1] == 200
    assert len([p for p in record["pushes"] if p["eventType"] == "fee"]) >= 2
    (bill,) = store.bills(sid)
    assert bill["push_count"] >= 2


def test_stale_created_gets_1010013_and_advice(sandbox: Any, profile: Profile) -> None:
    client = VoicecallClient(profile.voicecall)
    ten_minutes_ago = datetime.now(UTC) - timedelta(minutes=10)
    with pytest.raises(AuthFailure) as err:
        client.call_verify(CallRequest(callee="+8613800000001"), now=ten_minutes_ago, retry_zone=False)
    assert err.value.code == "1010013" and err.value.exit_code == 3
    assert "voicecall.created_zone = UTC+8" in err.value.message and "clock" in err.value.message
    with pytest.raises(AuthFailure) as err:  # with the retry: refused on both clocks, so the clock is wrong
        client.call_verify(CallRequest(callee="+8613800000001"), now=ten_minutes_ago)
    assert err.value.code == "1010013" and "UTC and on UTC+8 alike" in err.value.message


def test_a_platform_on_beijing_time_and_the_setting_that_fixes_it(sandbox: Any, profile: Profile) -> None:
    sandbox.cfg.faults["voicecall"] = {"created_zone": "UTC+8", "event_interval_s": 0.01}
    with pytest.raises(AuthFailure, match=r"created_zone = UTC\+8"):
        VoicecallClient(profile.voicecall).call_verify(CallRequest(callee="+8613800000001"), retry_zone=False)
    result = VoicecallClient(profile.voicecall).call_verify(CallRequest(callee="+8613800000001"))
    assert result.session_id and result.created_zone == "UTC+8" and "created_zone = UTC+8" in result.notes[0]
    profile.voicecall.created_zone = "UTC+8"  # what the note says to do
    result = VoicecallClient(profile.voicecall).call_verify(CallRequest(callee="+8613800000001"))
    assert result.session_id and result.notes == []


class MangledSession(requests.Session):
    """Sends what the client built, but with a broken Authorization header (a proxy rewriting it, say)."""

    def __init__(self, authorization: str | None) -> None:
        super().__init__()
        self.authorization = authorization

    def post(self, url: Any, data: Any = None, json: Any = None, **kw: Any) -> requests.Response:  # type: ignore[override]
        headers = dict(kw.pop("headers"))
        if self.authorization is None:
            headers.pop("Authorization")
        else:
            headers["Authorization"] = self.authorization
        return super().post(url, data=data, json=json, headers=headers, **kw)


@pytest.mark.parametrize(
    ("authorization", "code", "words"),
    [
        (None, "1023006", "Authorization"),
        ('AKSK realm="ABC",profile="UsernameToken",type="Appkey"', "1023009", "SDP"),
        ('AKSK realm="SDP",profile="UsernameToken",type="AppSecret"', "1023011", "Appkey"),
    ],
)
def test_malformed_authorization_gets_1023xxx_as_a_readable_error(
    sandbox: Any, profile: Profile, authorization: str | None, code: str, words: str
) -> None:
    client = VoicecallClient(profile.voicecall, session=MangledSession(authorization))
    with pytest.raises(AuthFailure) as err:
        client.call_verify(CallRequest(callee="+8613800000001"))
    assert err.value.code == code and words in err.value.message


def test_wrong_secret_and_unknown_display(sandbox: Any, profile: Profile) -> None:
    profile.voicecall.app_secret = "not-the-sandbox-secret"
    with pytest.raises(AuthFailure, match="digest") as err:
        VoicecallClient(profile.voicecall).call_verify(CallRequest(callee="+8613800000001"))
    assert "not-the-sandbox-secret" not in str(err.value)
    profile = config.load_profile("sandbox")
    with pytest.raises(ServiceRefused) as refused:
        VoicecallClient(profile.voicecall).call_verify(CallRequest(callee="+8613800000001", display="+8657199999999"))
    assert refused.value.code == "1010023" and refused.value.exit_code == 1
