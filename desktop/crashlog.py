"""Where a failure nobody expected is written down, so that no traceback reaches an operator.

The CLI's last-resort handler prints one sentence naming this file; the file keeps the details
(traceback, command, version) for whoever fixes it. It lives in the platform's user log dir
(``platformdirs``), or ``$VPW_LOG_DIR``, and is cut when it passes 1 MB so it cannot grow
without bound on a machine that fails the same way every minute.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

LOG_NAME = "vpw-errors.log"
MAX_BYTES = 1 << 20


def log_dir() -> Path:
    env = os.environ.get("VPW_LOG_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_log_dir("vpw", appauthor=False))


def write(exc: BaseException, argv: list[str] | None = None) -> Path:
    """Append ``exc`` with its traceback to the error log; returns the file. Raises ``OSError``
    when it cannot be written (the caller says so instead of naming a file that is not there)."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    if path.exists() and path.stat().st_size > MAX_BYTES:
        path.replace(path.with_name(LOG_NAME + ".1"))  # keep one previous file, drop older ones
    from desktop.version import VERSION

    stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    command = " ".join(argv if argv is not None else sys.argv[1:])
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    with path.open("a", encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(f"--- {stamp} vpw {VERSION} (Python {sys.version.split()[0]}): vpw {command}\n{details}\n")
    return path
