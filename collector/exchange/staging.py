"""Keeping what a package verification reads: one pass over a received package stores the
package itself and its attachments (temporary names in the store's files folder), so the
office's inbox needs no second decryption, hashing or copy of a large package.

``Staging`` is handed to ``reader.open_package``: it gets every byte of the file in order
(``raw``) and the plaintext of the parts it asks for (``part_sink``); the importer then keeps
what it needs (``keep_package``, ``keep_part``) and ``discard`` removes the rest. Writing and
hashing run on threads one block behind the reader (hashlib and ``os.write`` release the GIL),
which relies on the reader's two alternating buffers (crypto.StreamReader).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from pathlib import Path

from ..common.crashlog import private_dir
from ..storage.files import FileStore
from ..rpu.format import PartEntry
from ..rpu.writeback import FdWriter, Handoff


class DurableFile:
    """A new file written with early write-back and fsync'ed on ``finish``."""

    def __init__(self, path: Path):
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                           0o600)  # a received package or attachment: private to the user
        self._out = FdWriter(self._fd)

    def write(self, data: memoryview) -> None:
        self._out.write(data)

    def finish(self) -> None:
        os.fsync(self._fd)
        self.close()

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


class _Copy:
    """Bytes hashed and (with a ``path``) written to a temporary file, one block behind."""

    def __init__(self, path: Path | None):
        self.file = DurableFile(path) if path is not None else None
        self.digest = hashlib.sha256()
        self.size = 0
        self._work = Handoff(self._take)

    def _take(self, block: memoryview) -> None:
        self.digest.update(block)
        if self.file is not None:
            self.file.write(block)
        self.size += len(block)

    def put(self, block: memoryview) -> None:
        self._work.put(block)

    def finish(self) -> str:
        self._work.close()
        if self.file is not None:
            self.file.finish()
        return self.digest.hexdigest()

    def abandon(self) -> None:
        with contextlib.suppress(Exception):
            self._work.close()
        if self.file is not None:
            self.file.close()
            with contextlib.suppress(OSError):
                self.file.path.unlink()


class _PartSink:
    """A part's plaintext to a temporary file (the reader hashes it against the manifest)."""

    def __init__(self, path: Path):
        self.file = DurableFile(path)
        self._work = Handoff(self.file.write)

    def put(self, block: memoryview) -> None:
        self._work.put(block)

    def finish(self) -> None:
        self._work.close()
        self.file.finish()

    def abandon(self) -> None:
        with contextlib.suppress(Exception):
            self._work.close()
        self.file.close()
        with contextlib.suppress(OSError):
            self.file.path.unlink()


class Staging:
    """What one verification pass keeps for the store in ``files``."""

    def __init__(self, files: FileStore, *, copy_package: bool = True, min_size: int = 1 << 20):
        """``copy_package``: keep the package's own bytes too (the inbox does, to send them
        upward); without it they are only hashed (``package_sha256``)."""
        self.files = files
        self.copy_package = copy_package
        self.min_size = min_size  # smaller parts are simply re-read when imported
        self.package_sha256: str | None = None
        self._package: _Copy | None = None
        self._package_tmp: Path | None = None
        self._parts: dict[str, tuple[PartEntry, Path]] = {}
        self._open_parts: list[_PartSink] = []

    def _tmp(self) -> Path:
        private_dir(self.files.dir)
        return self.files.dir / f".incoming-{uuid.uuid4().hex}"

    # -- fed by the reader -------------------------------------------------------------------
    def raw(self, block: memoryview) -> None:
        """The file's bytes, from its first byte to its last, in order."""
        if self._package is None:
            self._package_tmp = self._tmp() if self.copy_package else None
            self._package = _Copy(self._package_tmp)
        self._package.put(block)

    def part_sink(self, entry: PartEntry) -> _PartSink | None:
        """Where to write an attachment's plaintext, or None (small, or already stored)."""
        if entry.kind != "attachment" or entry.size < self.min_size:
            return None
        with contextlib.suppress(Exception):
            if self.files.path(entry.sha256).is_file():
                return None
        sink = _PartSink(self._tmp())
        self._open_parts.append(sink)
        return sink

    def part_done(self, entry: PartEntry, sink: _PartSink) -> None:
        """The part's bytes matched the manifest: keep its file for ``keep_part``."""
        sink.finish()
        self._open_parts.remove(sink)
        self._parts[entry.sha256] = (entry, sink.file.path)

    def finish(self) -> None:
        """The whole file was read and verified."""
        if self._package is not None:
            self.package_sha256 = self._package.finish()
            self._package = None

    # -- used by the importer ------------------------------------------------------------------
    def has_part(self, sha256: str) -> bool:
        return sha256 in self._parts

    def keep_part(self, sha256: str) -> Path:
        _, tmp = self._parts.pop(sha256)
        return self._commit(tmp, sha256)

    def keep_package(self) -> tuple[str, Path] | None:
        """The verified package's own bytes stored under their SHA-256, or None if not staged."""
        if self._package_tmp is None or self.package_sha256 is None:
            return None
        tmp, self._package_tmp = self._package_tmp, None
        return self.package_sha256, self._commit(tmp, self.package_sha256)

    def _commit(self, tmp: Path, sha256: str) -> Path:
        final = self.files.path(sha256)
        private_dir(final.parent)
        if final.exists():
            tmp.unlink()
        else:
            os.replace(tmp, final)
        return final

    def discard(self) -> None:
        """Remove every temporary file not kept (also after a failed verification)."""
        if self._package is not None:
            self._package.abandon()
            self._package = None
        for sink in self._open_parts:
            sink.abandon()
        self._open_parts = []
        leftovers = [tmp for _, tmp in self._parts.values()]
        if self._package_tmp is not None:
            leftovers.append(self._package_tmp)
        self._parts, self._package_tmp = {}, None
        for tmp in leftovers:
            with contextlib.suppress(OSError):
                tmp.unlink()
