"""The clear part of a package, checked field by field before any key is used
(collector/rpu/reader.py read_head, inspect): each refusal by the exact line a user reads,
each count and length on both sides of its limit."""

from __future__ import annotations

import base64
import hashlib
import json
import math

import pytest

from collector import rpu
from collector.rpu.format import CHUNK, FORMAT_NAME, MAGIC, MAX_HEADER, MAX_RECIPIENTS, PREFIX, TAG

FP = "ab" * 32


def b64(n: int) -> str:
    return base64.b64encode(bytes(range(n))).decode()


def stanza(**over) -> dict:
    st = {"fingerprint": FP, "ephemeral": b64(32), "wrapped": b64(48)}
    st.update(over)
    return st


def header(**over) -> dict:
    h = {"format": FORMAT_NAME, "created": "2017-04-20T10:00:00", "chunk": CHUNK,
         "nonce": b64(16), "sender": b64(32), "recipients": [stanza()]}
    h.update(over)
    return h


def write(tmp_path, head: dict | bytes, payload: bytes = bytes(100), version: int = 1,
          hlen: int | None = None):
    raw = head if isinstance(head, bytes) else json.dumps(head).encode()
    path = tmp_path / "h.rpu"
    path.write_bytes(PREFIX.pack(MAGIC, version, len(raw) if hlen is None else hlen) + raw
                     + payload)
    return path


def refused(path) -> str:
    with pytest.raises(rpu.PackageError) as err:
        rpu.inspect(path)
    return str(err.value)


def test_a_well_formed_header_is_told_without_a_key(tmp_path):
    path = write(tmp_path, header(recipients=[stanza(), stanza(fingerprint="cd" * 32)]))
    info = rpu.inspect(path)
    assert info == {"file": str(path), "size": path.stat().st_size, "format_version": 1,
                    "created": "2017-04-20T10:00:00",
                    "sender_fingerprint": hashlib.sha256(bytes(range(32))).hexdigest(),
                    "recipients": [FP, "cd" * 32], "chunks": 1}


@pytest.mark.parametrize("payload_len", [1, TAG, TAG + 1, 2 * TAG, 2 * TAG + 1, CHUNK,
                                         CHUNK + TAG - 1, CHUNK + TAG, CHUNK + TAG + 1,
                                         2 * (CHUNK + TAG), 2 * (CHUNK + TAG) + 1])
def test_the_chunk_count_is_each_started_chunk(tmp_path, payload_len):
    path = write(tmp_path, header(), bytes(payload_len))
    assert rpu.inspect(path)["chunks"] == math.ceil(payload_len / (CHUNK + TAG))


@pytest.mark.parametrize("data, message", [
    (b"", "不是报送文件（.rpu）：文件开头的标识不对"),
    (b"PK\x03\x04" + bytes(100), "不是报送文件（.rpu）：文件开头的标识不对"),
    (MAGIC[:3], "不是报送文件（.rpu）：文件开头的标识不对"),
    (MAGIC[:4], "文件被截断：文件头不完整"),
    (MAGIC[:4] + b"XXXX" + bytes(100), "文件被截断：文件头不完整"),  # a damaged identifier
    (MAGIC + b"\x01\x00\x00", "文件被截断：文件头不完整"),
    (MAGIC[:3] + b"X" + MAGIC[4:] + bytes(100), "不是报送文件（.rpu）：文件开头的标识不对"),
])
def test_what_is_not_a_package_or_is_cut_short(tmp_path, data, message):
    (tmp_path / "x.rpu").write_bytes(data)
    assert refused(tmp_path / "x.rpu") == message


def test_an_unknown_version_names_both_versions(tmp_path):
    assert refused(write(tmp_path, header(), version=2)) == (
        "报送文件格式版本 2 不受支持（本程序支持版本 1），请升级程序或请报送方用相同版本重新生成")


def test_the_header_size_limit(tmp_path):
    assert refused(write(tmp_path, b"", hlen=MAX_HEADER + 1)) == \
        f"文件头过大（{MAX_HEADER + 1} 字节），文件已损坏"
    big = header(pad="x" * (MAX_HEADER - len(json.dumps(header(pad="")).encode())))
    assert len(json.dumps(big).encode()) == MAX_HEADER
    assert rpu.inspect(write(tmp_path, big))["recipients"] == [FP]


def test_a_header_shorter_than_it_says_is_truncation(tmp_path):
    raw = json.dumps(header()).encode()
    assert refused(write(tmp_path, raw[:-1], b"", hlen=len(raw))) == "文件被截断：文件头不完整"


@pytest.mark.parametrize("head, message", [
    (b"{", "文件头已损坏（不是有效的 JSON）"),
    (b"\xff\xfe", "文件头已损坏（不是有效的 JSON）"),
    (b"[]", "文件头已损坏（格式标识不对）"),
    (header(format="talent-collector-rpx"), "文件头已损坏（格式标识不对）"),
    (header(chunk=CHUNK // 2), "文件头已损坏（分块大小或生成时间无效）"),
    (header(created=20170420), "文件头已损坏（分块大小或生成时间无效）"),
    (header(nonce=b64(15)), "文件头字段 nonce 长度错误"),
    (header(nonce=b64(17)), "文件头字段 nonce 长度错误"),
    (header(nonce=None), "文件头字段 nonce 格式错误"),
    (header(sender=b64(31)), "文件头字段 sender 长度错误"),
    (header(sender=b64(33)), "文件头字段 sender 长度错误"),
    (header(sender=None), "文件头字段 sender 格式错误"),
    (header(recipients={}), "文件头中的接收方列表无效"),
    (header(recipients=[]), "文件头中的接收方列表无效"),
    (header(recipients=[stanza()] * (MAX_RECIPIENTS + 1)), "文件头中的接收方列表无效"),
    (header(recipients=["x"]), "文件头中的接收方条目无效"),
    (header(recipients=[stanza(fingerprint=7)]), "文件头中的接收方条目无效"),
    (header(recipients=[stanza(fingerprint="AB" * 32)]), "文件头中的接收方条目无效"),
    (header(recipients=[stanza(fingerprint="ab" * 31)]), "文件头中的接收方条目无效"),
    (header(recipients=[stanza(), stanza(fingerprint="zz" * 32)]), "文件头中的接收方条目无效"),
    (header(recipients=[stanza(ephemeral=b64(31))]), "文件头字段 ephemeral 长度错误"),
    (header(recipients=[stanza(ephemeral=b64(33))]), "文件头字段 ephemeral 长度错误"),
    (header(recipients=[stanza(ephemeral=None)]), "文件头字段 ephemeral 格式错误"),
    (header(recipients=[stanza(wrapped=b64(47))]), "文件头字段 wrapped 长度错误"),
    (header(recipients=[stanza(wrapped=b64(49))]), "文件头字段 wrapped 长度错误"),
    (header(recipients=[stanza(wrapped=None)]), "文件头字段 wrapped 格式错误"),
])
def test_each_header_field_is_refused_with_its_line(tmp_path, head, message):
    assert refused(write(tmp_path, head)) == message


@pytest.mark.parametrize("n", [1, 2, MAX_RECIPIENTS])
def test_recipient_counts_within_the_limit_pass(tmp_path, n):
    stanzas = [stanza(fingerprint=f"{i:064x}") for i in range(n)]
    assert len(rpu.inspect(write(tmp_path, header(recipients=stanzas)))["recipients"]) == n
