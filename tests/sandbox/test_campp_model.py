"""The CAM++ graph's pieces that need no checkpoint: the pooling inputs, and refusing wrong tensors."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.sandbox.engines import campp_model as cm


def segment_context_by_hand(x: np.ndarray, seg: int) -> np.ndarray:
    """Per frame: the utterance mean plus the mean of the frame's segment (the last one shorter)."""
    out = np.empty_like(x)
    for start in range(0, x.shape[1], seg):
        out[:, start : start + seg] = x[:, start : start + seg].mean(axis=1, keepdims=True)
    return out + x.mean(axis=1, keepdims=True)


@pytest.mark.parametrize("frames", [2, 99, 100, 101, 230, 300])
def test_pooling_inputs_give_each_frame_its_segment_context(frames: int) -> None:
    x = np.random.default_rng(frames).standard_normal((5, frames)).astype(np.float32)
    inputs = cm.pooling_inputs(frames)
    per_segment = x @ inputs[cm.INPUT_CONTEXT]
    per_frame = per_segment @ inputs[cm.INPUT_EXPAND]
    np.testing.assert_allclose(per_frame, segment_context_by_hand(x, cm.SEGMENT_FRAMES), atol=1e-5)
    assert inputs[cm.INPUT_BESSEL][0] == pytest.approx(frames / (frames - 1))


def test_too_few_frames_are_refused() -> None:
    with pytest.raises(ValueError):
        cm.pooling_inputs(1)


def test_tdnn_frames_follow_the_strided_layer() -> None:
    # Conv1d kernel 5, stride 2, padding 2: ceil(T / 2).
    assert [cm.tdnn_frames(t) for t in (1, 2, 3, 4, 5, 200, 201)] == [1, 1, 2, 2, 3, 100, 101]


def test_a_missing_or_misshapen_tensor_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="no tensor"):
        cm.build_model({})
    state = {"head.conv1.weight": np.zeros((32, 1, 5, 5), np.float32)}
    for name in ("weight", "bias", "running_mean", "running_var"):
        state[f"head.bn1.{name}"] = np.ones(32, np.float32)
    with pytest.raises(ValueError, match=r"head\.conv1\.weight has shape"):
        cm.build_model(state)
