"""The inbox reads a received package once (issue 13): the verification pass also stores the
package, and only the package (issue 28: its attachments are read from it, so the store grows
by about the package's size); nothing half-written stays behind when a package is refused."""

from __future__ import annotations

import hashlib
import os

from collector.storage.attachments import open_attachment
from collector.office import inbox
from collector.rpu import crypto
from collector.exchange.packing import pack

from .conftest import TODAY
from tests.conftest import make_record


def big_package(applicant, office, tmp_path, mib: int = 3):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(os.urandom(mib << 20))
    cid = applicant.store.save(make_record(1))
    entry = applicant.store.attach(cid, scan, title="扫描件")
    out = tmp_path / "big.rpu"
    pack(applicant.store, [], out, identity=applicant.identity, recipients=[office.public],
         today=TODAY)
    return out, entry["sha256"]


def leftovers(store) -> list:
    return sorted(p.name for p in store.files_dir.rglob(".incoming-*"))


def test_a_large_package_is_decrypted_once_and_stored_whole(make_installation, tmp_path,
                                                            monkeypatch):
    applicant = make_installation("申报人")
    office = make_installation("包头市人社局", "盟市/厅局", channel="包头市")
    path, sha = big_package(applicant, office, tmp_path)
    loads = []
    real = crypto.StreamReader._load
    monkeypatch.setattr(crypto.StreamReader, "_load",
                        lambda self, *a: (loads.append(1), real(self, *a))[1])
    result = inbox.import_many(office.store, [path], office.identity)
    assert [e.status for e in result.entries] == [inbox.IMPORTED]
    # 3 MiB of attachment = 48 chunks, read 16 at a time: one pass, not a second decryption
    assert len(loads) <= 5
    assert not office.store.file_path(sha).exists()  # no extracted copy
    with open_attachment(office.store, sha) as got:
        assert hashlib.sha256(got.read()).hexdigest() == sha
    package_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.entries[0].sha256 == package_sha
    assert office.store.file_path(package_sha).read_bytes() == path.read_bytes()
    assert leftovers(office.store) == []


def store_size(store) -> int:
    """The store's bytes on disk at rest: the database (its log checkpointed) and its files."""
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = store.path
    beside = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    return sum(p.stat().st_size for p in beside if p.exists()) + sum(
        p.stat().st_size for p in store.files_dir.rglob("*") if p.is_file())


def test_the_store_grows_by_the_package_once(make_installation, tmp_path):
    applicant = make_installation("申报人")
    office = make_installation("包头市人社局", "盟市/厅局", channel="包头市")
    path, sha = big_package(applicant, office, tmp_path, mib=6)
    before = store_size(office.store)
    [entry] = inbox.import_many(office.store, [path], office.identity).entries
    assert entry.status == inbox.IMPORTED, entry.reason
    growth = store_size(office.store) - before
    assert path.stat().st_size <= growth <= 1.05 * path.stat().st_size
    with open_attachment(office.store, sha) as got:
        assert hashlib.sha256(got.read()).hexdigest() == sha


def test_a_tampered_large_package_leaves_nothing_behind(make_installation, tmp_path):
    applicant = make_installation("申报人")
    office = make_installation("包头市人社局", "盟市/厅局", channel="包头市")
    path, sha = big_package(applicant, office, tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) - (1 << 20)] ^= 0x40  # inside the attachment's ciphertext
    path.write_bytes(bytes(data))
    result = inbox.import_many(office.store, [path], office.identity)
    assert [e.status for e in result.entries] == [inbox.REFUSED]
    assert "未通过校验" in result.entries[0].reason
    assert not office.store.file_path(sha).exists()
    assert leftovers(office.store) == []
    assert [p for p in office.store.files_dir.rglob("*") if p.is_file()] == []
