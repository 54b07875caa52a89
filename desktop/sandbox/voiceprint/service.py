"""Sandbox voiceprint service: the seed's WebSocket protocol behind an APIG-like AppCode check.

Route: ``GET defaults.VOICEPRINT_PATH`` upgraded to a WebSocket; one JSON text frame per message.

Handshake (before the upgrade). ``X-Apig-AppCode`` must equal ``cfg.appcode``; otherwise HTTP
401 with ``application/json`` body ``{"error_msg": "...", "error_code": "APIG.0303",
"request_id": "<uuid4 hex>"}``. The fault switch ``auth_status`` forces a refusal whatever the
code: 401 APIG.0303, 403 APIG.0304, 413 APIG.0201 or 429 APIG.0308 (other values: that status
with ``SANDBOX.FAULT``).

Messages (``type`` is stripped, so the seed's ``" training"``/``" stop_train"`` work):
  ``client`` -> no answer; ``ping`` -> ``{"type":"pong"}``; ``start_train``/``recognize_name``
  -> no answer (a bad user name is reported by the stop answer; starting while a session is
  open discards it with an ``error`` message); ``training``/``recognizing`` -> no answer when
  the frame is good.
  ``stop_train`` -> ``{"status":S,"type":"stop_train","data":"<sentence>"}``:
    200 enrolled (one more take for that name), 400 too little net speech (VAD-measured, below
    ``min_enrol_speech_s``, default 3.0), bad user name, no enrolment open, audio the engine
    cannot use, or a take the engine finds unlike that name's stored takes (engines with a take
    check, ``engines.base.TakeChecker``; nothing is stored); 500 the engine failed.
  ``stop_recognize`` -> ``{"status":S,"type":"stop_recognize","data":D}``:
    200 the claimed name is the top candidate and scores >= the threshold (``cfg.threshold``,
    else the engine's default), D = the seed's candidate list
    ``a,score= 0.81;b , score = 0.78;c , score = 0.74;, number = <digits>``
    (up to 3 candidates of everyone enrolled with the engine in use, best first, equal scores by
    name; digits empty without a digit reader);
    403 rejected (another voice is closer, or the score is below the threshold), D = the list;
    404 the claimed name is not enrolled, D = the list (or a sentence when nobody is enrolled,
    or when the name is enrolled only with another speaker engine);
    400 too little speech (below ``min_verify_speech_s``, default 1.0), bad name, no
    verification open, unusable audio: D = a sentence; 500 the engine failed: D = a sentence.
  Anything malformed (binary frame, non-JSON, no ``type``, unknown type, audio outside its
  session, bad base64, an odd byte count, audio past ``max_audio_s`` = 60 s) ->
  ``{"type":"error","status":400,"data":"<sentence>"}``; the connection stays open.

Fault switches (``cfg.fault("voiceprint", ...)``, read live): ``drop_after_frames`` N (abort
the TCP connection at the Nth good audio frame, for ``drop_times`` connections, default 1, so a
replay then succeeds; counting restarts when the switch changes), ``reply_delay_s``,
``unknown_message`` (a ``{"type":"surprise"}`` before every reply), ``garbage`` (stop answers
become non-JSON text; the work is still done), ``reply_text`` (a string sent verbatim as every
stop answer, after the work is done: hostile-input tests), ``never_reply`` (stop messages are swallowed:
neither processed nor answered), ``auth_status``, plus the settings ``min_enrol_speech_s``,
``min_verify_speech_s`` and ``max_audio_s``.

Voiceprints persist under ``cfg.state_dir / "voiceprint"`` in one SQLite database of every
engine's reference embeddings (see ``store``); JSON files of the previous layout are imported on
first load. Every verification is a 1:N search over the engine in use (``store.search``); a
claimed name enrolled only with another engine answers 404 with a sentence naming both engines
and how to re-enrol (or ``VPW_SANDBOX_ENGINE``), and the sandbox logs at start that voiceprints
of other engines exist.
"""

from __future__ import annotations

import hmac
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web

from desktop.sandbox import defaults
from desktop.sandbox.server import SandboxConfig
from desktop.sandbox.voiceprint import admin
from desktop.sandbox.voiceprint.backend import Backend
from desktop.sandbox.voiceprint.connection import SERVICE, Connection, DropState

log = logging.getLogger(__name__)

APPCODE_HEADER = "X-Apig-AppCode"
MAX_MESSAGE_BYTES = 4 * 1024 * 1024  # one frame; a client sends ~4 KB per 100 ms of audio

# What Huawei APIG answers for each refusal (status -> code, message).
_APIG_REFUSALS = {
    401: ("APIG.0303", "Incorrect app authentication information: AppCode not matched"),
    403: ("APIG.0304", "The app is not authorized to access the API"),
    413: ("APIG.0201", "Request entity too large"),
    429: ("APIG.0308", "The throttling threshold has been reached: policy app over ratelimit"),
}
_MISSING_CODE = "Incorrect app authentication information: AppCode not found"


def apig_refusal(status: int, message: str | None = None) -> web.Response:
    code, default_message = _APIG_REFUSALS.get(status, ("SANDBOX.FAULT", "Refused by fault injection"))
    body = {"error_msg": message or default_message, "error_code": code, "request_id": uuid.uuid4().hex}
    return web.json_response(body, status=status)


def _refusal(request: web.Request, cfg: SandboxConfig) -> web.Response | None:
    forced = cfg.fault(SERVICE, "auth_status", None)
    if forced:
        try:
            status = int(forced)
        except (TypeError, ValueError):
            status = 401  # a malformed switch still refuses, as asked, rather than crash the handler
        return apig_refusal(status if 400 <= status <= 599 else 401)
    given = request.headers.get(APPCODE_HEADER)
    if not given:
        return apig_refusal(401, _MISSING_CODE)
    # Constant-time: the sandbox should not teach a client to guess codes by timing.
    if not hmac.compare_digest(given.encode("utf-8", "replace"), cfg.appcode.encode("utf-8")):
        return apig_refusal(401)
    return None


def setup(app: web.Application, cfg: SandboxConfig) -> None:
    """Register the voiceprint WebSocket on ``app``."""
    backend = Backend(cfg.state_dir / "voiceprint", digit_length=cfg.digit_length)
    try:
        backend.announce()
    except Exception:  # a log line must not stop the sandbox
        log.exception("could not list the stored voiceprints")
    executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="vpw-voiceprint")
    drops = DropState()

    async def handle(request: web.Request) -> web.StreamResponse:
        refusal = _refusal(request, cfg)
        if refusal is not None:
            log.info("voiceprint handshake refused: %d", refusal.status)
            return refusal
        ws = web.WebSocketResponse(max_msg_size=MAX_MESSAGE_BYTES)
        await ws.prepare(request)
        try:
            await Connection(ws, request, cfg, backend, executor, drops).run()
        except ConnectionResetError:
            pass  # the client went away mid-reply
        finally:
            if not ws.closed:
                await ws.close()
        return ws

    async def shutdown(_: web.Application) -> None:
        executor.shutdown(wait=False, cancel_futures=True)

    app.router.add_get(defaults.VOICEPRINT_PATH, handle)
    app.on_cleanup.append(shutdown)
    admin.setup(app, cfg, backend, executor, lambda request: _refusal(request, cfg))
