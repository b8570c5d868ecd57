"""The store's attachment files: content-addressed in ``<db>.files/`` beside the database
(``<sha256[:2]>/<sha256>``), copied in streams, never read whole."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common.crashlog import private_dir
from ..common.errors import InputError, NotFoundError, StoreError
from ..common.opening import display_name

if TYPE_CHECKING:
    from .store import Store

CHUNK = 1 << 20
ORPHAN_AGE = 15 * 60  # seconds without a write before an .incoming- copy counts as abandoned


class FileStore:
    """The files folder of one database."""

    def __init__(self, db_path: Path):
        self.dir = db_path.with_name(db_path.name + ".files")

    def remove_orphans(self, older_than: float = ORPHAN_AGE) -> int:
        """Delete ``.incoming-*`` copies left by an import that was killed; returns how many.
        A copy still being written is younger than ``older_than`` seconds (its mtime moves
        with every chunk), so a concurrent import is left alone."""
        if not self.dir.is_dir():
            return 0
        removed, now = 0, time.time()
        for tmp in self.dir.glob(".incoming-*"):
            with contextlib.suppress(OSError):
                if now - tmp.stat().st_mtime >= older_than:
                    tmp.unlink()
                    removed += 1
        return removed

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise InputError(f"附件摘要 {sha256!r} 无效")
        return self.dir / sha256[:2] / sha256

    def add(self, source: str | os.PathLike | Any) -> tuple[str, int]:
        """Copy a file (path or binary stream) into the store; returns (sha256, size)."""
        private_dir(self.dir)
        tmp = self.dir / f".incoming-{uuid.uuid4().hex}"
        digest, size = hashlib.sha256(), 0
        try:
            with contextlib.ExitStack() as stack:
                src = source if hasattr(source, "read") else stack.enter_context(
                    open(source, "rb"))
                dst = stack.enter_context(os.fdopen(
                    os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                            0o600), "wb"))
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            final = self.path(digest.hexdigest())
            private_dir(final.parent)
            if final.exists():
                tmp.unlink()
            else:
                os.replace(tmp, final)
        except BaseException as err:  # a failing stream (e.g. a package changed under us), too
            with contextlib.suppress(OSError):
                tmp.unlink()
            if isinstance(err, OSError):
                raise StoreError(f"无法保存附件：{err}") from None
            raise
        return digest.hexdigest(), size


def attach(store: "Store", candidate_id: str, path: str | os.PathLike, *, title: str = "",
           category: str = "其他", classified: bool = False,
           declassified: bool = False, actor: str | None = None) -> dict:
    """Copy a file in and add it to the candidate's 佐证材料 list."""
    src = Path(path)
    if not src.is_file():
        raise NotFoundError(f"附件文件 {src} 不存在")
    sha, size = store.add_file(src)
    stored = store.get(candidate_id)
    entry = {"file": display_name(src.name), "title": title or display_name(src.stem), "category": category,
             "classified": classified, "declassified": declassified,
             "sha256": sha, "size": size}
    stored.data["attachments"].append(entry)
    store.save(stored.data, candidate_id=candidate_id, actor=actor)
    return entry
