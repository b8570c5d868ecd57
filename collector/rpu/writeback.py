"""Writing large files quickly and durably, shared by packing (writer.py) and receiving
(staging.py): one block handed to a thread while the caller prepares the next (``Handoff``),
and the OS asked to start writing to disk every few MiB (``FdWriter``), so the closing fsync
has little left to wait for and the data does not crowd the page cache.
"""

from __future__ import annotations

import errno
import os
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable

WRITEBACK_STEP = 8 << 20
# What an in-kernel copy answers when it cannot copy between these two files (another file
# system, a kernel without it, a file system that does not take part): read and write instead.
_CANNOT = {errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP,
           errno.EBADF, errno.EPERM}


class Handoff:
    """``put(block)`` runs ``fn(block)`` on a worker thread and returns once the block before
    it is done: the caller may refill that older block's buffer. ``write`` is ``put``, so a
    Handoff is the sink crypto.StreamWriter writes into."""

    def __init__(self, fn: Callable[[memoryview], None]):
        self._fn = fn
        self._pool = ThreadPoolExecutor(1)
        self._pending: Future | None = None

    def put(self, block: memoryview) -> None:
        self.wait()
        self._pending = self._pool.submit(self._fn, block)

    write = put

    def wait(self) -> None:
        """Until everything handed over is done; raises what ``fn`` raised."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown()


class FdWriter:
    """Writes everything given to ``fd`` (from offset ``start``), advising write-back every
    WRITEBACK_STEP bytes; where ``posix_fadvise`` is missing (Windows, macOS) it only writes.
    The advice starts writing the pages just written and leaves them cached while they are
    (the inbox's verification reads a copy right behind its writer: early_copy.py)."""

    def __init__(self, fd: int, start: int = 0):
        self.fd = fd
        self._start = self._pos = start
        self._advise = getattr(os, "posix_fadvise", None)
        self._refused: set = set()  # in-kernel copies this pair of files turned down

    def write(self, data: bytes | memoryview) -> None:
        with memoryview(data) as view:
            while view:
                view = view[os.write(self.fd, view):]
        self._wrote(len(data))

    def copy_from(self, src: int, count: int) -> int | None:
        """Copy up to ``count`` bytes from ``src``'s position inside the kernel (one copy from
        page cache to page cache, not a read into a buffer and a write out of it), advancing
        both files; how many were copied (0 at the end of ``src``), or None where the system
        cannot (Windows, or a pair of files it refuses): the caller then reads and writes."""
        for way in self._ways():
            try:
                n = way(src, count)
            except OSError as err:
                if err.errno not in _CANNOT:
                    raise
                self._refused.add(way)
                continue
            self._wrote(n)
            return n
        return None

    def _ways(self) -> list[Callable[[int, int], int]]:
        ways = []
        if hasattr(os, "copy_file_range"):
            ways.append(self._copy_file_range)
        if hasattr(os, "sendfile") and sys.platform.startswith("linux"):
            ways.append(self._sendfile)  # a file as its target: Linux only
        return [w for w in ways if w not in self._refused]

    def _copy_file_range(self, src: int, count: int) -> int:
        return os.copy_file_range(src, self.fd, count)

    def _sendfile(self, src: int, count: int) -> int:
        return os.sendfile(self.fd, src, None, count)

    def _wrote(self, n: int) -> None:
        self._pos += n
        if self._advise and self._pos - self._start >= WRITEBACK_STEP:
            try:
                self._advise(self.fd, self._start, self._pos - self._start,
                             os.POSIX_FADV_DONTNEED)
            except OSError:  # advice only: a file system that refuses it loses nothing
                self._advise = None
            self._start = self._pos


class DurableFile:
    """A new file written with early write-back and fsync'ed on ``finish``."""

    def __init__(self, path: Path):
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                           0o600)  # a received package or attachment: private to the user
        self._out = FdWriter(self._fd)

    def write(self, data: memoryview) -> None:
        self._out.write(data)

    def copy_from(self, src: int, count: int) -> int | None:
        """See ``FdWriter.copy_from``."""
        return self._out.copy_from(src, count)

    def finish(self) -> None:
        try:
            os.fsync(self._fd)
        finally:
            self.close()

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)
