"""A large file part is read through a memory map (rpu.writer._blocks): the package is the
same bytes as when it is read into buffers, a part that changed since it was stored is still
refused, and the process does not keep the mapped file resident."""

from __future__ import annotations

import os
import sys

import pytest

from collector.rpu import writer
from collector.rpu.errors import PackageError
from collector.rpu.writer import Part, write_package

MIB = 1 << 20


def fixed_rng():
    state = [0]

    def rng(n: int) -> bytes:
        state[0] += 1
        return bytes([state[0] % 256]) * n

    return rng


def pack_file(path, sha, out, applicant, office, mappable: bool = True) -> None:
    part = Part.from_file("attachments/" + sha, "attachment", path, sha256=sha, compress=False,
                          mappable=mappable)
    write_package(out, [part],
                  identity=applicant.identity, recipients=[office.identity.public],
                  program_year=2017, role="个人", created="2017-04-20T10:00:00+08:00",
                  rng=fixed_rng())


@pytest.fixture
def stored(applicant, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(os.urandom(5 * MIB + 12345))  # not a whole number of blocks or chunks
    sha, _ = applicant.store.add_file(scan)
    return applicant.store.file_path(sha), sha


@pytest.mark.skipif(not hasattr(writer.mmap, "MADV_DONTNEED"), reason="files are read, not mapped")
def test_a_mapped_part_makes_the_same_package_as_a_read_one(applicant, office, stored, tmp_path,
                                                            monkeypatch):
    path, sha = stored
    maps = []
    real_map = writer.mmap.mmap
    monkeypatch.setattr(writer.mmap, "mmap", lambda *a, **k: maps.append(a) or real_map(*a, **k))
    pack_file(path, sha, tmp_path / "mapped.rpu", applicant, office)
    assert maps, "the 5 MiB part was not mapped"
    monkeypatch.delattr(writer.mmap, "MADV_DONTNEED")  # as on Windows: read into buffers
    pack_file(path, sha, tmp_path / "read.rpu", applicant, office)
    assert len(maps) == 1
    assert (tmp_path / "mapped.rpu").read_bytes() == (tmp_path / "read.rpu").read_bytes()


def test_a_stored_file_changed_in_place_is_refused_and_nothing_is_left(applicant, office, stored,
                                                                       tmp_path):
    path, sha = stored
    os.chmod(path, 0o600)
    with open(path, "r+b") as fh:  # same size, one byte different: only the hash can tell
        fh.seek(3 * MIB)
        byte = fh.read(1)
        fh.seek(3 * MIB)
        fh.write(bytes([byte[0] ^ 1]))
    out = tmp_path / "out.rpu"
    with pytest.raises(PackageError, match="在打包过程中发生变化或已损坏"):
        pack_file(path, sha, out, applicant, office)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB, and maps let go of: Linux")
def test_packing_a_large_file_does_not_keep_it_resident(applicant, office, tmp_path):
    big = tmp_path / "big.bin"
    with open(big, "wb") as fh:
        for _ in range(96):
            fh.write(os.urandom(MIB))
    sha, _ = applicant.store.add_file(big)
    path = applicant.store.file_path(sha)
    import resource  # POSIX only: this test runs on Linux

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pack_file(path, sha, tmp_path / "out.rpu", applicant, office)
    grew_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grew_mib < 48, f"peak resident size grew by {grew_mib:.0f} MiB packing 96 MiB"


def test_a_part_not_called_mappable_is_read(applicant, office, stored, tmp_path, monkeypatch):
    """A map of a file that is cut short, or of a share that goes away, ends the process
    (SIGBUS) where a read raises a message: only what the caller vouches for is mapped."""
    path, sha = stored
    monkeypatch.setattr(writer.mmap, "mmap", lambda *a, **k: pytest.fail("mapped"))
    pack_file(path, sha, tmp_path / "out.rpu", applicant, office, mappable=False)


def test_the_store_files_of_a_store_on_a_network_drive_are_not_mappable(applicant, office,
                                                                        tmp_path, monkeypatch):
    from collector.exchange import packing

    from .conftest import TODAY
    from .test_writer_output import big_attachment

    big_attachment(applicant, tmp_path, 2)
    seen = []
    real = packing.write_package
    monkeypatch.setattr(packing, "write_package",
                        lambda out, parts, **kw: seen.extend(parts) or real(out, parts, **kw))
    for on_network in (False, True):
        seen.clear()
        monkeypatch.setattr(applicant.store, "on_network", on_network)
        packing.pack(applicant.store, [], tmp_path / "out.rpu", identity=applicant.identity,
                     recipients=[office.identity.public], today=TODAY)
        assert [p.mappable for p in seen if p.kind == "attachment"] == [not on_network]
