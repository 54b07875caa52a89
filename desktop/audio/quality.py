"""Is this take good enough to enrol or verify with? Duration, net speech, levels, clipping, SNR.

Net speech comes from WebRTC's VAD (aggressiveness 2, 30 ms frames). The SNR estimate is the
ratio (0–90 dB) of the mean energy of speech frames to a noise floor: the quieter of the non-speech frames' mean
and the 10th percentile of all frame energies. Both are needed: steady noise fools the VAD into
calling every frame speech (then the percentile, which lands in the pauses, finds the floor),
while a take with long silences has a floor at digital zero either way.

Clipping looks for flat tops: runs of three or more samples at full scale (a run of n counts
n - 2). A clean full-scale wave touches 32767 only at isolated samples, so it is not flagged.

``LiveQuality`` is fed frames as they are captured and reports in O(frames) time without
re-reading audio; ``measure`` is the same computation over a whole take.
"""

from __future__ import annotations

from array import array
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import webrtcvad

from desktop import i18n
from desktop.audio import RATE
from desktop.audio.levels import DBFS_FLOOR, FULL_SCALE, dbfs, power_dbfs

DEFAULT_MIN_SPEECH_S = 3.0
VAD_MODE = 2
VAD_FRAME = RATE * 30 // 1000  # samples; webrtcvad takes 10, 20 or 30 ms
CLIP_LEVEL = 32766  # |sample| at or above this is at full scale (the negative rail is -32768)
CLIP_RUN = 3
SNR_CAP_DB = 90.0
HINTS = ("too_short", "too_quiet", "too_loud", "clipped", "noisy")

i18n.register(
    {
        "audio.hint.too_short": {
            "en": "Not enough speech: {speech:.1f} s, at least {needed:.1f} s needed — keep talking",
            "zh": "有效语音不足：{speech:.1f} 秒，至少需要 {needed:.1f} 秒，请继续说话",
        },
        "audio.hint.too_quiet": {
            "en": "Too quiet ({level:.0f} dBFS): move closer to the microphone or raise the input gain",
            "zh": "声音太小（{level:.0f} dBFS）：请靠近麦克风或调高输入增益",
        },
        "audio.hint.too_loud": {
            "en": "Too loud ({level:.0f} dBFS): move back from the microphone or lower the input gain",
            "zh": "声音太大（{level:.0f} dBFS）：请离麦克风远一些或调低输入增益",
        },
        "audio.hint.clipped": {
            "en": "The recording is clipped ({percent:.1f}% of samples): lower the input gain",
            "zh": "录音出现削波（{percent:.1f}% 的采样）：请调低输入增益",
        },
        "audio.hint.noisy": {
            "en": "Too much background noise (SNR {snr:.0f} dB): find a quieter place",
            "zh": "背景噪声过大（信噪比 {snr:.0f} dB）：请换一个安静的地方",
        },
    }
)


@dataclass(frozen=True)
class Thresholds:
    min_speech_s: float = DEFAULT_MIN_SPEECH_S
    quiet_dbfs: float = -35.0  # speech RMS below this is too quiet
    loud_dbfs: float = -9.0  # speech RMS above this leaves no headroom for peaks
    clip_ratio: float = 0.001
    min_snr_db: float = 15.0


@dataclass(frozen=True)
class QualityReport:
    duration_s: float
    speech_s: float
    peak_dbfs: float
    rms_dbfs: float
    speech_rms_dbfs: float | None  # None when there is no speech
    clipping_ratio: float
    snr_db: float | None  # None when there is no speech
    hints: tuple[str, ...] = field(default=())
    min_speech_s: float = DEFAULT_MIN_SPEECH_S

    @property
    def ok(self) -> bool:
        return not self.hints

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values for the history store."""
        data = asdict(self)
        data["hints"] = list(self.hints)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QualityReport:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["hints"] = tuple(known.get("hints", ()))
        return cls(**known)

    def messages(self) -> list[str]:
        """One sentence per hint, in the operator's language."""
        return [hint_message(code, self) for code in self.hints]


def hint_message(code: str, report: QualityReport) -> str:
    level = report.speech_rms_dbfs if report.speech_rms_dbfs is not None else report.rms_dbfs
    return i18n.tr(
        f"audio.hint.{code}",
        speech=report.speech_s,
        needed=report.min_speech_s,
        level=level,
        percent=report.clipping_ratio * 100.0,
        snr=report.snr_db if report.snr_db is not None else 0.0,
    )


