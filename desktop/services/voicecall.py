"""Client for Huawei's voice verification code: validate, sign and send ``callVerify``.

Everything the operator typed is checked here before a byte leaves the machine (a refused call
still costs a round trip and may count against the account's limits). The body follows PROTOCOLS
§3: ``languageType`` is sent as an integer and TLS stays verified, unlike the seed's sample.
Huawei's pages disagree on the clock ``Created`` shows (UTC or Beijing time): a 1010013 answer is
retried once on the other clock, and the result says which one worked so the profile can be fixed.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from desktop import i18n
from desktop.config import VoicecallSettings
from desktop.errors import AuthFailure, ConfigError, ConnectionFailure, InputError, ProtocolFailure, ServiceRefused
from desktop.services import aksk
from desktop.services.call_guard import DEFAULT_GUARD
from desktop.services.voicecall_codes import CREATED_OUT_OF_WINDOW, other_zone, refusal
from desktop.untrusted import clean_field

CALL_VERIFY_PATH = "/rest/httpsessions/callVerify/v1.0"
DEFAULT_CODE_LENGTH = 6
MAX_ENCODED_URL = 128  # statusUrl/feeUrl are String(1-128) *after* base64 (vendor API page)

i18n.register(
    {
        "voicecall.bad_callee": {
            "en": "The callee number {value!r} is not an E.164 number: write '+', the country code, "
            "then the number, e.g. +8613800000000",
            "zh": "被叫号码 {value!r} 不是 E.164 格式：请写成“+国家码+号码”，例如 +8613800000000",
        },
        "voicecall.bad_display": {
            "en": "The display number {value!r} must be E.164 with 4-31 characters, e.g. +8657100000000 "
            "(set voicecall.display_nbr or give --display)",
            "zh": "主显号码 {value!r} 应为 4-31 个字符的 E.164 号码，例如 +8657100000000"
            "（请设置 voicecall.display_nbr 或使用 --display）",
        },
        "voicecall.bad_code": {
            "en": "The verification code must be 2-8 digits 0-9 (got {length} characters)",
            "zh": "验证码应为 2-8 位数字 0-9（收到 {length} 个字符）",
        },
        "voicecall.bad_times": {
            "en": "The number of repetitions must be a whole number from 0 to 9, not {value!r}",
            "zh": "播放次数应为 0 到 9 的整数，而不是 {value!r}",
        },
        "voicecall.bad_language": {
            "en": "The language type must be an integer (2 = Chinese), not {value!r}",
            "zh": "语言类型应为整数（2 = 中文），而不是 {value!r}",
        },
        "voicecall.bad_tone": {
            "en": "The {field} must be a tone file name ending in .wav (1-128 characters, no folders "
            "or spaces), not {value!r}",
            "zh": "{field} 应为以 .wav 结尾的放音文件名（1-128 个字符，不含目录或空格），而不是 {value!r}",
        },
        "voicecall.bad_callback_url": {
            "en": "The {field} must be a plain http(s) URL such as https://example.com/status, not {value!r}",
            "zh": "{field} 应为普通的 http(s) 地址，例如 https://example.com/status，而不是 {value!r}",
        },
        "voicecall.callback_url_too_long": {
            "en": "The {field} {value!r} is {length} characters once base64-encoded; the platform takes at "
            "most 128 (a plain URL of at most 96 characters). Use a shorter address.",
            "zh": "{field} {value!r} 经 base64 编码后为 {length} 个字符；平台最多接受 128 个"
            "（即原地址最多 96 个字符）。请使用更短的地址。",
        },
        "voicecall.bad_bind": {
            "en": "The bound number (bindNbr) {value!r} must be E.164 with 4-31 characters, e.g. +8657100000000 "
            "(set voicecall.bind_nbr or give --bind; leave it empty if the account has none)",
            "zh": "绑定号码（bindNbr）{value!r} 应为 4-31 个字符的 E.164 号码，例如 +8657100000000"
            "（请设置 voicecall.bind_nbr 或使用 --bind；账号没有绑定号码时留空）",
        },
        "voicecall.zone_retry_worked": {
            "en": "The platform refused Created on {zone} (1010013) and accepted it on {other}: set "
            "voicecall.created_zone = {other} (or VPW_VOICECALL_CREATED_ZONE={other}) in this profile.",
            "zh": "平台拒绝了按 {zone} 填写的 Created（1010013），接受了按 {other} 填写的：请在本配置中将 "
            "voicecall.created_zone 设为 {other}（或 VPW_VOICECALL_CREATED_ZONE={other}）。",
        },
        "voicecall.bad_user_data": {
            "en": "User data must be at most 256 characters (got {length})",
            "zh": "用户数据最多 256 个字符（收到 {length} 个）",
        },
        "voicecall.missing_setting": {
            "en": "Setting 'voicecall.{name}' is empty in this profile; set it (secrets: keyring or ${env})",
            "zh": "本配置中的设置“voicecall.{name}”为空；请设置它（机密：钥匙串或 ${env}）",
        },
        "voicecall.bad_url": {
            "en": "Setting 'voicecall.url' must be an http(s) address, not {value!r}",
            "zh": "设置“voicecall.url”应为 http(s) 地址，而不是 {value!r}",
        },
        "voicecall.no_ca_bundle": {
            "en": "The CA bundle {path} given in voicecall.ca_bundle does not exist",
            "zh": "voicecall.ca_bundle 指定的 CA 证书文件 {path} 不存在",
        },
        "voicecall.connect_failed": {
            "en": "Could not reach the voice-call platform at {url}: {reason}",
            "zh": "无法连接语音通话平台 {url}：{reason}",
        },
        "voicecall.tls_failed": {
            "en": "The TLS certificate of {url} could not be verified. If the platform uses a private "
            "CA, set voicecall.ca_bundle to its certificate file.",
            "zh": "无法验证 {url} 的 TLS 证书。若平台使用私有 CA，请将 voicecall.ca_bundle 设为其证书文件。",
        },
        "voicecall.timeout": {
            "en": "The voice-call platform did not answer within {seconds:g} s",
            "zh": "语音通话平台在 {seconds:g} 秒内没有应答",
        },
        "voicecall.bad_answer": {
            "en": "The voice-call platform answered HTTP {status} with something that is not its JSON answer",
            "zh": "语音通话平台返回了 HTTP {status}，但内容不是预期的 JSON 应答",
        },
        "voicecall.no_session": {
            "en": "The platform accepted the call but sent no sessionId",
            "zh": "平台受理了呼叫，但没有返回 sessionId",
        },
    }
)

# E.164: '+', a country code that does not start with 0, at most 15 digits in all.
_CALLEE = re.compile(r"^\+[1-9]\d{6,14}$")
# The display number is the account's fixed line: E.164, 4-31 characters (vendor doc).
_DISPLAY = re.compile(r"^\+\d{3,30}$")
_CODE = re.compile(r"^[0-9]{2,8}$")
_TONE = re.compile(r"^[^\s/\\]{1,124}\.wav$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-().]")


@dataclass
class CallRequest:
    """What the operator asked for; empty values fall back to the profile."""

    callee: str
    display: str = ""
    code: str = ""  # empty: generate one with ``secrets``
    language: int | str | None = None
    pre_tone: str = ""
    pos_tone: str = ""
    times: int | str | None = None
    status_url: str = ""  # plain URLs; base64-encoded on the wire
    fee_url: str = ""
    return_idle_port: bool | None = None
    user_data: str = ""
    bind_nbr: str = ""  # the CallEnabler number ("绑定号码"); empty: the profile's, else none sent


@dataclass(frozen=True)
class PreparedCall:
    body: dict[str, Any]
    code: str
    code_generated: bool
    status_url: str
    fee_url: str


@dataclass
class CallResult:
    session_id: str
    verify_code: str
    callee: str
    display: str
    resultcode: str
    resultdesc: str
    idle_port: str | None = None
    answer: dict[str, Any] = field(default_factory=dict)  # the platform's answer as received
    created_zone: str = ""  # the clock Created was written on in the accepted request
    notes: list[str] = field(default_factory=list)  # sentences for the operator (e.g. which zone worked)


def generate_code(length: int = DEFAULT_CODE_LENGTH) -> str:
    if not 2 <= length <= 8:
        raise ValueError("a verification code has 2-8 digits")
    return "".join(str(secrets.randbelow(10)) for _ in range(length))


def normalise_number(value: str) -> str:
    """Drop the spaces, dashes, dots and brackets people type inside phone numbers."""
    return _SEPARATORS.sub("", value or "")


def encode_callback_url(url: str, field_name: str) -> str:
    """The URL base64-encoded as the platform wants it, checked against its 1-128 length there."""
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url)
    except ValueError:  # e.g. a bracketed host that is no IPv6 address
        ok = False
    if not ok:
        raise InputError(i18n.tr("voicecall.bad_callback_url", field=field_name, value=url), code=field_name)
    encoded = base64.b64encode(url.encode("utf-8")).decode("ascii")
    if len(encoded) > MAX_ENCODED_URL:
        message = i18n.tr("voicecall.callback_url_too_long", field=field_name, value=url, length=len(encoded))
        raise InputError(message, code=field_name)
    return encoded


def _int_in(value: int | str, low: int, high: int | None) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not re.fullmatch(r"\s*[0-9]+\s*", value):
            return None
        value = int(value)
    if not isinstance(value, int) or value < low or (high is not None and value > high):
        return None
    return value


def prepare(req: CallRequest, settings: VoicecallSettings) -> PreparedCall:
    """Validate ``req`` (with the profile's defaults) into the JSON body; ``InputError`` names the field."""
    callee = normalise_number(req.callee)
    if not _CALLEE.match(callee):
        raise InputError(i18n.tr("voicecall.bad_callee", value=req.callee), code="calleeNbr")
    display = normalise_number(req.display or settings.display_nbr)
    if not _DISPLAY.match(display):
        raise InputError(i18n.tr("voicecall.bad_display", value=req.display or settings.display_nbr), code="displayNbr")
    generated = not req.code
    code = generate_code() if generated else req.code.strip()
    if not _CODE.match(code):
        raise InputError(i18n.tr("voicecall.bad_code", length=len(code)), code="verifyCode")
    language_in = req.language if req.language not in (None, "") else settings.language_type
    language = _int_in(language_in, 0, 2**31 - 1) if language_in is not None else None
    if language is None:
        raise InputError(i18n.tr("voicecall.bad_language", value=language_in), code="languageType")
    pre_tone = (req.pre_tone or settings.pre_tone).strip()
    if not _TONE.match(pre_tone):
        raise InputError(i18n.tr("voicecall.bad_tone", field="preTone", value=pre_tone), code="preTone")
    body: dict[str, Any] = {
        "displayNbr": display,
        "calleeNbr": callee,
        "languageType": language,
        "preTone": pre_tone,
        "verifyCode": code,
    }
    if req.pos_tone:
        if not _TONE.match(req.pos_tone.strip()):
            raise InputError(i18n.tr("voicecall.bad_tone", field="posTone", value=req.pos_tone), code="posTone")
        body["posTone"] = req.pos_tone.strip()
    if req.times not in (None, ""):
        times = _int_in(req.times, 0, 9)  # type: ignore[arg-type]
        if times is None:
            raise InputError(i18n.tr("voicecall.bad_times", value=req.times), code="times")
        body["times"] = times
    status_url = (req.status_url or settings.status_url).strip()
    fee_url = (req.fee_url or settings.fee_url).strip()
    if status_url:
        body["statusUrl"] = encode_callback_url(status_url, "statusUrl")
    if fee_url:
        body["feeUrl"] = encode_callback_url(fee_url, "feeUrl")
    bind = normalise_number(req.bind_nbr or settings.bind_nbr)
    if bind:
        if not _DISPLAY.match(bind):
            raise InputError(i18n.tr("voicecall.bad_bind", value=req.bind_nbr or settings.bind_nbr), code="bindNbr")
        body["bindNbr"] = bind
    if req.return_idle_port is not None:
        body["returnIdlePort"] = "true" if req.return_idle_port else "false"
    if req.user_data:
        if len(req.user_data) > 256:
            raise InputError(i18n.tr("voicecall.bad_user_data", length=len(req.user_data)), code="userData")
        body["userData"] = req.user_data
    return PreparedCall(body, code, generated, status_url, fee_url)


class VoicecallClient:
    """Places verification calls for one profile's voicecall settings.

    ``session`` may be injected (tests count the requests made); ``last_session_id`` keeps the
    sessionId of the last accepted call so a caller can match callbacks to it.
    """

    def __init__(self, settings: VoicecallSettings, session: requests.Session | None = None) -> None:
        self.settings = settings
        self.session = session or requests.Session()
        self.last_session_id: str | None = None

    def _check_settings(self) -> tuple[str, timezone, bool | str]:
        s = self.settings
        parts = urlsplit(s.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(i18n.tr("voicecall.bad_url", value=s.url))
        for name, env in (("app_key", "VPW_VOICECALL_APP_KEY"), ("app_secret", "VPW_VOICECALL_APP_SECRET")):
            if not getattr(s, name):
                raise ConfigError(i18n.tr("voicecall.missing_setting", name=name, env=env))
        zone = aksk.parse_zone(s.created_zone)
        verify: bool | str = True
        if s.ca_bundle:
            if not Path(s.ca_bundle).expanduser().is_file():
                raise ConfigError(i18n.tr("voicecall.no_ca_bundle", path=s.ca_bundle))
            verify = str(Path(s.ca_bundle).expanduser())
        return s.url.rstrip("/") + CALL_VERIFY_PATH, zone, verify

    def call_verify(
        self, req: CallRequest | PreparedCall, *, now: datetime | None = None, retry_zone: bool = True
    ) -> CallResult:
        """Validate, sign and send; returns the accepted call or raises a typed ``VpwError``.

        1010013 (``Created`` out of the platform's window) means the call was not placed, so it is
        safe to sign again on the other documented clock once; the result or the error then says
        which setting to keep.
        """
        prepared = req if isinstance(req, PreparedCall) else prepare(req, self.settings)
        url, zone, verify = self._check_settings()
        # No identical billed call twice within seconds (call_guard). One admission per call: the
        # zone retry below re-sends a request the platform refused, which placed nothing.
        DEFAULT_GUARD.admit(prepared.body)
        try:
            try:
                return self._send(url, prepared, zone, verify, now)
            except (AuthFailure, ServiceRefused) as exc:
                if not retry_zone or exc.code != CREATED_OUT_OF_WINDOW:
                    raise
                first = exc
            other = aksk.parse_zone(other_zone(zone))
            try:
                result = self._send(url, prepared, other, verify, now, tried=zone)
            except (AuthFailure, ServiceRefused) as exc:
                raise exc from first
        except (AuthFailure, ServiceRefused):
            DEFAULT_GUARD.release(prepared.body)  # refused by the platform: no call went out
            raise
        result.notes.append(
            i18n.tr("voicecall.zone_retry_worked", zone=aksk.zone_name(zone), other=result.created_zone)
        )
        return result

    def _send(
        self,
        url: str,
        prepared: PreparedCall,
        zone: timezone,
        verify: bool | str,
        now: datetime | None,
        tried: timezone | None = None,
    ) -> CallResult:
        headers = aksk.request_headers(self.settings.app_key, self.settings.app_secret, zone=zone, now=now)
        payload = json.dumps(prepared.body, ensure_ascii=False).encode("utf-8")
        try:
            resp = self.session.post(url, data=payload, headers=headers, timeout=self.settings.timeout_s, verify=verify)
        except requests.exceptions.SSLError:
            raise ConnectionFailure(i18n.tr("voicecall.tls_failed", url=self.settings.url)) from None
        except requests.exceptions.Timeout:
            raise ProtocolFailure(i18n.tr("voicecall.timeout", seconds=self.settings.timeout_s)) from None
        except requests.exceptions.RequestException as exc:
            reason = type(exc).__name__
            raise ConnectionFailure(i18n.tr("voicecall.connect_failed", url=self.settings.url, reason=reason)) from None
        result = self._answer(resp, prepared, zone, tried)
        result.created_zone = aksk.zone_name(zone)
        return result

    def _answer(
        self, resp: requests.Response, prepared: PreparedCall, zone: timezone, tried: timezone | None
    ) -> CallResult:
        try:
            answer = resp.json()
        except (ValueError, RecursionError):  # not JSON, or JSON nested thousands deep
            answer = None
        if not isinstance(answer, dict) or "resultcode" not in answer:
            raise ProtocolFailure(i18n.tr("voicecall.bad_answer", status=resp.status_code))
        # Untrusted text that ends up in messages and history rows: short, printable, encodable.
        code = clean_field(answer.get("resultcode", ""), 32).strip()
        desc = clean_field(answer.get("resultdesc", ""), 500)
        if code != "0":
            raise refusal(code, desc, zone, tried)
        session_id = clean_field(answer.get("sessionId") or "", 256)
        if not session_id:
            raise ProtocolFailure(i18n.tr("voicecall.no_session"))
        self.last_session_id = session_id
        idle = answer.get("idlePort")
        return CallResult(
            session_id=session_id,
            verify_code=prepared.code,
            callee=prepared.body["calleeNbr"],
            display=prepared.body["displayNbr"],
            resultcode=code,
            resultdesc=desc,
            idle_port=None if idle is None else clean_field(idle, 32),
            answer=answer,
        )
