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

from collector.storage import backup
from collector.storage.backup import backup_database, restore_database, verify_backup
from collector.common.errors import InputError, StoreError
from collector.storage.store import Store
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
    r = cli("restore", bad, "--force", "--unverified", db=target)
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
        restore_database(bomb, target, force=True, unverified=True)
    assert written == []  # refused from the declared sizes, nothing unpacked
    assert len(snapshot(target)) == 1


def test_a_backup_that_would_fill_the_disk_is_refused(good, target, tmp_path, monkeypatch):
    real = shutil.disk_usage

    def almost_full(path):
        usage = real(path)
        return usage._replace(free=10 << 20)

    monkeypatch.setattr(backup.shutil, "disk_usage", almost_full)
    with pytest.raises(StoreError, match="磁盘空间不足"):
        restore_database(good, target, force=True, unverified=True)
    assert len(snapshot(target)) == 1
    assert not list(tmp_path.glob(".*.restore-*"))


def test_too_many_members_are_refused(good, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "MAX_MEMBERS", 1)
    with pytest.raises(InputError, match="超过上限"):
        verify_backup(good)


# -- each check of a backup, one damage at a time ---------------------------------------------
def rezip(src: Path, dest: Path, change) -> None:
    """Copy ``src`` member by member; ``change(name, data)`` returns new bytes, None to drop the
    member, or a list of (name, bytes) to write instead."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            out = change(info.filename, zin.read(info))
            if out is None:
                continue
            for name, data in out if isinstance(out, list) else [(info.filename, out)]:
                zout.writestr(name, data)


def manifest_edit(**changes):
    def change(name, data):
        if name != "manifest.json":
            return data
        return json.dumps(dict(json.loads(data), **changes)).encode()
    return change


def with_database(src: Path, dest: Path, edit) -> None:
    """What an attacker does: edit the database file (``edit(path)``), then fix the digest."""
    work = dest.with_suffix(".db")
    with zipfile.ZipFile(src) as zin:
        work.write_bytes(zin.read("collector.db"))
    edit(work)
    data = work.read_bytes()
    rezip(src, dest, lambda name, old: data if name == "collector.db" else old)
    rezip(dest, dest.with_suffix(".tmp.zip"),
          manifest_edit(db_sha256=hashlib.sha256(data).hexdigest()))
    dest.with_suffix(".tmp.zip").replace(dest)


def sql(script: str):
    def edit(path: Path) -> None:
        conn = sqlite3.connect(path)
        conn.executescript(script)
        conn.close()
    return edit


def index_out_of_step(path: Path) -> None:
    """Rows in an index that says it is ordered one way and holds them the other way: the
    schema reads exactly as ours, only PRAGMA integrity_check sees it."""
    conn = sqlite3.connect(path)
    original = conn.execute("SELECT sql FROM sqlite_master WHERE name='office_inbox_sha256'"
                            ).fetchone()[0]
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("UPDATE sqlite_master SET sql=? WHERE name='office_inbox_sha256'",
                 [original.replace("(sha256)", "(sha256 DESC)")])
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO office_inbox(sha256, file_name, origin, size, received_at, "
                     "status) VALUES (?, 'a.rpu', 'a.rpu', 1, '2017', 'imported')",
                     [(c * 64,) for c in "0123456789abcdef"])
    conn.commit()
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("UPDATE sqlite_master SET sql=? WHERE name='office_inbox_sha256'", [original])
    conn.commit()
    conn.close()


def _attachment(good: Path, tmp_path: Path) -> tuple[Path, str]:
    """A backup of a database with one attachment, and the attachment's member name."""
    db = tmp_path / "with-file.db"
    scan = tmp_path / "证书.pdf"
    scan.write_bytes(b"%PDF-1.4 certificate")
    with Store(db) as store:
        store.attach(store.save(make_record(3)), scan, title="证书")
    out = tmp_path / "with-file.zip"
    backup_database(db, out)
    [member] = [n for n in zipfile.ZipFile(out).namelist() if n.startswith("files/")]
    return out, member


