"""Is a file on a network drive? SQLite's WAL needs shared memory that SMB/NFS shares do not
provide, so a database there uses the rollback journal instead (``Store``).

Windows: a UNC path (``\\\\server\\share``) or a drive letter GetDriveTypeW calls DRIVE_REMOTE
(a mapped ``Z:``). Linux: the file system of the longest ``/proc/mounts`` entry above the path.
"""

from __future__ import annotations

import ntpath
import os
from pathlib import Path

DRIVE_REMOTE = 4
NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "fuse.sshfs", "9p",
                        "afs", "ceph", "glusterfs", "fuse.glusterfs", "davfs", "fuse.rclone"})


def is_network_path(path: str | os.PathLike, *, windows: bool | None = None) -> bool:
    """True when ``path`` (existing or not yet) lies on a network share."""
    if windows if windows is not None else os.name == "nt":
        return _windows_remote(os.fspath(path))
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:  # macOS and others: no cheap answer; WAL stays on
        return False
    return fs_type_of(os.path.abspath(os.fspath(path)), mounts) in NETWORK_FS


def _windows_remote(text: str) -> bool:
    if text.startswith("\\\\?\\") and not text.upper().startswith("\\\\?\\UNC\\"):
        text = text[4:]  # \\?\C:\... is a local long path
    drive, _ = ntpath.splitdrive(text)
    if drive.startswith(("\\\\", "//")):
        return True
    if not drive:
        drive, _ = ntpath.splitdrive(os.path.abspath(text))
    return bool(drive) and drive_type(drive + "\\") == DRIVE_REMOTE


def drive_type(root: str) -> int:  # pragma: no cover - needs Windows
    import ctypes

    return ctypes.windll.kernel32.GetDriveTypeW(root)  # type: ignore[attr-defined]  # Windows only


def fs_type_of(path: str, mounts: str) -> str:
    """The type of the file system mounted at the longest mount point above ``path``."""
    best, kind = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind
