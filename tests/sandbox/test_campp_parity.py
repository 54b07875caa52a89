"""Parity of our CAM++ (onnxruntime, kaldi-native-fbank) with 3D-Speaker's reference, without torch.

``fixtures/campp/`` holds four short eSpeak NG clips (English and Mandarin, 1.8-4.6 s, so that CAM++'s
100-frame segment pooling sees one, two and three segments) and ``reference.npz``: for each clip, the
192-d embedding that 3D-Speaker's own CAMPPlus code (torch 2.13, CPU) computed from torchaudio's Kaldi
fbank, mean-normalised, with the same checkpoint (key ``<clip>``), and the same torch network fed
kaldi-native-fbank features (key ``<clip>.knf_features``). They were made once in a throw-away
environment; the reference code is not in this repository. Measured when the fixture was made:
cosine 1.0000000 between ours and the reference on all four clips (unit vectors differing by at most
2.5e-6 in any element), and cosine 0.9999999-1.0000000 between the reference fed torchaudio's and
kaldi-native-fbank's features. The tolerances below leave room for other CPUs' kernels.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from desktop.sandbox.engines import campp

FIXTURES = Path(__file__).parent / "fixtures" / "campp"
CLIPS = sorted(p.stem for p in FIXTURES.glob("*.flac"))

pytestmark = pytest.mark.skipif(not campp.weights_available(), reason="the CAM++ checkpoint is not installed")


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


@pytest.fixture(scope="module")
def reference() -> dict[str, np.ndarray]:
    with np.load(FIXTURES / "reference.npz") as data:
        return {k: data[k] for k in data.files}


def test_the_fixture_is_complete(reference: dict[str, np.ndarray]) -> None:
    assert len(CLIPS) == 4
    for clip in CLIPS:
        assert reference[clip].shape == (campp.EMBEDDING_DIM,)
        # Front ends agree: the torch reference gives the same embedding from either fbank.
        assert cosine(reference[clip], reference[f"{clip}.knf_features"]) > 0.9999


@pytest.mark.parametrize("clip", CLIPS)
def test_embedding_matches_3d_speakers_reference(clip: str, reference: dict[str, np.ndarray]) -> None:
    pcm, rate = sf.read(FIXTURES / f"{clip}.flac", dtype="int16")
    assert rate == 16000
    # As upstream's inference: the whole clip, no VAD, samples scaled as torchaudio loads them.
    ours = campp.load_engine().embed_waveform(pcm.astype(np.float32) / 32768.0)
    assert cosine(ours, reference[clip]) >= 0.999
    np.testing.assert_allclose(ours, reference[clip] / np.linalg.norm(reference[clip]), atol=2e-4)
