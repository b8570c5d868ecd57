"""collector backup / restore: a faithful copy, checked before use, never half applied."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from collector.storage.backup import backup_database, restore_database, verify_backup
from collector.common.errors import InputError, StoreError
from collector.storage.interchange import export_records
from collector.storage.store import Store
from tests.conftest import make_record
from tests.windows.simulate import windows_fsync

from .proc import integrity, kill_after, spawn


def fill(db: Path, tmp_path: Path, n: int = 3) -> list[dict]:
    """n candidates, the first with one attachment; returns their export."""
    attachment = tmp_path / "证书.pdf"
    attachment.write_bytes(b"%PDF-1.4 invented certificate " + os.urandom(2000))
    with Store(db) as store:
        ids = [store.save(make_record(i)) for i in range(n)]
        store.attach(ids[0], attachment, title="获奖证书")
        store.set_setting("role", "applicant")
        return export_records(store, None)


def snapshot(db: Path) -> list[dict]:
    with Store(db, create=False) as store:
        return export_records(store, None)


def test_backup_then_restore_into_a_new_place_gives_the_same_data(cli, db_path, tmp_path,
                                                                   monkeypatch):
    before = fill(db_path, tmp_path)
    out = tmp_path / "备份.zip"
    r = cli("backup", "--out", out)
    assert r.code == 0, r.err
    assert "3 名候选人，1 个附件" in r.out
    names = zipfile.ZipFile(out).namelist()
    assert "collector.db" in names and "manifest.json" in names
    assert sum(n.startswith("files/") for n in names) == 1

    target = tmp_path / "elsewhere" / "restored.db"
    synced = windows_fsync(monkeypatch)  # as on Windows: fsync needs a writable handle
    r = cli("restore", out, "--unverified", db=target)
    assert r.code == 0, r.err
    assert synced
    assert snapshot(target) == before
    with Store(target) as store:
        sha = before[0]["attachments"][0]["sha256"]
        assert store.file_path(sha).read_bytes().startswith(b"%PDF-1.4 invented")
        assert store.get_setting("role") == "applicant"
    r = cli("check-db", db=target)
    assert r.code == 0 and "附件齐全" in r.out


def test_restore_refuses_to_overwrite_data_without_force(cli, db_path, tmp_path):
    fill(db_path, tmp_path, n=2)
    out = tmp_path / "b.zip"
    backup_database(db_path, out)
    other = tmp_path / "other.db"
    with Store(other) as store:
        store.save(make_record(9))
    before = snapshot(other)

    r = cli("restore", out, "--unverified", db=other)
    assert r.code == 1
    assert "已有数据" in r.err and "--force" in r.err
    assert snapshot(other) == before

    r = cli("restore", out, "--force", "--unverified", db=other)
    assert r.code == 0, r.err
    assert [c["name"] for c in snapshot(other)] == [make_record(i)["name"] for i in range(2)]


def test_restore_into_a_freshly_initialised_database_needs_no_force(cli, db_path, tmp_path):
    fill(db_path, tmp_path, n=1)
    out = tmp_path / "b.zip"
    backup_database(db_path, out)
    fresh = tmp_path / "fresh.db"
    assert cli("init", db=fresh).code == 0
    assert cli("restore", out, "--unverified", db=fresh).code == 0
    assert len(snapshot(fresh)) == 1


def _rewrite(src: Path, dest: Path, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)


def _flip_db_byte(name, data):
    if name == "collector.db":
        data = bytearray(data)
        data[5000] ^= 0xFF
        return bytes(data)
    return data


def _drop_attachment(name, data):
    return None if name.startswith("files/") else data


@pytest.mark.parametrize("damage, message", [
    ("flip", "与清单不符"),
    ("truncate", "不是有效的备份文件"),
    ("drop_attachment", "缺少附件"),
    ("traversal", "不属于备份的条目"),
    ("foreign_zip", "不是人才信息采集的备份"),
    ("newer_format", "过新"),
])
def test_a_damaged_backup_is_refused_and_changes_nothing(cli, db_path, tmp_path, damage, message):
    fill(db_path, tmp_path, n=2)
    good = tmp_path / "good.zip"
    backup_database(db_path, good)
    bad = tmp_path / "bad.zip"
    if damage == "flip":
        _rewrite(good, bad, _flip_db_byte)
    elif damage == "truncate":
        bad.write_bytes(good.read_bytes()[:-300])
    elif damage == "drop_attachment":
        _rewrite(good, bad, _drop_attachment)
    elif damage == "traversal":
        bad.write_bytes(good.read_bytes())
        with zipfile.ZipFile(bad, "a") as zf:
            zf.writestr("../../evil.txt", "x")
    elif damage == "foreign_zip":
        with zipfile.ZipFile(bad, "w") as zf:
            zf.writestr("readme.txt", "hello")
    elif damage == "newer_format":
        def newer(name, data):
            if name == "manifest.json":
                m = json.loads(data)
                m["version"] = 99
                return json.dumps(m).encode()
            return data
        _rewrite(good, bad, newer)

    target = tmp_path / "target.db"
    with Store(target) as store:
        store.save(make_record(7))
    before = snapshot(target)
    r = cli("restore", bad, "--force", "--unverified", db=target)
    assert r.code == 1
    assert message in r.err and "Traceback" not in r.err
    assert r.err.count("\n") == 1
    assert snapshot(target) == before
    assert not (tmp_path / "evil.txt").exists()
    assert not list(tmp_path.glob(".*.restore-*"))
    with pytest.raises(InputError):
        verify_backup(bad)


def test_restore_is_refused_while_the_gui_has_the_database_open(db_path, tmp_path):
    fill(db_path, tmp_path, n=1)
    out = tmp_path / "b.zip"
    backup_database(db_path, out)
    with Store(db_path, exclusive=True):
        with pytest.raises(StoreError, match="正被另一个程序"):
            restore_database(out, db_path, force=True, unverified=True)


def test_backup_taken_while_another_process_writes_is_consistent(tmp_path):
    db = tmp_path / "busy.db"
    proc = spawn("-m", "tests.safety.children", "saves", str(db))
    try:
        assert proc.stdout.readline().strip() == "ready"
        outs = []
        for i in range(3):
            out = tmp_path / f"live-{i}.zip"
            backup_database(db, out)
            outs.append(out)
    finally:
        kill_after(proc, 0)
    for out in outs:
        manifest = verify_backup(out)
        target = tmp_path / f"{out.stem}.db"
        restore_database(out, target, unverified=True)
        assert integrity(target) == "ok"
        with Store(target) as store:
            assert store.count() == manifest["candidates"]


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL needs POSIX")
def test_restore_over_a_crashed_database_does_not_replay_its_old_wal(tmp_path):
    source = tmp_path / "source.db"
    fill(source, tmp_path, n=2)
    out = tmp_path / "b.zip"
    backup_database(source, out)

    crashed = tmp_path / "crashed.db"
    proc = spawn("-m", "tests.safety.children", "saves", str(crashed))
    lines, _ = kill_after(proc, 0.8)
    assert any(line.startswith("saved") for line in lines)
    restore_database(out, crashed, force=True, unverified=True)
    assert integrity(crashed) == "ok"
    assert [c["name"] for c in snapshot(crashed)] == [make_record(i)["name"] for i in range(2)]


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL needs POSIX")
def test_kill_during_restore_leaves_old_or_new_database(tmp_path):
    import random

    source = tmp_path / "source.db"
    with Store(source) as store:
        store.save_many([(make_record(i), None) for i in range(3000)])
    out = tmp_path / "big.zip"
    backup_database(source, out)
    rng = random.Random(3)
    killed = 0
    for round_ in range(6):
        target = tmp_path / f"t{round_}.db"
        with Store(target) as store:
            store.save(make_record(5000))
        proc = spawn("-m", "collector", "--db", str(target), "restore", str(out), "--force",
                     "--unverified")
        kill_after(proc, rng.uniform(0.1, 0.6))
        killed += proc.returncode == -9
        assert integrity(target) == "ok"
        conn = sqlite3.connect(target)
        n = conn.execute("SELECT count(*) FROM candidates").fetchone()[0]
        conn.close()
        assert n in (1, 3000)
    assert killed, "every restore finished before the kill; the test proved nothing"
    # A later restore clears the staging folders the killed ones left behind.
    restore_database(out, tmp_path / "t0.db", force=True, unverified=True)
    assert not list(tmp_path.glob(".t0.db.restore-*"))


def test_restore_over_a_file_that_is_not_a_database_needs_force(db_path, tmp_path):
    """An unreadable target may hold data no one can see: only --force replaces it."""
    fill(db_path, tmp_path, n=1)
    out = tmp_path / "b.zip"
    backup_database(db_path, out)
    target = tmp_path / "damaged.db"
    target.write_bytes(b"not a database, but maybe someone's data " * 200)
    with pytest.raises(StoreError, match="已有数据.*--force"):
        restore_database(out, target, unverified=True)
    assert target.read_bytes().startswith(b"not a database")
    restore_database(out, target, force=True, unverified=True)
    assert len(snapshot(target)) == 1


@pytest.mark.parametrize("old_file", ["intact", "damaged"])
def test_restore_drops_the_old_databases_write_ahead_log(tmp_path, old_file):
    """A database left with an unfolded -wal (as after a power cut), its main file intact or
    damaged: the restored file must not get the old log replayed onto it."""
    import shutil

    source = tmp_path / "source.db"
    fill(source, tmp_path, n=2)
    out = tmp_path / "b.zip"
    backup_database(source, out)
    live = tmp_path / "live.db"
    with Store(live) as store:
        store.save(make_record(9))
    conn = sqlite3.connect(live)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("PRAGMA journal_mode=WAL")
    for _ in range(3):
        conn.execute("UPDATE candidates SET name=name||'改'")
        conn.commit()
    target = tmp_path / "target.db"
    for suffix in ("", "-wal", "-shm"):  # the files as they were when the power went
        shutil.copyfile(f"{live}{suffix}", f"{target}{suffix}")
    conn.close()
    if old_file == "damaged":  # SQLite cannot fold the log into it: it must be deleted
        target.write_bytes(b"\0" * 4096)
    assert Path(f"{target}-wal").stat().st_size > 0
    restore_database(out, target, force=True, unverified=True)
    assert not Path(f"{target}-wal").exists() or Path(f"{target}-wal").stat().st_size == 0
    assert integrity(target) == "ok"
    assert [c["name"] for c in snapshot(target)] == [make_record(i)["name"] for i in range(2)]


def test_restore_keeps_attachments_already_there_and_moves_in_the_rest(tmp_path):
    """Attachments are named by their hash: one already in the target folder is the same file
    and stays; the others, even beside it in the same sub-folder, are moved in."""
    import hashlib

    def sha(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    first = b"%PDF-1.4 first certificate"
    second = next(d for n in range(10_000)
                  if sha(d := b"%%PDF-1.4 second certificate %d" % n)[:2] == sha(first)[:2]
                  and sha(d) > sha(first))
    source = tmp_path / "source.db"
    with Store(source) as store:
        cid = store.save(make_record(1))
        for n, data in enumerate((first, second)):
            (tmp_path / f"{n}.pdf").write_bytes(data)
            store.attach(cid, tmp_path / f"{n}.pdf", title=f"证书{n}")
    out = tmp_path / "b.zip"
    backup_database(source, out)
    target = tmp_path / "target.db"
    with Store(target) as store:
        (tmp_path / "same.pdf").write_bytes(first)
        store.attach(store.save(make_record(2)), tmp_path / "same.pdf", title="同一份")
    restore_database(out, target, force=True, unverified=True)
    with Store(target) as store:
        assert store.file_path(sha(first)).read_bytes() == first
        assert store.file_path(sha(second)).read_bytes() == second
        assert store.file_path(sha(first)).parent == store.file_path(sha(second)).parent


def test_the_backup_manifest_and_summary_say_what_is_inside(tmp_path):
    """manifest.json is readable (UTF-8, indented) and its counts are the backup's own."""
    import datetime as dt
    import json

    from collector import __version__
    from collector.storage.migrations import CURRENT_VERSION

    db = tmp_path / "src.db"
    sizes = []
    with Store(db) as store:
        cid = store.save(make_record(1))
        for n in range(2):
            data = f"%PDF-1.4 证书 {n} ".encode() * (n + 1)
            (tmp_path / f"{n}.pdf").write_bytes(data)
            store.attach(cid, tmp_path / f"{n}.pdf", title=f"证书{n}")
            sizes.append(len(data))
        files = store.files_dir
    (files / ".incoming-1234").write_bytes(b"an unfinished copy")  # not attachments
    sub = next(p for p in files.iterdir() if p.is_dir())
    (sub / "notes.tmp").write_bytes(b"not named by a hash")
    out = tmp_path / "备份.zip"
    summary = backup_database(db, out)
    with zipfile.ZipFile(out) as zf:
        raw = zf.read("manifest.json").decode("utf-8")
        manifest = json.loads(raw)
        assert sorted(n for n in zf.namelist() if n.startswith("files/")) == sorted(
            f"files/{a['sha256'][:2]}/{a['sha256']}" for a in snapshot(db)[0]["attachments"])
        assert {i.date_time[0] for i in zf.infolist()} == {dt.date.today().year}
    assert raw == json.dumps(manifest, ensure_ascii=False, indent=2)
    names = "\n".join(sorted(n for n in zipfile.ZipFile(out).namelist() if n.startswith("files/")))
    assert manifest == {"format": "talent-collector-backup", "version": 2,
                        "app_version": __version__, "created_at": summary.created_at,
                        "schema_version": CURRENT_VERSION, "candidates": 1,
                        "db_sha256": manifest["db_sha256"], "files": 2,
                        "file_bytes": sum(sizes),
                        "files_sha256": hashlib.sha256(names.encode()).hexdigest()}
    assert summary.signer == ""  # no key here: not signed (tests/safety/test_backup_proof.py)
    assert (summary.path, summary.candidates, summary.files, summary.file_bytes,
            summary.schema_version) == (out, 1, 2, sum(sizes), CURRENT_VERSION)
    assert summary.created_at.startswith(str(dt.date.today().year))
    assert verify_backup(out) == manifest


