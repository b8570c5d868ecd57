"""A second program on the same database gets a clear message; a killed holder frees the lock."""

from __future__ import annotations

import os
import signal

import pytest

from collector.common.errors import StoreError
from collector.storage.lock import InstanceLock
from collector.storage.store import Store

from .proc import integrity, spawn


def test_second_exclusive_open_in_another_process_is_refused_with_pid(db_path, record):
    with Store(db_path, exclusive=True) as store:
        store.save(record)
        proc = spawn("-m", "tests.safety.children", "try_exclusive", str(db_path))
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 1, err
        assert f"数据库 {db_path} 正被另一个程序（PID {os.getpid()}）使用" in out
        assert "Traceback" not in err
        store.save(record)  # the holder carries on undisturbed
    assert integrity(db_path) == "ok"


def test_second_exclusive_open_in_same_process_is_refused(db_path):
    with Store(db_path, exclusive=True):
        with pytest.raises(StoreError, match="正被另一个程序"):
            Store(db_path, exclusive=True)


def test_lock_is_released_on_close(db_path):
    Store(db_path, exclusive=True).close()
    with Store(db_path, exclusive=True) as store:
        assert store.count() == 0


def test_plain_store_still_shares_the_file(db_path, record):
    """Without ``exclusive`` (scripts, backup) the file is shared; SQLite's WAL keeps that safe."""
    with Store(db_path, exclusive=True) as gui, Store(db_path) as cli:
        cid = cli.save(record)
        assert gui.get(cid).name == record["name"]


def test_failed_open_does_not_keep_the_lock(tmp_path):
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="不是有效的数据库文件"):
        Store(bad, exclusive=True)
    InstanceLock(bad).acquire().release()


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL needs POSIX")
def test_killed_holder_leaves_no_stale_lock(db_path):
    proc = spawn("-m", "tests.safety.children", "hold", str(db_path))
    try:
        line = proc.stdout.readline()
        assert line.startswith("holding"), proc.stderr.read()
        with pytest.raises(StoreError, match=f"PID {proc.pid}"):
            Store(db_path, exclusive=True)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    with Store(db_path, exclusive=True) as store:  # no manual clean-up needed
        assert store.count() == 0
    assert integrity(db_path) == "ok"


def test_cli_command_is_refused_while_the_app_holds_the_database(cli, db_path, tmp_path, record):
    with Store(db_path, exclusive=True) as app:
        app.save(record)
        proc = spawn("-m", "collector", "--db", str(db_path), "list")
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 1 and "正被另一个程序" in err and "Traceback" not in err
        # A backup needs no lock: it works while the app is open.
        r = cli("backup", "--out", tmp_path / "while-open.zip")
        assert r.code == 0, r.err
