"""Schema versions of the SQLite store and the steps between them.

Each step takes the database from version N-1 to N inside the caller's transaction. Never edit
a released step; add a new one.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Callable

from ..common.errors import StoreError

if TYPE_CHECKING:  # loaded by Store only when it migrates (collector/storage/database.py)
    import sqlite_utils

    from .store import Store


def _to_v1(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["candidates"].create(
        {"id": str, "data": str, "created_at": str, "updated_at": str}, pk="id"
    )


def _to_v2(db: sqlite_utils.Database) -> None:
    """Searchable columns, provenance, the audit trail and settings."""
    cand = db["candidates"]
    for column in ("name", "id_number", "employer", "status", "source"):
        cand.add_column(column, str)
    for row in db.execute("SELECT id, data FROM candidates").fetchall():
        data = json.loads(row[1])
        db.execute(
            "UPDATE candidates SET name=?, id_number=?, employer=?, status='draft' WHERE id=?",
            [data.get("name", ""), data.get("id_number", ""), data.get("employer", ""), row[0]],
        )
    cand.create_index(["id_number"])
    cand.create_index(["name"])
    db.execute(
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            candidate_id TEXT NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
            at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            field TEXT, old TEXT, new TEXT)"""
    )
    db["audit"].create_index(["candidate_id"])
    db["settings"].create({"key": str, "value": str}, pk="key")


def _review_tables(db: sqlite_utils.Database) -> None:
    """专家评审 (region): rounds with their candidate list snapshot, experts and scores."""
    db.execute(
        """CREATE TABLE review_rounds (
            id TEXT PRIMARY KEY, year INTEGER NOT NULL, title TEXT NOT NULL,
            created_at TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open',
            secret TEXT NOT NULL, rules TEXT NOT NULL, closed_at TEXT)"""
    )
    db.execute(
        """CREATE TABLE review_candidates (
            round_id TEXT NOT NULL REFERENCES review_rounds(id) ON DELETE CASCADE,
            candidate_id TEXT NOT NULL, position INTEGER NOT NULL, snapshot TEXT NOT NULL,
            PRIMARY KEY (round_id, candidate_id))"""
    )
    db.execute(
        """CREATE TABLE review_experts (
            round_id TEXT NOT NULL REFERENCES review_rounds(id) ON DELETE CASCADE,
            name TEXT NOT NULL, added_at TEXT NOT NULL, submitted_at TEXT, source TEXT,
            PRIMARY KEY (round_id, name))"""
    )
    db.execute(
        """CREATE TABLE review_scores (
            round_id TEXT NOT NULL, expert TEXT NOT NULL, candidate_id TEXT NOT NULL,
            criterion TEXT NOT NULL, score TEXT NOT NULL,
            PRIMARY KEY (round_id, expert, candidate_id, criterion),
            FOREIGN KEY (round_id, expert) REFERENCES review_experts(round_id, name)
                ON DELETE CASCADE)"""
    )


def _office_tables(db: sqlite_utils.Database) -> None:
    """Offices: the inbox of received .rpu packages and the 推荐/不推荐 decisions with opinions."""
    db.execute(
        """CREATE TABLE office_inbox (
            id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, file_name TEXT NOT NULL,
            origin TEXT NOT NULL, size INTEGER NOT NULL, received_at TEXT NOT NULL,
            signer TEXT, sender_role TEXT, sender_unit TEXT, status TEXT NOT NULL,
            reason TEXT, candidates TEXT NOT NULL DEFAULT '[]', info TEXT)"""
    )
    db.execute("CREATE INDEX office_inbox_sha256 ON office_inbox(sha256)")
    db.execute(
        """CREATE TABLE office_decisions (
            candidate_id TEXT PRIMARY KEY REFERENCES candidates(id) ON DELETE CASCADE,
            decision TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
            opinion TEXT NOT NULL DEFAULT '', at TEXT NOT NULL, actor TEXT NOT NULL)"""
    )


def _review_tiebreaks(db: sqlite_utils.Database) -> None:
    """专家组商议定序: the panel's order for a tie across a quota line, one per round and scope
    (全区 or one channel), with the tie it was made for (members, seats) so it can go stale."""
    db.execute(
        """CREATE TABLE review_tiebreaks (
            round_id TEXT NOT NULL REFERENCES review_rounds(id) ON DELETE CASCADE,
            scope TEXT NOT NULL, members TEXT NOT NULL, seats INTEGER NOT NULL,
            rank INTEGER NOT NULL, mean TEXT NOT NULL, ordering TEXT NOT NULL,
            reason TEXT NOT NULL, actor TEXT NOT NULL, at TEXT NOT NULL,
            PRIMARY KEY (round_id, scope))"""
    )


