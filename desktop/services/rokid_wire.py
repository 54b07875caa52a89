"""Rokid OpenVoice HTTP on the wire: the ``Authorization`` header and the request/reply bodies.

The one place that knows the Rokid signature (seed 003, PROTOCOLS.md §2)::

    Authorization: version={v};time={t};sign={sign};key={k};device_type_id={dt};device_id={d};service={s}
    sign = UPPER(hex(MD5("key={k}&device_type_id={dt}&device_id={d}&service={s}&version={v}&time={t}&secret={secret}")))

Bodies are protobuf2 (``desktop.proto``) by default, or JSON when the request says
``Content-Type: application/json;charset=utf-8``, with ``bytes`` fields as base64 strings.
Replies are read tolerantly: unknown JSON fields are ignored, a JSON reply to a protobuf request
is accepted, and anything else is classified (HTML page, undecodable body) for a readable error.
"""

from __future__ import annotations

import hashlib
import json
from typing import TypeVar

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import DecodeError, Message

from desktop import untrusted

JSON_CONTENT_TYPE = "application/json;charset=utf-8"
# Rokid chooses JSON only for the JSON content type; anything else is protobuf. The type is not
# documented for protobuf [assumed]: octet-stream passes every gateway unchanged.
PROTOBUF_CONTENT_TYPE = "application/octet-stream"
BODY_FORMATS = ("protobuf", "json")
MAX_REPLY_BYTES = 32 * 1024 * 1024  # 300 characters of 24 kHz PCM are ~5 MB; 32 MB is no reply

M = TypeVar("M", bound=Message)


def sign(*, key: str, device_type_id: str, device_id: str, service: str, version: str, time: str, secret: str) -> str:
    """The ``sign`` field: upper-case hex MD5 of the seed's ordered string (UTF-8)."""
    source = (
        f"key={key}&device_type_id={device_type_id}&device_id={device_id}"
        f"&service={service}&version={version}&time={time}&secret={secret}"
    )
    return hashlib.md5(source.encode("utf-8")).hexdigest().upper()


def authorization(
    *, key: str, device_type_id: str, device_id: str, service: str, version: str, time: int, secret: str
) -> str:
    """The ``Authorization`` header value, fields in the seed's order."""
    t = str(int(time))
    s = sign(
        key=key,
        device_type_id=device_type_id,
        device_id=device_id,
        service=service,
        version=version,
        time=t,
        secret=secret,
    )
    return (
        f"version={version};time={t};sign={s};key={key};"
        f"device_type_id={device_type_id};device_id={device_id};service={service}"
    )


def encode_body(msg: Message, body_format: str) -> tuple[bytes, str]:
    """``(body, content type)`` of a request message."""
    if body_format == "json":
        # Field names as in the .proto ("voice", not a camelCase rendering); bytes become base64.
        data = json_format.MessageToDict(msg, preserving_proto_field_name=True)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), JSON_CONTENT_TYPE
    return msg.SerializeToString(), PROTOBUF_CONTENT_TYPE


class ReplyError(ValueError):
    """A reply body that is not the expected message. ``kind`` says how it went wrong."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind  # "html": a web page, not Rokid; "garbage": not the message
        self.detail = detail


def looks_like_html(body: bytes, content_type: str) -> bool:
    head = body[:512].lstrip().lower()
    return "html" in content_type.lower() or head.startswith((b"<!doctype", b"<html", b"<?xml", b"<"))


def snippet(body: bytes, limit: int = 120) -> str:
    """A short, single-line, printable excerpt of a reply for an error message."""
    text = body[: limit * 4].decode("utf-8", errors="replace")
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    if not text:
        return "(empty)" if not body else "(unprintable bytes)"
    return text[:limit] + ("…" if len(text) > limit else "")


def _fill_omitted(msg: Message) -> None:
    """JSON printers of the proto3 school leave out empty strings and bytes, even required ones:
    ``{}`` is an ASR answer with an empty transcript, not a broken reply."""
    for field in msg.DESCRIPTOR.fields:
        if field.is_required and not msg.HasField(field.name):
            if field.type == FieldDescriptor.TYPE_STRING:
                setattr(msg, field.name, "")
            elif field.type == FieldDescriptor.TYPE_BYTES:
                setattr(msg, field.name, b"")


def text_field(value: str | bytes) -> str:
    """A string field as printable, storable text: the Python protobuf runtime hands a proto2
    string with invalid UTF-8 back as ``bytes``."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return untrusted.clean_text(value)


def parse_reply(body: bytes, content_type: str, cls: type[M]) -> M:
    """The reply message; ``ReplyError`` when the body is not one."""
    msg = cls()
    if looks_like_html(body, content_type):
        raise ReplyError("html", snippet(body))
    name = cls.DESCRIPTOR.name
    if len(body) > MAX_REPLY_BYTES:
        raise ReplyError("garbage", f"a reply of {len(body):,} bytes, over {MAX_REPLY_BYTES:,}")
    if "json" in content_type.lower() or body.lstrip().startswith(b"{"):
        try:
            data = untrusted.loads(body, max_bytes=MAX_REPLY_BYTES)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            json_format.ParseDict(data, msg, ignore_unknown_fields=True)
        except (ValueError, json_format.ParseError) as exc:
            reason = untrusted.one_line(exc, 120)
            raise ReplyError("garbage", f"not a JSON {name} ({reason}); it begins: {snippet(body)}") from exc
        _fill_omitted(msg)
    else:
        try:
            msg.ParseFromString(body)
        except DecodeError as exc:
            raise ReplyError("garbage", f"not a protobuf {name}; it begins: {snippet(body)}") from exc
    if not msg.IsInitialized():
        missing = ", ".join(msg.FindInitializationErrors())
        raise ReplyError("garbage", f"a {name} without its '{missing}' field; it begins: {snippet(body)}")
    return msg
