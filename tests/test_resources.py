"""One resource lookup for the three ways the app runs: a source tree, an installed wheel, a bundle.

The wheel case is real: the project is built with ``uv build --wheel`` and installed without
dependencies into a throw-away virtualenv, and a Python started outside the source tree asks
``resource_path`` there. The bundle case is emulated here (``sys._MEIPASS``); the real bundle is
checked by the bundled ``vpw --self-test`` in ``scripts/ci_bundle``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import resources

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [("icons", "app.svg"), ("style", "app.qss"), ("proto", "rokid_tts.proto"), ("vpw.desktop",)]


@pytest.fixture(autouse=True)
def fresh_lookup() -> Iterator[None]:
    resources.resources_root.cache_clear()
    yield
    resources.resources_root.cache_clear()


def test_source_tree_finds_the_repository_resources() -> None:
    assert not hasattr(sys, "_MEIPASS")
    assert resources.resources_root() == ROOT / "resources"
    for parts in SAMPLES:
        assert resources.resource_path(*parts).is_file(), parts


def test_bundle_folder_wins_over_the_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "resources" / "icons").mkdir(parents=True)
    (tmp_path / "resources" / "icons" / "app.svg").write_text("<svg/>")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resource_path("icons", "app.svg") == tmp_path / "resources" / "icons" / "app.svg"


def test_bundle_without_resources_falls_back_then_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    # No resources in the "bundle": the package's neighbours are tried next (the tree here).
    assert resources.resources_root() == ROOT / "resources"
    resources.resources_root.cache_clear()
    monkeypatch.setattr(resources, "__file__", str(tmp_path / "pkg" / "desktop" / "resources.py"))
    with pytest.raises(FileNotFoundError, match="resources folder is missing"):
        resources.resources_root()


def _uv() -> str | None:
    local = ROOT / ".tools" / "bin" / "uv"
    return str(local) if local.exists() else shutil.which("uv")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    uv = _uv()
    if uv is None:
        pytest.skip("uv is not installed (scripts/bootstrap installs it)")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([uv, "build", "--wheel", "--quiet", "--out-dir", str(out), str(ROOT)], check=True, timeout=300)
    (built,) = out.glob("*.whl")
    return built


def test_wheel_carries_the_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for parts in SAMPLES:
        assert "desktop/_resources/" + "/".join(parts) in names, parts
    # Compiled translations are build products (not in git) but must reach the wheel.
    assert "desktop/_resources/translations/vpw_zh_CN.qm" in names


@pytest.mark.slow
def test_installed_wheel_finds_its_own_resources(wheel: Path, tmp_path: Path) -> None:
    uv = _uv()
    assert uv is not None
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--no-deps", "--python", str(python), str(wheel)], check=True, timeout=120
    )
    probe = (
        "import json, desktop.resources as r; "
        "print(json.dumps([str(r.resources_root()), r.__file__, "
        f"[r.resource_path(*p).is_file() for p in {SAMPLES!r}]]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    # Run from an empty folder so that the source tree cannot be imported by accident.
    done = subprocess.run(
        [str(python), "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    root, module, found = json.loads(done.stdout)
    assert Path(module).is_relative_to(venv), module
    assert Path(root) == Path(module).parent / "_resources"
    assert all(found), found
