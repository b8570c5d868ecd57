"""A database on a network drive: SQLite's WAL is unsafe on SMB/NFS shares, so the store uses
the rollback journal there. The detector is checked with Windows paths and Linux mount tables."""

from __future__ import annotations

import sqlite3

import pytest

from collector.storage import netdrive
from collector.storage.netdrive import fs_type_of, is_network_path
from collector.storage.store import Store
from tests.conftest import make_record

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
//fileserver/人事 /mnt/share cifs rw,vers=3.0 0 0
server:/export /mnt/nfs nfs4 rw 0 0
/dev/sdb1 /mnt/share/local\\040disk ext4 rw 0 0
"""


@pytest.mark.parametrize("path, kind", [
    ("/home/u/collector.db", "ext4"), ("/mnt/share/collector.db", "cifs"),
    ("/mnt/nfs/a/b.db", "nfs4"), ("/mnt/share/local disk/c.db", "ext4"),
    ("/mnt/shared/c.db", "ext4"),
])
def test_linux_file_system_of_a_path(path, kind):
    assert fs_type_of(path, MOUNTS) == kind


@pytest.mark.parametrize("path, remote", [
    ("\\\\fileserver\\人事\\collector.db", True), ("//fileserver/share/c.db", True),
    ("\\\\?\\UNC\\fileserver\\share\\c.db", True), ("\\\\?\\C:\\Users\\张三\\c.db", False),
    ("C:\\Users\\张三\\AppData\\Roaming\\TalentCollector\\collector.db", False),
    ("Z:\\人事\\collector.db", True),  # a mapped network drive
])
def test_windows_unc_paths_and_mapped_drives(monkeypatch, path, remote):
    monkeypatch.setattr(netdrive, "drive_type",
                        lambda root: netdrive.DRIVE_REMOTE if root.upper() == "Z:\\" else 3)
    assert is_network_path(path, windows=True) is remote


def journal(db) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def test_a_database_on_a_share_uses_the_rollback_journal(tmp_path, monkeypatch, cli):
    db = tmp_path / "collector.db"
    with Store(db) as store:  # made locally: WAL
        store.save(make_record(0))
    assert journal(db) == "wal"
    monkeypatch.setattr("collector.storage.store.is_network_path", lambda p: True)
    with Store(db) as store:  # the same file, now reached over a share
        store.save(make_record(1))
        assert not (tmp_path / "collector.db-wal").exists()
    assert journal(db) == "delete"
    fresh = tmp_path / "new" / "collector.db"
    with Store(fresh) as store:
        store.save(make_record(2))
    assert journal(fresh) == "delete"
    r = cli("check-db", db=db)
    assert r.code == 0 and "网络驱动器" in r.out
