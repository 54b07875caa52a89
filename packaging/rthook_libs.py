"""PyInstaller runtime hook: find bundled shared libraries before the system's.

sounddevice (PortAudio) and opuslib (libopus) locate their C libraries with
``ctypes.util.find_library``, which on Linux only consults ldconfig's cache and the compiler: a
library shipped inside the bundle would be missed and the app would depend on the host having
it installed. Look in the bundle first, then fall back to the original lookup.

``ctypes.util`` itself is patched when something first imports it, not here: importing it pulls
in subprocess and shutil, 20 ms that the window's start-up would pay for nothing.
"""

import os
import sys

_bundle = getattr(sys, "_MEIPASS", "")
_PATTERNS = ("lib{0}.so*", "lib{0}.*.dylib", "lib{0}.dylib", "{0}.dll", "lib{0}*.dll")


def _patch(util):
    original = util.find_library

    def find_library(name):
        if _bundle:
            import glob

            for pattern in _PATTERNS:
                hits = sorted(glob.glob(os.path.join(glob.escape(_bundle), pattern.format(name))))
                if hits:
                    return hits[0]
        return original(name)

    util.find_library = find_library


class _PatchingLoader:
    """Runs the real loader, then patches the fresh module."""

    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        _patch(module)

    def __getattr__(self, name):  # get_code, get_source, is_package... as the real loader
        return getattr(self._loader, name)


class _CtypesUtilFinder:
    """Meta-path finder that only steps in for the first import of ``ctypes.util``."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name != "ctypes.util":
            return None
        sys.meta_path.remove(cls)
        import importlib.util

        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _PatchingLoader(spec.loader)
        return spec


if "ctypes.util" in sys.modules:
    _patch(sys.modules["ctypes.util"])
else:
    sys.meta_path.insert(0, _CtypesUtilFinder)

# pocketsphinx finds its model through the POCKETSPHINX_PATH variable, else by importing
# ``pocketsphinx.model`` as a package, which a bundle's data folder is not: point it at the
# model the bundle carries (always, so that a host setting cannot swap in an untested model).
if _bundle and os.path.isdir(os.path.join(_bundle, "pocketsphinx", "model")):
    os.environ["POCKETSPHINX_PATH"] = os.path.join(_bundle, "pocketsphinx", "model")
