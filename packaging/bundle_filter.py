"""What the bundle leaves out: Python modules, Qt plug-ins and translations, speech data.

One place, read by ``build.spec`` and by the filtered hello-world baseline
(``packaging/baseline/hello.spec``), so that the size comparison applies exactly the same rules
to both. Names are compared without ``lib`` prefixes and file extensions, so the same lists work
for Linux (``libqxcb.so``), macOS (``libqcocoa.dylib``) and Windows (``qwindows.dll``).
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath

# Imported by something we ship but never on a path the app runs (or never imported at all,
# where the entry only guards against a future accidental import pulling in a giant).
EXCLUDED_MODULES = [
    "tkinter", "IPython", "pytest", "hypothesis", "torch", "scipy", "pandas", "librosa",
    "onnx",  # the CAM++ graph is serialised by desktop/sandbox/engines/onnx_wire.py, not by onnx
    "readline",  # line editing for interactive prompts: the app has none (saves libreadline)
    # Only reachable through concurrent.futures' ProcessPoolExecutor, which nothing uses; once in
    # the bundle, PyInstaller's runtime hook imports it at every start (7 ms of the window's 220).
    "multiprocessing",
    "PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtPdf",
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtDBus",
    "PySide6.QtConcurrent", "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtPrintSupport", "PySide6.QtXml",
    "PySide6.QtUiTools", "PySide6.QtLabsStyleKit", "PySide6.QtQmlFeatures", "PySide6.QtQuickControls2",
    "PySide6.QtQuickTest",
]  # fmt: skip

# Qt plug-ins, by folder: the ones kept. Platforms: the desktops (X11, Wayland, Windows, macOS)
# and offscreen for the headless self-test. Images: SVG (our icons) and ICO (Windows); PNG is
# built into QtGui. A folder not listed here is kept whole.
KEEP_PLUGINS = {
    "platforms": {"qxcb", "qwayland-generic", "qwayland-egl", "qwayland", "qoffscreen", "qwindows", "qcocoa"},
    "imageformats": {"qsvg", "qico"},
    "iconengines": {"qsvgicon"},
    # The XDG portal theme gives native dialogs on any Linux desktop; the GTK 3 theme would need
    # GTK on the host (it is not bundled), and macOS/Windows have their styles built in.
    "platformthemes": {"qxdgdesktopportal"},
    "styles": {"qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"},
}
# Plug-in folders dropped whole: embedded-Linux display back-ends, input methods the app never
# needs, network plug-ins (the app talks through Python's networking, not QtNetwork).
DROP_PLUGIN_DIRS = {"egldeviceintegrations", "generic", "networkinformation", "tls", "platforminputcontexts"}
# Qt's own translations: only the languages the app offers.
QT_TRANSLATION_LANGS = ("zh_CN", "en")

# eSpeak NG's dictionaries: English (sandbox ASR demos) and Mandarin (the Rokid voices).
ESPEAK_DICTS = {"en_dict", "cmn_dict"}

# pocketsphinx's en-US model, measured: acoustic model 7 MB, general language model 26 MB,
# dictionary 3 MB, phone language model 1 MB. The voiceprint digit reader needs only the
# acoustic model (with its own ten-word dictionary), but the sandbox's Rokid ASR
# (desktop/sandbox/engines/asr.py) decodes free English with the general model and the
# dictionary, and scores digit strings against the phone loop: all of it ships.
POCKETSPHINX_PARTS = ("en-us/en-us/", "en-us/en-us.lm.bin", "en-us/cmudict-en-us.dict", "en-us/en-us-phone.lm.bin")


def _stem(name: str) -> str:
    stem = name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep(dest: str) -> bool:
    """Whether a file that the analysis collected (bundle-relative ``dest``) stays in the bundle."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    if len(parts) >= 2 and parts[-2] == "capi" and parts[-1].startswith("libonnxruntime.so"):
        # onnxruntime's C library (35 MB) for C API users: its Python module carries its own copy
        # and does not link it (ldd), so the Linux bundle runs without it (the self-test embeds).
        return False
    if "plugins" in parts:
        i = parts.index("plugins")
        if len(parts) > i + 2:
            folder, name = parts[i + 1], _stem(parts[-1])
            if folder in DROP_PLUGIN_DIRS:
                return False
            if folder in KEEP_PLUGINS:
                return name in KEEP_PLUGINS[folder]
    if "translations" in parts and parts[0] == "PySide6":
        name = parts[-1]
        return name.endswith(".qm") and any(name.endswith(f"_{lang}.qm") for lang in QT_TRANSLATION_LANGS)
    return True


def install_qt_plugin_filter() -> None:
    """Apply ``keep`` while PyInstaller's Qt hooks collect plug-ins, before it follows their
    library dependencies: filtering only afterwards would drop a plug-in but still ship what it
    links (the GTK 3 theme alone drags in cairo, pango, gdk-pixbuf, atk...). The filter on the
    finished analysis stays as the safety net, should PyInstaller's internals change."""
    try:
        from PyInstaller.utils.hooks.qt import QtLibraryInfo
    except ImportError:
        return
    original = getattr(QtLibraryInfo, "collect_plugins", None)
    if original is None or getattr(original, "vpw_filtered", False):
        return

    def collect_plugins(self: object, plugin_type: str) -> list[tuple[str, str]]:
        found = original(self, plugin_type)
        return [(src, dst) for src, dst in found if keep(dst + "/" + os.path.basename(src))]

    collect_plugins.vpw_filtered = True  # type: ignore[attr-defined]
    QtLibraryInfo.collect_plugins = collect_plugins  # type: ignore[method-assign]


def keep_espeak_file(name: str) -> bool:
    return not name.endswith("_dict") or name in ESPEAK_DICTS


def keep_pocketsphinx_file(rel: str) -> bool:
    """``rel``: a path inside pocketsphinx/model, e.g. ``en-us/en-us/mdef``."""
    return any(rel == part or (part.endswith("/") and rel.startswith(part)) for part in POCKETSPHINX_PARTS)
