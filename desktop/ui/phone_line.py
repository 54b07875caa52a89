"""The Phone panel's line to the platform: the callback receiver it keeps, and placing a call.

Nothing here touches a widget. ``place_call`` and ``PhoneLine.ensure_receiver`` block (a local
server starting, an HTTPS request, SQLite writes) and run on plain daemon threads, so a window
closing during a slow request never waits for it. Results and callback events reach the GUI
thread through ``LineSignals``, a QObject without a parent that lives on the GUI thread: a
signal emitted on it from another thread is queued to the GUI thread, and it stays alive as
long as a thread still holds it, even after the panel is gone.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop.errors import VpwError

if TYPE_CHECKING:
    from desktop.config import Profile
    from desktop.context import Context
    from desktop.services.callbacks import CallbackEvent, CallbackServer
    from desktop.services.voicecall import CallRequest, CallResult
    from desktop.store.calls import CallStore

log = logging.getLogger(__name__)


class LineSignals(QObject):
    pushed = Signal(object)  # desktop.services.callbacks.CallbackEvent, each stored or refused push
    receiver = Signal(str, str)  # base URL ("" when not running), error sentence ("" when none)
    placed = Signal(object)  # CallAttempt


@dataclass
class CallAttempt:
    """What happened to one press of Call: the platform's answer, or why there is none."""

    request: CallRequest
    result: CallResult | None = None
    error: BaseException | None = None  # a VpwError carries the service's code and sentence
    status_url: str = ""  # the plain URLs sent as statusUrl / feeUrl ("" = none sent)
    fee_url: str = ""
    receiver_url: str = ""
    receiver_error: str = ""
    stored: bool = True  # the attempt has its call_sessions row
    extra: dict[str, Any] = field(default_factory=dict)


def _receiver_key(profile: Profile) -> tuple[object, ...]:
    s = profile.voicecall
    place = ("127.0.0.1", 0) if profile.is_sandbox else (s.callback_host, s.callback_port)
    return (profile.name, *place, s.app_key, s.app_secret, s.created_zone, s.status_url, s.fee_url, s.callback_mode)


