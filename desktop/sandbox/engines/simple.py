"""A small statistical speaker model: cepstral and pitch statistics over voiced frames.

The voiceprint of a recording is the mean and spread of its MFCCs c1..c19 (the shape of the
speaker's vocal tract, loudness c0 left out) plus the median and range of its log pitch, taken
over the frames the VAD calls speech. Each statistic is standardised against a background of
many voices (``_BG_MEAN``/``_BG_STD``), so that what all speech shares cancels and what sets a
speaker apart remains; the vector is then weighted and L2-normalised, and two voiceprints
compare by cosine. A speaker enrolled several times keeps one reference per take; a probe scores
its best match among them.

The background statistics and the weights were measured on eSpeak NG voices with
``tests/bench/calibrate_simple_engine.py`` (which prints new constants and the score figures);
the voices used there are not the ones the tests enrol. Good enough for a sandbox that must tell
different people apart on the bench; not a biometric product.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from desktop.sandbox import vad
from desktop.sandbox.engines import features
from desktop.sandbox.engines.base import Embedding, Pcm

N_CEPS = 19  # c1..c19
MIN_FRAMES = 20  # voiced 10 ms frames below which no statistic means anything

# Standardisation of the raw statistics: [mean c1..c19, std c1..c19, median log2 F0, log2 F0 range].
# fmt: off
_BG_MEAN = np.array([
    -9.35, -2.542, 13.29, -9.125, -9.763, -3.141, -9.824, -1.861, -3.472, -1.148,
    -0.6524, -1.7, -0.5394, 0.6655, -2.417, -1.511, -0.2342, -2.662, -0.1401,
    55.18, 22.05, 27.96, 20.58, 18.7, 18.47, 15.64, 13.9, 11.36, 10.98,
    10.05, 10.08, 8.85, 7.981, 7.48, 7.031, 6.476, 6.091, 5.798,
    7.091, 0.8678,
])
_BG_STD = np.array([
    21.59, 11.3, 12.29, 13.06, 8.83, 8.195, 6.638, 6.931, 3.4, 4.69,
    4.817, 4.483, 5.101, 3.938, 3.972, 4.52, 2.963, 2.859, 2.652,
    12.48, 3.274, 4.416, 3.479, 3.391, 3.554, 3.328, 2.891, 1.962, 2.45,
    2.126, 2.063, 2.036, 1.889, 1.67, 1.801, 1.803, 1.599, 1.702,
    0.5893, 0.776,
])
# fmt: on
# Spreads vary more with the text read than means do, and pitch says much about who speaks.
_WEIGHTS = np.concatenate([np.ones(N_CEPS), np.full(N_CEPS, 0.5), np.full(2, 2.0)])


def raw_statistics(pcm: Pcm) -> npt.NDArray[np.float64]:
    """The unstandardised statistics vector of ``pcm`` (see the module docstring).

    Raises ValueError when ``pcm`` holds too little speech to describe a voice.
    """
    pcm = np.asarray(pcm, dtype=np.int16)
    mask = vad.voiced_mask(pcm)
    logmel = features.log_mel(pcm)
    n = min(len(logmel), len(mask))
    voiced = mask[:n]
    if np.count_nonzero(voiced) < MIN_FRAMES:
        raise ValueError("too little speech to compute a voiceprint")
    ceps = features.mfcc(logmel[:n][voiced])[:, 1 : N_CEPS + 1]
    f0, periodicity = features.pitch(pcm)
    m = min(len(f0), n)
    periodic = voiced[:m] & (periodicity[:m] > features.VOICING)
    if np.count_nonzero(periodic) >= MIN_FRAMES // 2:
        log_f0 = np.log2(f0[:m][periodic])
        pitch_stats = [float(np.median(log_f0)), float(np.percentile(log_f0, 90) - np.percentile(log_f0, 10))]
    else:
        # Whispered or unvoiced: say nothing about pitch rather than something wrong.
        pitch_stats = [float(_BG_MEAN[-2]), float(_BG_MEAN[-1])]
    return np.concatenate([ceps.mean(axis=0), ceps.std(axis=0), pitch_stats])


class SimpleEngine:
    """Statistics-based speaker engine (numpy only, a few ms per second of audio).

    It offers no enrolment take check (``base.TakeChecker``) on purpose: measured on the eSpeak
    voices of tests/sandbox/speech.py, one voice's takes of different texts score as low as 0.34
    against each other while two different voices reach 0.77, so any limit would refuse honest
    takes and still let other voices through.
    """

    name = "simple"
    # Between the same-voice and the cross-voice scores of the calibration voices; see the bench.
    default_threshold = 0.80

    def embed(self, pcm: Pcm) -> Embedding:
        z = (raw_statistics(pcm) - _BG_MEAN) / _BG_STD * _WEIGHTS
        norm = float(np.linalg.norm(z))
        if norm == 0.0 or not np.isfinite(norm):
            raise ValueError("voiceprint is degenerate")
        return (z / norm).astype(np.float32)

    def score(self, probe: Embedding, references: Sequence[Embedding]) -> float:
        best = -1.0
        for ref in references:
            if ref.shape != probe.shape:
                continue  # a reference from another engine version: not comparable
            best = max(best, float(np.dot(probe, ref)))
        return best
