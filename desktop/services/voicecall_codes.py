"""Readable sentences for the voice-call platform's codes (PROTOCOLS §3), in English and Chinese.

``resultcode`` answers ``callVerify``; ``stateCode`` arrives with a ``disconnect`` event; the
event types name the steps of a call. The panel's timeline and the CLI both read these.
"""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

from desktop import i18n
from desktop.errors import AuthFailure, ServiceRefused
from desktop.services import aksk
from desktop.untrusted import clean_field

CREATED_OUT_OF_WINDOW = "1010013"

i18n.register(
    {
        "voicecall.refused": {
            "en": "{sentence} The platform said: {desc}",
            "zh": "{sentence}平台返回：{desc}",
        },
        "voicecall.created_advice": {
            "en": "This profile writes Created in {zone}. Try voicecall.created_zone = {other} "
            "(or VPW_VOICECALL_CREATED_ZONE={other}), and check that this computer's clock is right.",
            "zh": "本配置以 {zone} 填写 Created。请尝试将 voicecall.created_zone 设为 {other}"
            "（或 VPW_VOICECALL_CREATED_ZONE={other}），并检查本机时钟是否准确。",
        },
        "voicecall.zone_retry_failed": {
            "en": "It was refused on {zone} and on {other} alike, so this computer's clock is probably wrong: "
            "set it (network time) and try again.",
            "zh": "按 {zone} 和按 {other} 填写都被拒绝，本机时钟很可能不准：请校准时间（网络时间）后重试。",
        },
    }
)

# resultcode → (en, zh). 1010010 is listed as "flow control" in one vendor table and as
# "Invalid digest" (HTTP 401) in another, so its sentence names both.
RESULT_CODES: dict[str, tuple[str, str]] = {
    "0": ("The platform accepted the call.", "平台已受理呼叫。"),
    "1010001": ("The platform had an internal error; try again later.", "平台内部错误，请稍后重试。"),
    "1010002": ("The platform found a field of the request invalid.", "平台认为请求中的某个字段无效。"),
    "1010003": (
        "The app key is not valid: check voicecall.app_key.",
        "app_key 无效：请检查 voicecall.app_key。",
    ),
    "1010006": ("The REST API address is not valid: check voicecall.url.", "REST 接口地址无效：请检查 voicecall.url。"),
    "1010007": (
        "The account is not active or is in arrears.",
        "账号未激活或已欠费。",
    ),
    "1010008": ("The app key is suspended.", "app_key 已被暂停。"),
    "1010009": ("No more calls are allowed for this account now.", "当前账号不允许再发起呼叫。"),
    "1010010": (
        "The platform refused the request: invalid digest (check the app key and secret) or flow control.",
        "平台拒绝了请求：签名无效（请检查 app_key 与 app_secret）或触发流控。",
    ),
    "1010011": ("Commercial addresses are not allowed for this app yet.", "该应用尚不允许使用商用地址。"),
    "1010013": (
        "The request's Created time is too far from the platform's clock.",
        "请求的 Created 时间与平台时钟相差太大。",
    ),
    "1010021": ("The application is unavailable.", "应用不可用。"),
    "1010023": (
        "The display number is not valid for this app: use a fixed-line number applied for it.",
        "主显号码对该应用无效：请使用为其申请的固话号码。",
    ),
    "1010040": ("This API is not allowed for the app key.", "该 app_key 不允许调用此接口。"),
    "1012001": ("The number has not been applied for.", "号码未申请。"),
    "1012006": ("The number has not been applied for.", "号码未申请。"),
    "1013002": ("A call limit was exceeded.", "超出呼叫限制。"),
    "1013003": ("A call limit was exceeded.", "超出呼叫限制。"),
    "1020001": ("A parameter of the request is wrong.", "请求参数错误。"),
    "1020002": ("The platform had an internal error; try again later.", "平台内部错误，请稍后重试。"),
    "1020003": ("A parameter of the request is wrong.", "请求参数错误。"),
    "1020165": ("All call ports are busy: too many calls at once.", "呼叫端口超出上限：同时呼叫过多。"),
    "1023006": ("The Authorization header is missing or wrong.", "缺少 Authorization 头或其内容有误。"),
    "1023007": ("The Authorization header has no realm.", "Authorization 头中缺少 realm。"),
    "1023008": ("The Authorization header has no profile.", "Authorization 头中缺少 profile。"),
    "1023009": ("The Authorization realm must be SDP.", "Authorization 的 realm 必须为 SDP。"),
    "1023010": ("The Authorization profile must be UsernameToken.", "Authorization 的 profile 必须为 UsernameToken。"),
    "1023011": ("The Authorization type must be Appkey.", "Authorization 的 type 必须为 Appkey。"),
    "1023012": ("The Authorization header has no type.", "Authorization 头中缺少 type。"),
    "1023033": ("The X-AKSK header is missing.", "缺少 X-AKSK 头。"),
    "1023034": ("The X-AKSK header has no Username.", "X-AKSK 头中缺少 Username。"),
    "1023035": ("The X-AKSK header has no Nonce.", "X-AKSK 头中缺少 Nonce。"),
    "1023036": ("The X-AKSK header has no Created.", "X-AKSK 头中缺少 Created。"),
    "1023037": ("The X-AKSK header has no PasswordDigest.", "X-AKSK 头中缺少 PasswordDigest。"),
}