def test_backing_up_a_database_that_is_not_ours_or_cannot_be_copied(tmp_path, monkeypatch):
    from collector.storage import backup

    db = tmp_path / "odd.db"
    with Store(db) as store:
        store.save(make_record(1))
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE extra(x)")
    conn.commit()
    conn.close()
    with pytest.raises(InputError) as err:
        backup_database(db, tmp_path / "b.zip")
    assert str(err.value).startswith("数据库 的结构与本程序的不符（多出的表 extra）")
    assert not (tmp_path / "b.zip").exists()

    def broken(conn, dest):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(backup, "_online_copy", broken)
    with pytest.raises(StoreError) as err:
        backup_database(db, tmp_path / "b.zip")
    assert str(err.value) == f"无法复制数据库 {db}：disk I/O error"


def test_restore_makes_missing_folders_stages_beside_the_target_and_clears_old_staging(
        db_path, tmp_path, monkeypatch):
    from collector.storage import backup

    fill(db_path, tmp_path, n=1)
    out = tmp_path / "b.zip"
    backup_database(db_path, out)
    target = tmp_path / "新" / "深一层" / "collector.db"
    assert restore_database(out, target, unverified=True).candidates == 1
    stale_dir = target.parent / ".collector.db.restore-old"
    stale_dir.mkdir()
    (stale_dir / "collector.db").write_bytes(b"half")
    stale_file = target.parent / ".collector.db.restore-file"
    stale_file.write_bytes(b"left by someone")
    staged = []
    real = backup._unpack
    monkeypatch.setattr(backup, "_unpack", lambda p, dest: staged.append(dest) or real(p, dest))
    restore_database(out, target, force=True, unverified=True)
    [dest] = staged
    assert dest.parent == target.parent and dest.name.startswith(".collector.db.restore-")
    assert not dest.exists() and not stale_dir.exists()  # the old staging is cleared
    assert len(snapshot(target)) == 1


