"""The voiceprint client's sentences (registered by ``desktop.services.voiceprint``), English and Chinese."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "voiceprint.handshake_refused": {
        "en": "The voiceprint gateway refused the connection (HTTP {status}): {reason}",
        "zh": "声纹网关拒绝了连接（HTTP {status}）：{reason}",
    },
    "voiceprint.bad_appcode": {
        "en": "The AppCode was refused; check the profile's voiceprint AppCode",
        "zh": "AppCode 被拒绝；请检查配置中的声纹 AppCode",
    },
    "voiceprint.not_authorised": {
        "en": "This app is not authorised for the voiceprint API",
        "zh": "该应用未获授权调用声纹 API",
    },
    "voiceprint.throttled": {
        "en": "Too many requests: the gateway is throttling; try again shortly",
        "zh": "请求过多，网关已限流；请稍后再试",
    },
    "voiceprint.unreachable": {
        "en": "Cannot reach the voiceprint service at {url}: {reason}",
        "zh": "无法连接声纹服务 {url}：{reason}",
    },
    "voiceprint.tls": {
        "en": "The voiceprint service's TLS certificate could not be verified: {reason}",
        "zh": "无法验证声纹服务的 TLS 证书：{reason}",
    },
    "voiceprint.lost": {
        "en": "The connection to the voiceprint service broke and could not be restored after {attempts} attempts",
        "zh": "与声纹服务的连接中断，尝试 {attempts} 次后仍无法恢复",
    },
    "voiceprint.timeout": {
        "en": "The voiceprint service did not answer within {seconds:g} s",
        "zh": "声纹服务在 {seconds:g} 秒内没有应答",
    },
    "voiceprint.timeout_after_error": {
        "en": "The voiceprint service did not answer within {seconds:g} s; its last error was: {error}",
        "zh": "声纹服务在 {seconds:g} 秒内没有应答；它最后报告的错误是：{error}",
    },
    "voiceprint.bad_url": {
        "en": "The voiceprint URL must start with wss:// (or ws:// for a local sandbox): {url}",
        "zh": "声纹服务地址须以 wss:// 开头（本地沙箱可用 ws://）：{url}",
    },
    "voiceprint.empty_user": {
        "en": "Type the speaker's name first: 1 to 64 characters, for example Li Na.",
        "zh": "请先输入说话人的名字：1 到 64 个字符，例如 李娜。",
    },
    "voiceprint.long_user": {
        "en": "This name has {length} characters; at most 64 are allowed. Shorten it yourself: nothing was cut.",
        "zh": "这个名字有 {length} 个字符，最多允许 64 个。请自行缩短：系统没有截断任何字符。",
    },
    "voiceprint.user_chars": {
        "en": "A name cannot contain ';', '=' or control characters (such as a tab or line break); "
        "letters, digits, spaces and Chinese characters are fine.",
        "zh": "名字不能包含“;”、“=”或控制字符（例如制表符、换行）；字母、数字、空格和汉字都可以。",
    },
    "voiceprint.undecodable_user": {
        "en": "This name holds bytes that are not text (check the terminal's encoding); type it again.",
        "zh": "这个名字包含无法识别为文字的字节（请检查终端编码）；请重新输入。",
    },
    "voiceprint.no_audio": {"en": "No audio was recorded or read", "zh": "没有录到或读到音频"},
    "voiceprint.bad_spelling": {
        "en": "The voiceprint setting 'spelling' must be 'documented' or 'seed', not '{value}'",
        "zh": "声纹设置“spelling”必须是“documented”或“seed”，而不是“{value}”",
    },
    "voiceprint.session_closed": {
        "en": "This session has already finished",
        "zh": "本次会话已结束",
    },
}
