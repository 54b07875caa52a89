"""Our ONNX serialiser against the onnx package's own (a dev dependency; not needed at run time)."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.sandbox.engines import campp, campp_model, onnx_wire
from desktop.sandbox.engines.onnx_wire import Node

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

W = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 5.5
SHAPE = np.array([1, -1, 4], np.int64)  # a negative int64: ten-byte varints


def ours() -> bytes:
    nodes = [
        Node("Conv", ["x", "w"], ["y"], {"kernel_shape": [4], "pads": [1, 2], "strides": [2], "group": 1}),
        Node("LeakyRelu", ["y"], ["z"], {"alpha": 0.125}),
        Node("Reshape", ["z", "shape"], ["out"]),
    ]
    return onnx_wire.model(
        nodes,
        [("w", W), ("shape", SHAPE)],
        [onnx_wire.value_info("x", onnx_wire.FLOAT, [1, 3, "frames"])],
        [onnx_wire.value_info("out", onnx_wire.FLOAT, [1, "n", 4])],
        graph_name="tiny",
        opset=17,
        ir_version=8,
        producer="vpw",
    )


def theirs() -> bytes:
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["y"], kernel_shape=[4], pads=[1, 2], strides=[2], group=1),
        helper.make_node("LeakyRelu", ["y"], ["z"], alpha=0.125),
        helper.make_node("Reshape", ["z", "shape"], ["out"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, "frames"])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, "n", 4])],
        [numpy_helper.from_array(W, "w"), numpy_helper.from_array(SHAPE, "shape")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="vpw")
    model.ir_version = 8
    return bytes(model.SerializeToString())


def test_the_bytes_equal_onnx_helpers() -> None:
    assert ours() == theirs()
    parsed = onnx.load_from_string(ours())
    assert numpy_helper.to_array(parsed.graph.initializer[1]).tolist() == [1, -1, 4]


def test_booleans_and_other_dtypes_are_refused() -> None:
    with pytest.raises(TypeError):
        onnx_wire.tensor("t", np.zeros(2, np.float16))
    with pytest.raises(TypeError):
        onnx_wire.model(
            [Node("X", [], ["y"], {"flag": True})], [], [], [], graph_name="g", opset=17, ir_version=8, producer="p"
        )


@pytest.mark.skipif(not campp.weights_available(), reason="the CAM++ checkpoint is not installed")
def test_the_campp_graph_passes_onnxs_checker_with_shape_inference() -> None:
    from desktop.sandbox.engines.torch_pickle import load_checkpoint

    path = campp.weights_path()
    assert path is not None
    model = onnx.load_from_string(campp_model.build_model(load_checkpoint(path)))
    onnx.checker.check_model(model, full_check=True)
    assert [o.name for o in model.graph.output] == [campp_model.OUTPUT]
