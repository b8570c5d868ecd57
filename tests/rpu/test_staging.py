"""One verification pass with ``Staging`` (what the office inbox uses): the package's own bytes
are kept byte for byte and nothing else (no extracted attachment: it is read from the kept
package, stored once); a refused package keeps nothing."""

from __future__ import annotations

import hashlib
import os
import threading

import pytest

from collector import rpu
from collector.storage.files import FileStore
from collector.rpu.errors import PackageError
from collector.exchange import early_copy
from collector.exchange.staging import Staging
from collector.exchange.packing import pack
from collector.rpu.reader import iter_located_part

from tests.conftest import make_record

from .conftest import TODAY


@pytest.fixture
def big(applicant, office, tmp_path):
    """A package whose one attachment spans several 1 MiB pieces (hashed on the reader's pool)."""
    cid = applicant.store.save(make_record(0))
    scan = tmp_path / "big-scan.pdf"
    scan.write_bytes(b"%PDF-1.4 " + os.urandom(3 * (1 << 20) + 12345))
    applicant.store.attach(cid, scan, title="大扫描件")
    out = tmp_path / "big.rpu"
    pack(applicant.store, [], out, identity=applicant.identity,
         recipients=[office.identity.public], today=TODAY)
    return out, scan.read_bytes()


def test_staging_keeps_the_package_only_and_the_attachment_reads_from_it(big, office, tmp_path):
    out, content = big
    files = FileStore(tmp_path / "office-copy.db")
    staging = Staging(files)
    pkg = rpu.open_package(out, office.identity, staging=staging)
    assert pkg.staging is staging  # the importer keeps the package from here
    sha = hashlib.sha256(content).hexdigest()
    package_sha, kept = staging.keep_package()
    assert staging.keep_package() == (package_sha, kept)  # the inbox asks again: same file
    assert kept.read_bytes() == out.read_bytes()
    assert package_sha == hashlib.sha256(out.read_bytes()).hexdigest()
    staging.discard()
    assert not list(files.dir.glob(".incoming-*"))
    stored = [p for p in files.dir.rglob("*") if p.is_file()]
    assert stored == [kept]  # the package, and no extracted copy of its attachment
    name = [n for n, e in pkg.parts.items() if e.sha256 == sha][0]
    location = pkg.part_location(name)
    assert b"".join(iter_located_part(kept, location)) == content  # no identity needed


def test_a_package_altered_inside_the_attachment_is_refused_and_staging_keeps_nothing(
        big, office, tmp_path):
    out, _ = big
    raw = bytearray(out.read_bytes())
    raw[len(raw) // 2] ^= 0x40
    bad = tmp_path / "bad.rpu"
    bad.write_bytes(bytes(raw))
    files = FileStore(tmp_path / "office-copy.db")
    staging = Staging(files)
    with pytest.raises(PackageError):
        rpu.open_package(bad, office.identity, staging=staging)
    staging.discard()
    assert not list(files.dir.glob(".incoming-*"))


def test_a_located_part_of_a_file_that_changed_length_is_refused(big, office, tmp_path):
    out, content = big
    pkg = rpu.open_package(out, office.identity)
    sha = hashlib.sha256(content).hexdigest()
    location = pkg.part_location([n for n, e in pkg.parts.items() if e.sha256 == sha][0])
    grown = tmp_path / "grown.rpu"
    grown.write_bytes(out.read_bytes() + b"\x00")
    with pytest.raises(PackageError, match="长度已改变"):
        b"".join(iter_located_part(grown, location))
    flipped = bytearray(out.read_bytes())
    flipped[location.payload_start + location.offset + (2 << 20)] ^= 0x01
    grown.write_bytes(bytes(flipped))
    got = []
    with pytest.raises(PackageError, match="未通过校验"):
        for piece in iter_located_part(grown, location):
            got.append(piece)
    assert len(b"".join(got)) < (2 << 20)  # nothing from the altered chunk on was given out


def _read_from_copy(package, identity, files, copy) -> tuple:
    staging = Staging(files, early=copy)
    try:
        pkg = rpu.open_package(package, identity, staging=staging)
        return pkg, staging.keep_package()
    finally:
        staging.discard()


def test_with_an_early_copy_the_package_is_read_from_the_copy_not_the_path(
        package, office, tmp_path):
    """The inbox copies a package before the key is unlocked; the verification reads that copy,
    so a source removed (a disc taken out) after it was copied is still imported, and what is
    kept is what was verified."""
    original = package.read_bytes()
    files = FileStore(tmp_path / "office-copy.db")
    copy = early_copy.EarlyCopy(files, package)
    copy.run()
    package.unlink()
    pkg, (sha, kept) = _read_from_copy(package, office.identity, files, copy)
    assert len(pkg.candidates) == 2
    assert kept.read_bytes() == original
    assert sha == hashlib.sha256(original).hexdigest()


def test_a_copy_still_being_written_is_read_to_its_final_length(
        package, office, tmp_path, monkeypatch):
    """The copy is held after its first 4 KiB until the reader asks for more: the header is
    read from a file that short, and the payload's length still comes from the source's."""
    asked = threading.Event()

    class Held(early_copy.DurableFile):
        copied = 0

        def copy_from(self, src, count):
            self._hold()
            n = super().copy_from(src, count)
            self.copied += n or 0
            return n

        def write(self, data):
            self._hold()
            super().write(data)
            self.copied += len(data)

        def _hold(self):
            if self.copied >= 4096:
                asked.wait(5)

    class Followed(early_copy.EarlyCopy):
        def wait_for(self, end):
            if end > self.written:
                asked.set()
            return super().wait_for(end)

    monkeypatch.setattr(early_copy, "BLOCK", 4096)
    monkeypatch.setattr(early_copy, "DurableFile", Held)
    files = FileStore(tmp_path / "office-copy.db")
    copy = Followed(files, package)
    thread = threading.Thread(target=copy.run)
    thread.start()
    try:
        pkg, (_, kept) = _read_from_copy(package, office.identity, files, copy)
        followed = asked.is_set()  # the reader asked for bytes the copy did not have yet
    finally:
        asked.set()
        thread.join()
    assert followed and len(pkg.candidates) == 2
    assert kept.read_bytes() == package.read_bytes()
