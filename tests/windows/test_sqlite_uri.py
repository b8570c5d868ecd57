"""Folders named like real Windows ones (``#``, ``%``, spaces, Chinese) in SQLite ``file:`` URIs."""

from __future__ import annotations

import sqlite3

from collector.storage.backup import backup_database, restore_database, verify_backup
from collector.common.paths import sqlite_uri
from collector.storage.store import Store
from tests.conftest import make_record

ODD = "张 三的文档 #2 %41 100%"


def test_the_uri_opens_exactly_that_file(tmp_path):
    db = tmp_path / ODD / "collector.db"
    db.parent.mkdir()
    sqlite3.connect(db).execute("CREATE TABLE t(x)").connection.close()
    uri = sqlite_uri(db)
    assert "#" not in uri.split("?")[0] and uri.endswith("?mode=ro")
    conn = sqlite3.connect(uri, uri=True)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
    conn.close()
    assert not (tmp_path / "张 三的文档 ").exists()  # nothing created at a cut-off name


def test_backup_verify_and_restore_in_a_folder_with_hash_and_percent(tmp_path):
    folder = tmp_path / ODD
    db = folder / "collector.db"
    with Store(db) as store:
        store.save(make_record(0))
    backup = folder / "备份 #1.zip"
    backup_database(db, backup)
    assert verify_backup(backup)["candidates"] == 1
    target = folder / "恢复 #%" / "collector.db"
    with Store(target):
        pass  # an empty, freshly initialised database: restore needs no --force
    restore_database(backup, target, unverified=True)
    with Store(target, create=False) as store:
        assert store.count() == 1
