"""Cut 16 kHz mono int16 audio into the fixed frames the voiceprint service receives."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from desktop.audio import RATE


def frame_bytes(frame_ms: int, rate: int = RATE) -> int:
    return rate * frame_ms // 1000 * 2


def split_frames(pcm: npt.NDArray[np.int16], frame_ms: int = 100) -> Iterator[bytes]:
    """s16le frames of ``frame_ms``; the last one may be shorter (the service takes any length)."""
    data = np.ascontiguousarray(pcm, dtype="<i2").tobytes()
    step = frame_bytes(frame_ms)
    for start in range(0, len(data), step):
        yield data[start : start + step]
