"""Where things live: the resources shipped with the program and the user's data folder."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import platformdirs

APP_NAME = "TalentCollector"


def resources_dir() -> Path:
    """The ``resources/`` folder, from a source checkout or a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def default_db_path() -> Path:
    """``COLLECTOR_DB`` if set, else ``collector.db`` in the user data folder."""
    env = os.environ.get("COLLECTOR_DB")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "collector.db"


def safe_file_name(text: str, limit: int = 20) -> str:
    """A name usable as a file name on Windows, macOS and Linux (and on a Joliet disc)."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip(" .")
    return cleaned[:limit] or "未命名"


def is_drive_root(path: str | os.PathLike, *, windows: bool | None = None) -> bool:
    """True for the top of a drive or share (``E:\\``, ``E:``, ``\\\\server\\share``, ``/``) and,
    for a real path on this machine, any mount point (a USB stick's ``/media/u/DISK``).

    ``windows`` picks the path rules without looking at the disk, so tests can check both.
    """
    import ntpath
    import posixpath

    text = os.fspath(path)
    if windows if windows is not None else os.name == "nt":
        drive, rest = ntpath.splitdrive(text)
        root = bool(drive) and not rest.strip("\\/")
    else:
        root = posixpath.normpath(text) in ("/", "//")
    return root or (windows is None and os.path.ismount(text))
