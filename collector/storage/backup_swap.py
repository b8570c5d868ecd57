"""Restore's last steps: whether the database to replace holds data, bringing an older backup
to the current schema, moving attachments in, and swapping the database file with one rename."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from ..common.atomic import replace_retrying
from ..common.crashlog import private_dir
from ..common.errors import CollectorError, InputError
from ..common.paths import sqlite_uri


def is_empty(db_path: Path) -> bool:
    """True when the file holds no rows besides the schema version (e.g. just after init)."""
    try:
        conn = sqlite3.connect(sqlite_uri(db_path), uri=True)
        try:
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
            return all(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] == 0
                       for t in tables if t != "meta")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False  # unreadable: let --force decide


def upgrade(path: Path) -> None:
    """Bring an older backup to the current schema before it goes live."""
    from .store import Store

    try:
        with Store(path, create=False):
            pass
    except CollectorError as err:
        raise InputError(f"备份中的数据库无法打开：{err}") from None
    except (ValueError, TypeError, AttributeError) as err:
        # An older schema's rows are rewritten by the upgrade: a row that is not a record (a
        # forged backup, its digest re-made) must be refused like any other damage.
        raise InputError(f"备份中的数据库无法升级到本程序的版本（{type(err).__name__}），"
                         "文件可能已被篡改，不能使用") from None


def move_attachments(src: Path, dest: Path) -> None:
    """Content-addressed: a file already present is identical, so only new ones move in."""
    if not src.is_dir():
        return
    for path in sorted(src.glob("*/*")):
        target = dest / path.parent.name / path.name
        if target.exists():
            continue
        private_dir(target.parent)
        os.replace(path, target)


def replace_database(new: Path, db_path: Path) -> None:
    if db_path.exists():
        # Fold the old WAL in and drop it: a stale -wal next to the new file would be replayed.
        try:
            conn = sqlite3.connect(db_path)
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            pass  # not a database: it is being replaced anyway
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(db_path.with_name(db_path.name + suffix))
    _fsync(new)
    replace_retrying(new, db_path)


def _fsync(path: Path) -> None:
    # Windows' fsync (_commit) needs a handle open for writing: read-only gives EBADF.
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