# Codes that mean our credentials or signature are at fault (exit code 3, not 1).
AUTH_CODES = frozenset({"1010003", "1010008", "1010010", "1010013", "1010040"}) | {
    c for c in RESULT_CODES if c.startswith("10230")
}

# Disconnect stateCode → (en, zh).
STATE_CODES: dict[str, tuple[str, str]] = {
    "0": ("The call ended normally.", "通话正常结束。"),
    "7001": ("Blocked by frequency control.", "被频次管控拦截。"),
    "7002": ("Blocked by frequency control.", "被频次管控拦截。"),
    "7003": ("Blocked: the number is on a blacklist.", "被拦截：号码在黑名单中。"),
    "7004": ("Blocked by frequency or blacklist control.", "被频次或黑名单管控拦截。"),
    "7108": ("The account is frozen.", "账号已冻结。"),
    "7109": ("No voice ports were free.", "没有空闲的语音端口。"),
    "8000": ("The platform had an internal error.", "平台内部错误。"),
    "8001": ("The call could not be connected.", "呼叫未接通。"),
    "8002": (
        "The network played a failure tone (busy, switched off or unreachable).",
        "网络播放了失败提示音（忙、关机或无法接通）。",
    ),
    "8003": ("Nobody answered before the ringing timed out.", "振铃超时，无人接听。"),
    "8004": ("The person hung up while it was ringing.", "对方在振铃时挂断。"),
    "8005": ("Text-to-speech failed.", "语音合成失败。"),
    "8006": ("The tone file is missing on the platform.", "平台上缺少放音文件。"),
    "8007": ("Playback failed.", "放音失败。"),
    "8008": ("Collecting digits failed.", "收号失败。"),
}

EVENTS: dict[str, tuple[str, str]] = {
    "callout": ("Dialling the number", "正在呼出"),
    "alerting": ("The phone is ringing", "对方振铃中"),
    "answer": ("Answered: the code is being read out", "已接听：正在播放验证码"),
    "collectInfo": ("Digits collected", "已收号"),
    "disconnect": ("The call ended", "通话结束"),
    "fee": ("The bill arrived", "话单已到达"),
}

i18n.register(
    {f"voicecall.result.{c}": {"en": en, "zh": zh} for c, (en, zh) in RESULT_CODES.items()}
    | {f"voicecall.state.{c}": {"en": en, "zh": zh} for c, (en, zh) in STATE_CODES.items()}
    | {f"voicecall.event.{c}": {"en": en, "zh": zh} for c, (en, zh) in EVENTS.items()}
    | {
        "voicecall.result.unknown": {
            "en": "The platform answered with code {code}.",
            "zh": "平台返回了代码 {code}。",
        },
        "voicecall.state.unknown": {
            "en": "The call ended with state {code}.",
            "zh": "通话以状态 {code} 结束。",
        },
        "voicecall.event.unknown": {"en": "Event {name}", "zh": "事件 {name}"},
        "voicecall.event.ended_because": {"en": "{event}: {state}", "zh": "{event}：{state}"},
    }
)


def describe_result(code: str) -> str:
    code = clean_field(code, 32).strip()  # the platform's answer is untrusted: one short printable line
    return (
        i18n.tr(f"voicecall.result.{code}") if code in RESULT_CODES else i18n.tr("voicecall.result.unknown", code=code)
    )


def describe_state(code: str | int | None) -> str:
    text = "" if code is None else clean_field(code, 32).strip()
    return (
        i18n.tr(f"voicecall.state.{text}")
        if text in STATE_CODES
        else i18n.tr("voicecall.state.unknown", code=text or "?")
    )


def describe_event(event_type: str, state_code: str | int | None = None) -> str:
    """One line for a timeline: the step, and for a disconnect why the call ended."""
    base = (
        i18n.tr(f"voicecall.event.{event_type}")
        if event_type in EVENTS
        else i18n.tr("voicecall.event.unknown", name=clean_field(event_type, 64))
    )
    if event_type == "disconnect" and state_code not in (None, ""):
        return i18n.tr("voicecall.event.ended_because", event=base, state=describe_state(state_code))
    return base


def other_zone(zone: timezone) -> str:
    """The other documented ``Created`` clock: UTC+8 for UTC, UTC for anything else."""
    return "UTC+8" if zone.utcoffset(None) == timedelta(0) else "UTC"


def refusal(code: str, desc: str, zone: timezone = UTC, tried: timezone | None = None) -> AuthFailure | ServiceRefused:
    """The typed error for a non-zero ``resultcode``: a readable sentence, plus advice for 1010013
    (which setting to try; or, when ``tried`` on another clock already, to fix the computer's clock)."""
    sentence = describe_result(code)
    if code == CREATED_OUT_OF_WINDOW and tried is not None:
        names = {"zone": aksk.zone_name(tried), "other": aksk.zone_name(zone)}
        sentence += " " + i18n.tr("voicecall.zone_retry_failed", **names)
    elif code == CREATED_OUT_OF_WINDOW:
        sentence += " " + i18n.tr("voicecall.created_advice", zone=aksk.zone_name(zone), other=other_zone(zone))
    message = i18n.tr("voicecall.refused", sentence=sentence, desc=desc) if desc else sentence
    cls = AuthFailure if code in AUTH_CODES else ServiceRefused
    return cls(message, code=code)
