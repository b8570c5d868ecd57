"""The inbox copies its packages into the store from the moment it knows them, while the key is
unlocked and the packages before are verified (``exchange.early_copy``); the verification reads
that copy, so what is kept is what was verified, and nothing is left behind when it stops."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from collector.common.fingerprint import file_sha256
from collector.exchange import early_copy
from collector.office import inbox
from collector.rpu.errors import PassphraseError
from collector.storage.files import FileStore
from tests.office.conftest import applicant_package


def _incoming(store) -> list[Path]:
    return sorted(FileStore(store.path).dir.glob(".incoming-*"))


def _packages(make_installation, tmp_path, office, n: int) -> list[Path]:
    out = []
    for i in range(n):
        applicant = make_installation(f"a{i}")
        out.append(applicant_package(applicant, tmp_path / f"p{i}.rpu", [office.public], i + 1))
    return out


def _wait(condition, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_the_copy_begins_before_the_key_is_unlocked(make_installation, tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    [path] = _packages(make_installation, tmp_path, office, 1)
    seen = []

    def unlock():
        # The queue's thread copies while this waits: a temporary copy appears, or the file
        # is whole already.
        seen.append(_wait(lambda: bool(_incoming(office.store))))
        return office.identity

    result = inbox.import_many(office.store, [path], unlock)
    assert seen == [True]
    assert [e.status for e in result.entries] == [inbox.IMPORTED]
    assert office.store.file_path(result.entries[0].sha256).read_bytes() == path.read_bytes()
    assert _incoming(office.store) == []


def test_what_is_kept_is_the_copy_that_was_verified_not_the_source_read_again(
        make_installation, tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    [path] = _packages(make_installation, tmp_path, office, 1)
    original = path.read_bytes()
    want = file_sha256(path)

    def unlock():
        # The source changes once it has been copied (a disc swapped, a file rewritten): the
        # import goes on from the copy and never reads the source again.
        _wait(lambda: not _incoming(office.store) or all(
            p.stat().st_size == len(original) for p in _incoming(office.store)))
        time.sleep(0.2)
        path.write_bytes(b"\x89RPU\r\n\x1a\n" + b"\0" * 64)
        return office.identity

    result = inbox.import_many(office.store, [path], unlock)
    [entry] = result.entries
    assert entry.status == inbox.IMPORTED and entry.sha256 == want
    assert office.store.file_path(want).read_bytes() == original
    assert not office.store.file_path(file_sha256(path)).exists()  # the changed source: not kept


def test_a_failed_unlock_leaves_no_copy_behind(make_installation, tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    paths = _packages(make_installation, tmp_path, office, 3)

    def unlock():
        _wait(lambda: bool(_incoming(office.store)))
        raise PassphraseError("口令不正确")

    with pytest.raises(PassphraseError):
        inbox.import_many(office.store, paths, unlock)
    assert _incoming(office.store) == []
    assert office.store.count() == 0 and inbox.list_inbox(office.store) == []


def test_a_cancelled_import_keeps_what_it_finished_and_no_copy(make_installation, tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    paths = _packages(make_installation, tmp_path, office, 4)
    done = []
    with pytest.raises(Exception, match="已取消导入"):
        inbox.import_many(office.store, paths, office.identity,
                          progress=lambda n, total, what: done.append(n),
                          cancel=lambda: len(done) >= 2)
    assert office.store.count() == 2
    assert _incoming(office.store) == []


def test_the_copies_run_at_most_a_few_packages_ahead(make_installation, tmp_path, monkeypatch):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    paths = _packages(make_installation, tmp_path, office, 6)
    most = []
    real = inbox.import_one

    def slow(store, path, identity, **kw):
        time.sleep(0.15)  # the copies would be far ahead by now, were they not held back
        most.append(len(_incoming(store)))
        return real(store, path, identity, **kw)

    monkeypatch.setattr(inbox, "import_one", slow)
    result = inbox.import_many(office.store, paths, office.identity)
    assert [e.status for e in result.entries] == [inbox.IMPORTED] * 6
    assert max(most) <= early_copy.AHEAD + 1, most
    assert _incoming(office.store) == []


def test_a_package_gone_before_its_copy_is_refused_and_the_rest_imported(
        make_installation, tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    first, gone = _packages(make_installation, tmp_path, office, 2)

    def unlock():
        gone.unlink()  # taken away after the inbox listed it (a USB stick pulled)
        return office.identity

    early = early_copy.AHEAD
    early_copy.AHEAD = 1  # the second copy starts only once the first package is taken
    try:
        result = inbox.import_many(office.store, [first, gone], unlock)
    finally:
        early_copy.AHEAD = early
    assert [e.status for e in result.entries] == [inbox.IMPORTED, inbox.REFUSED]
    assert "不存在" in result.entries[1].reason
    assert _incoming(office.store) == []


def test_a_copy_that_stops_short_says_why(tmp_path):
    store_files = FileStore(tmp_path / "x.db")
    source = tmp_path / "big.rpu"
    source.write_bytes(b"x" * (3 << 20))
    copy = early_copy.EarlyCopy(store_files, source)
    copy._stop = True  # abandoned before it ran: the reader is told, not left waiting
    copy.run()
    with pytest.raises(Exception, match="复制未完成"):
        copy.result()
    copy.abandon()
    assert list(store_files.dir.glob(".incoming-*")) == []


def test_a_full_disk_is_said_in_chinese(tmp_path, monkeypatch):
    import errno

    store_files = FileStore(tmp_path / "x.db")
    source = tmp_path / "big.rpu"
    source.write_bytes(b"x" * (3 << 20))

    def full(self, *args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(early_copy.DurableFile, "write", full)
    monkeypatch.setattr(early_copy.DurableFile, "copy_from", full)
    copy = early_copy.EarlyCopy(store_files, source)
    copy.run()
    with pytest.raises(Exception) as caught:
        copy.result()
    message = str(caught.value)
    assert message.startswith("big.rpu：无法复制到数据文件夹")
    assert "No space" not in message and "磁盘" in message
    copy.abandon()
    assert list(store_files.dir.glob(".incoming-*")) == []


@pytest.mark.parametrize("kernel", ["copies", "refuses", "missing", "says the end too soon"])
def test_the_copy_is_whole_however_the_system_copies(tmp_path, monkeypatch, kernel):
    """The copy is made inside the kernel where it can; where the system refuses (another file
    system), has no such call (Windows) or reports the end early, it is read and written."""
    import errno
    import os

    from collector.rpu import writeback

    if kernel == "refuses":
        def refuse(self, src, count):
            raise OSError(errno.EXDEV, "cross-device")
        monkeypatch.setattr(writeback.FdWriter, "_copy_file_range", refuse)
        monkeypatch.setattr(writeback.FdWriter, "_sendfile", refuse)
    elif kernel == "missing":
        monkeypatch.setattr(writeback.FdWriter, "_ways", lambda self: [])
    elif kernel == "says the end too soon":
        monkeypatch.setattr(writeback.FdWriter, "copy_from", lambda self, src, count: 0)
    store_files = FileStore(tmp_path / "x.db")
    source = tmp_path / "big.rpu"
    data = os.urandom((5 << 20) + 12345)
    source.write_bytes(data)
    copy = early_copy.EarlyCopy(store_files, source)
    copy.run()
    kept = copy.result()
    assert kept.read_bytes() == data
    copy.abandon()


def test_another_kernel_error_stops_the_copy(tmp_path, monkeypatch):
    import errno

    from collector.rpu import writeback

    def broken(self, src, count):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(writeback.FdWriter, "_copy_file_range", broken)
    monkeypatch.setattr(writeback.FdWriter, "_sendfile", broken)
    store_files = FileStore(tmp_path / "x.db")
    source = tmp_path / "big.rpu"
    source.write_bytes(b"x" * (3 << 20))
    copy = early_copy.EarlyCopy(store_files, source)
    copy.run()
    if writeback.FdWriter(0)._ways():  # a system that copies in the kernel tried it
        with pytest.raises(Exception, match="无法复制到数据文件夹（读写出错"):
            copy.result()
    copy.abandon()
    assert list(store_files.dir.glob(".incoming-*")) == []


def test_no_passphrase_is_asked_when_nothing_can_be_opened(make_installation, tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    (tmp_path / "说明.txt").write_text("不是报送文件", encoding="utf-8")

    def unlock():
        raise AssertionError("asked for a passphrase with no package to open")

    result = inbox.import_many(office.store, [tmp_path / "说明.txt", tmp_path / "没有.rpu"], unlock)
    assert [e.status for e in result.entries] == [inbox.REFUSED, inbox.REFUSED]


def test_a_copy_begun_by_the_command_line_is_the_one_verified(make_installation, tmp_path,
                                                              monkeypatch):
    """``collector inbox A FOLDER`` starts copying A before it loads the inbox; the inbox adds
    what the folder holds to the same queue and copies nothing twice."""
    from collector.cli.common import early_copies

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    first, second = _packages(make_installation, tmp_path, office, 2)
    folder = tmp_path / "收到"
    folder.mkdir()
    moved = second.rename(folder / second.name)
    runs = []
    real_run = early_copy.EarlyCopy.run
    monkeypatch.setattr(early_copy.EarlyCopy, "run",
                        lambda self: (runs.append(self.source.name), real_run(self))[1])
    with early_copies(office.store, [first, folder, tmp_path / "说明.txt"]) as copies:
        assert [c.source for c in copies._copies] == [first]  # plain .rpu files only
        assert _wait(lambda: runs == [first.name])
        result = inbox.import_many(office.store, [first, folder], office.identity, copies=copies)
    assert [e.status for e in result.entries] == [inbox.IMPORTED, inbox.IMPORTED]
    assert runs == [first.name, moved.name]
    for entry, source in zip(result.entries, (first, moved)):
        assert office.store.file_path(entry.sha256).read_bytes() == source.read_bytes()
    assert _incoming(office.store) == []
