"""Where things live: the resources shipped with the program and the user's data folder."""

from __future__ import annotations

import os
import sys
import unicodedata
from pathlib import Path

import platformdirs

APP_NAME = "TalentCollector"


def resources_dir() -> Path:
    """The ``resources/`` folder, from a source checkout or a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def default_db_path() -> Path:
    """``COLLECTOR_DB`` if set, else ``collector.db`` in the user data folder."""
    env = os.environ.get("COLLECTOR_DB")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "collector.db"


# Device names Windows opens instead of a file, whatever the extension (CON.pdf is the console).
_WINDOWS_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                              *(f"COM{n}" for n in "123456789"), *(f"LPT{n}" for n in "123456789")})


def safe_file_name(text: str, limit: int = 20) -> str:
    """A name usable as a file name on Windows, macOS and Linux (and on a Joliet disc): no
    separators or characters Windows forbids, no control or bidi characters (U+202E makes
    ``证书\u202efdp.bat`` look like a PDF), not a Windows device name, no trailing dot."""
    cleaned = "".join("_" if c in '\\/:*?"<>|' or unicodedata.category(c) in ("Cc", "Cf")
                      else c for c in text)
    cleaned = cleaned.strip(" .")[:limit].rstrip(" .")
    if cleaned.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_DEVICES:
        cleaned = "_" + cleaned
    return cleaned or "未命名"


def safe_default_name(name: str, limit: int = 60) -> str:
    """``safe_file_name`` for a whole suggested file name, keeping its extension."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or not (ext.isascii() and ext.isalnum() and len(ext) <= 8):
        return safe_file_name(name, limit)
    return f"{safe_file_name(stem, limit)}.{ext}"


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


def sqlite_uri(path: str | os.PathLike, mode: str = "ro") -> str:
    """A SQLite ``file:`` URI for ``path``: ``#``, ``%``, ``?``, spaces and Chinese percent-encoded
    (``f"file:{path}"`` cuts the path at ``#`` or ``?`` and misreads ``%``)."""
    return f"{Path(path).resolve().as_uri()}?mode={mode}"
