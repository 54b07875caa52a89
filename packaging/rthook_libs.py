"""PyInstaller runtime hook: find bundled shared libraries before the system's.

sounddevice (PortAudio) and opuslib (libopus) locate their C libraries with
``ctypes.util.find_library``, which on Linux only consults ldconfig's cache and the compiler: a
library shipped inside the bundle would be missed and the app would depend on the host having
it installed. Look in the bundle first, then fall back to the original lookup.
"""

import ctypes.util
import glob
import os
import sys

_original_find_library = ctypes.util.find_library
_bundle = getattr(sys, "_MEIPASS", "")


def _bundled_find_library(name: str) -> "str | None":
    if _bundle:
        for pattern in (f"lib{name}.so*", f"lib{name}.*.dylib", f"lib{name}.dylib", f"{name}.dll", f"lib{name}*.dll"):
            hits = sorted(glob.glob(os.path.join(_bundle, pattern)))
            if hits:
                return hits[0]
    return _original_find_library(name)


ctypes.util.find_library = _bundled_find_library

# pocketsphinx finds its model through the POCKETSPHINX_PATH variable, else by importing
# ``pocketsphinx.model`` as a package, which a bundle's data folder is not: point it at the
# model the bundle carries (always, so that a host setting cannot swap in an untested model).
if _bundle and os.path.isdir(os.path.join(_bundle, "pocketsphinx", "model")):
    os.environ["POCKETSPHINX_PATH"] = os.path.join(_bundle, "pocketsphinx", "model")
