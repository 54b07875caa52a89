"""Refuse a second identical verification call placed within a few seconds of the first.

Every accepted ``callVerify`` is a billed call to a person's phone. An operator pressing Enter
and double-clicking Call placed three identical calls in two seconds; no person needs the same
code read out three times at once. The guard remembers, per process, when each call body was
last sent and refuses the same body again within ``window_s``. A different code or number is a
different call and goes out. Thread-safe: the GUI places calls from worker threads.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any

from desktop import i18n
from desktop.errors import InputError

DUPLICATE_WINDOW_S = 10.0

i18n.register(
    {
        "voicecall.duplicate": {
            "en": "The same call to {callee} went out {ago:.0f} s ago; it was not placed again. Wait {wait:.0f} s "
            "or make a new code if you really want a second call.",
            "zh": "{ago:.0f} 秒前已向 {callee} 拨出同样的呼叫，这次没有重复拨打。"
            "如确需再打一次，请等待 {wait:.0f} 秒或换一个新验证码。",
        },
    }
)


def _key(body: dict[str, Any]) -> str:
    # The whole body: same number, same code, same tone... is the same call.
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CallGuard:
    def __init__(self, window_s: float = DUPLICATE_WINDOW_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._sent: dict[str, float] = {}

    def admit(self, body: dict[str, Any]) -> None:
        """Record this call as sent now, or raise ``InputError`` (code ``duplicate``) when the
        same call was sent less than ``window_s`` ago."""
        key = _key(body)
        now = self._clock()
        with self._lock:
            self._sent = {k: t for k, t in self._sent.items() if now - t < self.window_s}
            last = self._sent.get(key)
            if last is not None:
                ago = now - last
                callee = str(body.get("calleeNbr", ""))
                message = i18n.tr("voicecall.duplicate", callee=callee, ago=ago, wait=max(1.0, self.window_s - ago))
                raise InputError(message, code="duplicate")
            self._sent[key] = now

    def release(self, body: dict[str, Any]) -> None:
        """The platform refused this call (nothing was placed, nothing billed): it may go again."""
        with self._lock:
            self._sent.pop(_key(body), None)

    def forget(self) -> None:
        with self._lock:
            self._sent.clear()


DEFAULT_GUARD = CallGuard()  # shared by every client in the process (the GUI makes one per call)
