"""Read the tensors of a PyTorch checkpoint without torch, and without trusting the file.

``torch.load`` unpickles arbitrary objects: a crafted ``.pt`` file can run any code. This reader
knows the two on-disk layouts (the legacy stream of pickles written by torch < 1.6, and the zip
archive written since) and lets the unpickler build only plain containers, tensors and storages.
Every other class the file names is refused with a clear error before anything runs.
Tensors come back as numpy arrays.
"""

from __future__ import annotations

import io
import pickle
import struct
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from desktop import i18n
from desktop.errors import InputError

i18n.register(
    {
        "torch_pickle.refused_class": {
            "en": "The model file {path} asks for '{module}.{name}', which a weights file never needs; "
            "it was refused and nothing in it was run",
            "zh": "模型文件 {path} 要求加载“{module}.{name}”，权重文件不需要它；已拒绝，文件中的内容未被执行",
        },
        "torch_pickle.malformed": {
            "en": "The model file {path} is not a readable PyTorch weights file: {reason}",
            "zh": "模型文件 {path} 不是可读取的 PyTorch 权重文件：{reason}",
        },
    }
)

# torch's storage classes and the numpy type of their elements (little-endian on disk).
_STORAGE_DTYPES: dict[str, np.dtype[Any]] = {
    "FloatStorage": np.dtype("<f4"),
    "DoubleStorage": np.dtype("<f8"),
    "HalfStorage": np.dtype("<f2"),
    "LongStorage": np.dtype("<i8"),
    "IntStorage": np.dtype("<i4"),
    "ShortStorage": np.dtype("<i2"),
    "CharStorage": np.dtype("i1"),
    "ByteStorage": np.dtype("u1"),
    "BoolStorage": np.dtype("?"),
}
_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


class ModelFileError(InputError):
    """A weights file that is malformed or asks for something it must not."""


@dataclass(frozen=True)
class _StorageType:
    name: str

    @property
    def dtype(self) -> np.dtype[Any]:
        return _STORAGE_DTYPES[self.name]


@dataclass
class _Storage:
    """A storage named by the pickle; its bytes arrive later (legacy) or from the archive (zip)."""

    dtype: np.dtype[Any]
    numel: int
    data: np.ndarray[Any, Any] | None = None


@dataclass
class _TensorRef:
    storage: _Storage
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor(storage: Any, offset: Any, size: Any, stride: Any, *_rest: Any) -> _TensorRef:
    # _rest: requires_grad, backward_hooks, metadata -- meaningless for inference.
    if not isinstance(storage, _Storage):
        raise ValueError("a tensor is built on something that is not a storage")
    return _TensorRef(storage, int(offset), tuple(int(s) for s in size), tuple(int(s) for s in stride))


# (module, name) -> what the unpickler gets instead. Nothing else is ever imported.
_ALLOWED: dict[tuple[str, str], Any] = {
    ("collections", "OrderedDict"): OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
    ("torch._utils", "_rebuild_tensor"): _rebuild_tensor,
    **{("torch", name): _StorageType(name) for name in _STORAGE_DTYPES},
}


class _RestrictedUnpickler(pickle.Unpickler):
    def __init__(self, file: BinaryIO, path: str, persistent_load: Callable[[Any], Any]) -> None:
        super().__init__(file)
        self._path = path
        self._persistent = persistent_load

    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise ModelFileError(
                i18n.tr("torch_pickle.refused_class", path=self._path, module=module, name=name)
            ) from None

    def persistent_load(self, pid: Any) -> Any:
        return self._persistent(pid)


def _storage_from_pid(pid: Any, storages: dict[str, _Storage]) -> _Storage:
    """('storage', type, key, location, numel[, view_metadata]) -> the shared storage for key."""
    if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == "storage"):
        raise ValueError(f"unexpected persistent id {pid!r:.80}")
    stype, key, numel = pid[1], str(pid[2]), int(pid[4])
    if not isinstance(stype, _StorageType) or numel < 0:
        raise ValueError("a storage has an unknown type or a negative size")
    storage = storages.setdefault(key, _Storage(stype.dtype, numel))
    if storage.dtype != stype.dtype:
        raise ValueError(f"storage {key} is named with two element types")
    if len(pid) > 5 and pid[5] is not None:
        # Views of a storage were written only by torch < 0.4; no weights file we read has them.
        raise ValueError("storage views (written by torch < 0.4) are not supported")
    return storage


