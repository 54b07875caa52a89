"""Just enough of the ONNX file format to hand onnxruntime a graph built in memory, without ``onnx``.

An ONNX model is a protocol-buffers message (``onnx.proto``, proto2). Importing the ``onnx`` package
to build one costs well over a second at start (its ``ml_dtypes`` extension) and ~9 MB in the bundle,
for a few dozen lines of wire format: varints, length-delimited fields and fixed 32-bit floats, with
the field numbers of the messages below. Fields are written in field-number order and repeated
scalars unpacked, as protobuf's own serialiser does for proto2, so the bytes equal what
``onnx.helper`` would make (``tests/sandbox/test_onnx_wire.py`` compares them where onnx is installed).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

# TensorProto.DataType
FLOAT = 1
INT64 = 7
_DTYPES = {np.dtype("<f4"): FLOAT, np.dtype("<i8"): INT64}
# AttributeProto.AttributeType
_ATTR_FLOAT, _ATTR_INT, _ATTR_INTS = 1, 2, 7

AttrValue = int | float | Sequence[int]


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int64 values are their 10-byte two's complement
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(number: int, wire_type: int) -> bytes:
    return _varint(number << 3 | wire_type)


def _int(number: int, value: int) -> bytes:
    return _key(number, 0) + _varint(value)


def _bytes(number: int, value: bytes) -> bytes:
    return _key(number, 2) + _varint(len(value)) + value


def _str(number: int, value: str) -> bytes:
    return _bytes(number, value.encode("utf-8"))


def _float(number: int, value: float) -> bytes:
    return _key(number, 5) + struct.pack("<f", value)


@dataclass(frozen=True)
class Node:
    op_type: str
    inputs: Sequence[str]
    outputs: Sequence[str]
    attrs: dict[str, AttrValue] = field(default_factory=dict)


def _attribute(name: str, value: AttrValue) -> bytes:
    # AttributeProto: name 1, f 2, i 3, ints 8, type 20.
    if isinstance(value, bool):
        raise TypeError(f"attribute {name}: booleans are not ONNX attributes")
    if isinstance(value, int):
        return _str(1, name) + _int(3, value) + _int(20, _ATTR_INT)
    if isinstance(value, float):
        return _str(1, name) + _float(2, value) + _int(20, _ATTR_FLOAT)
    return _str(1, name) + b"".join(_int(8, int(v)) for v in value) + _int(20, _ATTR_INTS)


def _node(node: Node) -> bytes:
    # NodeProto: input 1, output 2, op_type 4, attribute 5 (attributes sorted by name, as onnx.helper).
    out = b"".join(_str(1, i) for i in node.inputs) + b"".join(_str(2, o) for o in node.outputs)
    out += _str(4, node.op_type)
    return out + b"".join(_bytes(5, _attribute(k, v)) for k, v in sorted(node.attrs.items()))


def tensor(name: str, array: npt.NDArray[np.generic]) -> bytes:
    """TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian, row-major)."""
    data = np.ascontiguousarray(array)
    dtype = _DTYPES.get(data.dtype.newbyteorder("<"))
    if dtype is None:
        raise TypeError(f"tensor {name}: {data.dtype} is not written here")
    raw = data.astype(data.dtype.newbyteorder("<"), copy=False).tobytes()
    return b"".join(_int(1, d) for d in data.shape) + _int(2, dtype) + _str(8, name) + _bytes(9, raw)


def value_info(name: str, elem_type: int, shape: Sequence[int | str]) -> bytes:
    """ValueInfoProto name 1, type 2 -> TypeProto tensor_type 1 -> elem_type 1, shape 2 -> dim 1."""
    dims = b"".join(_bytes(1, _int(1, d) if isinstance(d, int) else _str(2, d)) for d in shape)
    return _str(1, name) + _bytes(2, _bytes(1, _int(1, elem_type) + _bytes(2, dims)))


def model(
    nodes: Iterable[Node],
    initializers: Iterable[tuple[str, npt.NDArray[np.generic]]],
    inputs: Iterable[bytes],
    outputs: Iterable[bytes],
    *,
    graph_name: str,
    opset: int,
    ir_version: int,
    producer: str,
) -> bytes:
    """A serialised ModelProto holding one graph (GraphProto: node 1, name 2, initializer 5, input 11,
    output 12) in the default operator domain."""
    graph = b"".join(_bytes(1, _node(n)) for n in nodes) + _str(2, graph_name)
    graph += b"".join(_bytes(5, tensor(name, array)) for name, array in initializers)
    graph += b"".join(_bytes(11, v) for v in inputs) + b"".join(_bytes(12, v) for v in outputs)
    # ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8 (domain 1 = "", version 2).
    return _int(1, ir_version) + _str(2, producer) + _bytes(7, graph) + _bytes(8, _str(1, "") + _int(2, opset))
