"""The restricted reader of PyTorch checkpoints: real tensors come out, nothing else gets in.

Checkpoints are crafted here in both on-disk layouts (legacy pickle stream, zip archive) with
stand-ins for torch's classes, so the tests need neither torch nor the real weights.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import sys
import types
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from desktop.sandbox.engines.torch_pickle import ModelFileError, load_checkpoint

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


class _StorageRef:
    def __init__(self, key: str, data: np.ndarray) -> None:
        self.key, self.data = key, data


class _Tensor:
    """Pickles as torch does: _rebuild_tensor_v2(storage, offset, size, stride, grad, hooks)."""

    def __init__(self, storage: _StorageRef, offset: int, size: tuple[int, ...], stride: tuple[int, ...]) -> None:
        self.args = (storage, offset, size, stride, False, OrderedDict())

    def __reduce__(self) -> Any:
        return (sys.modules["torch._utils"]._rebuild_tensor_v2, self.args)


class _Evil:
    def __init__(self, func: Any, arg: str) -> None:
        self.func, self.arg = func, arg

    def __reduce__(self) -> Any:
        return (self.func, (self.arg,))


@pytest.fixture
def fake_torch(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    """Modules named torch / torch._utils holding stand-ins, so pickle writes the real names."""
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")

    def _rebuild_tensor_v2(*args: Any) -> None:
        raise AssertionError("never called while writing")

    _rebuild_tensor_v2.__module__ = "torch._utils"
    _rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2  # type: ignore[attr-defined]
    for name in ("FloatStorage", "LongStorage"):
        cls = type(name, (), {"__module__": "torch"})
        setattr(torch, name, cls)
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch._utils", utils)
    yield torch


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, _StorageRef):
            kind = "LongStorage" if obj.data.dtype == np.int64 else "FloatStorage"
            return ("storage", getattr(sys.modules["torch"], kind), obj.key, "cpu", obj.data.size, None)
        return None


def _dumps(obj: Any) -> bytes:
    buf = io.BytesIO()
    _Pickler(buf, protocol=2).dump(obj)
    return buf.getvalue()


def write_legacy(path: Path, obj: Any, storages: list[_StorageRef], *, lie_numel: int | None = None) -> None:
    with open(path, "wb") as f:
        for header in (LEGACY_MAGIC, 1001, {"protocol_version": 1001, "little_endian": True}):
            pickle.dump(header, f, protocol=2)
        f.write(_dumps(obj))
        pickle.dump([s.key for s in storages], f, protocol=2)
        for s in storages:
            f.write(struct.pack("<q", s.data.size if lie_numel is None else lie_numel))
            f.write(s.data.astype(s.data.dtype.newbyteorder("<")).tobytes())


def write_zip(path: Path, obj: Any, storages: list[_StorageRef]) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive/data.pkl", _dumps(obj))
        for s in storages:
            z.writestr(f"archive/data/{s.key}", s.data.tobytes())


def _sample() -> tuple[Any, list[_StorageRef], dict[str, np.ndarray]]:
    # Two tensors sharing one storage (as cuDNN's flattened LSTM weights are), one transposed.
    flat = np.arange(20, dtype=np.float32) / 7
    steps = np.array([3, 1, 4, 1, 5], dtype=np.int64)
    shared, counts = _StorageRef("100", flat), _StorageRef("200", steps)
    obj = {
        "step": 7,
        "model_state": OrderedDict(
            a=_Tensor(shared, 0, (2, 3), (3, 1)),
            b=_Tensor(shared, 6, (3, 2), (1, 3)),  # a transposed view
            c=_Tensor(counts, 1, (4,), (1,)),
        ),
    }
    expected = {
        "a": flat[:6].reshape(2, 3),
        "b": flat[6:12].reshape(2, 3).T,
        "c": steps[1:],
    }
    return obj, [shared, counts], expected


@pytest.mark.parametrize("writer", [write_legacy, write_zip], ids=["legacy", "zip"])
def test_tensors_come_back_as_numpy_arrays(tmp_path: Path, fake_torch: Any, writer: Any) -> None:
    obj, storages, expected = _sample()
    path = tmp_path / "model.pt"
    writer(path, obj, storages)
    loaded = load_checkpoint(path)
    assert loaded["step"] == 7
    assert isinstance(loaded["model_state"], OrderedDict)
    for name, want in expected.items():
        got = loaded["model_state"][name]
        assert isinstance(got, np.ndarray) and got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


EVIL = [
    pytest.param(os.system, "posix.system", id="os.system"),
    pytest.param(eval, "__builtin__.eval", id="eval"),  # protocol 2 spells builtins the Python 2 way
    pytest.param(__import__("collections").Counter, "collections.Counter", id="harmless-but-unlisted"),
]


@pytest.mark.parametrize("writer", [write_legacy, write_zip], ids=["legacy", "zip"])
@pytest.mark.parametrize(("func", "qualified"), EVIL)
def test_any_other_class_is_refused_before_it_runs(
    tmp_path: Path, fake_torch: Any, writer: Any, func: Any, qualified: str
) -> None:
    marker = tmp_path / "pwned"
    payload = f"open({str(marker)!r}, 'w').write('x')" if func is eval else f"touch {marker}"
    obj, storages, _ = _sample()
    obj["extra"] = _Evil(func, payload)
    path = tmp_path / "evil.pt"
    writer(path, obj, storages)
    with pytest.raises(ModelFileError) as err:
        load_checkpoint(path)
    assert qualified in str(err.value)
    assert "refused" in str(err.value)
    assert not marker.exists()


def test_a_class_in_the_legacy_header_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    path.write_bytes(pickle.dumps(_Evil(os.system, f"touch {marker}"), protocol=2))
    with pytest.raises(ModelFileError, match="not a readable PyTorch weights file"):
        load_checkpoint(path)
    assert not marker.exists()


def test_a_tensor_reaching_outside_its_storage_is_refused(tmp_path: Path, fake_torch: Any) -> None:
    storage = _StorageRef("1", np.zeros(4, np.float32))
    path = tmp_path / "bad.pt"
    write_legacy(path, {"w": _Tensor(storage, 2, (2, 2), (2, 1))}, [storage])
    with pytest.raises(ModelFileError, match="outside its storage"):
        load_checkpoint(path)


def test_storage_sizes_must_agree(tmp_path: Path, fake_torch: Any) -> None:
    storage = _StorageRef("1", np.zeros(4, np.float32))
    path = tmp_path / "bad.pt"
    write_legacy(path, {"w": _Tensor(storage, 0, (4,), (1,))}, [storage], lie_numel=1 << 40)
    with pytest.raises(ModelFileError, match="holds"):
        load_checkpoint(path)


@pytest.mark.parametrize("cut", [0, 10, 200, -8])
def test_truncated_files_are_refused_with_a_sentence(tmp_path: Path, fake_torch: Any, cut: int) -> None:
    obj, storages, _ = _sample()
    whole = tmp_path / "whole.pt"
    write_legacy(whole, obj, storages)
    data = whole.read_bytes()
    part = tmp_path / "part.pt"
    part.write_bytes(data[:cut])
    with pytest.raises(ModelFileError, match=r"part\.pt"):
        load_checkpoint(part)


def test_garbage_and_missing_files_are_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.pt"
    garbage.write_bytes(np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    with pytest.raises(ModelFileError):
        load_checkpoint(garbage)
    with pytest.raises(ModelFileError, match=r"missing\.pt"):
        load_checkpoint(tmp_path / "missing.pt")
