"""Packaging pieces that can be tested without building: what the bundle leaves out (for all
three systems' file names), the Linux desktop entry and its installer."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))
import bundle_filter  # noqa: E402


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platforms/libqlinuxfb.so", False),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6\\plugins\\platforms\\qminimal.dll", False),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", True),  # folder not listed: kept
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("resources/translations/vpw_zh_CN.qm", True),  # ours, not Qt's
        ("numpy/_core/_multiarray_umath.so", True),
        # onnxruntime's C-API library is not linked by its Python module (the bundle's self-test embeds).
        ("onnxruntime/capi/libonnxruntime.so.1.32.0", False),
        ("onnxruntime/capi/onnxruntime_pybind11_state.cpython-311-x86_64-linux-gnu.so", True),
        ("onnxruntime/capi/libonnxruntime_providers_shared.so", True),
        ("campp/campplus_cn_en_common.pt", True),
    ],
)
def test_bundle_filter(dest: str, kept: bool) -> None:
    assert bundle_filter.keep(dest) is kept


def test_speech_data_filters() -> None:
    assert bundle_filter.keep_espeak_file("en_dict") and bundle_filter.keep_espeak_file("cmn_dict")
    assert not bundle_filter.keep_espeak_file("de_dict")
    assert bundle_filter.keep_espeak_file("phondata")  # not a dictionary: always needed
    assert bundle_filter.keep_pocketsphinx_file("en-us/en-us/mdef")
    assert bundle_filter.keep_pocketsphinx_file("en-us/en-us-phone.lm.bin")  # the Rokid ASR's phone loop
    assert not bundle_filter.keep_pocketsphinx_file("CMakeLists.txt")
    assert not bundle_filter.keep_pocketsphinx_file("en-us/en-us.lm.bin.bak")


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry() -> None:
    entry = read_entry(ROOT / "resources" / "vpw.desktop")
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "vpw" and entry["Icon"] == "vpw"
    assert entry["Name[zh_CN]"] and entry["Categories"].endswith(";")
    assert (ROOT / "resources" / "icons" / "app.svg").is_file()  # installed as the "vpw" icon


@pytest.mark.skipif(os.name != "posix", reason="the installer is a POSIX shell script")
def test_installer_writes_an_entry_for_this_folder(tmp_path: Path) -> None:
    bundle = tmp_path / 'odd "name" $x'
    bundle.mkdir()
    for src, name in [
        (ROOT / "resources" / "vpw.desktop", "vpw.desktop"),
        (ROOT / "resources" / "icons" / "app.svg", "vpw.svg"),
        (ROOT / "packaging" / "linux" / "install-desktop-entry", "install-desktop-entry"),
    ]:
        (bundle / name).write_bytes(src.read_bytes())
    (bundle / "install-desktop-entry").chmod(0o755)
    (bundle / "vpw").write_text("#!/bin/sh\n")
    (bundle / "vpw").chmod(0o755)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    subprocess.run([str(bundle / "install-desktop-entry")], check=True, env=env, capture_output=True)
    installed = tmp_path / "share" / "applications" / "vpw.desktop"
    entry = read_entry(installed)
    # Exec quoting: \" and \$ inside the quotes, each backslash doubled by the string escaping.
    assert entry["Exec"] == '"' + str(bundle / "vpw").replace('"', '\\\\"').replace("$", "\\\\$") + '" gui'
    assert entry["TryExec"] == str(bundle / "vpw")
    assert (tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "vpw.svg").is_file()
    subprocess.run([str(bundle / "install-desktop-entry"), "--uninstall"], check=True, env=env, capture_output=True)
    assert not installed.exists()


@pytest.mark.skipif(os.name != "posix", reason="the installer is a POSIX shell script")
def test_installer_refuses_without_an_executable(tmp_path: Path) -> None:
    script = tmp_path / "install-desktop-entry"
    script.write_bytes((ROOT / "packaging" / "linux" / "install-desktop-entry").read_bytes())
    script.chmod(0o755)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "no vpw executable" in done.stderr
    assert not (tmp_path / "share" / "applications").exists()


def test_qt_plugins_are_filtered_before_their_dependencies_are_followed() -> None:
    qt = pytest.importorskip("PyInstaller.utils.hooks.qt")
    bundle_filter.install_qt_plugin_filter()
    bundle_filter.install_qt_plugin_filter()  # idempotent: not wrapped twice
    info = qt.pyside6_library_info
    names = {Path(src).name.split(".")[0] for src, _dst in info.collect_plugins("platforms")}
    assert names and all(bundle_filter.keep(f"PySide6/Qt/plugins/platforms/{n}.so") for n in names)
    assert not {"libqvnc", "libqlinuxfb", "qvnc"} & names


def test_runtime_hook_prefers_bundled_libraries_and_stays_lazy(tmp_path: Path) -> None:
    (tmp_path / "libvpwprobe.so.3").write_bytes(b"")
    script = f"""
import sys
sys._MEIPASS = {str(tmp_path)!r}
exec(compile(open({str(ROOT / "packaging" / "rthook_libs.py")!r}).read(), "rthook", "exec"))
assert "ctypes.util" not in sys.modules, "the hook imported ctypes.util at start-up"
from ctypes.util import find_library
print(find_library("vpwprobe"))
print(find_library("vpw-no-such-library"))
"""
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    found, missing = done.stdout.splitlines()
    assert found == str(tmp_path / "libvpwprobe.so.3")
    assert missing == "None"  # not in the bundle: the original lookup answers