def _materialise(obj: Any) -> Any:
    """Replace every tensor reference by a numpy array copied out of its storage."""
    if isinstance(obj, _TensorRef):
        data = obj.storage.data
        if data is None:
            raise ValueError("a tensor's storage has no data")
        if len(obj.size) != len(obj.stride) or any(s < 0 for s in (*obj.size, *obj.stride)):
            raise ValueError("a tensor has a malformed shape")
        if 0 in obj.size:
            return np.zeros(obj.size, dtype=data.dtype)
        last = obj.offset + sum((n - 1) * s for n, s in zip(obj.size, obj.stride, strict=True))
        if obj.offset < 0 or last >= data.size:
            raise ValueError("a tensor reaches outside its storage")
        item = data.dtype.itemsize
        view = np.lib.stride_tricks.as_strided(
            data[obj.offset :], shape=obj.size, strides=tuple(s * item for s in obj.stride), writeable=False
        )
        return np.array(view, dtype=data.dtype.newbyteorder("="))
    if isinstance(obj, dict):
        return type(obj)((k, _materialise(v)) for k, v in obj.items())
    if isinstance(obj, list):
        return [_materialise(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_materialise(v) for v in obj)
    return obj


def _plain_pickle(f: BinaryIO) -> Any:
    """The legacy header pickles hold only ints, strings and dicts: no class is allowed at all."""

    class _NoClasses(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            raise ValueError(f"the header asks for {module}.{name}")

    return _NoClasses(f).load()


def _load_legacy(f: BinaryIO, path: str) -> Any:
    if _plain_pickle(f) != _LEGACY_MAGIC:
        raise ValueError("wrong magic number")
    protocol = _plain_pickle(f)
    if protocol != 1001:
        raise ValueError(f"unknown legacy protocol {protocol!r}")
    sys_info = _plain_pickle(f)
    if not isinstance(sys_info, dict) or not sys_info.get("little_endian", False):
        raise ValueError("only little-endian files are supported")
    storages: dict[str, _Storage] = {}
    result = _RestrictedUnpickler(f, path, lambda pid: _storage_from_pid(pid, storages)).load()
    keys = _plain_pickle(f)
    if not isinstance(keys, list):
        raise ValueError("the storage list is missing")
    for key in keys:
        storage = storages.get(str(key))
        if storage is None:
            raise ValueError(f"storage {key} is not used by any tensor")
        # Each storage: its element count as a little-endian int64, then its bytes.
        header = f.read(8)
        if len(header) != 8:
            raise ValueError("the file ends inside a storage")
        (numel,) = struct.unpack("<q", header)
        if numel != storage.numel:
            raise ValueError(f"storage {key} holds {numel} elements, the pickle said {storage.numel}")
        raw = f.read(numel * storage.dtype.itemsize)
        if len(raw) != numel * storage.dtype.itemsize:
            raise ValueError("the file ends inside a storage")
        storage.data = np.frombuffer(raw, dtype=storage.dtype)
    return _materialise(result)


def _load_zip(path: Path) -> Any:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        pickles = [n for n in names if n.endswith("/data.pkl") or n == "data.pkl"]
        if len(pickles) != 1:
            raise ValueError("the archive has no single data.pkl")
        root = pickles[0][: -len("data.pkl")]
        storages: dict[str, _Storage] = {}
        with archive.open(pickles[0]) as pkl:
            unpickler = _RestrictedUnpickler(
                io.BytesIO(pkl.read()), str(path), lambda pid: _storage_from_pid(pid, storages)
            )
            result = unpickler.load()
        for key, storage in storages.items():
            member = f"{root}data/{key}"
            if member not in names:
                raise ValueError(f"storage {key} is missing from the archive")
            raw = archive.read(member)
            if len(raw) != storage.numel * storage.dtype.itemsize:
                raise ValueError(f"storage {key} has the wrong size")
            storage.data = np.frombuffer(raw, dtype=storage.dtype)
    return _materialise(result)


def load_checkpoint(path: Path) -> Any:
    """The checkpoint at ``path`` with its tensors as numpy arrays (dicts, lists and scalars as-is).

    Raises ``ModelFileError`` for a file that is malformed or names any class outside the handful a
    weights file needs.
    """
    try:
        if zipfile.is_zipfile(path):
            return _load_zip(path)
        with open(path, "rb") as f:
            return _load_legacy(f, str(path))
    except ModelFileError:
        raise
    except (
        OSError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        EOFError,
        struct.error,
        pickle.UnpicklingError,
        zipfile.BadZipFile,
    ) as exc:
        raise ModelFileError(i18n.tr("torch_pickle.malformed", path=path, reason=exc)) from None
