"""What the project creates is private to the user; logs live in the data folder and hold no
record values; a killed import's temporary copies are cleaned up; one passphrase rule."""

from __future__ import annotations

import json
import os
import stat
import tempfile
import time
from pathlib import Path

import pytest

from collector.common.crashlog import CRASH_LOG
from collector.storage.store import Store
from tests.conftest import make_record

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # what most desktops use: files 0644 unless the program says otherwise
    yield
    os.umask(old)


def test_database_attachments_keys_backup_and_package_are_private(cli, tmp_path, open_umask,
                                                                 monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "private-files")
    db = tmp_path / "data" / "collector.db"
    assert cli("init", db=db).code == 0
    assert mode(db.parent) == 0o700 and mode(db) == 0o600
    src = tmp_path / "record.json"
    src.write_text(json.dumps(make_record(1), ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", src, db=db).code == 0
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" * 100)
    cid = json.loads(cli("list", "--json", db=db).out)[0]["id"]
    with Store(db) as store:
        store.attach(cid, scan, title="扫描件")
    files = db.with_name(db.name + ".files")
    stored = [p for p in files.rglob("*") if p.is_file()]
    assert stored and all(mode(p) == 0o600 for p in stored)
    assert all(mode(p) == 0o700 for p in [files, *(p for p in files.rglob("*") if p.is_dir())])
    assert cli("keys", "generate", "--name", "本机", db=db).code == 0  # keys live in the database
    assert mode(db) == 0o600
    for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        assert not extra.exists() or mode(extra) == 0o600
    assert cli("backup", "--out", tmp_path / "backup.zip", db=db).code == 0
    assert mode(tmp_path / "backup.zip") == 0o600
    assert cli("pack", "--out", tmp_path / "out.rpu", "--today", "2017-04-20", db=db).code == 0
    assert mode(tmp_path / "out.rpu") == 0o600


def test_crash_log_is_private_in_the_data_folder_without_record_values(cli, db_path,
                                                                      monkeypatch, open_umask):
    number = make_record(1)["id_number"]

    def boom(args):
        try:
            int(number + "x")  # the message quotes the value, as real bugs' messages do
        except ValueError as err:
            raise RuntimeError(f"could not read {number}") from err

    from collector.cli import core

    monkeypatch.setattr(core, "cmd_list", boom)
    assert cli("init").code == 0
    r = cli("list")
    assert r.code == 1 and "程序内部错误" in r.err
    log = db_path.parent / CRASH_LOG
    assert str(log) in r.err and "/tmp/collector-error.log" not in r.err
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "ValueError" in text and "boom" in text
    assert number not in text
    assert mode(log) == 0o600
    assert not (Path(tempfile.gettempdir()) / CRASH_LOG).exists() or \
        (Path(tempfile.gettempdir()) / CRASH_LOG).stat().st_mtime < time.time() - 5


def test_gui_log_goes_to_the_data_folder_created_private(tmp_path, open_umask, monkeypatch):
    from ui import errors

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    folder = tmp_path / "not-yet" / "data"
    path = errors.setup_logging(folder)
    assert path == folder / "ui.log" and mode(folder) == 0o700 and mode(path) == 0o600
    assert not list(home.iterdir())
    import logging

    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "baseFilename", "") == str(path):
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_gui_start_never_logs_into_the_home_folder():
    source = (Path(__file__).resolve().parents[2] / "ui" / "app.py").read_text(encoding="utf-8")
    assert "Path.home()" not in source


def test_keys_generate_refuses_a_short_passphrase_like_keys_passphrase(cli, monkeypatch):
    from collector.rpu.keys import MIN_PASSPHRASE

    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "x" * (MIN_PASSPHRASE - 1))
    r = cli("keys", "generate")
    assert r.code == 1 and f"至少 {MIN_PASSPHRASE} 个字符" in r.err
    assert "指纹" not in r.out
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "x" * MIN_PASSPHRASE)
    assert cli("keys", "generate").code == 0


def test_orphaned_incoming_files_are_removed_on_open_and_counted(cli, db_path):
    with Store(db_path) as store:
        store.add_file(__file__)
        files = store.files_dir
    old = files / ".incoming-0123abcd"
    old.write_bytes(b"half a scan")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    fresh = files / ".incoming-fresh"  # an import still writing in another process
    fresh.write_bytes(b"being written")
    r = cli("check-db")
    assert r.code == 0 and "已清理 1 个" in r.out and "另有 1 个" in r.out
    assert not old.exists() and fresh.exists()


