"""Which parts of a recording are speech: WebRTC's VAD plus a level gate, at a 10 ms resolution.

The sandbox measures *net* speech (an enrolment needs a few seconds of it, not of silence) and
the speaker engines pool features over voiced frames only. WebRTC's VAD alone calls steady
low-level noise speech now and then, so frames far below the recording's loud parts are dropped
too. Kept separate from ``desktop.audio`` on purpose: the sandbox is an independent implementation.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import webrtcvad

RATE = 16_000
HOP = RATE // 100  # 10 ms: the resolution of the mask and of the engines' feature frames
_VAD_FRAME = 3 * HOP  # WebRTC's VAD takes 10, 20 or 30 ms; 30 ms decides best
_GATE_DB = 40.0  # frames this far below the loud (95th percentile) frames are not speech
_MODE = 2  # 0 (lenient) .. 3 (strict); 2 keeps quiet syllable ends without taking in much noise

Mask = npt.NDArray[np.bool_]


def voiced_mask(pcm: npt.NDArray[np.int16]) -> Mask:
    """One flag per 10 ms hop of ``pcm`` (16 kHz mono int16): True where someone speaks."""
    pcm = np.ascontiguousarray(pcm, dtype="<i2")
    n_vad = len(pcm) // _VAD_FRAME
    hops = len(pcm) // HOP
    mask = np.zeros(hops, dtype=bool)
    if n_vad == 0:
        return mask
    vad = webrtcvad.Vad(_MODE)
    blocks = pcm[: n_vad * _VAD_FRAME].reshape(n_vad, _VAD_FRAME)
    level = 10.0 * np.log10(np.mean(blocks.astype(np.float64) ** 2, axis=1) + 1.0)
    loud = float(np.percentile(level, 95))
    for i, block in enumerate(blocks):
        if level[i] >= loud - _GATE_DB and level[i] > 20.0 and vad.is_speech(block.tobytes(), RATE):
            mask[3 * i : 3 * i + 3] = True
    return mask


def speech_seconds(pcm: npt.NDArray[np.int16]) -> float:
    """Net speech in ``pcm``: the seconds the VAD marks as voiced."""
    return float(np.count_nonzero(voiced_mask(pcm))) * HOP / RATE
