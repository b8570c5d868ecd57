"""Where file dialogs start and what they suggest: the user's 文档 (Documents) folder, as
Windows users expect, and a default name that is safe on every file system."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

from collector.common.paths import safe_default_name


def documents_dir() -> Path:
    """文档 (QStandardPaths.DocumentsLocation); the home folder where there is none."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(location) if location else Path.home()
    return path if path.is_dir() else Path.home()


def start_dir() -> str:
    return str(documents_dir())


def suggested(name: str, folder: str | Path | None = None) -> str:
    """A default file path: ``name`` made safe (device names, ``/``, ``:``, bidi marks) in
    ``folder`` or 文档."""
    return str(Path(folder or documents_dir()) / safe_default_name(name))
