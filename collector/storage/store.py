"""The local store: one SQLite file (WAL, foreign keys, versioned schema) plus its files folder.

Candidates are kept as their normalized JSON with a stable id; every save is one transaction
and writes an audit row per changed field. Attachment files live in ``<db>.files/`` beside the
database (``collector.storage.files``); the Store's file methods hand over to it.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..record import fields as fl
from . import files
from ..common import timefmt
from .connections import ThreadConnections
from .database import Database
from ..common.crashlog import private_dir, private_file
from ..common.errors import InputError, NotFoundError, StoreError
from .migrations import CURRENT_VERSION, bring_up_to_date
from .netdrive import is_network_path
from ..common.text import fold_identity

CHUNK = files.CHUNK  # kept importable from here

# A candidate's status: typed here, received in a package, or sent on in a package.
DRAFT, IMPORTED, PACKED = "draft", "imported", "packed"
STATUS_LABELS = {DRAFT: "草稿", IMPORTED: "已导入", PACKED: "已报送"}


now_text = timefmt.now_text  # kept importable from here


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some service accounts
        return "unknown"


@dataclass
class StoredCandidate:
    id: str
    data: dict
    status: str
    created_at: str
    updated_at: str
    source: dict | None = None
    audit: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.data.get("name", "")

    def to_export(self) -> dict:
        """The interchange JSON plus the store's own keys (id, status, times, audit, source)."""
        out = dict(self.data)
        out.update(id=self.id, status=self.status, created_at=self.created_at,
                   updated_at=self.updated_at, audit=self.audit)
        if self.source:
            out["source"] = self.source
        return out