CURRENT = backup.CURRENT_VERSION


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("damage, message", [
    ("duplicate_db", "含重复的条目，可能已被篡改"),
    ("no_db", "中没有数据库"),
    ("no_manifest", "不是人才信息采集的备份（缺少 manifest.json）"),
    ("manifest_not_json", "的清单 manifest.json 已损坏"),
    ("manifest_not_utf8", "的清单 manifest.json 已损坏"),
    ("manifest_a_list", "不是人才信息采集的备份"),
    ("other_format", "不是人才信息采集的备份"),
    ("version_3", "的格式版本 3 过新，请升级程序后再恢复"),
    ("version_text", "的格式版本 1 过新"),
    ("schema_mismatch", "的清单与数据库版本不符"),
    ("db_digest", "中的数据库与清单不符（摘要不同），文件已损坏"),
    ("not_a_database", "中的数据库 不是人才信息采集的数据库（file is not a database）"),
    ("no_schema_version", "中的数据库 缺少数据库版本信息"),
    ("schema_version_text", "中的数据库 缺少数据库版本信息"),
    ("newer_schema", f"中的数据库 的版本为 {CURRENT + 1}，本程序只支持到 {CURRENT}，请升级程序"),
    ("integrity", "中的数据库 未通过完整性检查：row 1 missing from index office_inbox_sha256"),
    ("more_files_than_listed", "缺少附件：清单记有 0 个，实有 1 个"),
    ("unlisted_member", "含不属于备份的条目“notes.txt”"),
])
def test_each_check_of_a_backup_refuses_it_by_name(good, target, tmp_path, damage, message):
    bad = tmp_path / "bad.zip"
    if damage == "duplicate_db":  # the same bytes twice: only the duplicate check sees it
        rezip(good, bad, lambda n, d: [(n, d), (n, d)] if n == "collector.db" else d)
    elif damage == "no_db":
        rezip(good, bad, lambda n, d: None if n == "collector.db" else d)
    elif damage == "no_manifest":
        rezip(good, bad, lambda n, d: None if n == "manifest.json" else d)
    elif damage == "manifest_not_json":
        rezip(good, bad, lambda n, d: b"{not json" if n == "manifest.json" else d)
    elif damage == "manifest_not_utf8":
        rezip(good, bad, lambda n, d: b'{"format": "\xff"}' if n == "manifest.json" else d)
    elif damage == "manifest_a_list":
        rezip(good, bad, lambda n, d: b'["talent-collector-backup"]' if n == "manifest.json"
              else d)
    elif damage == "other_format":
        rezip(good, bad, manifest_edit(format="another-backup"))
    elif damage == "version_3":
        rezip(good, bad, manifest_edit(version=3))
    elif damage == "version_text":
        rezip(good, bad, manifest_edit(version="1"))
    elif damage == "schema_mismatch":
        rezip(good, bad, manifest_edit(schema_version=CURRENT - 1))
    elif damage == "db_digest":
        rezip(good, bad, manifest_edit(db_sha256="0" * 64))
    elif damage == "not_a_database":
        with_database(good, bad, lambda p: p.write_bytes(b"not sqlite " * 500))
    elif damage == "no_schema_version":
        with_database(good, bad, sql("DELETE FROM meta WHERE key='schema_version'"))
    elif damage == "schema_version_text":
        with_database(good, bad, sql("UPDATE meta SET value='v9' WHERE key='schema_version'"))
    elif damage == "newer_schema":
        with_database(good, bad, sql(f"UPDATE meta SET value='{CURRENT + 1}' "
                                     "WHERE key='schema_version'"))
    elif damage == "integrity":
        with_database(good, bad, index_out_of_step)
    elif damage == "more_files_than_listed":
        content = b"%PDF-1.4 smuggled"
        sha = hashlib.sha256(content).hexdigest()
        rezip(good, bad, lambda n, d: [(n, d), (f"files/{sha[:2]}/{sha}", content)]
              if n == "collector.db" else d)
    elif damage == "unlisted_member":
        rezip(good, bad, lambda n, d: [(n, d), ("notes.txt", b"x")] if n == "collector.db"
              else d)
    before = snapshot(target)
    with pytest.raises(InputError) as err:
        verify_backup(bad)
    assert str(err.value).startswith("备份文件 bad.zip")
    assert message in str(err.value)
    with pytest.raises(InputError):
        restore_database(bad, target, force=True, unverified=True)
    assert snapshot(target) == before
    assert not list(tmp_path.glob(".*.restore-*"))


def test_the_last_format_and_schema_versions_are_accepted(good):
    manifest = verify_backup(good)
    assert (manifest["version"], manifest["schema_version"]) == (2, CURRENT)
    assert manifest["format"] == "talent-collector-backup" and manifest["candidates"] == 2


