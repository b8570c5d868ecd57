"""The manifest and part-name checks at each of their boundaries (collector/rpu/format.py).

Each limit is tested on both sides and each refusal by the line a user reads, so that a check
that is loosened, tightened or silenced makes a test fail.
"""

from __future__ import annotations

import base64
import json

import pytest

from collector.rpu import format as fmt
from collector.rpu.errors import PackageError

SHA = "0" * 64


def part(**over) -> dict:
    raw = {"name": "candidates/a.json", "kind": "candidate", "size": 10, "sha256": SHA,
           "compression": None, "stored": 10}
    raw.update(over)
    return raw


def manifest(**over) -> dict:
    raw = {"format_version": fmt.VERSION, "program_year": 2017, "created": "2017-04-20T10:00:00",
           "sender": {"role": "个人", "unit": "单位", "name": "张三", "fingerprint": "ab" * 32},
           "parts": [part()]}
    raw.update(over)
    return raw


def encoded(m: dict) -> bytes:
    return json.dumps(m, ensure_ascii=False).encode("utf-8")


# --- part names -------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "a", "candidates/a.json", "附件/证书.pdf", "a/" * 7 + "b", "x" * fmt.MAX_NAME_BYTES,
    "a b/c d.pdf", "a.b/c..d",
])
def test_safe_part_names_pass(name):
    assert fmt.check_part_name(name) == name


@pytest.mark.parametrize("name, message", [
    ("", "部件名称为空或不是文本"),
    (None, "部件名称为空或不是文本"),
    (7, "部件名称为空或不是文本"),
    ("x" * (fmt.MAX_NAME_BYTES + 1), "部件名称过长"),
    ("证" * 81, "部件名称过长"),  # 243 UTF-8 bytes in 81 characters: bytes count, not characters
    ("/etc/passwd", "部件名称不安全（绝对路径"),
    ("a\\b", "部件名称不安全（绝对路径"),
    ("C:x", "部件名称不安全（绝对路径"),
    ("a\x00b", "部件名称不安全（绝对路径"),
    ("a\x1fb", "部件名称不安全（绝对路径"),
    ("a\x7fb", "部件名称不安全（绝对路径"),
    ("a*b", "部件名称不安全（绝对路径"),
    ("a?b", "部件名称不安全（绝对路径"),
    ('a"b', "部件名称不安全（绝对路径"),
    ("a<b", "部件名称不安全（绝对路径"),
    ("a>b", "部件名称不安全（绝对路径"),
    ("a|b", "部件名称不安全（绝对路径"),
    ("a/" * 8 + "b", "部件名称层级过深"),
    ("../a", "部件名称不安全（含 ..、空段或首尾空格）"),
    ("a/../b", "部件名称不安全（含 ..、空段或首尾空格）"),
    ("./a", "部件名称不安全（含 ..、空段或首尾空格）"),
    ("a//b", "部件名称不安全（含 ..、空段或首尾空格）"),
    ("a/", "部件名称不安全（含 ..、空段或首尾空格）"),
    (" a", "部件名称不安全（含 ..、空段或首尾空格）"),
    ("a/b ", "部件名称不安全（含 ..、空段或首尾空格）"),
])
def test_unsafe_part_names_are_refused(name, message):
    with pytest.raises(PackageError) as err:
        fmt.check_part_name(name)
    assert str(err.value).startswith(message)


def test_a_refused_name_is_shown_cut_to_sixty_characters():
    with pytest.raises(PackageError) as err:
        fmt.check_part_name("x" * 300)
    assert str(err.value) == f"部件名称过长：{'x' * 60}…"
    with pytest.raises(PackageError) as err:
        fmt.check_part_name("/" + "y" * 100)
    assert str(err.value).endswith("：/" + "y" * 59)


# --- parts ------------------------------------------------------------------------------

def test_a_well_formed_part_parses():
    entry = fmt.parse_part(part(kind="attachment", compression="zlib", stored=4, size=10))
    assert entry == fmt.PartEntry("candidates/a.json", "attachment", 10, SHA, "zlib", 4)
    assert entry.to_json() == part(kind="attachment", compression="zlib", stored=4, size=10)


@pytest.mark.parametrize("kind", fmt.KINDS)
def test_every_known_kind_parses(kind):
    assert fmt.parse_part(part(kind=kind)).kind == kind


