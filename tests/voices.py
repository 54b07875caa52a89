"""The neural test voices (scripts/make_test_voices.py) as verification trials, for the engine bench
and the engine tests.

A *model* is one evaluation speaker enrolled in one language with ``ENROL_TAKES`` takes (as an
operator enrols with several takes); a *probe* is one of that speaker's other takes, in either
language. Conditions: ``en`` (enrolled and probed in English), ``zh`` (both Mandarin), ``cross``
(enrolled in one, probed in the other) and ``mixed`` (all three pooled: one threshold for all).
A trial is a target when model and probe are the same speaker, else an impostor.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from desktop.sandbox.engines import asnorm
from desktop.sandbox.engines.base import Embedding, Pcm, SpeakerEngine

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "voices"  # the committed set (small Ogg Opus files)
ENROL_TAKES = 2
CONDITIONS = ("en", "zh", "cross", "mixed")


@dataclass(frozen=True)
class Clip:
    set: str  # "eval" or "cohort"
    speaker: str
    lang: str  # "en" or "zh"
    take: int
    digits: str
    path: Path


def load_manifest(root: Path = DATA) -> list[Clip]:
    entries = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return [Clip(e["set"], e["speaker"], e["lang"], int(e["take"]), e["digits"], root / e["path"]) for e in entries]


def read_pcm(path: Path) -> Pcm:
    import soundfile as sf

    audio, rate = sf.read(str(path), dtype="int16")
    if rate != 16000 or audio.ndim != 1:
        raise ValueError(f"{path}: expected 16 kHz mono, got {rate} Hz shape {audio.shape}")
    return np.asarray(audio, np.int16)


def embed_all(engine: SpeakerEngine, clips: Sequence[Clip], cache: bool = True) -> dict[Path, Embedding]:
    """Every clip's embedding, cached on disk by engine and file content (re-runs are instant)."""
    digest = hashlib.sha256(engine.name.encode())
    for clip in clips:
        digest.update(clip.path.read_bytes())
    store = Path(tempfile.gettempdir()) / f"vpw-voice-emb-{engine.name}-{digest.hexdigest()[:16]}.npz"
    if cache and store.exists():
        with np.load(store) as saved:
            if len(saved.files) == len(clips):
                return {clip.path: saved[f"e{i}"] for i, clip in enumerate(clips)}
    out = {clip.path: engine.embed(read_pcm(clip.path)) for clip in clips}
    if cache:
        np.savez(store, **{f"e{i}": out[clip.path] for i, clip in enumerate(clips)})
    return out


@dataclass
class Trials:
    target: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    impostor: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

    def add(self, score: float, is_target: bool) -> None:
        if is_target:
            self.target = np.append(self.target, score)
        else:
            self.impostor = np.append(self.impostor, score)


@dataclass(frozen=True)
class Model:
    speaker: str
    lang: str
    references: tuple[Embedding, ...]


Probe = tuple[Clip, Embedding]


def models_and_probes(clips: Iterable[Clip], emb: dict[Path, Embedding]) -> tuple[list[Model], list[Probe]]:
    models: list[Model] = []
    probes: list[tuple[Clip, Embedding]] = []
    by_key: dict[tuple[str, str], list[Clip]] = {}
    for clip in clips:
        if clip.set == "eval":
            by_key.setdefault((clip.speaker, clip.lang), []).append(clip)
    for (speaker, lang), group in sorted(by_key.items()):
        group.sort(key=lambda c: c.take)
        enrol, rest = group[:ENROL_TAKES], group[ENROL_TAKES:]
        models.append(Model(speaker, lang, tuple(emb[c.path] for c in enrol)))
        probes.extend((c, emb[c.path]) for c in rest)
    return models, probes


def condition(model_lang: str, probe_lang: str) -> str:
    return model_lang if model_lang == probe_lang else "cross"


ScoreFn = Callable[[Embedding, Sequence[Embedding]], float]


def score_trials(
    models: Sequence[Model],
    probes: Sequence[tuple[Clip, Embedding]],
    score: ScoreFn,
    cohort: npt.NDArray[np.float32] | None = None,
    top_n: int = asnorm.DEFAULT_TOP_N,
) -> dict[str, Trials]:
    """Target and impostor scores per condition; AS-norm against ``cohort`` (C, D) when given."""
    out = {c: Trials() for c in CONDITIONS}
    model_cohort = None
    if cohort is not None:
        # Model side, once per model: the engine's own score of each cohort voice against the references.
        model_cohort = np.array([[score(c, m.references) for c in cohort] for m in models])
    for clip, probe in probes:
        raw = np.array([score(probe, m.references) for m in models])
        if cohort is not None and model_cohort is not None:
            raw = asnorm.as_norm(raw, model_cohort, asnorm.cohort_scores(probe, cohort), top_n)
        for m, s in zip(models, raw, strict=True):
            is_target = m.speaker == clip.speaker
            out[condition(m.lang, clip.lang)].add(float(s), is_target)
            out["mixed"].add(float(s), is_target)
    return out


def cohort_matrix(
    clips: Iterable[Clip], emb: dict[Path, Embedding], set_name: str = "cohort"
) -> npt.NDArray[np.float32]:
    rows = [emb[c.path] for c in clips if c.set == set_name]
    if not rows:
        raise ValueError(f"no {set_name} clips")
    return np.stack(rows).astype(np.float32)
