"""Rokid OpenVoice speech client: text-to-speech and speech recognition over HTTP (Qt-free).

``RokidClient(profile.rokid)`` signs each request (``rokid_wire``), sends protobuf or JSON bodies
(``settings.body``), and turns every failure into a typed error with a readable sentence:

- HTTP 500 with a plain-text body is how Rokid reports both a refused signature and a backend
  failure; the two cannot be told apart, so it is a ``RokidServerError`` (an ``AuthFailure``,
  the usual cause) that shows the server's text.
- 413 (over the gateway's 655,350-byte body limit) is ``ServiceRefused``; timeouts, TLS failures,
  refused or dropped connections are ``ConnectionFailure``/``ProtocolFailure`` with their own
  sentence; a web page, a body that is not the expected message, or audio that does not decode
  is a ``ProtocolFailure`` ("not a Rokid reply").

ASR takes 16 kHz mono int16 audio (files go through ``desktop.audio.decode.load_audio``) and sends
``pcm``, switching to ``opu`` on its own when the PCM request would pass the body limit. TTS
decodes the reply (every codec) at once, so a damaged reply fails here and not in a speaker.
The TTS text limit (300 characters) is our choice: Rokid does not publish one [assumed].
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import requests

from desktop import i18n, untrusted
from desktop.audio import RATE
from desktop.audio import codecs as rc
from desktop.config import RokidSettings
from desktop.errors import (
    AuthFailure,
    ConfigError,
    ConnectionFailure,
    InputError,
    ProtocolFailure,
    ServiceRefused,
)
from desktop.proto import rokid_asr_pb2, rokid_tts_pb2
from desktop.services import rokid_wire as wire
from desktop.services.rokid_messages import MESSAGES

log = logging.getLogger(__name__)
i18n.register(MESSAGES)

BODY_LIMIT = 655_350  # bytes; the gateway answers 413 above it
TEXT_LIMIT = 300  # characters of TTS text [assumed]
# Known voices: zh (adult) and c1 (child) from the seed, xmly and e2e from Rokid's tts.proto
# comments. The field is free text upstream, so any name of this shape is sent as given.
DECLAIMERS = ("zh", "c1", "xmly", "e2e")
MAX_DECLAIMER = 32
TTS_CODECS = rc.TTS_CODECS
ASR_CODECS = ("auto", *rc.ASR_CODECS)

Int16 = npt.NDArray[np.int16]


class RokidServerError(AuthFailure):
    """HTTP 500 with Rokid's plain-text reason (bad key/secret/signature/time, or a backend fault)."""


