"""Entry point of the bundled executable (PyInstaller needs a script, not a console entry).

No ``multiprocessing.freeze_support()``: the app starts no processes, and the bundle leaves
``multiprocessing`` out (packaging/bundle_filter.py), which saves its import at every start.
"""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