def test_restore_that_cannot_replace_the_file_says_the_database_is_unchanged(db_path, tmp_path,
                                                                              monkeypatch):
    from tests.windows.simulate import sharing_violation

    fill(db_path, tmp_path, n=1)
    out = tmp_path / "b.zip"
    backup_database(db_path, out)
    target = tmp_path / "target.db"
    with Store(target) as store:
        store.save(make_record(7))
    before = snapshot(target)
    from collector.common import atomic

    monkeypatch.setattr(atomic.time, "sleep", lambda s: None)
    sharing_violation(monkeypatch, None)
    with pytest.raises(StoreError) as err:
        restore_database(out, target, force=True, unverified=True)
    assert str(err.value) == (f"恢复失败，数据库 {target} 保持原样：另一个程序正在使用此文件，"
                              "进程无法访问。")
    monkeypatch.undo()
    assert snapshot(target) == before
    assert not list(tmp_path.glob(".target.db.restore-*"))


def test_the_refusal_to_overwrite_says_how_to_go_on(db_path, tmp_path):
    fill(db_path, tmp_path, n=1)
    out = tmp_path / "b.zip"
    backup_database(db_path, out)
    with pytest.raises(StoreError) as err:
        restore_database(out, db_path, unverified=True)
    assert str(err.value) == (f"数据库 {db_path} 中已有数据，恢复会覆盖它们。"
                              "请先备份当前数据，确认后加 --force 再恢复")


