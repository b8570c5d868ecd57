"""Copying received packages into the store from the moment they are named.

The inbox knows its files before it asks for the passphrase: ``CopyQueue`` starts copying them,
one after the other on a thread of its own, into temporary files in the store's files folder
(hashed, written back early, fsync'ed at the end of each), while the key is unlocked and the
packages before are verified. The verification of a package then reads its copy as it grows
(``EarlyCopy.follower``), never the source, and hashes what it reads: the bytes kept are the bytes
verified, and the source is read once. The copying thread only copies, inside the kernel where it
can (one copy from page cache to page cache, no buffer of ours); the hashing and decrypting run
beside it. A copy runs at most ``AHEAD`` packages in front of the verification.
"""

from __future__ import annotations

import contextlib
import io
import os
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

from ..common.crashlog import private_dir
from ..common.errors import os_reason
from ..rpu.errors import PackageError
from ..rpu.reader import open_file
from ..rpu.writeback import DurableFile
from ..storage.files import FileStore

BLOCK = 1 << 20
AHEAD = 2  # packages copied beyond the one being verified


class Stopped(Exception):
    """The copy was abandoned (the import ended or was cancelled)."""


class EarlyCopy:
    """One source file copied to a temporary file of the files folder, on the queue's thread."""

    def __init__(self, files: FileStore, source: Path, syncer: ThreadPoolExecutor | None = None):
        self.files, self.source = files, source
        self._syncer = syncer
        self._synced: Future | None = None
        self.tmp: Path | None = None
        self.size: int | None = None  # the source's length when the copy began
        self.written = 0
        self.error: BaseException | None = None
        self.done = False
        self._stop = False
        self._started = False
        self._cond = threading.Condition()

    # -- on the queue's thread ---------------------------------------------------------------
    def run(self) -> None:
        try:
            with open_file(self.source) as src:
                size = os.fstat(src.fileno()).st_size
                private_dir(self.files.dir)
                tmp = self.files.dir / f".incoming-{uuid.uuid4().hex}"
                out = DurableFile(tmp)
                with self._cond:
                    self.tmp, self.size, self._started = tmp, size, True
                    self._cond.notify_all()
                try:
                    self._copy(src, out)
                except BaseException:
                    out.close()
                    raise
            if self.written != size:
                out.close()
                raise PackageError(f"{self.source.name}：文件在读取过程中长度改变，请重新导入")
            # Made durable on the syncing thread while the next package is copied; the
            # verification's ``result`` waits for it before the copy is kept.
            self._synced = (self._syncer.submit(out.finish) if self._syncer is not None
                            else _done(out.finish))
            self._end()
        except BaseException as err:  # told to the verification, which says it in one line
            self._end(error=err)

    def _copy(self, src, out) -> None:
        """Bytes only, as ``dd`` copies (the verification hashes what it reads of the copy),
        inside the kernel where the system can (``DurableFile.copy_from``), else read and
        written through a buffer."""
        fd, buf, kernel = src.fileno(), None, True
        unbuffered = getattr(src, "raw", src)  # reads where the kernel's copy left the file
        while True:
            if self._stop:
                raise Stopped()
            n = out.copy_from(fd, BLOCK) if kernel else None
            if not n:  # None: it cannot; 0: the end, which a plain read confirms
                kernel = False
                buf = buf or memoryview(bytearray(BLOCK))
                n = unbuffered.readinto(buf)
                if not n:
                    return
                out.write(buf[:n])
            with self._cond:
                self.written += n
                self._cond.notify_all()

    def _end(self, *, error: BaseException | None = None) -> None:
        with self._cond:
            self.error, self.done, self._started = error, True, True
            self._cond.notify_all()

    # -- on the verification's side ------------------------------------------------------------
    def follower(self) -> "_Follower":
        """The copy for reading as it is written; raises what stopped the copy from starting."""
        with self._cond:
            self._cond.wait_for(lambda: self._started)
            if self.tmp is None:
                self._raise()
        return _Follower(self)

    def wait_for(self, end: int) -> int:
        """Until ``end`` bytes are written or the copy has ended; how many there are."""
        with self._cond:
            self._cond.wait_for(lambda: self.written >= end or self.done)
            return self.written

    def result(self) -> Path:
        """The durable temporary file, once the copy is whole."""
        with self._cond:
            self._cond.wait_for(lambda: self.done)
        if self.error is None and self._synced is not None:
            try:
                self._synced.result()
            except OSError as err:
                self.error = err
        if self.error is not None or self.tmp is None:
            self._raise()
        return self.tmp  # type: ignore[return-value]

    def _raise(self) -> None:
        err = self.error
        if isinstance(err, PackageError):
            raise PackageError(str(err)) from None
        if isinstance(err, OSError):
            raise PackageError(f"{self.source.name}：无法复制到数据文件夹（{os_reason(err)}）") from None
        raise PackageError(f"{self.source.name}：复制未完成") from None

    def abandon(self) -> None:
        """Stop the copy if it runs and remove its file unless it was kept."""
        self._stop = True
        with self._cond:
            self._cond.wait_for(lambda: self.done or not self._started)
        if self._synced is not None:
            with contextlib.suppress(BaseException):
                self._synced.result()  # the file is closed before it is removed (Windows)
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                self.tmp.unlink()


