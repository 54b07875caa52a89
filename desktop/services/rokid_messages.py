"""The Rokid client's sentences (registered by ``desktop.services.rokid``), English and Chinese."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "rokid.text_empty": {"en": "The text to speak is empty", "zh": "要朗读的文字为空"},
    "rokid.text_too_long": {
        "en": "The text is {length} characters long; at most {limit} can be spoken at once",
        "zh": "文字长度为 {length} 个字符；一次最多朗读 {limit} 个字符",
    },
    "rokid.bad_declaimer": {
        "en": "A declaimer is 1-32 printable characters without spaces, not '{value}'; known ones: {known}",
        "zh": "朗读者名称须为 1-32 个不含空白的可打印字符，而不是“{value}”；已知的有：{known}",
    },
    "rokid.text_not_utf8": {
        "en": "The text holds characters that are not valid Unicode (undecodable bytes?)",
        "zh": "文字中含有无效的 Unicode 字符（可能是无法解码的字节）",
    },
    "rokid.reply_too_large": {
        "en": "Rokid announced a reply of {size:,} bytes, over the {limit:,}-byte limit: not a speech reply",
        "zh": "Rokid 声明的应答有 {size:,} 字节，超过 {limit:,} 字节上限，不是语音应答",
    },
    "rokid.bad_codec": {
        "en": "Unknown audio codec '{value}'; choose one of: {known}",
        "zh": "未知的音频编码“{value}”；可选：{known}",
    },
    "rokid.bad_asr_codec": {
        "en": "Unknown audio codec '{value}' for recognition; choose one of: {known}",
        "zh": "识别不支持音频编码“{value}”；可选：{known}",
    },
    "rokid.audio_empty": {"en": "The recording holds no audio", "zh": "录音中没有音频"},
    "rokid.audio_odd": {
        "en": "The audio bytes are not whole 16-bit samples (odd length)",
        "zh": "音频字节数为奇数，不是完整的 16 位采样",
    },
    "rokid.audio_shape": {
        "en": "Speech must be mono 16-bit samples, not {dtype} of shape {shape}",
        "zh": "语音必须是单声道 16 位采样，而不是形状为 {shape} 的 {dtype}",
    },
    "rokid.pcm_too_large": {
        "en": "{seconds:.1f} s of PCM makes a {size:,}-byte request, over Rokid's {limit:,}-byte limit; "
        "choose the codec 'auto' or 'opu' to compress it",
        "zh": "{seconds:.1f} 秒的 PCM 请求为 {size:,} 字节，超过 Rokid 的 {limit:,} 字节上限；"
        "请选择编码“auto”或“opu”进行压缩",
    },
    "rokid.audio_too_long": {
        "en": "The recording is {seconds:.1f} s long; Rokid takes at most about {max_s:.0f} s in one request "
        "(a request is limited to {limit:,} bytes even with Opus compression). Cut it shorter",
        "zh": "录音时长 {seconds:.1f} 秒；Rokid 一次请求最多约 {max_s:.0f} 秒（即使用 Opus 压缩，请求也限制在 "
        "{limit:,} 字节以内）。请剪短录音",
    },
    "rokid.missing_setting": {
        "en": "The Rokid setting '{name}' is empty; fill it in the profile (Settings, or vpw config)",
        "zh": "Rokid 设置“{name}”为空；请在配置中填写（设置页面或 vpw config）",
    },
    "rokid.bad_body_setting": {
        "en": "The Rokid body format must be 'protobuf' or 'json', not '{value}'",
        "zh": "Rokid 消息格式必须是“protobuf”或“json”，而不是“{value}”",
    },
    "rokid.bad_url": {
        "en": "The Rokid address '{url}' is not an http(s) URL",
        "zh": "Rokid 地址“{url}”不是 http(s) 网址",
    },
    "rokid.server_error": {
        "en": "Rokid refused the request (HTTP 500): {text}. Rokid answers this way to a wrong key, "
        "secret, device id or clock, and to its own failures",
        "zh": "Rokid 拒绝了请求（HTTP 500）：{text}。密钥、密码、设备 ID 或时钟错误，以及 Rokid 自身故障时都会这样回复",
    },
    "rokid.no_reason": {"en": "(no reason given)", "zh": "（未给出原因）"},
    "rokid.too_large": {
        "en": "Rokid refused the request as too large (over {limit:,} bytes)",
        "zh": "Rokid 以请求过大为由拒绝（超过 {limit:,} 字节）",
    },
    "rokid.http_status": {
        "en": "Rokid answered HTTP {status}, which it does not use: {detail}",
        "zh": "Rokid 返回了不应出现的 HTTP {status}：{detail}",
    },
    "rokid.not_rokid": {
        "en": "The answer (HTTP {status}) is a web page, not a Rokid reply — is the address right, or is a "
        "proxy or captive portal in the way? It begins: {detail}",
        "zh": "回复（HTTP {status}）是一个网页，不是 Rokid 的回复——地址是否正确，或者被代理、登录门户拦截？"
        "开头为：{detail}",
    },
    "rokid.bad_reply": {
        "en": "The answer is not a Rokid reply that can be read: {detail}",
        "zh": "回复不是可读的 Rokid 回复：{detail}",
    },
    "rokid.no_audio": {"en": "Rokid answered without any audio", "zh": "Rokid 的回复中没有音频"},
    "rokid.bad_audio": {
        "en": "The {codec} audio Rokid sent cannot be decoded: {detail}",
        "zh": "Rokid 发来的 {codec} 音频无法解码：{detail}",
    },
    "rokid.tls": {
        "en": "Secure connection to {url} failed (TLS): {detail}. Check the address, the clock and the CA bundle",
        "zh": "与 {url} 的安全连接失败（TLS）：{detail}。请检查地址、时钟和 CA 证书",
    },
    "rokid.connect_timeout": {
        "en": "Could not connect to {url} within {seconds:.0f} s",
        "zh": "{seconds:.0f} 秒内未能连接到 {url}",
    },
    "rokid.timeout": {
        "en": "Rokid at {url} did not answer within {seconds:.0f} s",
        "zh": "{url} 上的 Rokid 服务在 {seconds:.0f} 秒内没有回复",
    },
    "rokid.connect": {
        "en": "Cannot reach Rokid at {url}: {detail}",
        "zh": "无法连接 {url} 上的 Rokid 服务：{detail}",
    },
    "rokid.dropped": {
        "en": "Rokid at {url} closed the connection without a complete answer",
        "zh": "{url} 上的 Rokid 服务未完整回复就关闭了连接",
    },
    "rokid.cannot_write": {
        "en": "Cannot write {path}: {reason}",
        "zh": "无法写入 {path}：{reason}",
    },
}
