"""Attachment names from other people: which may be handed to the system to open, how they are
shown, and what they may be called on disk. The UI asks here; it decides nothing itself.

A sender picks the name. ``证书\u202efdp.bat`` shows as ``证书tab.pdf``; ``x.desktop`` or
``x.lnk`` runs a program when "opened"; ``CON.pdf`` is a device and ``a.pdf:b`` an NTFS stream
on Windows. So: names are shown and written without control or direction characters, only
document and image types are opened, anything else can only be saved. The old Office and WPS
formats (.doc .xls .wps .et) can carry macros: they open only after a warning is confirmed.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
from pathlib import Path
from typing import Callable

from .text import strip_controls

# Document and image types a viewer opens without running anything.
OPENABLE = frozenset({".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp",
                      ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".txt"})
# Of those, the binary Office/WPS formats that can carry macros (VBA, JS macros in WPS).
MACRO_CAPABLE = frozenset({".doc", ".xls", ".wps", ".et"})
MACRO_WARNING = ("“{name}”是旧版 Office/WPS 文件（{ext}），可能含有宏。打开后如果提示“启用宏”或"
                 "“启用内容”，请不要启用。确定要打开吗？也可以先另存后用杀毒软件检查。")
# Marks that reorder text without being controls: LRM, RLM, ALM, and the zero-width ones.
_INVISIBLE = re.compile("[\u200b-\u200f\u061c\ufeff]")
_RESERVED = re.compile(r'[<>:"/\\|?*]')
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                      *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))})
MAX_NAME = 120


def display_name(name: str) -> str:
    """The name as shown: no control, direction or zero-width characters."""
    return _INVISIBLE.sub("", strip_controls(str(name or ""))).strip()


def disk_name(name: str, default: str = "附件") -> str:
    """A name safe to create on Windows, macOS and Linux: no path, no reserved characters, no
    NTFS stream, no device name, no trailing dot or space, at most MAX_NAME characters."""
    text = _RESERVED.sub("_", display_name(name)).strip(" .")
    if not text:
        return default
    stem, dot, ext = text.rpartition(".")
    if not dot or len(ext) > 10:
        stem, ext = text, ""
    if stem.split(".")[0].strip().upper() in _DEVICES:
        stem = "_" + stem
    ext = f".{ext}" if ext else ""
    return stem[:MAX_NAME - len(ext)].rstrip(" .") + ext


def can_open(name: str) -> bool:
    """Whether a file of this name may be handed to the system's viewer."""
    return Path(disk_name(name)).suffix.lower() in OPENABLE


def open_warning(name: str) -> str:
    """What to confirm before a file of this name is opened ("" when nothing): macro-capable
    Office/WPS formats are opened only after this warning."""
    ext = Path(disk_name(name)).suffix.lower()
    return MACRO_WARNING.format(name=display_name(name), ext=ext) if ext in MACRO_CAPABLE else ""


_view_dir: Path | None = None


def view_folder() -> Path:
    """This process's private folder (0700) for copies handed to a viewer; removed at exit."""
    global _view_dir
    if _view_dir is None or not _view_dir.is_dir():
        import tempfile

        _view_dir = Path(tempfile.mkdtemp(prefix="talent-collector-view-"))
        atexit.register(remove_view_copies)
    return _view_dir


def view_copy(source: Path | Callable[[Path], object], name: str, *,
              warned: bool = False) -> Path:
    """A copy of a stored file under its (safe) name, for a viewer; refused for other types,
    and for a macro-capable type unless its ``open_warning`` was confirmed (``warned``).
    ``source`` is a file, or what writes the copy to the path it is given (an attachment
    exported from the store, collector.storage.attachments)."""
    if not can_open(name) or (open_warning(name) and not warned):
        raise PermissionError(name)
    folder = view_folder() / os.urandom(6).hex()
    folder.mkdir(mode=0o700)
    dest = folder / disk_name(name)
    if callable(source):
        source(dest)
    else:
        shutil.copyfile(source, dest)
    os.chmod(dest, 0o600)
    return dest


def remove_view_copies() -> None:
    """Delete every copy made for a viewer (at exit, and when the main window closes)."""
    global _view_dir
    if _view_dir is not None:
        shutil.rmtree(_view_dir, ignore_errors=True)
        _view_dir = None