def _done(fn) -> Future:
    """``fn`` run now, as a finished Future (a copy made without a syncing thread)."""
    future: Future = Future()
    try:
        future.set_result(fn())
    except BaseException as err:
        future.set_exception(err)
    return future


class _Follower(io.RawIOBase):
    """The temporary copy read behind the writer: a read waits for the bytes it asks for."""

    def __init__(self, copy: EarlyCopy):
        self._copy = copy
        self._fh = open(copy.tmp, "rb", buffering=0)  # type: ignore[arg-type]
        self.final_size = copy.size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fh.fileno()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()

    def readinto(self, buf) -> int:
        with memoryview(buf) as view:
            start = self._fh.tell()
            have = self._copy.wait_for(start + len(view)) - start
            n = (self._fh.readinto(view[:min(have, len(view))]) or 0) if have > 0 else 0
        if not n and view.nbytes and self._copy.error is not None:
            self._copy._raise()  # the copy stopped short: say why, not "truncated"
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


class CopyQueue:
    """The inbox's packages copied in order, at most ``AHEAD`` in front of the one taken.

    The command line starts one for the files it is given before it imports the rest of the
    program (``cli.office``); the inbox then adds what it found in folders and discs
    (``extend``)."""

    def __init__(self, files: FileStore, sources: Iterable[Path]):
        self._files = files
        self._syncer = ThreadPoolExecutor(1, thread_name_prefix="inbox-sync")
        self._copies: list[EarlyCopy] = []
        self._taken = 0
        self._cond = threading.Condition()
        self._closed = False
        self.extend(sources)
        self._thread = threading.Thread(target=self._run, name="inbox-copy", daemon=True)
        self._thread.start()

    def extend(self, sources: Iterable[Path]) -> None:
        """Queue the sources not queued yet, in order, behind the others."""
        with self._cond:
            queued = {c.source for c in self._copies}
            for source in map(Path, sources):
                if source not in queued:
                    queued.add(source)
                    self._copies.append(EarlyCopy(self._files, source, self._syncer))
            self._cond.notify_all()

    def _run(self) -> None:
        i = 0
        while self._wait_turn(i):
            self._copies[i].run()
            i += 1

    def _wait_turn(self, i: int) -> bool:
        """Until copy ``i`` exists and may start (False: the queue was closed)."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed
                                or (i < len(self._copies) and i < self._taken + AHEAD))
            return not self._closed

    def take(self, source: Path) -> EarlyCopy | None:
        """The copy of the next package (None for a path it was not given)."""
        with self._cond:
            for i in range(self._taken, len(self._copies)):
                if self._copies[i].source == Path(source):
                    self._taken = i + 1
                    self._cond.notify_all()
                    return self._copies[i]
        return None

    def close(self) -> None:
        """Stop copying; remove every copy nobody kept. Closing again does nothing."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
        for copy in self._copies:
            copy._stop = True
        self._thread.join()
        for copy in self._copies:
            copy.abandon()
        self._syncer.shutdown()

    def __enter__(self) -> "CopyQueue":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
