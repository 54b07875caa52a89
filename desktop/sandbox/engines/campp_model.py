"""The CAM++ speaker network (3D-Speaker, arXiv 2303.00332) as an onnxruntime graph built from weights.

The architecture, from the paper and the published model card: a 2-D convolutional front (FCM: a
conv, two stages of two residual blocks that halve the frequency axis, a strided conv) turns
80-band fbank into 320 channels; a strided TDNN layer and three densely connected TDNN blocks
(12, 24 and 16 layers, growth 32) follow, each layer gated by context-aware masking (CAM: the
output of a local conv is scaled by a sigmoid mask computed from the utterance mean plus the mean
of its 100-frame segment); transition layers halve the channels after each block; statistics
pooling (mean and standard deviation) and a dense layer with batch norm give 192 numbers.

The graph is written here from the checkpoint's tensors and serialised in memory by ``onnx_wire``
(no ``onnx`` package at run time): nothing is downloaded or written. Batch norms that follow a
conv are folded into it; the ones before a ReLU (the densely connected layers' pre-activation)
become a per-channel Mul + Add. The segment pooling and its expansion back to frames depend only
on the frame count, so they are fed in as two small matrices (``pooling_inputs``), which keeps
the graph free of shape logic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from desktop.sandbox.engines import onnx_wire
from desktop.sandbox.engines.onnx_wire import Node

F32 = npt.NDArray[np.float32]
State = dict[str, Any]

N_MELS = 80
EMBEDDING_DIM = 192
BN_EPS = 1e-5  # torch's BatchNorm default, used in training
SEGMENT_FRAMES = 100  # CAM's segment pooling length, in frames after the strided TDNN (2 s)
# (layers, kernel, dilation) of the three D-TDNN blocks; growth rate 32, bottleneck 4 x 32.
BLOCKS = ((12, 3, 1), (24, 3, 2), (16, 3, 2))
GROWTH = 32
BOTTLENECK = 4 * GROWTH
HEAD_CHANNELS = 32
TDNN_CHANNELS = 128
OPSET = 17
IR_VERSION = 8  # onnxruntime reads IR 8 back to 1.14

INPUT_FEATS = "feats"  # (1, 1, 80, frames): mean-normalised log-mel fbank, bands by frames
INPUT_CONTEXT = "context_pool"  # (T, S): utterance mean + segment mean, as one right-multiplication
INPUT_EXPAND = "segment_expand"  # (S, T): repeats each segment's mask over its frames
INPUT_BESSEL = "bessel"  # (1,): T / (T - 1), the unbiased variance's correction
OUTPUT = "embedding"  # (1, 192), not normalised


def tdnn_frames(fbank_frames: int) -> int:
    """Frames after the strided TDNN layer (kernel 5, stride 2, padding 2)."""
    return (fbank_frames - 1) // 2 + 1


def pooling_inputs(frames: int) -> dict[str, F32]:
    """The CAM pooling matrices and the variance correction for ``frames`` frames after the TDNN.

    A segment is ``SEGMENT_FRAMES`` long, the last one possibly shorter; its mean is over the frames
    it has (as an average pool with ceil mode and no padding counts them).
    """
    if frames < 2:
        raise ValueError("CAM++ needs at least 2 frames after its strided layer")
    segments = -(-frames // SEGMENT_FRAMES)
    expand = np.zeros((segments, frames), np.float32)
    for s in range(segments):
        expand[s, s * SEGMENT_FRAMES : (s + 1) * SEGMENT_FRAMES] = 1.0
    counts = expand.sum(axis=1)
    context = (expand / counts[:, None]).T + np.float32(1.0 / frames)
    bessel = np.array([frames / (frames - 1)], np.float32)
    return {INPUT_CONTEXT: np.ascontiguousarray(context, np.float32), INPUT_EXPAND: expand, INPUT_BESSEL: bessel}


def _bn(state: State, prefix: str, affine: bool = True) -> tuple[F32, F32]:
    """A batch norm in inference as ``x * scale + shift`` per channel."""
    mean = np.asarray(state[f"{prefix}.running_mean"], np.float64)
    var = np.asarray(state[f"{prefix}.running_var"], np.float64)
    scale = 1.0 / np.sqrt(var + BN_EPS)
    shift = -mean * scale
    if affine:
        gamma = np.asarray(state[f"{prefix}.weight"], np.float64)
        beta = np.asarray(state[f"{prefix}.bias"], np.float64)
        scale, shift = scale * gamma, shift * gamma + beta
    return scale.astype(np.float32), shift.astype(np.float32)


@dataclass
class _Graph:
    """Collects nodes and initializers; every helper returns the name of its output."""

    state: State
    nodes: list[Node] = field(default_factory=list)
    inits: list[tuple[str, npt.NDArray[Any]]] = field(default_factory=list)
    count: int = 0

    def name(self, hint: str) -> str:
        self.count += 1
        return f"{hint}_{self.count}"

    def const(self, hint: str, value: npt.ArrayLike) -> str:
        name = self.name(hint)
        self.inits.append((name, np.ascontiguousarray(value, np.float32)))
        return name

    def const_int(self, hint: str, value: list[int]) -> str:
        name = self.name(hint)
        self.inits.append((name, np.array(value, np.int64)))
        return name

    def op(self, op_type: str, inputs: list[str], hint: str = "", **attrs: Any) -> str:
        out = self.name(hint or op_type.lower())
        self.nodes.append(Node(op_type, inputs, [out], attrs))
        return out

    def weight(self, key: str, shape: tuple[int, ...]) -> F32:
        value = np.asarray(self.state[key], np.float32)
        if value.shape != shape:
            raise ValueError(f"{key} has shape {value.shape}, the network needs {shape}")
        return value

    def conv(
        self,
        x: str,
        weight: F32,
        bias: F32 | None,
        *,
        stride: tuple[int, ...] = (1,),
        pad: int = 0,
        dilation: int = 1,
        hint: str = "conv",
    ) -> str:
        """Convolution of 1-D (C, T) or 2-D (C, F, T) input; ``pad`` on both sides of every axis."""
        dims = weight.ndim - 2
        inputs = [x, self.const(f"{hint}_w", weight)]
        if bias is not None:
            inputs.append(self.const(f"{hint}_b", bias))
        return self.op(
            "Conv",
            inputs,
            hint,
            kernel_shape=list(weight.shape[2:]),
            strides=list(stride) if len(stride) == dims else list(stride) * dims,
            pads=[pad] * (2 * dims),
            dilations=[dilation] * dims,
        )

    def conv_bn(self, x: str, conv: str, bn: str, shape: tuple[int, ...], *, relu: bool = True, **kw: Any) -> str:
        """conv -> batch norm (folded into the conv's weights and bias) -> optional ReLU."""
        scale, shift = _bn(self.state, bn)
        w = self.weight(f"{conv}.weight", shape)
        w = w * scale.reshape((-1,) + (1,) * (w.ndim - 1))
        out = self.conv(x, w.astype(np.float32), shift, hint=conv.rsplit(".", 1)[-1], **kw)
        return self.op("Relu", [out]) if relu else out

    def bn_relu(self, x: str, bn: str, channels: int) -> str:
        """Pre-activation batch norm + ReLU on (1, C, T)."""
        scale, shift = _bn(self.state, bn)
        if scale.shape != (channels,):
            raise ValueError(f"{bn} has {scale.shape[0]} channels, the network needs {channels}")
        y = self.op("Mul", [x, self.const("bn_s", scale.reshape(channels, 1))])
        y = self.op("Add", [y, self.const("bn_t", shift.reshape(channels, 1))])
        return self.op("Relu", [y])


def _residual_block(g: _Graph, x: str, prefix: str, stride: int) -> str:
    c = HEAD_CHANNELS
    k3 = (c, c, 3, 3)
    y = g.conv_bn(x, f"{prefix}.conv1", f"{prefix}.bn1", k3, stride=(stride, 1), pad=1)
    y = g.conv_bn(y, f"{prefix}.conv2", f"{prefix}.bn2", k3, relu=False, pad=1)
    if stride != 1:  # a 1x1 strided conv + BN brings the input to the output's shape
        x = g.conv_bn(x, f"{prefix}.shortcut.0", f"{prefix}.shortcut.1", (c, c, 1, 1), relu=False, stride=(stride, 1))
    return g.op("Relu", [g.op("Add", [y, x])])


def _head(g: _Graph, feats: str) -> str:
    """FCM: (1, 1, 80, T) -> (1, 32 * 10, T)."""
    c = HEAD_CHANNELS
    x = g.conv_bn(feats, "head.conv1", "head.bn1", (c, 1, 3, 3), pad=1)
    for layer in ("layer1", "layer2"):
        x = _residual_block(g, x, f"head.{layer}.0", stride=2)
        x = _residual_block(g, x, f"head.{layer}.1", stride=1)
    x = g.conv_bn(x, "head.conv2", "head.bn2", (c, c, 3, 3), stride=(2, 1), pad=1)
    # (1, 32, 10, T) -> (1, 320, T), channel-major as the checkpoint's TDNN layer expects.
    return g.op("Reshape", [x, g.const_int("head_shape", [1, c * (N_MELS // 8), -1])], "head_out")


def _cam_layer(g: _Graph, x: str, prefix: str, dilation: int) -> str:
    """Context-aware masking: a local conv scaled by a mask from utterance + segment context."""
    local = g.weight(f"{prefix}.linear_local.weight", (GROWTH, BOTTLENECK, 3))
    y = g.conv(x, local, None, pad=dilation, dilation=dilation, hint="cam_local")
    # (1, C, T) @ (T, S): each segment's mean plus the utterance mean, per channel.
    context = g.op("MatMul", [x, INPUT_CONTEXT], "cam_context")
    w1 = g.weight(f"{prefix}.linear1.weight", (BOTTLENECK // 2, BOTTLENECK, 1))
    b1 = g.weight(f"{prefix}.linear1.bias", (BOTTLENECK // 2,))
    w2 = g.weight(f"{prefix}.linear2.weight", (GROWTH, BOTTLENECK // 2, 1))
    b2 = g.weight(f"{prefix}.linear2.bias", (GROWTH,))
    h = g.op("Relu", [g.conv(context, w1, b1, hint="cam_l1")])
    mask = g.op("Sigmoid", [g.conv(h, w2, b2, hint="cam_l2")])
    mask = g.op("MatMul", [mask, INPUT_EXPAND], "cam_mask")  # back to one mask per frame
    return g.op("Mul", [y, mask], "cam_out")


def _dense_block(g: _Graph, x: str, prefix: str, channels: int, layers: int, dilation: int) -> tuple[str, int]:
    for i in range(1, layers + 1):
        p = f"{prefix}.tdnnd{i}"
        y = g.bn_relu(x, f"{p}.nonlinear1.batchnorm", channels)
        y = g.conv_bn(y, f"{p}.linear1", f"{p}.nonlinear2.batchnorm", (BOTTLENECK, channels, 1))
        y = _cam_layer(g, y, f"{p}.cam_layer", dilation)
        x = g.op("Concat", [x, y], "dense_cat", axis=1)
        channels += GROWTH
    return x, channels


def build_model(state: State) -> bytes:
    """The serialised CAM++ graph with the checkpoint's weights. Raises ValueError when a tensor is missing or
    has the wrong shape (KeyError is turned into ValueError too)."""
    g = _Graph(state)
    try:
        x = _head(g, INPUT_FEATS)
        channels = HEAD_CHANNELS * (N_MELS // 8)
        x = g.conv_bn(
            x,
            "xvector.tdnn.linear",
            "xvector.tdnn.nonlinear.batchnorm",
            (TDNN_CHANNELS, channels, 5),
            stride=(2,),
            pad=2,
        )
        channels = TDNN_CHANNELS
        for i, (layers, _kernel, dilation) in enumerate(BLOCKS, start=1):
            x, channels = _dense_block(g, x, f"xvector.block{i}", channels, layers, dilation)
            y = g.bn_relu(x, f"xvector.transit{i}.nonlinear.batchnorm", channels)
            w = g.weight(f"xvector.transit{i}.linear.weight", (channels // 2, channels, 1))
            x = g.conv(y, w, None, hint="transit")
            channels //= 2
        x = g.bn_relu(x, "xvector.out_nonlinear.batchnorm", channels)
        # Statistics pooling: mean and unbiased standard deviation over time.
        mean = g.op("ReduceMean", [x], "stats_mean", axes=[2], keepdims=1)
        centred = g.op("Sub", [x, mean])
        var = g.op("ReduceMean", [g.op("Mul", [centred, centred])], axes=[2], keepdims=0)
        std = g.op("Sqrt", [g.op("Mul", [var, INPUT_BESSEL])], "stats_std")
        flat_mean = g.op("Squeeze", [mean, g.const_int("axis2", [2])])
        stats = g.op("Concat", [flat_mean, std], "stats", axis=1)
        w = g.weight("xvector.dense.linear.weight", (EMBEDDING_DIM, 2 * channels, 1))[:, :, 0]
        scale, shift = _bn(state, "xvector.dense.nonlinear.batchnorm", affine=False)
        dense = g.const("dense_w", (w * scale[:, None]).T)
        out = g.op("MatMul", [stats, dense])
        g.nodes.append(Node("Add", [out, g.const("dense_b", shift)], [OUTPUT]))
    except KeyError as exc:
        raise ValueError(f"the checkpoint has no tensor {exc}") from None
    return onnx_wire.model(
        g.nodes,
        g.inits,
        [
            onnx_wire.value_info(INPUT_FEATS, onnx_wire.FLOAT, [1, 1, N_MELS, "frames"]),
            onnx_wire.value_info(INPUT_CONTEXT, onnx_wire.FLOAT, ["tdnn_frames", "segments"]),
            onnx_wire.value_info(INPUT_EXPAND, onnx_wire.FLOAT, ["segments", "tdnn_frames"]),
            onnx_wire.value_info(INPUT_BESSEL, onnx_wire.FLOAT, [1]),
        ],
        [onnx_wire.value_info(OUTPUT, onnx_wire.FLOAT, [1, EMBEDDING_DIM])],
        graph_name="campplus",
        opset=OPSET,
        ir_version=IR_VERSION,
        producer="vpw",
    )
