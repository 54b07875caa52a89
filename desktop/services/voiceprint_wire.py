"""What the voiceprint service sends, read as untrusted: which frames answer a stop, which are
notices, and which are garbage to show raw (PROTOCOLS.md §1). Never raises."""

from __future__ import annotations

import logging
from typing import Any

from desktop import untrusted

log = logging.getLogger("desktop.services.voiceprint")

STOP_REPLY = {"enrol": "stop_train", "verify": "stop_recognize"}
SPELLINGS = ("documented", "seed")  # of the message types; see Session._audio_type
# Messages that never answer a stop, whatever they carry: the heartbeat's echo, the hello's, and
# a server's acknowledgements of our own start and audio messages (PROTOCOLS.md §1: it "may or
# may not answer" them, perhaps with a status, and such an answer can arrive after the stop).
_NOTICES = ("pong", "ping", "client", "start_train", "recognize_name", "training", "recognizing")
MAX_REPLY_BYTES = 1 << 20  # a result is a few hundred bytes; a megabyte is not a result
RAW_LIMIT = 64 * 1024  # characters of an unusable reply kept to show and record


def message_type(message: dict[str, Any]) -> str | None:
    """A reply's ``type`` with stray spaces removed (the seed writes ``" stop_train"``)."""
    kind = message.get("type")
    return kind.strip() if isinstance(kind, str) else None


def classify(data: bytes | str) -> dict[str, Any] | str | None:
    """What the reader does with one text frame: a dict to queue (it carries a ``status``, or is
    an ``error`` notice), a cleaned string when it is not a JSON object (shown raw), or None to
    drop (pongs, hellos, unknown types without a status). Never raises."""
    if len(data) > MAX_REPLY_BYTES:
        return untrusted.clean_text(f"<a reply of {len(data)} bytes, over the {MAX_REPLY_BYTES}-byte limit>")
    try:
        message = untrusted.loads(data, max_bytes=MAX_REPLY_BYTES)
    except ValueError:
        message = None
    if not isinstance(message, dict):
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        return untrusted.clean_text(text, RAW_LIMIT)
    kind = message_type(message)
    if kind in _NOTICES:
        return None
    if "status" in message or kind == "error":
        return message
    log.info("ignoring a voiceprint message without a status (type %r)", untrusted.one_line(kind, 40))
    return None
