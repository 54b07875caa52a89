"""Parity with the original: resemblyzer (torch + librosa) and our numpy engine on the same audio.

Skipped unless torch, librosa and resemblyzer import -- CI does not install torch. Run it in a
throw-away environment, e.g.::

    python -m venv /tmp/torchenv
    /tmp/torchenv/bin/pip install torch==2.13.0 numpy librosa webrtcvad-wheels scipy \\
        soxr espeakng-loader threadpoolctl pytest pytest-timeout
    /tmp/torchenv/bin/pip install --no-deps --require-hashes -r requirements/nodeps.txt
    PYTHONPATH=. /tmp/torchenv/bin/python -m pytest -p no:cacheprovider tests/sandbox/test_ge2e_parity.py
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import numpy as np
import pytest

from desktop.sandbox.engines import ge2e_frontend as fe
from desktop.sandbox.engines.ge2e import Ge2eEngine, load_engine
from tests.sandbox.speech import TEXTS, Voice, synthesize

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    torch = pytest.importorskip("torch", reason="torch is not installed (parity runs in a throw-away venv)")
    librosa = pytest.importorskip("librosa")
    resemblyzer = pytest.importorskip("resemblyzer")

CASES = [
    pytest.param(Voice("en-us"), TEXTS[0], id="en-us-long"),
    pytest.param(Voice("en+f2", pitch=55), TEXTS[3], id="f2"),
    pytest.param(Voice("en+m3", pitch=35, rate=200), TEXTS[1], id="m3-fast"),
    pytest.param(Voice("en+f4", pitch=70), "three one four one five", id="short-digits"),
    pytest.param(Voice("en-us"), "yes", id="under-one-partial"),
]


@pytest.fixture(scope="module")
def original() -> Any:
    torch.set_num_threads(1)
    return resemblyzer.VoiceEncoder("cpu", verbose=False)


@pytest.fixture(scope="module")
def ours_as_installed_librosa() -> Ge2eEngine:
    # librosa >= 0.10 pads centred frames with zeros, older versions reflect; match the one here.
    pad_mode = inspect.signature(librosa.stft).parameters["pad_mode"].default
    return Ge2eEngine(load_engine()._network, pad_mode=pad_mode)


@pytest.mark.parametrize(("voice", "text"), CASES)
def test_embeddings_match_the_original(
    original: Any, ours_as_installed_librosa: Ge2eEngine, voice: Voice, text: str
) -> None:
    pcm = synthesize(text, voice)
    wav = pcm.astype(np.float32) / 32768.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs_wav = resemblyzer.preprocess_wav(wav)
        theirs = original.embed_utterance(theirs_wav)
    ours_wav = fe.preprocess(pcm)
    np.testing.assert_allclose(ours_wav, theirs_wav, atol=1e-6)
    ours = ours_as_installed_librosa.embed(pcm)
    cosine = float(ours @ theirs)
    print(f"{voice.name} {len(pcm) / 16000:.2f} s: cosine {cosine:.7f}")
    assert cosine >= 0.999
    # And our default (reflect padding, as librosa < 0.10 in training) on speech of a few seconds.
    if len(pcm) >= 2 * 16000:
        assert float(load_engine().embed(pcm) @ theirs) >= 0.999


def test_mel_matches_librosa() -> None:
    wav = fe.preprocess(synthesize(TEXTS[2], Voice("en+m1")))
    theirs = librosa.feature.melspectrogram(y=wav, sr=16000, n_fft=400, hop_length=160, n_mels=40).T
    pad_mode = inspect.signature(librosa.stft).parameters["pad_mode"].default
    ours = fe.mel_spectrogram(wav, pad_mode)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6 * float(theirs.max()))
