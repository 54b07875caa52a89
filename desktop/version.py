"""The app's version, from the installed package metadata (one source: pyproject.toml)."""

from __future__ import annotations

from importlib import metadata

try:
    VERSION = metadata.version("voiceprint-workstation")
except metadata.PackageNotFoundError:  # running from a tree that was never installed
    VERSION = "0+unknown"
