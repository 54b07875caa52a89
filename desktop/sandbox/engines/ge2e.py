"""The sandbox's neural speaker engine: GE2E voiceprints (resemblyzer's pretrained encoder).

``embed`` turns 16 kHz speech into a 256-d unit vector exactly as resemblyzer does, with numpy
in place of torch and librosa. A speaker is kept as several reference embeddings (one per
enrolment take), and ``score`` compares a probe with them. ``check_take_consistency`` lets the
enrolment service refuse a take that does not sound like the speaker's other takes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from desktop import i18n
from desktop.errors import InputError
from desktop.sandbox.engines import ge2e_frontend as frontend
from desktop.sandbox.engines import scoring
from desktop.sandbox.engines.base import Embedding, NoSpeechError, Pcm
from desktop.sandbox.engines.ge2e_model import Ge2eNetwork, weights_path
from desktop.sandbox.engines.torch_pickle import ModelFileError

i18n.register(
    {
        "ge2e.no_weights": {
            "en": "The neural speaker engine needs the resemblyzer package's weights, which are not "
            "installed. Install them with: uv pip install --no-deps --require-hashes "
            "-r requirements/nodeps.txt",
            "zh": "神经声纹引擎需要 resemblyzer 包中的权重，但尚未安装。请运行："
            "uv pip install --no-deps --require-hashes -r requirements/nodeps.txt",
        },
        "ge2e.bad_samples": {
            "en": "The speaker engine takes mono 16-bit samples, not {dtype} with shape {shape}",
            "zh": "声纹引擎只接受单声道 16 位采样，而不是形状为 {shape} 的 {dtype}",
        },
        "ge2e.no_speech": {
            "en": "No speech was heard in the recording",
            "zh": "录音中没有听到语音",
        },
        "ge2e.take_mismatch": {
            "en": "This take does not sound like the speaker's other takes (similarity {score:.2f}, "
            "at least {minimum:.2f} needed). Record it again, by the same person, in the same place",
            "zh": "这段录音听起来与该说话人的其他录音不一致（相似度 {score:.2f}，至少需要 {minimum:.2f}）。"
            "请由同一人在同一环境下重新录制",
        },
    }
)

# Cosine similarity at which a probe is taken for the enrolled speaker. Users of resemblyzer report
# roughly 0.8-0.9 for one person across recordings and 0.5-0.75 between people (not measured
# here: no real recordings); eSpeak NG voices score 0.92-0.96 against themselves and 0.6-0.92
# against each other (tests/sandbox/test_ge2e_engine.py). Not calibrated for any real set-up:
# `vpw calibrate` measures the operator's own.
DEFAULT_THRESHOLD = 0.80
# A new enrolment take must be this close (mean cosine) to the speaker's earlier takes: a little
# looser than the accept threshold, since refusing an honest take only costs the operator a retry
# while accepting another person's poisons every later verification.
CONSISTENCY_THRESHOLD = 0.75
TOP_K = 2  # references averaged per score (see ``score``)


class Ge2eEngine:
    """``SpeakerEngine`` backed by the GE2E encoder; thread-safe (numpy only, read-only weights)."""

    name = "ge2e"
    default_threshold = DEFAULT_THRESHOLD

    def __init__(self, network: Ge2eNetwork, pad_mode: str = "reflect") -> None:
        self._network = network
        # resemblyzer ran under librosa < 0.10 ('reflect') when the model was trained.
        self._pad_mode = pad_mode

    def embed(self, pcm: Pcm) -> Embedding:
        pcm = np.asarray(pcm)
        if pcm.ndim != 1 or pcm.dtype != np.int16:
            raise InputError(i18n.tr("ge2e.bad_samples", dtype=pcm.dtype, shape=pcm.shape))
        wav = frontend.preprocess(pcm)
        if wav.size == 0:
            raise NoSpeechError(i18n.tr("ge2e.no_speech"))
        return self.embed_preprocessed(wav)

    def embed_preprocessed(self, wav: np.ndarray) -> Embedding:
        """The embedding of audio already through ``preprocess`` (float, 16 kHz)."""
        partials = self._network.embed_partials(frontend.partial_mels(wav, self._pad_mode))
        mean = partials.mean(axis=0)
        norm = float(np.linalg.norm(mean))
        if norm == 0.0:
            raise NoSpeechError(i18n.tr("ge2e.no_speech"))
        return (mean / norm).astype(np.float32)

    def score(self, probe: Embedding, references: Sequence[Embedding]) -> float:
        """Mean cosine similarity of ``probe`` to its ``TOP_K`` closest references (``scoring``)."""
        return scoring.top_k_mean(probe, references, TOP_K)

    def check_take(self, new: Embedding, existing: Sequence[Embedding]) -> str | None:
        """``base.TakeChecker``: the enrolment service's consistency check."""
        return check_take_consistency(new, existing)


def check_take_consistency(
    new: Embedding, existing: Sequence[Embedding], minimum: float = CONSISTENCY_THRESHOLD
) -> str | None:
    """Why the enrolment take ``new`` should be refused, or None when it matches ``existing``."""
    score = scoring.take_consistency(new, existing)
    if score is not None and score < minimum:
        return i18n.tr("ge2e.take_mismatch", score=score, minimum=minimum)
    return None


def weights_available() -> bool:
    return weights_path() is not None


_lock = threading.Lock()
_engine: Ge2eEngine | None = None


def load_engine() -> Ge2eEngine:
    """The process-wide engine (the weights load once, in ~50 ms). Raises ``ModelFileError``."""
    global _engine
    with _lock:
        if _engine is None:
            path = weights_path()
            if path is None:
                raise ModelFileError(i18n.tr("ge2e.no_weights"))
            _engine = Ge2eEngine(Ge2eNetwork.load(path))
        return _engine
