"""Property test over the reader: any mutation of a valid package is refused with PackageError."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collector import rpu
from collector.rpu.format import MAGIC, PREFIX, VERSION
from collector.rpu.writer import Part
from collector.storage.store import Store
from collector.exchange import keyring
from collector.exchange.packing import pack
from tests.conftest import make_record


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    with Store(root / "a.db") as a, Store(root / "o.db") as o:
        sender = keyring.generate_identity(a, "pw")
        office = keyring.generate_identity(o, "pw")
        a.save(make_record(0))
        path = root / "good.rpu"
        pack(a, [], path, identity=sender, recipients=[office.public],
             extra_parts=[Part.from_bytes("documents/x.bin", "document", bytes(range(256)) * 300,
                                          compress=False)],
             today=dt.date(2017, 4, 1))
    return root, path.read_bytes(), office


mutation = st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(flips=st.lists(mutation, min_size=1, max_size=4), cut=st.none() | st.integers(min_value=0),
       tail=st.binary(max_size=40))
def test_mutated_packages_are_refused(world, flips, cut, tail):
    root, good, office = world
    data = bytearray(good)
    for pos, x in flips:
        data[pos % len(data)] ^= x
    if cut is not None:
        data = data[:cut % len(data)]
    data += tail
    if bytes(data) == good:
        return
    path = root / "m.rpu"
    path.write_bytes(bytes(data))
    with pytest.raises(rpu.PackageError) as caught:
        rpu.open_package(path, office)
    _is_a_line_a_user_can_act_on(str(caught.value))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(header=st.binary(max_size=300) | st.dictionaries(st.text(max_size=10),
                                                         st.integers() | st.text(max_size=20),
                                                         max_size=6).map(lambda d: repr(d).encode()),
       rest=st.binary(max_size=200), version=st.sampled_from([VERSION, VERSION, 0, 255]))
def test_random_headers_never_crash_inspect_or_open(world, header, rest, version):
    root, _, office = world
    path = root / "r.rpu"
    path.write_bytes(PREFIX.pack(MAGIC, version, len(header)) + header + rest)
    for call in (lambda: rpu.inspect(path), lambda: rpu.open_package(path, office)):
        try:
            call()
        except rpu.PackageError as err:
            _is_a_line_a_user_can_act_on(str(err))


def _is_a_line_a_user_can_act_on(message: str) -> None:
    """What the operator reads: one Chinese line, no Python internals, not a wall of bytes."""
    assert "\n" not in message and 4 <= len(message) <= 400, message
    assert any("\u4e00" <= c <= "\u9fff" for c in message), message
    for leak in ("Traceback", "Error(", "Exception", "object at 0x", "b'\\x", "errno"):
        assert leak not in message, message


def test_deeply_nested_header_is_one_line(world):
    root, _, office = world
    header = b"[" * 200_000
    path = root / "deep.rpu"
    path.write_bytes(PREFIX.pack(MAGIC, VERSION, len(header)) + header)
    with pytest.raises(rpu.PackageError, match="文件头"):
        rpu.inspect(path)
