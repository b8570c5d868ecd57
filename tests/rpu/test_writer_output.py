"""The package writer's output path (issue 13): few large writes from a thread, the file still
fsync'ed before it is renamed, a failing disk reported as one line with nothing left behind."""

from __future__ import annotations

import errno
import os

import pytest

from collector import rpu
from collector.rpu import writer
from collector.rpu.errors import PackageError
from collector.exchange.packing import pack

from .conftest import TODAY


def big_attachment(applicant, tmp_path, mib: int) -> None:
    from tests.conftest import make_record

    scan = tmp_path / "big.pdf"
    with open(scan, "wb") as fh:
        for _ in range(mib):
            fh.write(os.urandom(1 << 20))
    cid = applicant.store.save(make_record(0))
    applicant.store.attach(cid, scan, title="扫描件")


def count_calls(monkeypatch, module, name: str) -> list:
    calls = []
    real = getattr(module, name)

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


def test_a_large_file_goes_out_in_few_big_writes_and_is_fsynced_before_rename(
        applicant, office, tmp_path, monkeypatch):
    big_attachment(applicant, tmp_path, 24)
    writes = count_calls(monkeypatch, writer.os, "write")
    order = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (order.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (order.append("replace"), real_replace(a, b))[1])
    out = tmp_path / "out.rpu"
    pack(applicant.store, [], out, identity=applicant.identity,
         recipients=[office.identity.public], today=TODAY)
    # 24 MiB of ciphertext in 1 MiB blocks: about 24 writes, not one per 64 KiB chunk (384)
    assert 20 <= len(writes) <= 30
    assert order[-2:] == ["fsync", "replace"]
    pkg = rpu.open_package(out, office.identity)
    assert len(pkg.parts) == 2


def test_a_full_disk_is_one_line_and_leaves_nothing(applicant, office, tmp_path, monkeypatch):
    big_attachment(applicant, tmp_path, 12)
    real_write = os.write
    calls = []

    def disk_full(fd, data):
        calls.append(len(data))
        if len(calls) >= 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(writer.os, "write", disk_full)
    out = tmp_path / "out" / "full.rpu"
    with pytest.raises(PackageError, match="无法写入报送文件.*磁盘空间不足"):
        pack(applicant.store, [], out, identity=applicant.identity,
             recipients=[office.identity.public], today=TODAY)
    assert list(out.parent.iterdir()) == []
