"""Fail closed: every sampled flipped byte, truncation or appendix is refused, nothing imported."""

from __future__ import annotations

import random

import pytest

from collector import rpu
from collector.rpu.format import CHUNK, TAG
from collector.exchange.importer import import_package


def _positions(size: int, start: int) -> list[int]:
    rng = random.Random(7)
    head = list(range(0, start, 3))  # a third of the clear header, every field hit
    boundaries = [start + k * (CHUNK + TAG) + d for k in range(size // (CHUNK + TAG) + 1)
                  for d in (-1, 0, 1, TAG - 1, TAG)]
    payload = rng.sample(range(start, size), min(250, size - start))
    return sorted({p for p in head + boundaries + payload + [size - 1] if 0 <= p < size})


def test_every_sampled_flipped_byte_is_refused(package, office, tmp_path):
    data = package.read_bytes()
    start = rpu.reader.read_head(open(package, "rb")).payload_start
    target = tmp_path / "t.rpu"
    positions = _positions(len(data), start)
    assert len(positions) > 400
    for pos in positions:
        bad = bytearray(data)
        bad[pos] ^= 1 << (pos % 8)
        target.write_bytes(bytes(bad))
        with pytest.raises(rpu.PackageError) as err:
            rpu.open_package(target, office.identity)
        assert "\n" not in str(err.value), pos


def test_every_sampled_truncation_and_appendix_is_refused(package, office, tmp_path):
    data = package.read_bytes()
    target = tmp_path / "t.rpu"
    cuts = sorted({0, 1, 8, 9, 12, 100, len(data) - 1, len(data) - TAG, len(data) - TAG - 1,
                   *(k * (CHUNK + TAG) + 200 for k in range(4)),
                   *random.Random(3).sample(range(len(data)), 60)})
    for cut in cuts:
        if cut >= len(data):
            continue
        target.write_bytes(data[:cut])
        with pytest.raises(rpu.PackageError):
            rpu.open_package(target, office.identity)
    for extra in (b"\x00", bytes(TAG), bytes(CHUNK + TAG)):
        target.write_bytes(data + extra)
        with pytest.raises(rpu.PackageError):
            rpu.open_package(target, office.identity)


def test_chunks_cannot_be_reordered(package, office, tmp_path):
    data = package.read_bytes()
    start = rpu.reader.read_head(open(package, "rb")).payload_start
    c = CHUNK + TAG
    assert len(data) - start > 2 * c, "the fixture package must span 3+ chunks"
    swapped = data[:start] + data[start + c:start + 2 * c] + data[start:start + c] + data[start + 2 * c:]
    (tmp_path / "s.rpu").write_bytes(swapped)
    with pytest.raises(rpu.PackageError):
        rpu.open_package(tmp_path / "s.rpu", office.identity)


def test_tampered_package_imports_nothing(package, office, tmp_path):
    data = bytearray(package.read_bytes())
    data[-5] ^= 0xFF
    bad = tmp_path / "bad.rpu"
    bad.write_bytes(bytes(data))
    with pytest.raises(rpu.PackageError):
        import_package(office.store, bad, office.identity)
    assert office.store.count() == 0
    assert not office.store.files_dir.exists() or not any(office.store.files_dir.rglob("*"))