def test_members_past_the_zip64_limit_are_written_and_restored(db_path, tmp_path, monkeypatch):
    """An attachment or database over 2 GiB needs ZIP64 records; the limit is lowered here so a
    small file stands for a big one (zipfile reads the limit when each member is closed)."""
    before = fill(db_path, tmp_path)
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1024)
    out = tmp_path / "备份.zip"
    backup_database(db_path, out)
    assert all(info.file_size > 1024 for info in zipfile.ZipFile(out).infolist()
               if info.filename != "manifest.json")
    assert verify_backup(out)["candidates"] == 3
    target = tmp_path / "restored.db"
    restore_database(out, target, unverified=True)
    assert snapshot(target) == before


def test_a_backup_whose_compressed_database_is_damaged_says_so_in_chinese(db_path, tmp_path):
    fill(db_path, tmp_path)
    out = tmp_path / "备份.zip"
    backup_database(db_path, out)
    info = zipfile.ZipFile(out).getinfo("collector.db")
    raw = bytearray(out.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 400)):
        raw[i] ^= 0x5A  # garble the deflate stream itself, not just one CRC
    bad = tmp_path / "坏备份.zip"
    bad.write_bytes(bytes(raw))
    with pytest.raises(InputError) as err:
        verify_backup(bad)
    assert str(err.value) == "备份文件 坏备份.zip 已损坏（压缩数据无法解开或不完整）"
    assert "Error" not in str(err.value) and "zlib" not in str(err.value)


def test_a_staging_folder_that_cannot_be_removed_does_not_fail_the_restore(db_path, tmp_path,
                                                                          monkeypatch):
    """On Windows a virus scanner may still hold a file in the staging folder: the restore has
    succeeded, and the next restore removes what was left."""
    before = fill(db_path, tmp_path)
    out = tmp_path / "备份.zip"
    backup_database(db_path, out)
    target = tmp_path / "new" / "restored.db"
    real_rmdir = os.rmdir

    def held(path, *args, **kwargs):
        if ".restore-" in os.fsdecode(path):
            raise PermissionError(13, "另一个程序正在使用此文件", os.fsdecode(path))
        return real_rmdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "rmdir", held)
    restore_database(out, target, unverified=True)
    assert snapshot(target) == before
    assert list(target.parent.glob(".restored.db.restore-*"))
    monkeypatch.setattr(os, "rmdir", real_rmdir)
    restore_database(out, target, force=True, unverified=True)
    assert not list(target.parent.glob(".restored.db.restore-*"))
