"""Windows refuses ``fsync`` on a read-only handle (EBADF): restore and 自检 must not need it."""

from __future__ import annotations

import io

from collector.demo import selftest
from collector.storage.backup import backup_database, restore_database
from collector.storage.store import Store
from tests.conftest import make_record

from .simulate import windows_fsync


def test_restore_works_when_fsync_needs_a_writable_handle(tmp_path, monkeypatch):
    db = tmp_path / "collector.db"
    with Store(db) as store:
        store.save(make_record(0))
    backup_database(db, tmp_path / "备份.zip")
    synced = windows_fsync(monkeypatch)
    target = tmp_path / "新位置" / "collector.db"
    restore_database(tmp_path / "备份.zip", target, unverified=True)
    with Store(target, create=False) as store:
        assert store.count() == 1
    assert synced, "the restored database must still reach the disk"


def test_selftest_passes_when_fsync_needs_a_writable_handle(monkeypatch):
    windows_fsync(monkeypatch)
    out = io.StringIO()
    assert selftest.run_selftest(out=out) == 0, out.getvalue()
    assert "✘" not in out.getvalue()