@pytest.fixture
def installations(tmp_path):
    from types import SimpleNamespace

    from collector.exchange.keyring import generate_identity

    opened = []

    def make(name: str):
        store = Store(tmp_path / name / "collector.db")
        opened.append(store)
        identity = generate_identity(store, "private-files", name, name)
        return SimpleNamespace(store=store, identity=identity, public=identity.public)

    yield make
    for store in opened:
        store.close()


def test_packages_and_attachments_the_inbox_keeps_are_private(installations, tmp_path,
                                                              open_umask):
    """The inbox stores a package in one streaming pass (exchange.staging), its attachments
    read from it later: 0600 files in 0700 folders, like every other way into the store."""
    from collector.office import inbox
    from collector.exchange.packing import pack

    office, applicant = installations("office"), installations("applicant")
    cid = applicant.store.save(make_record(3))
    scan = tmp_path / "big.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(3 << 20))  # past the staging threshold
    applicant.store.attach(cid, scan, title="扫描件")
    out = tmp_path / "申报.rpu"
    pack(applicant.store, [], out, identity=applicant.identity, recipients=[office.public])
    [entry] = inbox.import_many(office.store, [out], office.identity).entries
    assert entry.status == inbox.IMPORTED, entry.reason
    files = office.store.files_dir
    stored = [p for p in files.rglob("*") if p.is_file()]
    assert len(stored) == 1 and all(mode(p) == 0o600 for p in stored)
    assert all(mode(p) == 0o700 for p in [files, *(p for p in files.rglob("*") if p.is_dir())])


def test_a_restored_store_keeps_its_packages_and_payload_keys_private(installations, tmp_path,
                                                                     open_umask):
    """A restore brings the database (with each kept package's payload key, issue 28) and the
    kept packages: 0600 files in 0700 folders, as the store it replaces."""
    from collector.exchange.packing import pack
    from collector.office import inbox
    from collector.storage.backup import backup_database, restore_database

    office, applicant = installations("office"), installations("applicant")
    cid = applicant.store.save(make_record(3))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(5000))
    applicant.store.attach(cid, scan, title="扫描件")
    out = tmp_path / "申报.rpu"
    pack(applicant.store, [], out, identity=applicant.identity, recipients=[office.public])
    assert inbox.import_many(office.store, [out], office.identity).entries[0].status == "imported"
    backup_database(office.store.path, tmp_path / "备份.zip", passphrase=lambda: "private-files")

    db = tmp_path / "新电脑" / "数据" / "collector.db"
    restore_database(tmp_path / "备份.zip", db, unverified=True)

    files = db.with_name(db.name + ".files")
    stored = [p for p in files.rglob("*") if p.is_file()]
    assert stored and mode(db) == 0o600 and all(mode(p) == 0o600 for p in stored)
    folders = [db.parent, files, *(p for p in files.rglob("*") if p.is_dir())]
    assert all(mode(p) == 0o700 for p in folders), [oct(mode(p)) for p in folders]


def test_export_json_with_files_writes_private_files_in_private_folders(cli, db_path, tmp_path,
                                                                        open_umask):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" * 100)
    with Store(db_path) as store:
        cid = store.save(make_record(1))
        store.attach(cid, scan, title="扫描件")
    out = tmp_path / "导出" / "候选人.json"
    out.parent.mkdir()
    r = cli("export-json", "--out", out, "--with-files", tmp_path / "导出" / "附件" / "本批")
    assert r.code == 0, r.err
    written = [p for p in (tmp_path / "导出" / "附件").rglob("*") if p.is_file()]
    assert len(written) == 1 and mode(written[0]) == 0o600 and mode(out) == 0o600
    folders = [tmp_path / "导出" / "附件", *(p for p in (tmp_path / "导出" / "附件").rglob("*")
                                          if p.is_dir())]
    assert len(folders) == 3 and all(mode(p) == 0o700 for p in folders)


def test_a_file_saved_over_one_that_was_there_becomes_private(store, tmp_path, open_umask):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    sha, _ = store.add_file(scan)
    dest = tmp_path / "另存.pdf"
    dest.write_bytes(b"old")
    os.chmod(dest, 0o644)
    store.export_file(sha, dest)
    assert dest.read_bytes() == b"%PDF-1.4\n" and mode(dest) == 0o600
