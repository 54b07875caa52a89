"""Every SingSound code the seed documents, as a sentence the operator can act on.

Two families share one table: the authorisation codes (430001-430009, returned by
``/auth/authorize``) and the assessment error ids (returned later to the device during an
assessment; the panel and the warrant service explain them when a device reports one). The
sentence says what happened and the advice says what to do, both taken from the seed.
"""

from __future__ import annotations

from desktop import i18n
from desktop.errors import AuthFailure, ProtocolFailure, ServiceRefused, VpwError

# code: (en sentence, zh sentence, en advice, zh advice)
_CODES: dict[int, tuple[str, str, str, str]] = {
    430001: (
        "The request reached SingSound without any parameters.",
        "商户请求平台时未传递任何参数。",
        "Send the fields as a form POST body (application/x-www-form-urlencoded or multipart).",
        "请以表单 POST 方式在请求体中传递参数。",
    ),
    430002: (
        "The request carried no timestamp.",
        "商户请求平台时未传递 timestamp 参数。",
        "Send the current Unix time in seconds (10 digits).",
        "请传递以秒为单位的 10 位当前时间戳。",
    ),
    430003: (
        "The request carried no request_sign.",
        "商户请求平台时未传递 request_sign 参数。",
        "Sign every request (see the signature rule).",
        "每次请求都需要签名（见签名规则）。",
    ),
    430004: (
        "The request carried no appid.",
        "商户请求平台时未传递 appid 参数。",
        "Set the appid in the profile (singsound.appid or $VPW_SINGSOUND_APPID).",
        "请在配置中设置 appid（singsound.appid 或 $VPW_SINGSOUND_APPID）。",
    ),
    430005: (
        "The appid is not valid: it is not a merchant authorised by SingSound.",
        "appid 不合法：不是平台授权的商户。",
        "Check that the appid is right and matches the environment (trial accounts must use the trial environment).",
        "确认 appid 是否有效，以及 appid 是否与环境匹配（测试账号需要使用测试环境）。",
    ),
    430006: (
        "The request carried no user_id.",
        "商户请求平台时未传递 user_id 参数。",
        "Give the merchant's user id of the person being assessed.",
        "请传递被评测用户的商户用户 ID。",
    ),
    430007: (
        "The request carried no user_client_ip.",
        "商户请求平台时未传递 user_client_ip 参数。",
        "Give the public IP address of the assessment device.",
        "请传递评测设备的公网 IP。",
    ),
    430008: (
        "The request_sign did not pass verification (signature error).",
        "request_sign 未通过验证，签名错误。",
        "Check the app secret, and that appid, app_secret, timestamp, user_client_ip and user_id are "
        "sorted by name, joined as a query string and hashed with lower-case MD5; on the trial "
        "environment compare with the information the server returns.",
        "请检查 app_secret，并确认 appid、app_secret、timestamp、user_client_ip、user_id 按参数名升序"
        "拼接为 queryString 后做小写 MD5；如果请求的是测试环境，请依据返回的信息对照修改。",
    ),
    430009: (
        "SingSound's authorisation cache is down.",
        "平台认证服务器 cache 宕机。",
        "This is a fault at SingSound, not in the request: another gateway or a later retry may work.",
        "这是平台侧故障，与请求无关：可换用其他网关或稍后重试。",
    ),
    40092: (
        "The audio sent is longer than allowed.",
        "传输的音频时长超限。",
        "The server limits each request's recording length: keep recordings within the allowed range.",
        "服务端对每次请求的录音时长有限制，请确定录音时长在规定范围内。",
    ),
    41008: (
        "The audio format is not supported.",
        "音频格式不支持。",
        "Check which audio formats are supported.",
        "请确认音频格式在支持的范畴内。",
    ),
    41010: (
        "The audio information is invalid: channel is missing or unsupported (only 1 is supported).",
        "音频信息不合法：channel 不存在或不支持（只支持 1）。",
        "Send the channel parameter, with mono audio (channel = 1).",
        "请传递 channel 参数并使用单声道（channel = 1）。",
    ),
    41016: (
        "The sdk information is empty: connect.param has no sdk field.",
        "sdk 信息为空：connect.param 内缺少 sdk 字段。",
        "Check that the connect packet is complete.",
        "请检查 connect 包是否完整。",
    ),
    41017: (
        "The sdk information has no version: connect.param.sdk lacks version.",
        "sdk 中缺少字段 version：connect.param.sdk 内缺少 version 字段。",
        "Check that the connect packet is complete.",
        "请检查 connect 包是否完整。",
    ),
    41018: (
        "The sdk information has no source: connect.param.sdk lacks source.",
        "sdk 中缺少字段 source：connect.param.sdk 内缺少 source 字段。",
        "Check that the connect packet is complete.",
        "请检查 connect 包是否完整。",
    ),
    41019: (
        "The sdk information has no protocol: connect.param.sdk lacks protocol.",
        "sdk 中缺少字段 protocol：connect.param.sdk 内缺少 protocol 字段。",
        "Check that the connect packet is complete.",
        "请检查 connect 包是否完整。",
    ),
    41030: (
        "Authentication failed: the warrantId is missing or wrong.",
        "鉴权失败：warrantId 缺失或者 warrantId 错误。",
        "Check that a warrantId is sent, and that the user id used to obtain it is the same as the "
        "assessment's user id.",
        "检查是否传了 warrantId，或检查获取 warrantId 的 userId 是否与评测的一致。",
    ),
    41035: (
        "The coretype is not supported: it has not been enabled for this account.",
        "coretype 不支持：使用了没开放权限的 coretype。",
        "Confirm with SingSound pre-sales that the coretype is enabled.",
        "请与售前确认 coretype 是否已开放。",
    ),
    41036: (
        "The account's concurrency limit is reached.",
        "客户并发数超限：评测并发量已经达到购买的额度。",
        "Confirm with SingSound pre-sales that the purchased concurrency quota is enough.",
        "请与售前确认购买的并发量额度是否够用。",
    ),
    42003: (
        "The client sent its requests in the wrong order (the SDK was not called in the normal flow).",
        "客户端发送请求的顺序出错：未按正常流程调用 sdk。",
        "Check that the SDK is used correctly.",
        "请查看 sdk 是否正确使用。",
    ),
    51000: (
        "The assessment kernel failed to initialise with the text parameters given.",
        "初始化内核出错：传文本参数给内核时内核返回出错。",
        "Check the parameter format, then contact SingSound technical support.",
        "请确认参数传递格式正确，并联系技术支持。",
    ),
    53000: (
        "The assessment kernel process crashed.",
        "内核进程崩溃。",
        "Make sure the parameters are in the right format, then contact SingSound technical support.",
        "在确认参数格式正确的情况下，联系技术支持。",
    ),
    70001: (
        "This SDK version must be upgraded: it is banned or has limited support.",
        "SDK 版本需要升级：该版本被禁止使用或者仅有限支持。",
        "Contact SingSound technical support for a supported SDK.",
        "请联系技术支持获取 SDK 支持。",
    ),
}