@pytest.mark.parametrize("raw, message", [
    ([], "清单中的部件条目格式错误"),
    (part(kind="script"), "部件 candidates/a.json 的类型 'script' 未知"),
    (part(size=-1), "清单中 candidates/a.json 的大小 的数值无效或超出上限（-1）"),
    (part(size=True), "清单中 candidates/a.json 的大小 的数值无效或超出上限（True）"),
    (part(size=1.0), "清单中 candidates/a.json 的大小 的数值无效或超出上限（1.0）"),
    (part(size="10"), "清单中 candidates/a.json 的大小 的数值无效或超出上限（'10'）"),
    (part(kind="attachment", size=fmt.MAX_PART_SIZE + 1, stored=fmt.MAX_PART_SIZE + 1),
     f"清单中 candidates/a.json 的大小 的数值无效或超出上限（{fmt.MAX_PART_SIZE + 1}）"),
    (part(stored=-1), "清单中 candidates/a.json 的存储大小 的数值无效或超出上限（-1）"),
    (part(kind="attachment", size=5, stored=fmt.MAX_PART_SIZE + 1, compression="zlib"),
     f"清单中 candidates/a.json 的存储大小 的数值无效或超出上限（{fmt.MAX_PART_SIZE + 1}）"),
    (part(sha256="A" * 64), "部件 candidates/a.json 的 SHA-256 格式错误"),
    (part(sha256="0" * 63), "部件 candidates/a.json 的 SHA-256 格式错误"),
    (part(sha256="0" * 65), "部件 candidates/a.json 的 SHA-256 格式错误"),
    (part(sha256=None), "部件 candidates/a.json 的 SHA-256 格式错误"),
    (part(compression="gzip"), "部件 candidates/a.json 的压缩方式 'gzip' 未知"),
    (part(stored=9), "部件 candidates/a.json 的大小与存储大小不一致"),
    (part(kind="attachment", compression="zlib", size=fmt.MAX_COMPRESSED_PART + 1, stored=10),
     f"部件 candidates/a.json 解压后过大（{fmt.MAX_COMPRESSED_PART + 1} 字节），疑似压缩炸弹"),
    (part(size=fmt.MAX_CANDIDATE_SIZE + 1, stored=fmt.MAX_CANDIDATE_SIZE + 1),
     f"候选人部件 candidates/a.json 过大（{fmt.MAX_CANDIDATE_SIZE + 1} 字节）"),
])
def test_bad_parts_are_refused_with_their_line(raw, message):
    with pytest.raises(PackageError) as err:
        fmt.parse_part(raw)
    assert str(err.value) == message


@pytest.mark.parametrize("raw", [
    part(size=0, stored=0),
    part(kind="attachment", size=fmt.MAX_PART_SIZE, stored=fmt.MAX_PART_SIZE),
    part(kind="attachment", compression="zlib", size=fmt.MAX_COMPRESSED_PART, stored=1),
    part(size=fmt.MAX_CANDIDATE_SIZE, stored=fmt.MAX_CANDIDATE_SIZE),
    part(kind="attachment", size=fmt.MAX_CANDIDATE_SIZE + 1, stored=fmt.MAX_CANDIDATE_SIZE + 1),
])
def test_parts_at_the_limits_pass(raw):
    assert fmt.parse_part(raw).size == raw["size"]


# --- the manifest -----------------------------------------------------------------------

def test_a_well_formed_manifest_parses():
    m = fmt.parse_manifest(encoded(manifest()))
    assert m["parts"] == [fmt.PartEntry("candidates/a.json", "candidate", 10, SHA, None, 10)]
    assert fmt.manifest_json(m) == manifest()


def _sender(**over) -> dict:
    s = {"role": "个人", "unit": "单位", "name": "张三", "fingerprint": "ab" * 32}
    s.update(over)
    return s


