"""A hostile backup: a database with a trigger, view, extra table or changed column (re-hashed
so the manifest matches), or members that would fill the disk, is refused before anything
changes."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from collector import backup
from collector.backup import backup_database, restore_database, verify_backup
from collector.errors import InputError, StoreError
from collector.store import Store
from tests.conftest import make_record

from .test_backup import snapshot


@pytest.fixture
def good(tmp_path) -> Path:
    db = tmp_path / "source.db"
    with Store(db) as store:
        for i in range(2):
            store.save(make_record(i))
    out = tmp_path / "good.zip"
    backup_database(db, out)
    return out


def tamper_database(src: Path, dest: Path, sql: str) -> None:
    """What an attacker does: change the database, then fix the manifest's digest."""
    work = dest.with_suffix(".db")
    with zipfile.ZipFile(src) as zin:
        work.write_bytes(zin.read("collector.db"))
        conn = sqlite3.connect(work)
        conn.executescript(sql)
        conn.close()
        data = work.read_bytes()
        manifest = json.loads(zin.read("manifest.json"))
        manifest["db_sha256"] = hashlib.sha256(data).hexdigest()
        with zipfile.ZipFile(dest, "w") as zout:
            for info in zin.infolist():
                if info.filename == "collector.db":
                    zout.writestr(info, data)
                elif info.filename == "manifest.json":
                    zout.writestr(info, json.dumps(manifest))
                else:
                    zout.writestr(info, zin.read(info))


@pytest.fixture
def target(tmp_path) -> Path:
    path = tmp_path / "target.db"
    with Store(path) as store:
        store.save(make_record(7))
    return path


@pytest.mark.parametrize("sql, named", [
    ("CREATE TRIGGER steal AFTER INSERT ON candidates BEGIN "
     "UPDATE candidates SET employer='x' WHERE id=new.id; END;", "多出的触发器 steal"),
    ("CREATE VIEW v AS SELECT * FROM candidates;", "多出的视图 v"),
    ("CREATE TABLE extra(x);", "多出的表 extra"),
    ("ALTER TABLE settings ADD COLUMN evil TEXT;", "表 settings 的结构不同"),
    ("DROP INDEX office_inbox_sha256;", "缺少索引 office_inbox_sha256"),
])
def test_a_database_with_a_foreign_schema_is_refused(cli, good, target, tmp_path, sql, named):
    bad = tmp_path / "bad.zip"
    tamper_database(good, bad, sql)
    before = snapshot(target)
    with pytest.raises(InputError, match="结构与本程序的不符"):
        verify_backup(bad)
    r = cli("restore", bad, "--force", db=target)
    assert r.code == 1 and named in r.err and "Traceback" not in r.err, r.err
    assert snapshot(target) == before
    assert not list(tmp_path.glob(".*.restore-*"))


def test_a_backup_larger_than_the_cap_is_refused_before_unpacking(good, target, tmp_path,
                                                                   monkeypatch):
    bomb = tmp_path / "bomb.zip"
    shutil.copyfile(good, bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("files/ab/" + "ab" + "0" * 62, b"\0" * (40 << 20))  # 40 MB -> 40 KB
    monkeypatch.setattr(backup, "MAX_UNPACKED_BYTES", 32 << 20)
    written: list[int] = []
    real_extract = backup._extract
    monkeypatch.setattr(backup, "_extract", lambda *a: written.append(1) or real_extract(*a))
    with pytest.raises(InputError, match="超过上限"):
        restore_database(bomb, target, force=True)
    assert written == []  # refused from the declared sizes, nothing unpacked
    assert len(snapshot(target)) == 1


def test_a_backup_that_would_fill_the_disk_is_refused(good, target, tmp_path, monkeypatch):
    real = shutil.disk_usage

    def almost_full(path):
        usage = real(path)
        return usage._replace(free=10 << 20)

    monkeypatch.setattr(backup.shutil, "disk_usage", almost_full)
    with pytest.raises(StoreError, match="磁盘空间不足"):
        restore_database(good, target, force=True)
    assert len(snapshot(target)) == 1
    assert not list(tmp_path.glob(".*.restore-*"))


def test_too_many_members_are_refused(good, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "MAX_MEMBERS", 1)
    with pytest.raises(InputError, match="超过上限"):
        verify_backup(good)
