"""One SQLite connection per thread for a store (issue 11).

A worker's transaction on a connection shared with the GUI thread swallowed the GUI's saves
(``in_transaction`` made them look nested) and rolled them back with its own failure. Each
thread now gets its own connection on first use; SQLite's locking (WAL, ``BEGIN IMMEDIATE``
with a busy timeout) orders the writers, so a save commits or fails on its own.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import weakref
from pathlib import Path

from .database import Database
from ..common.errors import StoreError

# How long a write waits for another thread's (or program's) transaction before giving up.
BUSY_SECONDS = 10


class _Connection:
    """One thread's connection; closed when its thread's local storage goes (the thread
    ended) or when the store closes, whichever comes first."""

    def __init__(self, path: Path):
        # check_same_thread off only so that close_all() may close it from another thread.
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS,
                               check_same_thread=False)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            conn.close()
            raise
        self.db = Database(conn)
        self.closed = False
        self._finalizer = weakref.finalize(self, _close_quietly, conn)

    def close(self) -> None:
        self.closed = True
        self._finalizer()


class ThreadConnections:
    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        self._all: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._closed = False

    def db(self) -> Database:
        holder = getattr(self._local, "holder", None)
        if holder is None:
            if self._closed:
                raise StoreError(f"数据库 {self.path} 已关闭")
            holder = _Connection(self.path)
            with self._lock:
                self._all.add(holder)
            self._local.holder = holder
        return holder.db

    def open_count(self) -> int:
        with self._lock:
            return sum(1 for h in list(self._all) if not h.closed)

    def close_all(self) -> None:
        self._closed = True
        with self._lock:
            holders = list(self._all)
        for holder in holders:
            holder.close()
        self._local = threading.local()


def _close_quietly(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(Exception):
        conn.close()
