"""Keeping what a package verification reads: one pass over a received package hashes the
package and writes its bytes (a temporary name in the store's files folder), so an import
needs no second read or copy of a large package. Its attachments are not extracted: they are
read from the kept package when needed (collector.storage.attachments), so the store holds every
received byte once.

``Staging`` is handed to ``reader.open_package``: it gets every byte of the file in order
(``raw``); the importer then keeps the package (``keep_package``) and ``discard`` removes it
otherwise. Writing and hashing run on a thread one block behind the reader (hashlib and
``os.write`` release the GIL), which relies on the reader's two alternating buffers
(crypto.StreamReader).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from ..common.atomic import replace_retrying
from ..common.crashlog import private_dir
from ..rpu.writeback import DurableFile, Handoff
from ..storage.files import FileStore

if TYPE_CHECKING:
    from .early_copy import EarlyCopy


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


class Staging:
    """What one verification pass keeps for the store in ``files``."""

    def __init__(self, files: FileStore, *, copy_package: bool = True,
                 early: "EarlyCopy | None" = None):
        """``copy_package``: keep the package's own bytes (to forward them unchanged and to
        read its attachments from); without it they are only hashed (``package_sha256``).
        ``early``: the package is being copied into the files folder already (the inbox starts
        the copies before it asks for the passphrase); the verification then reads that copy,
        so the bytes kept are the bytes verified."""
        self.files = files
        self.copy_package = copy_package
        self.early = early
        self.package_sha256: str | None = None
        self._package: _Copy | None = None
        self._package_tmp: Path | None = None
        self._kept: Path | None = None

    def _tmp(self) -> Path:
        private_dir(self.files.dir)
        return self.files.dir / f".incoming-{uuid.uuid4().hex}"

    # -- fed by the reader -------------------------------------------------------------------
    def source(self) -> IO[bytes] | None:
        """What the reader reads instead of the path: the early copy as it grows."""
        return cast(IO[bytes], self.early.follower()) if self.early is not None else None

    def raw(self, block: memoryview) -> None:
        """The file's bytes, from its first byte to its last, in order."""
        if self._package is None:
            # With an early copy these are its bytes as the verification read them: hashed
            # here, not written again.
            write = self.copy_package and self.early is None
            self._package_tmp = self._tmp() if write else None
            self._package = _Copy(self._package_tmp)
        self._package.put(block)

    def finish(self) -> None:
        """The whole file was read and verified."""
        if self._package is not None:
            self.package_sha256 = self._package.finish()
            self._package = None
        if self.early is not None:
            self._package_tmp = self.early.result()

    # -- used by the importer ------------------------------------------------------------------
    def keep_package(self) -> tuple[str, Path] | None:
        """The verified package's own bytes stored under their SHA-256, or None if not staged.
        Keeping it again returns the same file (the importer keeps it before it records where
        the attachments are, the inbox after the import)."""
        if self._kept is not None and self.package_sha256 is not None:
            return self.package_sha256, self._kept
        if self._package_tmp is None or self.package_sha256 is None:
            return None
        tmp, self._package_tmp = self._package_tmp, None
        self._kept = self._commit(tmp, self.package_sha256)
        return self.package_sha256, self._kept

    def put_back(self) -> None:
        """A package taken before came in again: its verified bytes replace the kept copy, which
        may have been deleted or altered since (re-importing the file repairs the store)."""
        if self._package_tmp is None or self.package_sha256 is None:
            return
        tmp, self._package_tmp = self._package_tmp, None
        final = self.files.path(self.package_sha256)
        private_dir(final.parent)
        replace_retrying(tmp, final)

    def _commit(self, tmp: Path, sha256: str) -> Path:
        final = self.files.path(sha256)
        private_dir(final.parent)
        if final.exists():
            tmp.unlink()
        else:
            os.replace(tmp, final)
        return final

    def discard(self) -> None:
        """Remove the temporary file if it was not kept (also after a failed verification)."""
        if self.early is not None:
            self.early.abandon()
        if self._package is not None:
            self._package.abandon()
            self._package = None
        if self._package_tmp is not None:
            tmp, self._package_tmp = self._package_tmp, None
            with contextlib.suppress(OSError):
                tmp.unlink()