def _duplicate_resolutions(db: sqlite_utils.Database) -> None:
    """重复报送的处理: per received package and ID number, 保留原记录 (keep) or 以此份替换
    (replace), with the reason, both sources as they were, who and when."""
    db.execute(
        """CREATE TABLE office_duplicate_resolutions (
            entry_id INTEGER NOT NULL REFERENCES office_inbox(id) ON DELETE CASCADE,
            id_number TEXT NOT NULL, action TEXT NOT NULL, reason TEXT NOT NULL,
            first_source TEXT NOT NULL, second_source TEXT NOT NULL, candidate_id TEXT,
            actor TEXT NOT NULL, at TEXT NOT NULL,
            PRIMARY KEY (entry_id, id_number))"""
    )


def _paper_checks(db: sqlite_utils.Database) -> None:
    """纸质材料核对: per candidate, the last scanned registration form compared with the record
    and its applicant key (matched / mismatch), what was scanned, who and when."""
    db.execute(
        """CREATE TABLE paper_checks (
            candidate_id TEXT PRIMARY KEY REFERENCES candidates(id) ON DELETE CASCADE,
            status TEXT NOT NULL, scanned TEXT NOT NULL, message TEXT NOT NULL,
            actor TEXT NOT NULL, at TEXT NOT NULL)"""
    )


# Set while a store made before ``package_parts`` still keeps received attachments twice; the
# first inbox import with the identity unlocked converts it (collector.exchange.convert_store).
CONVERT_PENDING = "package_parts_pending"


def _package_parts(db: sqlite_utils.Database) -> None:
    """A received package is stored once: its attachments are read from the kept package.
    Per attachment SHA-256, the package that holds it and what opens that part without the
    passphrase (its payload key, the payload's place in the file, the part's offset and
    manifest line)."""
    db.execute(
        """CREATE TABLE package_parts (
            sha256 TEXT PRIMARY KEY, package_sha256 TEXT NOT NULL, name TEXT NOT NULL,
            payload_key TEXT NOT NULL, payload_start INTEGER NOT NULL,
            payload_len INTEGER NOT NULL, offset INTEGER NOT NULL, stored INTEGER NOT NULL,
            compression TEXT, size INTEGER NOT NULL)"""
    )
    db.execute("CREATE INDEX package_parts_package ON package_parts(package_sha256)")
    received = db.execute("SELECT 1 FROM office_inbox WHERE status='imported' LIMIT 1").fetchone()
    if received:  # kept packages with their attachments extracted beside them
        db.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, 'true')",
                   [CONVERT_PENDING])


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_to_v1, _to_v2, _review_tables,
                                                               _office_tables, _review_tiebreaks,
                                                               _duplicate_resolutions,
                                                               _paper_checks, _package_parts]
CURRENT_VERSION = len(MIGRATIONS)


def bring_up_to_date(store: "Store") -> None:
    """Check the database's schema version and take it to ``CURRENT_VERSION`` in one
    transaction; a newer or foreign database is refused. The journal mode is set as the store
    chose it (WAL, or the rollback journal on a network share)."""
    db = store.db
    tables = set(db.table_names())  # reading the header fails here for non-SQLite
    version = _version(store, tables)
    if version > CURRENT_VERSION:
        raise StoreError(
            f"数据库 {store.path} 的版本为 {version}，本程序只支持到 {CURRENT_VERSION}，"
            "请升级程序后再打开"
        )
    if version == CURRENT_VERSION:
        if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != store.journal:
            db.execute(f"PRAGMA journal_mode = {store.journal}")
        return
    db.execute(f"PRAGMA journal_mode = {store.journal}")
    with store.transaction():
        steps_db = store.db.for_migrations()
        for step in range(version, CURRENT_VERSION):
            MIGRATIONS[step](steps_db)
        store.db.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
            [str(CURRENT_VERSION)],
        )


def _version(store: "Store", tables: set[str]) -> int:
    if not tables:
        return 0
    if "meta" not in tables:
        raise StoreError(f"{store.path} 是其他程序的 SQLite 数据库，不是人才信息采集的数据库")
    row = store.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    if row is None or not str(row[0]).isdigit():
        raise StoreError(f"{store.path} 缺少数据库版本信息，文件可能已损坏")
    return int(row[0])