class LiveQuality:
    """Running quality of a take, fed 16 kHz mono int16 frames of any length."""

    def __init__(self, thresholds: Thresholds | None = None, *, min_speech_s: float | None = None) -> None:
        base = thresholds or Thresholds()
        if min_speech_s is not None:
            base = Thresholds(min_speech_s, base.quiet_dbfs, base.loud_dbfs, base.clip_ratio, base.min_snr_db)
        self.thresholds = base
        self._vad = webrtcvad.Vad(VAD_MODE)
        self.reset()

    def reset(self) -> None:
        self._samples = 0
        self._peak = 0
        self._sum_sq = 0.0
        self._clipped = 0
        self._tail = np.zeros(0, dtype=np.int16)  # last samples, so a clipped run may span two feeds
        self._pending = np.zeros(0, dtype=np.int16)  # less than one VAD frame
        self._energy = array("d")  # mean square (full scale = 1) per VAD frame
        self._speech = array("b")
        self._speech_frames = 0

    def feed(self, frame: bytes | npt.NDArray[np.int16]) -> None:
        pcm = np.frombuffer(frame, dtype="<i2") if isinstance(frame, bytes | bytearray) else np.asarray(frame)
        if pcm.size == 0:
            return
        wide = pcm.astype(np.int64)
        self._samples += pcm.size
        self._peak = max(self._peak, int(np.abs(wide).max()))
        self._sum_sq += float(np.dot(wide, wide))
        self._count_clipping(pcm)
        self._run_vad(np.concatenate((self._pending, pcm.astype(np.int16, copy=False))))

    def _count_clipping(self, pcm: npt.NDArray[np.int16]) -> None:
        joined = np.concatenate((self._tail, pcm))
        rail = np.abs(joined.astype(np.int32)) >= CLIP_LEVEL
        # Positions that end a run of CLIP_RUN rail samples; the tail only carries context,
        # its own run ends were counted by the previous feed.
        ends = rail[CLIP_RUN - 1 :].copy()
        for lag in range(1, CLIP_RUN):
            ends &= rail[CLIP_RUN - 1 - lag : len(rail) - lag]
        self._clipped += int(ends[max(0, len(self._tail) - (CLIP_RUN - 1)) :].sum())
        self._tail = joined[-(CLIP_RUN - 1) :]

    def _run_vad(self, pcm: npt.NDArray[np.int16]) -> None:
        usable = pcm.size - pcm.size % VAD_FRAME
        if usable:
            frames = pcm[:usable].reshape(-1, VAD_FRAME).astype(np.float64) / FULL_SCALE
            self._energy.extend(np.mean(frames * frames, axis=1).tolist())
            raw = pcm[:usable].astype("<i2").tobytes()
            step = VAD_FRAME * 2
            flags = [self._vad.is_speech(raw[i : i + step], RATE) for i in range(0, len(raw), step)]
            self._speech.extend(int(f) for f in flags)
            self._speech_frames += sum(flags)
        self._pending = pcm[usable:].copy()

    @property
    def duration_s(self) -> float:
        return self._samples / RATE

    @property
    def speech_s(self) -> float:
        return self._speech_frames * VAD_FRAME / RATE

    def hints(self) -> tuple[str, ...]:
        return self.report().hints

    def report(self) -> QualityReport:
        t = self.thresholds
        energy = np.frombuffer(self._energy, dtype=np.float64)
        speech = np.frombuffer(self._speech, dtype=np.int8).astype(bool)
        speech_s = float(speech.sum()) * VAD_FRAME / RATE
        rms = power_dbfs(self._sum_sq / self._samples / FULL_SCALE**2) if self._samples else DBFS_FLOOR
        speech_rms: float | None = None
        snr: float | None = None
        if speech.any():
            signal = float(energy[speech].mean())
            speech_rms = power_dbfs(signal)
            floor = float(np.percentile(energy, 10))
            if (~speech).any():
                floor = min(floor, float(energy[~speech].mean()))
            floor = max(floor, 1.0 / FULL_SCALE**2)  # one LSB: digital silence is not infinitely clean
            snr = min(SNR_CAP_DB, 10.0 * float(np.log10(max(signal, floor) / floor)))
        clipping = self._clipped / self._samples if self._samples else 0.0
        level = speech_rms if speech_rms is not None else rms
        flags = {
            "too_short": speech_s < t.min_speech_s,
            "too_quiet": level < t.quiet_dbfs,
            "too_loud": level > t.loud_dbfs,
            "clipped": clipping > t.clip_ratio,
            "noisy": snr is not None and snr < t.min_snr_db,
        }
        return QualityReport(
            duration_s=self.duration_s,
            speech_s=speech_s,
            peak_dbfs=dbfs(self._peak / FULL_SCALE),
            rms_dbfs=rms,
            speech_rms_dbfs=speech_rms,
            clipping_ratio=clipping,
            snr_db=snr,
            hints=tuple(code for code in HINTS if flags[code]),
            min_speech_s=t.min_speech_s,
        )


def measure(
    pcm: npt.NDArray[np.int16], min_speech_s: float | None = None, thresholds: Thresholds | None = None
) -> QualityReport:
    """Quality of a whole 16 kHz mono take (``min_speech_s`` overrides the thresholds' own)."""
    live = LiveQuality(thresholds, min_speech_s=min_speech_s)
    live.feed(np.asarray(pcm, dtype=np.int16))
    return live.report()