class PhoneLine:
    """The receiver (started on demand, reused while the profile's settings stay the same) and
    the store of calls; safe to use from any thread."""

    def __init__(self, signals: LineSignals, store_factory: Callable[[], CallStore] | None = None) -> None:
        self.signals = signals
        self._store_factory = store_factory
        self._lock = threading.Lock()
        self._store: CallStore | None = None
        self._server: CallbackServer | None = None
        self._key: tuple[object, ...] = ()
        self._closed = False

    def _emit(self, signal: Any, *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the window is gone; nobody is left to tell
            signal.emit(*args)

    def _observe(self, event: CallbackEvent) -> None:
        self._emit(self.signals.pushed, event)

    def store(self) -> CallStore:
        with self._lock:
            if self._closed:
                raise RuntimeError("the phone line is closed")
            return self._open_store()

    def _open_store(self) -> CallStore:
        if self._store is None:
            if self._store_factory is not None:
                self._store = self._store_factory()
            else:
                from desktop.store.calls import default_store

                self._store = default_store()
        return self._store

    def ensure_receiver(self, profile: Profile) -> tuple[CallbackServer | None, str]:
        """The running receiver for ``profile`` (started, or restarted after a settings change),
        or None and the sentence saying why it could not listen."""
        from desktop.services.callbacks import CallbackServer

        with self._lock:
            if self._closed:
                return None, ""
            key = _receiver_key(profile)
            if self._server is not None and key == self._key:
                return self._server, ""
            self._stop_server()
            store = self._open_store()
            s = profile.voicecall
            # The sandbox pushes to whatever URL we name, so a free loopback port avoids any clash;
            # a real platform pushes to the profile's public URLs, forwarded to its callback port.
            host, port = ("127.0.0.1", 0) if profile.is_sandbox else (None, None)
            try:  # a bad callback_mode or strict mode without a secret is a sentence, like a taken port
                server = CallbackServer.from_settings(s, store, observer=self._observe, host=host, port=port)
                server.start()
            except VpwError as exc:
                self._emit(self.signals.receiver, "", exc.message)
                return None, exc.message
            self._server, self._key = server, key
        self._emit(self.signals.receiver, server.base_url, "")
        return server, ""

    def _stop_server(self) -> None:
        server, self._server, self._key = self._server, None, ()
        if server is not None:
            server.stop()

    def stop_receiver(self) -> None:
        with self._lock:
            running = self._server is not None
            self._stop_server()
        if running:
            self._emit(self.signals.receiver, "", "")

    def close(self) -> None:
        """Stop listening and close the store; later calls on this line do nothing."""
        with self._lock:
            self._closed = True
            self._stop_server()
            store, self._store = self._store, None
        if store is not None:
            store.close()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def receiver_url(self) -> str:
        server = self._server
        return server.base_url if server is not None else ""

    # -- on daemon threads -------------------------------------------------------------------

    def start_receiver(self, profile: Profile) -> None:
        threading.Thread(target=self.ensure_receiver, args=(profile,), name="vpw-phone-receiver", daemon=True).start()

    def call(self, ctx: Context, profile: Profile, req: CallRequest) -> None:
        """Place the call on its own thread; ``signals.placed`` brings the ``CallAttempt``."""

        def run() -> None:
            self._emit(self.signals.placed, place_call(self, ctx, profile, req))

        threading.Thread(target=run, name="vpw-phone-call", daemon=True).start()


def place_call(line: PhoneLine, ctx: Context, profile: Profile, req: CallRequest) -> CallAttempt:
    """Start (or reuse) the receiver, send ``callVerify``, store the attempt. Runs off the GUI thread;
    every failure ends up in the returned attempt, never as an exception."""
    attempt = CallAttempt(req)
    try:
        _place(line, ctx, profile, attempt)
    except Exception as exc:  # a bug or an unexpected OS error: still a sentence, never a traceback
        log.exception("placing a call failed")
        attempt.error = exc
    return attempt


def _place(line: PhoneLine, ctx: Context, profile: Profile, attempt: CallAttempt) -> None:
    from desktop.services.voicecall import VoicecallClient, prepare

    req = attempt.request
    try:
        ctx.ensure_sandbox()  # on the sandbox profile; it may move the profile to another port
    except Exception as exc:
        log.exception("the sandbox did not start")
        attempt.error = exc
        return
    settings = profile.voicecall
    server, attempt.receiver_error = line.ensure_receiver(profile)
    if server is not None:
        attempt.receiver_url = server.base_url
        if profile.is_sandbox:
            req.status_url = req.status_url or settings.status_url or server.status_url
            req.fee_url = req.fee_url or settings.fee_url or server.fee_url
        # The platform signs the URL it pushed to: the ones named in this call must verify too.
        server.receiver.push_urls += [u for u in (req.status_url, req.fee_url) if u]
    try:
        prepared = prepare(req, settings)
    except VpwError as exc:
        attempt.error = exc
        attempt.stored = False  # refused here, before anything was sent
        return
    attempt.status_url, attempt.fee_url = prepared.status_url, prepared.fee_url
    body = prepared.body
    record: dict[str, Any] = {
        "callee": body["calleeNbr"],
        "profile": profile.name,
        "display": body["displayNbr"],
        "language_type": body["languageType"],
        "pre_tone": body["preTone"],
        "times": body.get("times"),
        "code_length": len(prepared.code),
    }
    client = VoicecallClient(settings)
    try:
        attempt.result = client.call_verify(prepared)
    except VpwError as exc:
        attempt.error = exc
        # Only the platform's own refusals are attempts it saw; a typo in the settings is not.
        attempt.stored = bool(exc.code and exc.code[:1].isdigit())
        if attempt.stored:
            _record(line, attempt, resultcode=exc.code or "", resultdesc=exc.message, **record)
        return
    finally:
        client.session.close()
    result = attempt.result
    _record(line, attempt, session_id=result.session_id, resultcode=result.resultcode,
            resultdesc=result.resultdesc, **record)  # fmt: skip


def _record(line: PhoneLine, attempt: CallAttempt, **row: Any) -> None:
    try:
        line.store().record_call(**row)
    except Exception:  # the call itself went out; the panel says the record is missing
        log.exception("recording the call in history failed")
        attempt.stored = False
