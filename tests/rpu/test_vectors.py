"""The format is pinned: fixed keys, randomness and time give known bytes; old files still open."""

from __future__ import annotations

import hashlib
import json

import pytest

from collector import rpu
from collector.common.fingerprint import canonical_json
from tests.vectors import rpu_vectors as v

EXPECTED = json.loads((v.HERE / "v1-basic.json").read_text(encoding="utf-8"))


def test_writer_reproduces_the_pinned_bytes(tmp_path):
    v.write(tmp_path / "again.rpu", compress=False)
    data = (tmp_path / "again.rpu").read_bytes()
    assert len(data) == EXPECTED["size"]
    assert hashlib.sha256(data).hexdigest() == EXPECTED["file_sha256"]
    assert data == (v.HERE / "v1-basic.rpu").read_bytes()


def test_vector_keys_and_file_key():
    assert v.identity("sender").fingerprint == EXPECTED["sender_fingerprint"]
    assert v.identity("recipient").fingerprint == EXPECTED["recipient_fingerprint"]
    assert v.rng_from("rng")(32).hex() == EXPECTED["file_key"]


@pytest.mark.parametrize("name", ["v1-basic.rpu", "v1-compressed.rpu"])
@pytest.mark.parametrize("who", ["recipient", "sender"])
def test_checked_in_vectors_keep_verifying(name, who):
    pkg = rpu.open_package(v.HERE / name, v.identity(who))
    assert pkg.signer_fingerprint == EXPECTED["sender_fingerprint"]
    assert pkg.manifest["created"] == v.CREATED
    assert pkg.candidates == [v.RECORD]
    assert pkg.parts["candidates/vector.json"].sha256 == EXPECTED["record_fingerprint"]
    assert pkg.read_part(f"attachments/{EXPECTED['attachment_sha256']}") == v.ATTACHMENT
    assert pkg.read_part("documents/推荐报告.txt") == v.DOCUMENT
    assert pkg.read_part("candidates/vector.json") == canonical_json(v.RECORD)


def test_vector_inspect():
    info = rpu.inspect(v.HERE / "v1-basic.rpu")
    assert info["created"] == v.CREATED and info["chunks"] == 2
    assert info["recipients"] == [EXPECTED["sender_fingerprint"], EXPECTED["recipient_fingerprint"]]


def test_compressed_vector_uses_compression():
    pkg = rpu.open_package(v.HERE / "v1-compressed.rpu", v.identity("recipient"))
    assert pkg.parts["documents/推荐报告.txt"].compression == "zlib"
