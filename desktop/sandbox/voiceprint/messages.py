"""The sandbox voiceprint service's wire vocabulary: message types, replies, result text, names.

Derived from the seed (``000_e0d0397239f398a5.txt``) and PROTOCOLS.md §1, independently of the
client in ``desktop.services``. The sentences the service sends come from the i18n table, in the
sandbox process's language (the real service's language is unknown; clients show them as given).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from typing import Any

from desktop import i18n

# Client -> server types. The seed's sample code writes " training" and " stop_train" with a stray
# space; surrounding whitespace is stripped so that clients copying the seed still work.
CLIENT = "client"
PING = "ping"
START_TRAIN = "start_train"
TRAINING = "training"
STOP_TRAIN = "stop_train"
RECOGNIZE_NAME = "recognize_name"
RECOGNIZING = "recognizing"
STOP_RECOGNIZE = "stop_recognize"

# Server -> client types the seed does not show (see the service's docstring).
PONG = "pong"
ERROR = "error"
SURPRISE = "surprise"

MAX_NAME_CHARS = 64
# The result text separates candidates with ';' and name from score with ',' and '='.
_FORBIDDEN_IN_NAME = ",;="

i18n.register(
    {
        "sandbox.voiceprint.not_json": {
            "en": "The message is not JSON text: {reason}",
            "zh": "消息不是 JSON 文本：{reason}",
        },
        "sandbox.voiceprint.binary": {
            "en": "Binary frames are not accepted; send JSON text frames",
            "zh": "不接受二进制帧，请发送 JSON 文本帧",
        },
        "sandbox.voiceprint.not_object": {
            "en": 'The message must be a JSON object with a string "type"',
            "zh": '消息必须是带字符串 "type" 的 JSON 对象',
        },
        "sandbox.voiceprint.unknown_type": {
            "en": "Unknown message type {type!r}",
            "zh": "未知的消息类型 {type!r}",
        },
        "sandbox.voiceprint.no_session": {
            "en": "No {what} in progress: send {start} first",
            "zh": "没有进行中的{what}：请先发送 {start}",
        },
        "sandbox.voiceprint.what_train": {"en": "enrolment", "zh": "声纹注册"},
        "sandbox.voiceprint.what_recognize": {"en": "verification", "zh": "声纹验证"},
        "sandbox.voiceprint.discarded": {
            "en": "The unfinished {what} for {name!r} was discarded",
            "zh": "未完成的{what}（{name!r}）已丢弃",
        },
        "sandbox.voiceprint.bad_audio": {
            "en": "Audio frame ignored: {reason}",
            "zh": "音频帧已忽略：{reason}",
        },
        "sandbox.voiceprint.not_base64": {"en": "data is not base64", "zh": "data 不是 base64"},
        "sandbox.voiceprint.not_string": {"en": "data is not a string", "zh": "data 不是字符串"},
        "sandbox.voiceprint.odd_bytes": {
            "en": "{count} bytes is not a whole number of 16-bit samples",
            "zh": "{count} 字节不是整数个 16 位采样",
        },
        "sandbox.voiceprint.too_long": {
            "en": "More than {limit:.0f} s of audio; the rest of this recording is ignored",
            "zh": "音频超过 {limit:.0f} 秒，本次录音其余部分将被忽略",
        },
        "sandbox.voiceprint.name_empty": {"en": "The user name is empty", "zh": "用户名为空"},
        "sandbox.voiceprint.name_type": {"en": "The user name must be text", "zh": "用户名必须是文本"},
        "sandbox.voiceprint.name_long": {
            "en": "The user name is longer than {limit} characters",
            "zh": "用户名超过 {limit} 个字符",
        },
        "sandbox.voiceprint.name_chars": {
            "en": "The user name may not contain control characters or any of {chars}",
            "zh": "用户名不能包含控制字符，也不能包含 {chars} 中的字符",
        },
        "sandbox.voiceprint.too_short": {
            "en": "Recording too short: {speech:.1f} s of speech, at least {minimum:.1f} s needed",
            "zh": "录音太短：有效语音 {speech:.1f} 秒，至少需要 {minimum:.1f} 秒",
        },
        "sandbox.voiceprint.enrolled": {
            "en": "Voiceprint of {name} enrolled (recording {takes} of this name, {speech:.1f} s of speech)",
            "zh": "{name} 的声纹注册成功（第 {takes} 次录入，有效语音 {speech:.1f} 秒）",
        },
        "sandbox.voiceprint.take_refused": {
            "en": "Take refused, nothing stored for {name}: {reason}",
            "zh": "{name} 的本次录入被拒绝，未保存任何内容：{reason}",
        },
        "sandbox.voiceprint.nobody": {
            "en": "No voiceprint is enrolled yet",
            "zh": "尚未注册任何声纹",
        },
        "sandbox.voiceprint.internal": {
            "en": "The service failed to process this recording ({reason}); nothing was decided",
            "zh": "服务处理这段录音时出错（{reason}），未作出任何判定",
        },
        "sandbox.voiceprint.engine_failed": {
            "en": "The speaker engine could not process this recording: {reason}",
            "zh": "声纹引擎无法处理这段录音：{reason}",
        },
    }
)


def normalise_type(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def encode(message: dict[str, Any]) -> str:
    """Compact JSON as the seed prints it; CJK left readable."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def reply(kind: str, status: int, data: str) -> str:
    return encode({"status": status, "type": kind, "data": data})


def error(reason: str) -> str:
    return encode({"type": ERROR, "status": 400, "data": reason})


def check_name(value: Any) -> tuple[str, str | None]:
    """``(normalised name, None)`` when usable, else ``(best-effort name, reason)``.

    NFC so that the same CJK name typed on two systems is one speaker.
    """
    if not isinstance(value, str):
        return "", i18n.tr("sandbox.voiceprint.name_type")
    name = unicodedata.normalize("NFC", value).strip()
    if not name:
        return name, i18n.tr("sandbox.voiceprint.name_empty")
    if len(name) > MAX_NAME_CHARS:
        return name, i18n.tr("sandbox.voiceprint.name_long", limit=MAX_NAME_CHARS)
    if any(c in _FORBIDDEN_IN_NAME or unicodedata.category(c).startswith("C") for c in name):
        return name, i18n.tr("sandbox.voiceprint.name_chars", chars=" ".join(_FORBIDDEN_IN_NAME))
    return name, None


def format_score(score: float) -> str:
    """Up to six decimals without trailing zeros and never an exponent: 0.7879, 0.816818."""
    text = f"{score:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def format_result(candidates: Sequence[tuple[str, float]], number: str) -> str:
    """The seed's result text, irregular spacing included:

    ``test,score= 0.816818;test1 , score = 0.7879;test2 , score = 0.749334;, number = 75339335``
    """
    parts = []
    for i, (name, score) in enumerate(candidates):
        sep = ",score= " if i == 0 else " , score = "
        parts.append(f"{name}{sep}{format_score(score)};")
    return "".join(parts) + f", number = {number}"
