"""Icons from ``resources/icons`` (SVG), found the same way from a tree, a wheel or a bundle."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from desktop.resources import resource_path


def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg``; an empty icon when there is none."""
    path = resource_path("icons", f"{name}.svg") if name else None
    return QIcon(str(path)) if path is not None and path.is_file() else QIcon()
