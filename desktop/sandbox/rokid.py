"""Sandbox Rokid OpenVoice: ``POST /api/v1/asr/AsrProxy/Asr`` and ``/api/v1/tts/TtsProxy/Tts``.

An independent reading of seed 003 (PROTOCOLS.md §2), not importing the client: the
``Authorization`` header is parsed and its ``sign`` recomputed here from the seed's recipe with
``cfg.rokid_key``/``cfg.rokid_secret``; ``time`` must be within ``time_window_s`` (300 s) of the
sandbox's clock. Like Rokid, every refusal is HTTP 500 with a plain-text reason; a body over
655,350 bytes is 413. Bodies are protobuf2 unless the request's Content-Type is JSON; the reply
uses the request's format.

Engines (on this machine, off the event loop): TTS is eSpeak NG (Mandarin ``cmn`` for ``zh``, a
child-like variant for ``c1``), encoded into mp3/pcm/opu/opu2; ASR is pocketsphinx with the
shipped **US English** model — the sandbox recognises English only, and answers digit strings
as numerals ("2718"); see ``engines/asr.py``. ``lang`` is accepted and ignored.

Fault switches (``POST /_sandbox/faults {"rokid": {...}}``):

- ``fail_500``: text -> every request answers 500 with that text;
- ``delay_s``: seconds to wait before answering;
- ``html``: true -> 200 with a web page (a captive portal), ``status``: N -> that status with a
  proxy's HTML error page;
- ``garbage``: true -> 200 with bytes that are no message; ``drop``: true -> close the connection
  without answering; ``empty_voice``: true -> TTS answers no audio;
- ``time_window_s``: the allowed clock difference (default 300);
- ``pcm_wav``: true -> TTS ``pcm`` comes as a RIFF/WAVE file (as some Rokid answers do);
- ``asr_omit_empty``: true -> a JSON ASR answer with an empty transcript leaves ``asr`` out
  (as proto3-style JSON printers do); ``reply_json``: a string sent verbatim (UTF-8, lone
  surrogates kept) as a 200 JSON answer to every request (hostile-input tests).

Declaimers: ``zh`` and ``c1`` (the seed), ``xmly`` and ``e2e`` (named by Rokid's ``tts.proto``;
the sandbox speaks them with the adult voice); anything else is refused like an unknown voice.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from google.protobuf.message import DecodeError

from desktop.proto import rokid_asr_pb2, rokid_tts_pb2
from desktop.sandbox import defaults, rokid_audio

log = logging.getLogger(__name__)

SERVICE = "rokid"
ASR_PATH = urlsplit(defaults.rokid_asr_url()).path  # /api/v1/asr/AsrProxy/Asr
TTS_PATH = urlsplit(defaults.rokid_tts_url()).path  # /api/v1/tts/TtsProxy/Tts
BODY_LIMIT = 655_350
MAX_TEXT = 1000  # the sandbox engine's own limit, above any client's
DECLAIMERS = {"zh": "zh", "c1": "c1", "xmly": "zh", "e2e": "zh"}  # name -> the engine's voice
CFG_KEY: web.AppKey[Any] = web.AppKey("vpw_rokid_cfg")

# The seed: sign = MD5 over these fields in this order, then "&secret=", upper-case hex.
SIGNED_FIELDS = ("key", "device_type_id", "device_id", "service", "version", "time")
HEADER_FIELDS = ("version", "time", "sign", *SIGNED_FIELDS[:3], "service")

_PORTAL = b"<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body>login</body></html>"


class Refused(Exception):
    """A request Rokid would refuse: 500 with this plain text."""


def expected_sign(fields: dict[str, str], secret: str) -> str:
    src = "&".join(f"{name}={fields[name]}" for name in SIGNED_FIELDS) + "&secret=" + secret
    return hashlib.md5(src.encode("utf-8"), usedforsecurity=False).hexdigest().upper()


def parse_authorization(header: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep:
            fields[name.strip()] = value.strip()
    missing = [f for f in HEADER_FIELDS if not fields.get(f)]
    if missing:
        raise Refused(f"authorization: missing {', '.join(missing)}")
    return fields


def check_authorization(cfg: Any, header: str | None, now: float) -> dict[str, str]:
    if not header:
        raise Refused("authorization: header missing")
    fields = parse_authorization(header)
    if fields["key"] != cfg.rokid_key:
        raise Refused("authorization: unknown key")
    try:
        t = int(fields["time"])
    except ValueError:
        raise Refused("authorization: time is not a unix time") from None
    window = float(cfg.fault(SERVICE, "time_window_s", 300))
    if abs(now - t) > window:
        raise Refused(f"authorization: time {t} is {now - t:+.0f} s from the server clock")
    if not hmac.compare_digest(fields["sign"].upper(), expected_sign(fields, cfg.rokid_secret)):
        raise Refused("authorization: sign mismatch")
    return fields


def _is_json(request: web.Request) -> bool:
    return "json" in request.headers.get("Content-Type", "").lower()


def _read(kind: str, body: bytes, as_json: bool) -> dict[str, Any]:
    """The request's fields as a dict (``voice`` as bytes)."""
    if as_json:
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Refused("bad request: body is not JSON") from None
        if not isinstance(data, dict):
            raise Refused("bad request: JSON body is not an object")
        if kind == "asr":
            if not isinstance(data.get("voice"), str):
                raise Refused("bad request: voice missing")
            try:
                data["voice"] = base64.b64decode(data["voice"], validate=True)
            except (binascii.Error, ValueError):
                raise Refused("bad request: voice is not base64") from None
        elif not isinstance(data.get("text"), str):
            raise Refused("bad request: text missing")
        return data
    msg: Any = rokid_asr_pb2.AsrRequest() if kind == "asr" else rokid_tts_pb2.TtsRequest()
    try:
        msg.ParseFromString(body)
    except DecodeError:
        raise Refused("bad request: body is not a protobuf message") from None
    if not msg.IsInitialized():
        raise Refused(f"bad request: {', '.join(msg.FindInitializationErrors())} missing")
    return {f.name: v for f, v in msg.ListFields()}