@pytest.mark.parametrize("data, message", [
    (b"\xff", "清单不是有效的 JSON"),
    (b"{", "清单不是有效的 JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "清单不是有效的 JSON"),
    (b"[]", "清单格式错误"),
    (encoded(manifest(format_version=2)), "清单版本 2 不受支持"),
    (encoded(manifest(format_version=None)), "清单版本 None 不受支持"),
    (encoded(manifest(sender="张三")), "清单中的报送方信息格式错误"),
    *[(encoded(manifest(sender=_sender(**{k: 1}))), "清单中的报送方信息格式错误")
      for k in ("role", "unit", "name", "fingerprint")],
    (encoded(manifest(program_year=1999)), "清单中 年度 的数值无效或超出上限（1999）"),
    (encoded(manifest(program_year=3000)), "清单中 年度 的数值无效或超出上限（3000）"),
    (encoded(manifest(created=None)), "清单中的生成时间格式错误"),
    (encoded(manifest(parts={})), "清单中的部件列表格式错误或部件过多"),
    (encoded(manifest(parts=[part()] * 2)), "清单中有重名部件"),
])
def test_bad_manifests_are_refused_with_their_line(data, message):
    with pytest.raises(PackageError) as err:
        fmt.parse_manifest(data)
    # the line, or the line with the reader's detail in brackets (which byte, how deep …)
    assert str(err.value) == message or str(err.value).startswith(message + "（")


@pytest.mark.parametrize("year", [2000, 2999])
def test_program_years_at_the_limits_pass(year):
    assert fmt.parse_manifest(encoded(manifest(program_year=year)))["program_year"] == year


def test_too_many_parts_are_refused_before_each_is_read():
    parts = [part(name=f"p{i}") for i in range(fmt.MAX_PARTS + 1)]
    with pytest.raises(PackageError, match="^清单中的部件列表格式错误或部件过多$"):
        fmt.parse_manifest(encoded(manifest(parts=parts)))


def test_the_most_parts_allowed_pass():
    parts = [part(name=f"p{i}") for i in range(fmt.MAX_PARTS)]
    assert len(fmt.parse_manifest(encoded(manifest(parts=parts)))["parts"]) == fmt.MAX_PARTS


def test_total_stored_size_over_the_cap_is_refused():
    each = fmt.MAX_PART_SIZE
    n = fmt.MAX_TOTAL_SIZE // each
    parts = [part(name=f"p{i}", kind="attachment", size=each, stored=each) for i in range(n)]
    assert fmt.parse_manifest(encoded(manifest(parts=parts)))  # exactly at the cap passes
    parts.append(part(name="one-more", kind="attachment", size=1, stored=1))
    with pytest.raises(PackageError, match="^报送文件总大小超出上限$"):
        fmt.parse_manifest(encoded(manifest(parts=parts)))


# --- base64 header fields ---------------------------------------------------------------

def test_unb64_round_trip_and_length():
    raw = bytes(range(32))
    assert fmt.unb64(fmt.b64(raw), "sender", 32) == raw
    assert fmt.unb64(fmt.b64(raw), "sender") == raw


@pytest.mark.parametrize("text, message", [
    (None, "文件头字段 sender 格式错误"),
    (b"AAAA", "文件头字段 sender 格式错误"),
    ("A*AA", "文件头字段 sender 不是有效的 base64"),
    ("AAA", "文件头字段 sender 不是有效的 base64"),
    (base64.b64encode(bytes(31)).decode(), "文件头字段 sender 长度错误"),
    (base64.b64encode(bytes(33)).decode(), "文件头字段 sender 长度错误"),
])
def test_unb64_refusals(text, message):
    with pytest.raises(PackageError) as err:
        fmt.unb64(text, "sender", 32)
    assert str(err.value) == message


def test_a_part_name_with_a_lone_surrogate_is_called_an_invalid_name():
    data = encoded(manifest(parts=[part(name="X")])).replace(b'"X"', b'"\\ud800x"')
    with pytest.raises(PackageError) as err:
        fmt.parse_manifest(data)
    assert str(err.value).startswith("部件名称无效（parts[0].name：") and "U+D800" in str(err.value)
    data = encoded(manifest(created="X")).replace(b'"X"', b'"\\ud800"')
    with pytest.raises(PackageError) as err:
        fmt.parse_manifest(data)
    assert str(err.value).startswith("清单不是有效的 JSON（created：") and "U+D800" in str(err.value)


@pytest.mark.parametrize("text", ["AAAA!AAAA", "AAAA AAAA", "AAAA\nAAAA", "AAAA*AAAA"])
def test_a_header_field_with_characters_outside_base64_is_refused(text):
    """b64decode without validate would drop the stray characters and accept the rest."""
    with pytest.raises(PackageError, match="^文件头字段 nonce 不是有效的 base64$"):
        fmt.unb64(text, "nonce")
    assert fmt.unb64("AAAAAAAA", "nonce", 6) == bytes(6)
