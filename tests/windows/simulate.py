"""How Windows differs, reproduced on Linux for the tests in this folder.

Each helper imitates one documented Windows behaviour on Linux; on Windows (the Wine run,
packaging/windows/wine_ci.sh) the real call decides:

- ``windows_fsync``: ``os.fsync`` is ``_commit()`` in the C runtime, which needs a handle open
  for writing; on a read-only handle it fails with EBADF (Errno 9).
- ``sharing_violation``: ``MoveFileEx`` (``os.replace``) onto a file that Excel, WPS, Acrobat
  or a virus scanner holds open fails with ``PermissionError`` (WinError 32, errno 13).
"""

from __future__ import annotations

import errno
import os


def windows_fsync(monkeypatch) -> list[int]:
    """Make ``os.fsync`` refuse read-only descriptors as Windows does; returns the fds synced."""
    real = os.fsync
    synced: list[int] = []

    def fsync(fd):
        fd = fd if isinstance(fd, int) else fd.fileno()
        if os.name != "nt":  # on Windows (and under Wine) the real call decides
            import fcntl

            if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
                raise OSError(errno.EBADF, "Bad file descriptor")
        result = real(fd)
        synced.append(fd)
        return result

    monkeypatch.setattr(os, "fsync", fsync)
    return synced


def sharing_violation(monkeypatch, times: int | None) -> list[tuple[str, str]]:
    """``os.replace`` fails ``times`` times (None: always) as a file held open does on Windows."""
    real = os.replace
    calls: list[tuple[str, str]] = []

    def replace(src, dst, *args, **kwargs):
        calls.append((os.fspath(src), os.fspath(dst)))
        if times is None or len(calls) <= times:
            err = PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。",
                                  os.fspath(src), None, os.fspath(dst))
            err.winerror = 32  # ERROR_SHARING_VIOLATION
            raise err
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return calls
