"""Speaks the voiceprint protocol raw (websocket-client + json), never through desktop.services,
so that a mistake shared by client and sandbox cannot pass both. Fixtures for the sandbox tests."""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import websocket

from desktop.sandbox import defaults
from desktop.sandbox.server import SandboxConfig, SandboxThread
from tests.sandbox.speech import to_frames

APPCODE = defaults.APPCODE


def start_sandbox(state_dir: Path) -> SandboxThread:
    return SandboxThread(SandboxConfig(port=0, state_dir=state_dir)).start()


@contextlib.contextmanager
def running(state_dir: Path) -> Iterator[SandboxThread]:
    thread = start_sandbox(state_dir)
    try:
        yield thread
    finally:
        thread.stop()


def url(thread: SandboxThread) -> str:
    return defaults.voiceprint_url(thread.cfg.host, thread.port)


def set_faults(thread: SandboxThread, **switches: Any) -> None:
    thread.cfg.faults["voiceprint"] = dict(switches)


class Raw:
    """One WebSocket to the sandbox with the protocol's messages spelled out by hand."""

    def __init__(self, thread: SandboxThread, appcode: str | None = APPCODE, timeout: float = 15.0) -> None:
        header = [f"X-Apig-AppCode: {appcode}"] if appcode is not None else []
        self.ws = websocket.create_connection(url(thread), header=header, timeout=timeout)

    def send(self, kind: str, data: Any = None, *, with_data: bool = True) -> None:
        message: dict[str, Any] = {"type": kind}
        if with_data and data is not None:
            message["data"] = data
        self.ws.send(json.dumps(message, ensure_ascii=False))

    def send_text(self, text: str) -> None:
        self.ws.send(text)

    def recv_text(self) -> str:
        opcode, data = self.ws.recv_data()
        assert opcode == websocket.ABNF.OPCODE_TEXT, f"unexpected opcode {opcode}"
        return data.decode("utf-8")

    def recv(self) -> dict[str, Any]:
        message = json.loads(self.recv_text())
        assert isinstance(message, dict)
        return message

    def frames(self, kind: str, pcm: npt.NDArray[np.int16], frame_ms: int = 100) -> None:
        for frame in to_frames(pcm, frame_ms):
            self.send(kind, base64.b64encode(frame).decode("ascii"))

    def enrol(
        self, name: Any, pcm: npt.NDArray[np.int16], audio_type: str = "training", stop_type: str = "stop_train"
    ) -> dict[str, Any]:
        self.send("start_train", name)
        self.frames(audio_type, pcm)
        self.send(stop_type)
        return self.recv()

    def verify(self, name: Any, pcm: npt.NDArray[np.int16]) -> dict[str, Any]:
        self.send("recognize_name", name)
        self.frames("recognizing", pcm)
        self.send("stop_recognize", "stop")
        return self.recv()

    def ping(self) -> dict[str, Any]:
        self.send("ping", with_data=False)
        return self.recv()

    def close(self) -> None:
        self.ws.close()

    def __enter__(self) -> Raw:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reset(thread: SandboxThread) -> None:
    """Every voiceprint fault switch off and the threshold back to the engine's default."""
    thread.cfg.faults.pop("voiceprint", None)
    thread.cfg.threshold = 0.0


def parse_result(data: str) -> tuple[list[tuple[str, float]], str | None]:
    """The seed's candidate text -> [(name, score)], number (tolerant of the odd spacing)."""
    candidates: list[tuple[str, float]] = []
    number = None
    for part in data.split(";"):
        part = part.strip()
        if not part:
            continue
        if part.startswith(","):
            key, _, value = part.lstrip(", ").partition("=")
            assert key.strip() == "number", part
            number = value.strip()
            continue
        name, _, rest = part.rpartition(",")
        key, _, value = rest.partition("=")
        assert key.strip() == "score", part
        candidates.append((name.strip(), float(value)))
    return candidates, number
