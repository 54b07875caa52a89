"""PyInstaller hook for opuslib: collect the Opus C library it loads through ctypes.

opuslib has no wheel-shipped library; it asks ``ctypes.util.find_library("opus")`` at import.
Collect whatever that finds here (libopus.so.0 from the system on Linux, a Homebrew dylib on
macOS, opus.dll on PATH on Windows), resolved to a real file the way PyInstaller resolves
ctypes imports, into the bundle's top folder; ``rthook_libs`` makes the bundled copy win.
"""

import ctypes.util
import os

from PyInstaller.depend.bindepend import resolve_library_path
from PyInstaller.utils.hooks import logger

binaries = []
found = ctypes.util.find_library("opus")
path = resolve_library_path(os.path.basename(found)) if found and not os.path.isabs(found) else found
if path and os.path.isfile(path):
    binaries.append((path, "."))
else:
    logger.warning("opuslib: the Opus library (libopus) was not found; the bundle will not encode Opus")
