"""Run every target and impostor trial of a folder of recordings through a speaker engine.

The folder holds one sub-folder per speaker, each with that speaker's recordings (any format
``desktop.audio.decode`` reads). Trials mirror how the sandbox decides: a speaker is enrolled
with several takes and a probe is scored against them (``engine.score``).

Design, leave one out: every recording is a probe once. Against its own speaker it is scored
with that speaker's *other* recordings as references (a target trial); against every other
speaker with all of theirs (an impostor trial). So a speaker with n recordings gives n target
trials, and each recording gives one impostor trial per other speaker.

A recording that cannot be read or holds no usable speech is skipped and listed, with the
reason: one bad file must not cost the operator the whole run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from desktop import i18n
from desktop.audio.decode import load_audio
from desktop.calibrate import metrics
from desktop.errors import InputError, VpwError
from desktop.sandbox.engines.base import Embedding, SpeakerEngine

i18n.register(
    {
        "calibrate.not_a_folder": {
            "en": "{path} is not a folder of speaker folders",
            "zh": "{path} 不是按说话人分子文件夹的目录",
        },
        "calibrate.too_few_speakers": {
            "en": "Calibration needs at least 2 speakers with 2 or more usable recordings each; {path} has {count}",
            "zh": "校准至少需要 2 位说话人、每人至少 2 段可用录音；{path} 中只有 {count} 位",
        },
        "calibrate.engine_failed": {
            "en": "the speaker engine could not use it ({reason})",
            "zh": "声纹引擎无法使用该录音（{reason}）",
        },
    }
)

MIN_TAKES = 2  # a speaker needs one reference left when a recording is the probe


@dataclass(frozen=True)
class Trial:
    probe: str  # "speaker/file", relative to the corpus folder
    speaker: str  # the claimed speaker
    score: float
    target: bool


@dataclass
class Corpus:
    root: Path
    files: dict[str, list[Path]]  # speaker -> recordings, in name order


@dataclass
class CalibrationResult:
    engine: str
    speakers: int
    files: int
    trials: list[Trial]
    eer: float
    threshold_at_eer: float
    thresholds: dict[str, metrics.FarThreshold]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)

    def scores(self, target: bool) -> np.ndarray:
        return np.array([t.score for t in self.trials if t.target == target], dtype=np.float64)

    def to_json(self) -> dict[str, Any]:
        n_target = sum(t.target for t in self.trials)
        return {
            "engine": self.engine,
            "speakers": self.speakers,
            "files": self.files,
            "eer": self.eer,
            "threshold_at_eer": self.threshold_at_eer,
            "thresholds": {k: v.threshold for k, v in self.thresholds.items()},
            "at_thresholds": {
                k: {"far": v.far, "frr": v.frr, "measurable": v.measurable} for k, v in self.thresholds.items()
            },
            "trials": {"target": n_target, "impostor": len(self.trials) - n_target},
            "scores": [
                {"probe": t.probe, "speaker": t.speaker, "score": t.score, "target": t.target} for t in self.trials
            ],
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
        }


def scan(root: Path) -> Corpus:
    """The speaker folders under ``root`` and their files (hidden entries ignored)."""
    if not root.is_dir():
        raise InputError(i18n.tr("calibrate.not_a_folder", path=root))
    files: dict[str, list[Path]] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        takes = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        if takes:
            files[folder.name] = takes
    return Corpus(root, files)


def _embed_all(
    corpus: Corpus, engine: SpeakerEngine, progress: Callable[[int, int, str], None] | None
) -> tuple[dict[str, list[tuple[str, Embedding]]], list[tuple[str, str]]]:
    embedded: dict[str, list[tuple[str, Embedding]]] = {}
    skipped: list[tuple[str, str]] = []
    total = sum(len(v) for v in corpus.files.values())
    done = 0
    for speaker, paths in corpus.files.items():
        for path in paths:
            name = f"{speaker}/{path.name}"
            done += 1
            if progress is not None:
                progress(done, total, name)
            try:
                pcm = load_audio(path).pcm
            except InputError as exc:
                skipped.append((name, str(exc)))
                continue
            try:
                embedding = engine.embed(pcm)
            except (ValueError, VpwError) as exc:
                skipped.append((name, i18n.tr("calibrate.engine_failed", reason=exc)))
                continue
            embedded.setdefault(speaker, []).append((name, embedding))
    return embedded, skipped


def run_trials(embedded: dict[str, list[tuple[str, Embedding]]], engine: SpeakerEngine) -> list[Trial]:
    """Every leave-one-out target trial and every impostor trial (see the module docstring)."""
    trials = []
    for speaker, takes in embedded.items():
        for i, (probe_name, probe) in enumerate(takes):
            for claimed, refs in embedded.items():
                if claimed == speaker:
                    references = [e for j, (_, e) in enumerate(takes) if j != i]
                else:
                    references = [e for _, e in refs]
                score = float(engine.score(probe, references))
                trials.append(Trial(probe_name, claimed, score, claimed == speaker))
    return trials


def calibrate(
    root: Path, engine: SpeakerEngine, progress: Callable[[int, int, str], None] | None = None
) -> CalibrationResult:
    corpus = scan(root)
    embedded, skipped = _embed_all(corpus, engine, progress)
    usable = {s: takes for s, takes in embedded.items() if len(takes) >= MIN_TAKES}
    if len(usable) < 2:
        raise InputError(i18n.tr("calibrate.too_few_speakers", path=root, count=len(usable)))
    trials = run_trials(usable, engine)
    target = np.array([t.score for t in trials if t.target], dtype=np.float64)
    impostor = np.array([t.score for t in trials if not t.target], dtype=np.float64)
    eer, at_eer = metrics.equal_error(target, impostor)
    return CalibrationResult(
        engine=engine.name,
        speakers=len(usable),
        files=sum(len(t) for t in usable.values()),
        trials=trials,
        eer=eer,
        threshold_at_eer=at_eer,
        thresholds={
            key: metrics.threshold_for_far(target, impostor, rate) for key, rate in metrics.FAR_TARGETS.items()
        },
        skipped=skipped,
    )
