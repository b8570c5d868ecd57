"""Single instance: an OS lock on ``<db>.lock`` so only one program writes a database at a time.

The lock is the operating system's (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows), so
it disappears with the process however that process ends — a ``kill -9`` or a power cut leaves
no stale lock behind, only a lock file whose recorded PID is overwritten by the next holder.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..common.errors import StoreError, os_reason

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl

# On Windows the locked byte lies past the PID text so other processes can still read the PID.
_WIN_LOCK_OFFSET = 1 << 16


def lock_path_for(db_path: str | os.PathLike) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


class InstanceLock:
    """An exclusive, non-blocking lock on one database; ``acquire`` raises StoreError if taken."""

    def __init__(self, db_path: str | os.PathLike):
        self.db_path = Path(db_path)
        self.path = lock_path_for(db_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> "InstanceLock":
        if self._fd is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as err:
            raise StoreError(f"无法创建锁文件 {self.path}：{os_reason(err)}") from None
        if not _try_lock(fd):
            os.close(fd)
            raise StoreError(self._busy_message())
        # Record who holds it, for the message another instance shows.
        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)
        # The file itself stays: deleting it would race with a process that has just opened it.

    def holder_pid(self) -> int | None:
        """The PID written by the current holder, if readable."""
        try:
            text = self.path.read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def _busy_message(self) -> str:
        pid = self.holder_pid()
        who = f"另一个程序（PID {pid}）" if pid else "另一个程序"
        return (f"数据库 {self.db_path} 正被{who}使用。"
                "请先关闭那个程序再打开；如果确认没有其他程序在运行，请稍后重试")

    def __enter__(self) -> "InstanceLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    if os.name == "nt":  # pragma: no cover
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError when held elsewhere
        return False
    return True


def _unlock(fd: int) -> None:
    if os.name == "nt":  # pragma: no cover
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