@pytest.mark.parametrize("member, message", [
    ("altered", "中的附件 {short}… 已损坏"),
    ("wrong_folder", "含不属于备份的条目“files/zz/{sha}”"),
])
def test_an_attachment_that_is_not_what_its_name_says_is_refused(good, tmp_path, member,
                                                                 message):
    backup_zip, name = _attachment(good, tmp_path)
    sha = name.rsplit("/", 1)[1]
    bad = tmp_path / "bad.zip"
    if member == "altered":
        rezip(backup_zip, bad, lambda n, d: d + b"!" if n == name else d)
    else:
        rezip(backup_zip, bad, lambda n, d: [(f"files/zz/{sha}", d)] if n == name else d)
    with pytest.raises(InputError) as err:
        verify_backup(bad)
    assert message.format(short=sha[:12], sha=sha) in str(err.value)
    restored = tmp_path / "restored.db"
    restore_database(backup_zip, restored, unverified=True)  # the untouched one restores it
    with Store(restored) as store:
        assert store.file_path(sha).read_bytes() == b"%PDF-1.4 certificate"


def test_backing_up_a_missing_database_or_onto_itself_is_refused(tmp_path):
    from collector.common.errors import NotFoundError

    missing = tmp_path / "none.db"
    with pytest.raises(NotFoundError, match="none.db 不存在，没有可备份的数据"):
        backup_database(missing, tmp_path / "b.zip")
    assert not (tmp_path / "b.zip").exists()
    db = tmp_path / "real.db"
    with Store(db) as store:
        store.save(make_record(1))
    with pytest.raises(InputError, match="备份文件不能与数据库同名"):
        backup_database(db, tmp_path / "." / "real.db")
    assert len(snapshot(db)) == 1


def test_the_caps_and_the_free_space_hold_at_their_exact_bounds(good, tmp_path, monkeypatch):
    """A backup exactly at each cap is taken; one member or byte more is refused."""
    infos = zipfile.ZipFile(good).infolist()
    members, total = len(infos), sum(i.file_size for i in infos)
    monkeypatch.setattr(backup, "MAX_MEMBERS", members)
    monkeypatch.setattr(backup, "MAX_UNPACKED_BYTES", total)
    real = shutil.disk_usage
    free = {"bytes": total + backup.FREE_MARGIN}
    monkeypatch.setattr(backup.shutil, "disk_usage",
                        lambda path: real(path)._replace(free=free["bytes"]))
    assert verify_backup(good)["candidates"] == 2

    monkeypatch.setattr(backup, "MAX_MEMBERS", members - 1)
    with pytest.raises(InputError) as err:
        verify_backup(good)
    assert f"含 {members} 个条目，超过上限 {members - 1}，不是正常的备份" in str(err.value)
    monkeypatch.setattr(backup, "MAX_MEMBERS", members)

    monkeypatch.setattr(backup, "MAX_UNPACKED_BYTES", total - 1)
    with pytest.raises(InputError) as err:
        verify_backup(good)
    assert "解压后共 0.0 GB，超过上限 0 GB，不是正常的备份" in str(err.value)
    monkeypatch.setattr(backup, "MAX_UNPACKED_BYTES", 64 << 30)

    free["bytes"] = total + backup.FREE_MARGIN - 1
    with pytest.raises(StoreError) as err:
        verify_backup(good)
    need = (total + backup.FREE_MARGIN) / 2**20
    assert (f"磁盘空间不足：恢复 备份文件 good.zip 需要约 {need:.0f} MB，" in str(err.value)
            and f"只有 {free['bytes'] / 2**20:.0f} MB 可用；请清理磁盘后重试" in str(err.value))


def test_the_caps_are_those_of_a_real_installation():
    """64 GB and half a million files: far above any year's data, far below a zip bomb."""
    assert (backup.MAX_UNPACKED_BYTES, backup.MAX_MEMBERS, backup.FREE_MARGIN) == \
        (64 << 30, 500_000, 64 << 20)


def _first_version_backup(tmp_path: Path, data: str) -> Path:
    """A backup as the first release wrote it: schema version 1, one candidate row."""
    import sqlite_utils

    from collector.storage.migrations import MIGRATIONS

    db = tmp_path / "v1.db"
    old = sqlite_utils.Database(db)
    MIGRATIONS[0](old)
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    old.execute("INSERT INTO candidates VALUES ('c1', ?, '2017-03-01', '2017-03-01')", [data])
    old.conn.commit()
    old.conn.close()
    raw = db.read_bytes()
    manifest = {"format": "talent-collector-backup", "version": 1, "schema_version": 1,
                "candidates": 1, "db_sha256": hashlib.sha256(raw).hexdigest(), "files": 0,
                "file_bytes": 0}
    out = tmp_path / "v1.zip"
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("collector.db", raw)
        zf.writestr("manifest.json", json.dumps(manifest))
    return out