class Store:
    def __init__(self, path: str | os.PathLike, *, create: bool = True, exclusive: bool = False):
        """``exclusive``: hold an OS lock on ``<db>.lock`` (the GUI does) so that a second
        exclusive instance gets a clear StoreError instead of sharing the file."""
        self.path = Path(path)
        self._files = files.FileStore(self.path)
        self._lock = None
        # WAL needs shared memory a network share (SMB, NFS) cannot give: several PCs would
        # corrupt the file. There the rollback journal is used; a share is never the default.
        self.on_network = is_network_path(self.path)
        self.journal = "delete" if self.on_network else "wal"
        if not self.path.exists():
            if not create:
                raise StoreError(f"数据库 {self.path} 不存在，请先运行 collector init")
            # Private to the user (DESIGN §11); SQLite gives -wal and -shm the file's mode.
            private_file(private_dir(self.path.parent) / self.path.name)
        elif self.path.is_dir():
            raise StoreError(f"{self.path} 是文件夹，不是数据库文件")
        if exclusive:
            from .lock import InstanceLock

            self._lock = InstanceLock(self.path).acquire()
        # One connection per thread (issue 11): see collector.storage.connections.
        self._conns = ThreadConnections(self.path)
        try:
            bring_up_to_date(self)
            self.orphans_removed = self._files.remove_orphans()
        except sqlite3.DatabaseError as err:
            self._conns.close_all()
            self._release_lock()
            raise StoreError(f"{self.path} 不是有效的数据库文件（{err}）") from None
        except BaseException:
            self._conns.close_all()
            self._release_lock()
            raise

    @property
    def db(self) -> "Database":
        """This thread's database handle (opened on the thread's first use)."""
        return self._conns.db()

    def open_connections(self) -> int:
        """How many threads hold an open connection (for tests)."""
        return self._conns.open_count()

    # -- schema (collector.storage.migrations) ----------------------------------------------
    @property
    def schema_version(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; everything inside commits together or not at all."""
        conn = self.db.conn
        if conn.in_transaction:  # nested: the outer transaction decides
            yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err):
                raise
            # Another thread or program held the write lock past the busy timeout.
            raise StoreError(f"数据库 {self.path.name} 正被另一项操作写入，请等它完成后再试") \
                from None
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def close(self) -> None:
        self._conns.close_all()
        self._release_lock()

    def _release_lock(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- candidates -----------------------------------------------------------------------
    def save(self, record: dict, *, candidate_id: str | None = None, actor: str | None = None,
             status: str | None = None, source: dict | None = None,
             action: str = "edit") -> str:
        """Normalize and save one record in one transaction; returns its id."""
        from ..record.model import normalize  # with the year's rules: not needed to open or read

        data = normalize(record)
        with self.transaction():
            return self._save(data, candidate_id, actor or default_actor(), status, source, action)

    def save_many(self, records: Iterable[tuple[dict, str | None]], *, actor: str | None = None,
                  status: str | None = None, source: dict | None = None,
                  action: str = "import") -> list[str]:
        """Save (record, id-or-None) pairs all in one transaction: all or nothing."""
        from ..record.model import normalize

        prepared = [(normalize(r), cid) for r, cid in records]
        ids = []
        with self.transaction():
            for data, cid in prepared:
                ids.append(self._save(data, cid, actor or default_actor(), status, source, action))
        return ids

    def _save(self, data: dict, candidate_id: str | None, actor: str, status: str | None,
              source: dict | None, action: str) -> str:
        stamp = now_text()
        old = self._row(candidate_id) if candidate_id else None
        if old is None:
            candidate_id = candidate_id or uuid.uuid4().hex
            self.db.execute(
                "INSERT INTO candidates(id, data, created_at, updated_at, name, id_number, "
                "employer, status, source) VALUES (?,?,?,?,?,?,?,?,?)",
                [candidate_id, _dump(data), stamp, stamp, data["name"], data["id_number"],
                 data["employer"], status or DRAFT, _dump(source) if source else None],
            )
            self._audit(candidate_id, stamp, actor, "create" if action == "edit" else action,
                        None, None, None)
            return candidate_id
        old_data = json.loads(old["data"])
        try:  # a key the form gained since (e.g. a project's planned_end) is not an edit
            from ..record.model import normalize  # already loaded by save()/save_many()

            old_data = normalize(old_data)
        except InputError:
            pass
        # A field added to fields.py after the record was saved is "empty", not a change.
        changed = [k for k in data if old_data.get(k, _empty_of(k)) != data.get(k)]
        self.db.execute(
            "UPDATE candidates SET data=?, updated_at=?, name=?, id_number=?, employer=?, "
            "status=COALESCE(?, status), source=COALESCE(?, source) WHERE id=?",
            [_dump(data), stamp, data["name"], data["id_number"], data["employer"], status,
             _dump(source) if source else None, candidate_id],
        )
        for key in changed:
            self._audit(candidate_id, stamp, actor, action, key,
                        old_data.get(key), data.get(key))
        if changed and status is None and old["status"] == PACKED:
            # The .rpu sent no longer matches: the record is a draft again (issue 24).
            self.db.execute("UPDATE candidates SET status=? WHERE id=?", [DRAFT, candidate_id])
            self._audit(candidate_id, stamp, actor, "报送后修改", "status", PACKED, DRAFT)
        return candidate_id

    def _audit(self, cid: str, at: str, actor: str, action: str, fieldname: str | None,
               old: Any, new: Any) -> None:
        self.db.execute(
            "INSERT INTO audit(candidate_id, at, actor, action, field, old, new) "
            "VALUES (?,?,?,?,?,?,?)",
            [cid, at, actor, action, fieldname,
             None if old is None else _dump(old), None if new is None else _dump(new)],
        )

    def add_audit_entries(self, candidate_id: str, entries: Iterable[dict]) -> None:
        """Carry an imported record's earlier audit trail over (inside the caller's transaction)."""
        for e in entries:
            if not isinstance(e, dict):
                raise InputError("审计记录应为对象列表", field="audit")
            self._audit(candidate_id, str(e.get("at", "")), str(e.get("actor", "")),
                        str(e.get("action", "")), e.get("field"), e.get("old"), e.get("new"))

    def set_status(self, candidate_id: str, status: str, *, actor: str | None = None) -> None:
        with self.transaction():
            row = self._require(candidate_id)
            self.db.execute("UPDATE candidates SET status=?, updated_at=? WHERE id=?",
                            [status, now_text(), candidate_id])
            self._audit(candidate_id, now_text(), actor or default_actor(), "status", "status",
                        row["status"], status)

    def delete(self, candidate_id: str) -> None:
        with self.transaction():
            self._require(candidate_id)
            self.db.execute("DELETE FROM candidates WHERE id=?", [candidate_id])

    def _row(self, candidate_id: str) -> dict | None:
        cur = self.db.execute("SELECT * FROM candidates WHERE id=?", [candidate_id])
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row))

    def exists(self, candidate_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM candidates WHERE id=?", [candidate_id]).fetchone() \
            is not None

    def _require(self, candidate_id: str) -> dict:
        row = self._row(candidate_id)
        if row is None:
            raise NotFoundError(f"没有编号为 {candidate_id} 的候选人")
        return row

    def get(self, candidate_id: str, *, with_audit: bool = False) -> StoredCandidate:
        row = self._require(candidate_id)
        return self._stored(row, with_audit)

    def _stored(self, row: dict, with_audit: bool) -> StoredCandidate:
        return StoredCandidate(
            id=row["id"], data=json.loads(row["data"]), status=row["status"] or DRAFT,
            created_at=row["created_at"], updated_at=row["updated_at"],
            source=json.loads(row["source"]) if row["source"] else None,
            audit=self.audit(row["id"]) if with_audit else [],
        )

    def find(self, key: str) -> StoredCandidate:
        """By 编号 (id or a unique prefix of 4+ characters), 人选代码 or 身份证号
        (``collector.record.candidates.resolve``: the same keys on every command)."""
        from ..record.candidates import Ref, clean_key, resolve

        key = clean_key(key)
        cur = self.db.execute(
            "SELECT id, id_number, json_extract(data, '$.candidate_code'), name FROM candidates "
            "WHERE id=? OR id_number=? OR json_extract(data, '$.candidate_code')=? "
            "OR (length(?)>=4 AND id LIKE ?||'%')",
            [key, key.upper(), key, key, key.lower().replace("%", "").replace("_", "")])
        refs = [Ref(i, n or "", c or "", nm or "") for i, n, c, nm in cur.fetchall()]
        return self._stored(self._require(resolve(key, refs).id), False)

    def all(self, *, with_audit: bool = False) -> Iterator[StoredCandidate]:
        cur = self.db.execute("SELECT * FROM candidates ORDER BY created_at, rowid")
        cols = [d[0] for d in cur.description]
        for values in cur.fetchall():
            yield self._stored(dict(zip(cols, values)), with_audit)

    def rows(self) -> list[dict]:
        """Light rows for lists: id, name, id_number, employer, status, updated_at."""
        cur = self.db.execute(
            "SELECT id, name, id_number, employer, status, updated_at FROM candidates "
            "ORDER BY created_at, rowid")
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM candidates").fetchone()[0]

    def id_for_number(self, id_number: str) -> str | None:
        row = self.db.execute("SELECT id FROM candidates WHERE id_number=? LIMIT 1",
                              [fold_identity(id_number).strip().upper()]).fetchone()
        return row[0] if row else None

    def audit(self, candidate_id: str) -> list[dict]:
        cur = self.db.execute(
            "SELECT at, actor, action, field, old, new FROM audit WHERE candidate_id=? "
            "ORDER BY at, id",
            [candidate_id])
        out = []
        for at, actor, action, fieldname, old, new in cur.fetchall():
            out.append({"at": at, "actor": actor, "action": action, "field": fieldname,
                        "old": json.loads(old) if old else None,
                        "new": json.loads(new) if new else None})
        return out

    # -- settings -------------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE key=?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                            [key, _dump(value)])

    # -- attachment files (collector.storage.files) ------------------------------------------------
    @property
    def files_dir(self) -> Path:
        return self._files.dir

    def file_path(self, sha256: str) -> Path:
        return self._files.path(sha256)

    def add_file(self, source: str | os.PathLike | Any) -> tuple[str, int]:
        """Copy a file (path or binary stream) into the store; returns (sha256, size)."""
        return self._files.add(source)

    def attach(self, candidate_id: str, path: str | os.PathLike, *, title: str = "",
               category: str = "其他", classified: bool = False,
               declassified: bool = False, actor: str | None = None) -> dict:
        """Copy a file in and add it to the candidate's 佐证材料 list."""
        return files.attach(self, candidate_id, path, title=title, category=category,
                            classified=classified, declassified=declassified, actor=actor)

    def export_file(self, sha256: str, dest: str | os.PathLike, name: str = "") -> None:
        """Copy an attachment out, wherever it is kept (collector.storage.attachments)."""
        from .attachments import export_attachment

        export_attachment(self, sha256, dest, name)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"))


def strip_meta(record: dict) -> dict:
    from ..record.model import META_KEYS

    return {k: v for k, v in record.items() if k not in META_KEYS}


__all__ = ["Store", "StoredCandidate", "strip_meta", "CURRENT_VERSION", "fl"]


def _empty_of(key: str) -> Any:
    spec = fl.BY_KEY.get(key)
    return fl.EMPTY.get(spec.kind) if spec is not None else None
