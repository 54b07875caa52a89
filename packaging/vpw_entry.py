"""Entry point of the bundled executable (PyInstaller needs a script, not a console entry)."""

import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