@dataclass(frozen=True)
class TtsAudio:
    """A TTS reply: the codec bytes as Rokid sent them and the same audio decoded."""

    text: str
    declaimer: str
    codec: str
    data: bytes
    pcm: rc.Pcm

    @property
    def seconds(self) -> float:
        return self.pcm.seconds

    def __len__(self) -> int:  # the size of the codec data, like the bytes it wraps
        return len(self.data)

    def file_bytes(self, raw: bool = False) -> bytes:
        """What ``save`` writes: the raw codec bytes, or a WAV file of the decoded audio."""
        return self.data if raw else rc.wav_bytes(self.pcm)

    def save(self, path: Path | str, raw: bool = False) -> Path:
        """Write atomically, so a failure never leaves half a file where a good one was."""
        path = Path(path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        try:
            tmp.write_bytes(self.file_bytes(raw))
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise InputError(i18n.tr("rokid.cannot_write", path=path, reason=exc.strerror or exc)) from exc
        return path


@dataclass(frozen=True)
class AsrResult:
    text: str
    codec: str  # what was sent: pcm, opu or opu2
    request_bytes: int
    seconds: float  # of the audio sent

    def __str__(self) -> str:
        return self.text


def check_tts(text: str, declaimer: str = "zh", codec: str = "mp3") -> None:
    """``InputError`` for a TTS request that must not be sent (callers check before connecting)."""
    if not text or not text.strip():
        raise InputError(i18n.tr("rokid.text_empty"))
    if not untrusted.is_utf8(text):  # e.g. undecodable bytes on a command line
        raise InputError(i18n.tr("rokid.text_not_utf8"))
    if len(text) > TEXT_LIMIT:
        raise InputError(i18n.tr("rokid.text_too_long", length=len(text), limit=TEXT_LIMIT))
    if not valid_declaimer(declaimer):
        raise InputError(
            i18n.tr("rokid.bad_declaimer", value=untrusted.one_line(declaimer, 40), known=", ".join(DECLAIMERS))
        )
    if codec not in TTS_CODECS:
        raise InputError(i18n.tr("rokid.bad_codec", value=codec, known=", ".join(TTS_CODECS)))


def valid_declaimer(name: str) -> bool:
    """A declaimer Rokid might know: 1-32 printable characters without spaces."""
    return 0 < len(name) <= MAX_DECLAIMER and name.isprintable() and not any(c.isspace() for c in name)


def _check_settings(s: RokidSettings, url: str) -> None:
    for name in ("key", "secret", "device_type_id", "device_id", "version"):
        if not str(getattr(s, name)).strip():
            raise ConfigError(i18n.tr("rokid.missing_setting", name=name))
    if s.body not in wire.BODY_FORMATS:
        raise ConfigError(i18n.tr("rokid.bad_body_setting", value=s.body))
    if not url.startswith(("https://", "http://")):
        raise ConfigError(i18n.tr("rokid.bad_url", url=url))


def _as_pcm(audio: Int16 | bytes) -> Int16:
    if isinstance(audio, (bytes, bytearray, memoryview)):
        raw = bytes(audio)
        if len(raw) % 2:
            raise InputError(i18n.tr("rokid.audio_odd"))
        return np.frombuffer(raw, dtype="<i2").astype(np.int16)
    pcm = np.asarray(audio)
    if pcm.dtype != np.int16 or pcm.ndim != 1:
        raise InputError(i18n.tr("rokid.audio_shape", dtype=pcm.dtype, shape=pcm.shape))
    return pcm


class RokidClient:
    """One profile's Rokid endpoints. Blocking: call it from a worker thread, never the UI's."""

    def __init__(
        self,
        settings: RokidSettings,
        *,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._session = session or requests.Session()
        self._clock = clock

    # -- TTS ------------------------------------------------------------------------------------

    def tts(self, text: str, declaimer: str = "zh", codec: str = "mp3") -> TtsAudio:
        """Synthesise ``text``; the reply is decoded before it is returned."""
        check_tts(text, declaimer, codec)
        request = rokid_tts_pb2.TtsRequest(text=text, declaimer=declaimer, codec=codec)
        body, ctype = wire.encode_body(request, self.settings.body)
        if len(body) > BODY_LIMIT:  # only a pathological text could; keep the promise anyway
            raise InputError(i18n.tr("rokid.text_too_long", length=len(text), limit=TEXT_LIMIT))
        reply = self._post(self.settings.tts_url, "tts", body, ctype, rokid_tts_pb2.TtsResponse)
        data = bytes(reply.voice)
        if not data:
            raise ProtocolFailure(i18n.tr("rokid.no_audio"))
        try:
            pcm = rc.decode_tts(codec, data)
        except rc.CodecError as exc:
            raise ProtocolFailure(i18n.tr("rokid.bad_audio", codec=codec, detail=exc)) from exc
        return TtsAudio(text, declaimer, codec, data, pcm)

    # -- ASR ------------------------------------------------------------------------------------

    def asr_file(self, path: Path | str, codec: str = "auto", lang: str | None = None) -> AsrResult:
        """Transcribe an audio file (any format the audio layer reads)."""
        from desktop.audio.decode import load_audio

        return self.asr(load_audio(path).pcm, codec=codec, lang=lang)

    def asr(self, audio: Int16 | bytes, codec: str = "auto", lang: str | None = None) -> AsrResult:
        """Transcribe 16 kHz mono speech (int16 samples, or their s16le bytes).

        ``codec="auto"`` sends ``pcm`` when the whole request fits in the body limit, else
        ``opu``; audio too long even for ``opu`` is refused before anything is sent.
        """
        if codec not in ASR_CODECS:
            raise InputError(i18n.tr("rokid.bad_asr_codec", value=codec, known=", ".join(ASR_CODECS)))
        if lang is not None and not lang.strip():
            lang = None
        pcm = _as_pcm(audio)
        if pcm.size == 0:
            raise InputError(i18n.tr("rokid.audio_empty"))
        seconds = pcm.size / RATE
        chosen, body, ctype = self._asr_body(pcm, codec, lang, seconds)
        reply = self._post(self.settings.asr_url, "asr", body, ctype, rokid_asr_pb2.AsrResponse)
        return AsrResult(wire.text_field(reply.asr), chosen, len(body), seconds)

    def _asr_body(self, pcm: Int16, codec: str, lang: str | None, seconds: float) -> tuple[str, bytes, str]:
        def build(voice: bytes, name: str) -> tuple[bytes, str]:
            msg = rokid_asr_pb2.AsrRequest(voice=voice, codec=name)
            if lang:
                msg.lang = lang
            return wire.encode_body(msg, self.settings.body)

        if codec in ("auto", "pcm"):
            body, ctype = build(np.ascontiguousarray(pcm, dtype="<i2").tobytes(), "pcm")
            if len(body) <= BODY_LIMIT:
                return "pcm", body, ctype
            if codec == "pcm":
                raise InputError(i18n.tr("rokid.pcm_too_large", seconds=seconds, size=len(body), limit=BODY_LIMIT))
        name = "opu2" if codec == "opu2" else "opu"
        # Stop encoding as soon as the request is over the limit: an hour-long file costs
        # ~the limit's worth of encoding, not an hour's.
        voice = rc.encode_opu(pcm, max_bytes=BODY_LIMIT) if name == "opu" else rc.encode_opu2(pcm)
        body, ctype = build(voice, name)
        if len(body) > BODY_LIMIT:
            # The encoder may have stopped early: rate the request by the part it did encode.
            encoded_s = _opu_seconds(voice) if name == "opu" else seconds
            per_second = len(body) / max(encoded_s, 0.02)
            raise InputError(
                i18n.tr("rokid.audio_too_long", seconds=seconds, max_s=BODY_LIMIT / per_second, limit=BODY_LIMIT)
            )
        return name, body, ctype

    # -- HTTP -----------------------------------------------------------------------------------

    def _post(self, url: str, service: str, body: bytes, ctype: str, cls: type[wire.M]) -> wire.M:
        s = self.settings
        _check_settings(s, url)
        header = wire.authorization(
            key=s.key,
            device_type_id=s.device_type_id,
            device_id=s.device_id,
            service=service,
            version=s.version,
            time=int(self._clock()),
            secret=s.secret,
        )
        headers = {"Authorization": header, "Content-Type": ctype, "Accept": "*/*"}
        verify: Any = s.ca_bundle or True
        started = time.monotonic()
        try:
            resp = self._session.post(url, data=body, headers=headers, timeout=s.timeout_s, verify=verify)
            declared = str(resp.headers.get("Content-Length", "")).strip()
            size = untrusted.int64(declared) if declared.isdigit() else None
            if declared.isdigit() and (size is None or size > wire.MAX_REPLY_BYTES):
                resp.close()  # not read: a reply this size is no Rokid answer
                too_large = i18n.tr("rokid.reply_too_large", size=size or 2**63, limit=wire.MAX_REPLY_BYTES)
                raise ProtocolFailure(too_large)
            content = resp.content
        except requests.exceptions.SSLError as exc:
            raise ConnectionFailure(i18n.tr("rokid.tls", url=url, detail=_reason(exc))) from None
        except requests.exceptions.ConnectTimeout:
            raise ConnectionFailure(i18n.tr("rokid.connect_timeout", url=url, seconds=s.timeout_s)) from None
        except requests.exceptions.Timeout:
            raise ProtocolFailure(i18n.tr("rokid.timeout", url=url, seconds=s.timeout_s)) from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            raise ConnectionFailure(i18n.tr("rokid.dropped", url=url)) from None
        except requests.exceptions.ConnectionError as exc:
            key = "rokid.dropped" if _was_dropped(exc) else "rokid.connect"
            raise ConnectionFailure(i18n.tr(key, url=url, detail=_reason(exc))) from None
        except requests.exceptions.RequestException as exc:
            raise ConnectionFailure(i18n.tr("rokid.connect", url=url, detail=_reason(exc))) from None
        rtype = resp.headers.get("Content-Type", "")
        log.info(
            "rokid %s: %d bytes %s -> HTTP %d, %d bytes, %.0f ms",
            service, len(body), s.body, resp.status_code, len(content), (time.monotonic() - started) * 1000,
        )  # fmt: skip
        if resp.status_code != 200:
            _raise_for_status(resp.status_code, rtype, content)
        try:
            return wire.parse_reply(content, rtype, cls)
        except wire.ReplyError as exc:
            key = "rokid.not_rokid" if exc.kind == "html" else "rokid.bad_reply"
            raise ProtocolFailure(i18n.tr(key, status=200, detail=exc.detail)) from None


def _opu_seconds(voice: bytes) -> float:
    return sum(1 for _ in rc.split_opu(voice)) * rc.FRAME_SAMPLES / rc.OPUS_RATE


def _raise_for_status(status: int, ctype: str, content: bytes) -> None:
    html = wire.looks_like_html(content, ctype)
    if status == 500 and not html:
        text = wire.snippet(content, 300) if content.strip() else i18n.tr("rokid.no_reason")
        raise RokidServerError(i18n.tr("rokid.server_error", text=text), code="HTTP 500")
    if status == 413:
        raise ServiceRefused(i18n.tr("rokid.too_large", limit=BODY_LIMIT), code="HTTP 413")
    key = "rokid.not_rokid" if html else "rokid.http_status"
    raise ProtocolFailure(i18n.tr(key, status=status, detail=wire.snippet(content)), code=f"HTTP {status}")


def _reason(exc: BaseException) -> str:
    """The innermost cause's message, without the URL-and-pool noise requests wraps it in."""
    seen: BaseException = exc
    while True:
        inner = seen.__cause__ or seen.__context__ or (seen.args[0] if seen.args else None)
        if not isinstance(inner, BaseException) or inner is seen:
            break
        seen = inner
    text = str(getattr(seen, "reason", None) or seen)
    return wire.snippet(text.encode(), 160)


def _was_dropped(exc: BaseException) -> bool:
    import http.client

    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, (http.client.RemoteDisconnected, ConnectionResetError, http.client.IncompleteRead)):
            return True
        inner = seen.__cause__ or seen.__context__ or (seen.args[0] if seen.args else None)
        for arg in getattr(seen, "args", ()):
            if isinstance(arg, (http.client.RemoteDisconnected, ConnectionResetError)):
                return True
        seen = inner if isinstance(inner, BaseException) else None
    return False
