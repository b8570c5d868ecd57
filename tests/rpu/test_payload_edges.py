"""What the verifying pass refuses inside an authentic, correctly signed payload, by the exact
line a user reads (collector/rpu/reader.py _open_package, _decompress, _check_part,
_candidate), and how parts come back afterwards.

The packages are built by hand here: a sender key signs whatever manifest the test wants, so
each check is reached on its own, with every check before it passing.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from collector import rpu
from collector.common.fingerprint import canonical_json
from collector.rpu.crypto import StreamWriter, payload_key, signed_message, wrap_file_key
from collector.rpu.format import (CHUNK, FORMAT_NAME, MAGIC, MAX_MANIFEST, PREFIX, VERSION,
                                  b64)
from collector.rpu.keys import Identity

SENDER = Identity("张三", "单位", Ed25519PrivateKey.generate(), X25519PrivateKey.generate())
OFFICE = Identity("受理方", "受理单位", Ed25519PrivateKey.generate(), X25519PrivateKey.generate())
CREATED = "2017-04-20T10:00:00"


def part(name: str, data: bytes, kind: str = "document", *, compress: bool = False,
         size: int | None = None, stored: bytes | None = None) -> tuple[dict, bytes]:
    body = stored if stored is not None else (zlib.compress(data) if compress else data)
    entry = {"name": name, "kind": kind, "size": len(data) if size is None else size,
             "sha256": hashlib.sha256(data).hexdigest(),
             "compression": "zlib" if compress else None, "stored": len(body)}
    return entry, body


def forge(path, parts, *, extra: bytes = b"", mlen: int | None = None,
          wrapped: bytes | None = None):
    """A package from SENDER to OFFICE, signed by SENDER, holding exactly ``parts``."""
    file_key = os.urandom(32)
    eph, wrap = wrap_file_key(file_key, OFFICE.box_public)
    header = canonical_json({"format": FORMAT_NAME, "created": CREATED, "chunk": CHUNK,
                             "nonce": b64(os.urandom(16)), "sender": b64(SENDER.sign_public),
                             "recipients": [{"fingerprint": OFFICE.fingerprint,
                                             "ephemeral": b64(eph),
                                             "wrapped": b64(wrapped or wrap)}]})
    head = PREFIX.pack(MAGIC, VERSION, len(header)) + header
    manifest = canonical_json({
        "format_version": VERSION, "program_year": 2017, "created": CREATED,
        "sender": {"role": "个人", "unit": "单位", "name": "张三",
                   "fingerprint": SENDER.fingerprint},
        "parts": [entry for entry, _ in parts]})
    signature = SENDER.sign_private.sign(signed_message(head, manifest))
    plain = (struct.pack(">I", len(manifest) if mlen is None else mlen) + manifest + signature
             + b"".join(body for _, body in parts) + extra)
    with open(path, "wb") as fh:
        fh.write(head)
        stream = StreamWriter(fh, payload_key(file_key, head))
        stream.write(plain)
        stream.close()
    return path


def refusal(path) -> str:
    with pytest.raises(rpu.PackageError) as err:
        rpu.open_package(path, OFFICE)
    prefix = f"{path.name}："
    assert str(err.value).startswith(prefix)
    return str(err.value)[len(prefix):]


def test_a_forged_package_that_is_sound_opens(tmp_path):
    big = b"".join(i.to_bytes(4, "big") for i in range(CHUNK))  # 4 chunks, incompressible-ish
    pkg = rpu.open_package(forge(tmp_path / "ok.rpu", [
        part("documents/a.txt", b"abc"), part("documents/big.bin", big),
        part("documents/zeros.bin", bytes(3 * CHUNK + 7), compress=True),
        part("documents/empty.txt", b"")]), OFFICE)
    assert pkg.read_part("documents/a.txt") == b"abc"
    assert pkg.read_part("documents/big.bin") == big
    assert pkg.read_part("documents/zeros.bin") == bytes(3 * CHUNK + 7)
    assert pkg.read_part("documents/empty.txt") == b""


def test_decompressed_parts_come_back_in_pieces_of_at_most_a_chunk(tmp_path):
    """The cap on each step is what keeps a bomb from inflating in memory first."""
    pkg = rpu.open_package(forge(tmp_path / "z.rpu", [
        part("documents/zeros.bin", bytes(40 * CHUNK), compress=True)]), OFFICE)
    pieces = list(pkg.iter_part("documents/zeros.bin"))
    assert sum(map(len, pieces)) == 40 * CHUNK and max(map(len, pieces)) <= CHUNK


@pytest.mark.parametrize("mlen", [MAX_MANIFEST + 1, 2 ** 31 + 5, 2 ** 32 - 1])
def test_a_manifest_length_over_the_limit_is_refused_before_reading(tmp_path, mlen):
    path = forge(tmp_path / "m.rpu", [part("documents/a.txt", b"abc")], mlen=mlen)
    assert refusal(path) == f"清单过大（{mlen} 字节），文件已损坏"


def test_a_manifest_length_at_the_limit_is_read_and_found_short(tmp_path):
    path = forge(tmp_path / "m.rpu", [part("documents/a.txt", b"abc")], mlen=MAX_MANIFEST)
    assert refusal(path) == "文件被截断或清单与内容不符"


def test_a_file_key_that_does_not_unwrap_is_refused(tmp_path):
    path = forge(tmp_path / "w.rpu", [part("documents/a.txt", b"abc")], wrapped=bytes(48))
    assert refusal(path) == "无法用本机密钥解开文件密钥：文件已损坏或被篡改"


def test_data_after_the_last_part_is_refused(tmp_path):
    path = forge(tmp_path / "x.rpu", [part("documents/a.txt", b"abc")], extra=b"!")
    assert refusal(path) == "最后一个部件之后还有多余数据，文件已被篡改"


@pytest.mark.parametrize("size", [3 * CHUNK, 3 * CHUNK + 6])
def test_a_part_changed_under_its_signed_hash_is_refused(tmp_path, size):
    data = os.urandom(size)
    entry, _ = part("documents/a.bin", data)
    changed = bytearray(data)
    changed[-1] ^= 1  # same length, so only the hash can tell
    path = forge(tmp_path / "h.rpu", [(entry, bytes(changed))])
    assert refusal(path) == "部件 documents/a.bin 的内容与清单中的 SHA-256 不符，文件已被篡改"


def test_a_compressed_part_shorter_than_declared_is_refused(tmp_path):
    path = forge(tmp_path / "s.rpu", [part("documents/a.txt", b"abc" * 100, compress=True,
                                           size=301)])
    assert refusal(path) == "部件 documents/a.txt 的内容与清单中的 SHA-256 不符，文件已被篡改"


@pytest.mark.parametrize("declared", [1000, 2 * CHUNK, 5 * CHUNK - 1])
def test_a_bomb_is_stopped_at_its_declared_size(tmp_path, declared):
    path = forge(tmp_path / "b.rpu", [part("documents/a.bin", bytes(5 * CHUNK), compress=True,
                                           size=declared)])
    assert refusal(path) == "部件 documents/a.bin 解压后超过声明的大小，疑似压缩炸弹"


@pytest.mark.parametrize("stored, message", [
    (b"not zlib at all", "部件 documents/a.txt 的压缩数据已损坏"),
    (zlib.compress(b"abc" * 100)[:-6], "部件 documents/a.txt 的压缩数据不完整或有多余数据"),
    (zlib.compress(b"abc" * 100) + b"tail", "部件 documents/a.txt 的压缩数据不完整或有多余数据"),
])
def test_broken_compressed_data_is_refused(tmp_path, stored, message):
    path = forge(tmp_path / "c.rpu", [part("documents/a.txt", b"abc" * 100, compress=True,
                                           stored=stored)])
    assert refusal(path) == message


def test_a_candidate_that_is_not_canonical_is_refused(tmp_path):
    path = forge(tmp_path / "n.rpu", [part("candidates/a.json", b'{"b": 1, "a": 2}', "candidate")])
    assert refusal(path) == "候选人部件 candidates/a.json 不是规范格式的记录"
    path = forge(tmp_path / "l.rpu", [part("candidates/a.json", b"[1]", "candidate")])
    assert refusal(path) == "候选人部件 candidates/a.json 不是规范格式的记录"


def test_a_candidate_that_is_not_json_is_a_format_line(tmp_path):
    path = forge(tmp_path / "j.rpu", [part("candidates/a.json", b'{"a": \xff}', "candidate")])
    message = refusal(path)
    assert message.startswith("FORMAT：候选人部件 ") and "candidates/a.json" in message


def test_a_canonical_candidate_is_kept_with_its_name(tmp_path):
    record = {"name": "张三", "id_number": "x"}
    pkg = rpu.open_package(forge(tmp_path / "c.rpu", [
        part("documents/a.txt", b"abc"),
        part("candidates/a.json", canonical_json(record), "candidate")]), OFFICE)
    assert pkg.candidate_parts == [("candidates/a.json", record)]
    assert pkg.candidates == [record]


def test_missing_files_and_folders_are_named(tmp_path):
    with pytest.raises(rpu.PackageError) as err:
        rpu.inspect(tmp_path / "无.rpu")
    assert str(err.value) == f"文件 {tmp_path / '无.rpu'} 不存在"
    with pytest.raises(rpu.PackageError) as err:
        rpu.inspect(tmp_path)
    assert str(err.value) == f"{tmp_path} 是文件夹，不是报送文件"


def test_output_that_zlib_hands_over_only_at_the_end_counts_toward_the_cap(tmp_path):
    """Without its Adler-32 trailer this stream yields its last 100 bytes only on flush();
    those bytes push it over the declared size, which must be called a bomb."""
    stored = zlib.compress(bytes(5 * CHUNK + 100))[:-4]
    path = forge(tmp_path / "t.rpu", [part("documents/a.bin", bytes(5 * CHUNK + 50),
                                           compress=True, stored=stored)])
    assert refusal(path) == "部件 documents/a.bin 解压后超过声明的大小，疑似压缩炸弹"


@pytest.mark.parametrize("missing", [1, CHUNK, 3 * CHUNK + 5, 40 * CHUNK])
def test_a_signed_manifest_that_claims_more_than_the_payload_holds_is_refused(tmp_path,
                                                                              missing):
    """The sender signs a part ``missing`` bytes longer than what follows: the reader runs out
    of chunks (never decrypts past the last one) and says so."""
    data = os.urandom(2 * CHUNK + 17)
    entry, body = part("documents/long.bin", data)
    entry = dict(entry, size=len(data) + missing, stored=len(body) + missing)
    path = forge(tmp_path / "long.rpu", [(entry, body)])
    assert refusal(path) == "文件被截断或清单与内容不符"
