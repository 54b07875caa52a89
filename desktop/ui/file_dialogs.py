"""File dialogs that open where the operator last was: the folder of the last file chosen in any
of them (persisted in the window settings), else the home folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

KEY_LAST_FOLDER = "files/last_folder"


def last_folder(settings: QSettings) -> Path:
    saved = str(settings.value(KEY_LAST_FOLDER, "") or "")
    if saved and Path(saved).is_dir():
        return Path(saved)
    return Path.home()


def remember(settings: QSettings, path: str | Path) -> None:
    p = Path(path)
    folder = p if p.is_dir() else p.parent
    settings.setValue(KEY_LAST_FOLDER, str(folder))


def _start(settings: QSettings, suggested_name: str) -> str:
    folder = last_folder(settings)
    return str(folder / suggested_name) if suggested_name else str(folder)


def open_file(parent: QWidget, settings: QSettings, caption: str, filters: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, caption, _start(settings, ""), filters)
    if path:
        remember(settings, path)
    return path


def open_files(parent: QWidget, settings: QSettings, caption: str, filters: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, caption, _start(settings, ""), filters)
    if paths:
        remember(settings, paths[0])
    return list(paths)


def save_file(parent: QWidget, settings: QSettings, caption: str, suggested_name: str, filters: str) -> tuple[str, str]:
    """(path, the filter chosen); ("", "") when cancelled."""
    path, chosen = QFileDialog.getSaveFileName(parent, caption, _start(settings, suggested_name), filters)
    if path:
        remember(settings, path)
    return path, chosen


def folder(parent: QWidget, settings: QSettings, caption: str, current: str = "") -> str:
    start = current if current and Path(current).is_dir() else str(last_folder(settings))
    chosen = QFileDialog.getExistingDirectory(parent, caption, start)
    if chosen:
        remember(settings, chosen)
    return chosen