def _answer(kind: str, value: Any, as_json: bool, omit_empty: bool = False) -> web.Response:
    if as_json:
        field = {"asr": "asr", "tts": "voice"}[kind]
        out = base64.b64encode(value).decode() if kind == "tts" else value
        doc = {} if omit_empty and not out else {field: out}
        return web.Response(body=json.dumps(doc, ensure_ascii=False).encode(),
                            content_type="application/json", charset="utf-8")  # fmt: skip
    msg: Any = rokid_asr_pb2.AsrResponse(asr=value) if kind == "asr" else rokid_tts_pb2.TtsResponse(voice=value)
    return web.Response(body=msg.SerializeToString(), content_type="application/octet-stream")


async def _tts(cfg: Any, fields: dict[str, Any]) -> bytes:
    text = str(fields.get("text", ""))
    declaimer = str(fields.get("declaimer") or "zh")
    codec = str(fields.get("codec") or "mp3")
    if not text.strip():
        raise Refused("tts: text is empty")
    if len(text) > MAX_TEXT:
        raise Refused(f"tts: text longer than {MAX_TEXT} characters")
    if declaimer not in DECLAIMERS:
        raise Refused(f"tts: unsupported declaimer {declaimer}")
    if codec not in ("mp3", "pcm", "opu", "opu2"):
        raise Refused(f"tts: unsupported codec {codec}")
    if cfg.fault(SERVICE, "empty_voice"):
        return b""

    def work() -> bytes:
        from desktop.sandbox.engines.tts import engine

        tts = engine()
        pcm = tts.synthesize(text, DECLAIMERS[declaimer])
        return rokid_audio.encode(codec, pcm, tts.rate, wav=bool(cfg.fault(SERVICE, "pcm_wav")))

    return await asyncio.get_running_loop().run_in_executor(None, work)


async def _asr(cfg: Any, fields: dict[str, Any]) -> str:
    codec = str(fields.get("codec") or "pcm")
    voice = bytes(fields.get("voice") or b"")
    if not voice:
        raise Refused("asr: voice is empty")
    try:
        pcm = rokid_audio.decode(codec, voice)
    except rokid_audio.BadVoice as exc:
        raise Refused(f"asr: {exc}") from None

    def work() -> str:
        from desktop.sandbox.engines.asr import recognizer

        return recognizer().transcribe(pcm)

    return await asyncio.get_running_loop().run_in_executor(None, work)


async def _faulty(cfg: Any, request: web.Request) -> web.StreamResponse | None:
    """The answer a fault switch forces, or None to serve normally."""
    delay = float(cfg.fault(SERVICE, "delay_s", 0) or 0)
    if delay:
        await asyncio.sleep(delay)
    if cfg.fault(SERVICE, "drop"):
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)  # never reaches anyone: the connection is gone
    text = cfg.fault(SERVICE, "fail_500")
    if text:
        return web.Response(status=500, text=str(text))
    status = cfg.fault(SERVICE, "status")
    if status:
        page = f"<html><body><h1>{int(status)} Bad Gateway</h1><hr>nginx</body></html>"
        return web.Response(status=int(status), text=page, content_type="text/html")
    if cfg.fault(SERVICE, "html"):
        return web.Response(body=_PORTAL, content_type="text/html")
    scripted = cfg.fault(SERVICE, "reply_json")
    if isinstance(scripted, str):
        return web.Response(body=scripted.encode("utf-8", "surrogatepass"), content_type="application/json")
    if cfg.fault(SERVICE, "garbage"):
        return web.Response(body=b"\xff\xfe\x00garbage\x07", content_type="application/octet-stream")
    return None


def _handler(kind: str) -> Any:
    async def handle(request: web.Request) -> web.StreamResponse:
        cfg = request.app[CFG_KEY]
        if request.content_length is not None and request.content_length > BODY_LIMIT:
            return web.Response(status=413, text="request entity too large")
        body = await request.read()
        if len(body) > BODY_LIMIT:
            return web.Response(status=413, text="request entity too large")
        forced = await _faulty(cfg, request)
        if forced is not None:
            return forced
        as_json = _is_json(request)
        try:
            check_authorization(cfg, request.headers.get("Authorization"), time.time())
            fields = _read(kind, body, as_json)
            value = await (_asr(cfg, fields) if kind == "asr" else _tts(cfg, fields))
        except Refused as exc:
            log.info("rokid %s refused: %s", kind, exc)
            return web.Response(status=500, text=str(exc))
        return _answer(kind, value, as_json, bool(cfg.fault(SERVICE, "asr_omit_empty")))

    return handle


def setup(app: web.Application, cfg: Any) -> None:
    """Register the two Rokid endpoints on ``app``."""
    app[CFG_KEY] = cfg
    app.router.add_post(ASR_PATH, _handler("asr"))
    app.router.add_post(TTS_PATH, _handler("tts"))