def test_a_first_version_backup_is_upgraded_as_it_is_restored(tmp_path):
    record = make_record(4)
    out = _first_version_backup(tmp_path, json.dumps(record, ensure_ascii=False))
    target = tmp_path / "restored.db"
    assert restore_database(out, target, unverified=True).manifest["schema_version"] == 1
    with Store(target, create=False) as store:
        assert store.schema_version == backup.CURRENT_VERSION
        [cand] = list(store.all())
        assert (cand.name, cand.data["id_number"]) == (record["name"], record["id_number"])


@pytest.mark.parametrize("row, error", [("not json", "JSONDecodeError"),
                                        ("[1, 2]", "AttributeError"), ("null", "AttributeError")])
def test_a_first_version_backup_with_a_row_that_is_no_record_is_refused(cli, target, tmp_path,
                                                                        row, error):
    """Its digest re-made, the backup passes every check but the upgrade: refused in one line
    (not an internal error), the target untouched."""
    out = _first_version_backup(tmp_path, row)
    before = snapshot(target)
    r = cli("restore", out, "--force", "--unverified", db=target)
    assert r.code == 1 and r.err.count("\n") == 1 and "程序内部错误" not in r.err, r.err
    assert r.err.endswith(f"备份中的数据库无法升级到本程序的版本（{error}），文件可能已被篡改，不能使用\n")
    assert snapshot(target) == before
    assert not list(tmp_path.glob(".*.restore-*"))


def test_a_schema_with_many_differences_names_the_first_five(good, tmp_path):
    bad = tmp_path / "bad.zip"
    with_database(good, bad, sql("".join(f"CREATE TABLE t{n}(x);" for n in range(7))))
    with pytest.raises(InputError) as err:
        verify_backup(bad)
    shown = str(err.value).split("（", 1)[1].split("）", 1)[0].split("、")
    assert len(shown) == 5 and all(s.startswith("多出的表 t") for s in shown)


def test_a_long_foreign_member_name_is_cut_in_the_message(good, tmp_path):
    bad = tmp_path / "bad.zip"
    name = "x" * 79 + "yz" + "w" * 20
    rezip(good, bad, lambda n, d: [(n, d), (name, b"1")] if n == "collector.db" else d)
    with pytest.raises(InputError) as err:
        verify_backup(bad)
    assert f"含不属于备份的条目“{'x' * 79}y”" in str(err.value)


def test_the_declared_size_of_a_member_is_what_the_cap_counts(good, tmp_path, monkeypatch):
    """A member whose directory entry claims 3.75 GB (a zip bomb's trick) is refused from that
    claim, before anything is unpacked, in GB."""
    import struct

    bomb = tmp_path / "bomb.zip"
    shutil.copyfile(good, bomb)
    with zipfile.ZipFile(bomb, "a") as zf:
        zf.writestr("files/ab/" + "ab" * 32, b"small")
    data = bytearray(bomb.read_bytes())
    at = data.rfind(b"PK\x01\x02")  # the last central directory entry: the new member
    data[at + 24:at + 28] = struct.pack("<I", 0xF0000000)
    bomb.write_bytes(bytes(data))
    monkeypatch.setattr(backup, "MAX_UNPACKED_BYTES", 2 << 30)
    with pytest.raises(InputError) as err:
        verify_backup(bomb)
    assert "解压后共 3.8 GB，超过上限 2 GB，不是正常的备份" in str(err.value)


def test_the_refusals_of_a_backup_read_in_full(good, tmp_path):
    from collector.common.errors import NotFoundError

    bad = tmp_path / "bad.zip"
    with_database(good, bad, sql("CREATE TABLE extra(x);"))
    with pytest.raises(InputError) as err:
        verify_backup(bad)
    assert str(err.value) == ("备份文件 bad.zip 中的数据库 的结构与本程序的不符（多出的表 extra），"
                              "可能已被篡改，不能使用")
    with pytest.raises(NotFoundError) as err:
        verify_backup(tmp_path / "none.zip")
    assert str(err.value) == "备份文件 none.zip 不存在"
    db = tmp_path / "real.db"
    with Store(db) as store:
        store.save(make_record(1))
    with pytest.raises(InputError) as err:
        backup_database(db, db)
    assert str(err.value) == "备份文件不能与数据库同名，请换一个文件名"
    (tmp_path / "not-a-folder").write_bytes(b"x")
    out = tmp_path / "not-a-folder" / "b.zip"
    with pytest.raises(StoreError) as err:
        backup_database(db, out)
    assert str(err.value).startswith(f"无法写入备份文件 {out}：") and "Errno" not in str(err.value)