AUTH_CODES = frozenset(c for c in _CODES if 430001 <= c <= 430009)
ASSESSMENT_CODES = frozenset(c for c in _CODES if c < 430000) | {430005}
# The one authorisation code that says something about the gateway rather than the request, so
# another gateway may well succeed; every other business code would fail the same everywhere.
FAILOVER_CODES = frozenset({430009})

i18n.register({f"singsound.code.{c}": {"en": t[0], "zh": t[1]} for c, t in _CODES.items()})
i18n.register({f"singsound.advice.{c}": {"en": t[2], "zh": t[3]} for c, t in _CODES.items()})
i18n.register(
    {
        "singsound.code.unknown": {
            "en": "SingSound answered with code {code}, which its documentation does not list.",
            "zh": "先声返回了文档未列出的错误码 {code}。",
        },
        "singsound.refused": {
            "en": "SingSound ({gateway}) refused the warrant: {explanation}{server}",
            "zh": "先声（{gateway}）拒绝授权：{explanation}{server}",
        },
        "singsound.server_said": {"en": " The server said: “{message}”.", "zh": "服务器返回：“{message}”。"},
    }
)


def known_codes() -> list[int]:
    return sorted(_CODES)


def explain(code: int | str) -> str:
    """The sentence and the seed's advice for ``code``, in the operator's language."""
    try:
        n = int(code)
    except (TypeError, ValueError):
        n = -1
    if n not in _CODES:
        return i18n.tr("singsound.code.unknown", code=code)
    sep = "" if i18n.current_language() == "zh" else " "  # Chinese sentences are not space-separated
    return f"{i18n.tr(f'singsound.code.{n}')}{sep}{i18n.tr(f'singsound.advice.{n}')}"


def error_for(code: int, server_message: str, gateway: str) -> VpwError:
    """The typed error for a business code from ``/auth/authorize`` (``server_message`` already
    scrubbed of secrets by the caller)."""
    server = i18n.tr("singsound.server_said", message=server_message) if server_message else ""
    text = i18n.tr("singsound.refused", gateway=gateway, explanation=explain(code), server=server)
    if code in (430005, 430008):
        return AuthFailure(text, code=str(code))  # our credentials were refused
    if code in AUTH_CODES and code not in FAILOVER_CODES:
        return ProtocolFailure(text, code=str(code))  # we sent an incomplete request: a bug here
    return ServiceRefused(text, code=str(code))
