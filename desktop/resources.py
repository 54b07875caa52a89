"""Find the app's resources the same way from a source tree, an installed wheel and a bundle.

- source tree: ``<repo>/resources`` beside the ``desktop`` package;
- wheel: ``desktop/_resources`` (pyproject force-includes ``resources/`` there);
- PyInstaller bundle: ``<sys._MEIPASS>/resources`` (build.spec collects it there).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_root() -> Path:
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    package = Path(__file__).resolve().parent
    candidates += [package / "_resources", package.parent / "resources"]
    for path in candidates:
        if path.is_dir():
            return path
    raise FileNotFoundError("the app's resources folder is missing; looked in: " + ", ".join(map(str, candidates)))


def resource_path(*parts: str) -> Path:
    """The path of a resource, e.g. ``resource_path("translations", "vpw_zh_CN.qm")``."""
    return resources_root().joinpath(*parts)
