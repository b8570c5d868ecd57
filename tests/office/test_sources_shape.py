"""``documents/sources.json`` comes from the level below: its shape is checked before anything
reads it (``office/sources.py``), one FORMAT line naming the entry and the key. What a level
package really holds passes unchanged."""

from __future__ import annotations

import json

import pytest

from collector.office import inbox
from collector.exchange.sources import SourcesError, check_sources, read_sources
from collector.rpu.reader import open_package
from tests.office.test_chain_sources import _forged, _office_package, world  # noqa: F401

HEAD = "FORMAT：documents/sources.json 格式不对："
TAIL = "；该报送包由报送方程序生成，请联系报送方重新生成"
NUMBER = "150102197501010012"


def test_what_a_level_package_writes_passes_unchanged(world, tmp_path):  # noqa: F811
    from collector.office.replace import replace

    # the world's open duplicate is decided first: nothing goes up while one is open
    replace(world["office"].store, world["x"], "乙.rpu", world["office"].identity, "乙份为准")
    out = _office_package(world, tmp_path)
    data = open_package(out, world["region"].identity).read_part(inbox.SOURCES_DOC)
    assert read_sources(data) == json.loads(data)
    assert {e.get("package") is None for e in json.loads(data).values()} == {False}


@pytest.mark.parametrize("raw, why", [
    ([], "应为以身份证号为键的对象"),
    ({NUMBER: "packages/001.rpu"}, f"身份证号 {NUMBER} 的内容应为对象，实为文本"),
    ({NUMBER: {"package": ["packages/001.rpu"]}},
     f"身份证号 {NUMBER} 的 package 应为内层报送包的名称（文本）或 null，实为列表"),
    ({NUMBER: {"package": 7}},
     f"身份证号 {NUMBER} 的 package 应为内层报送包的名称（文本）或 null，实为数字"),
    ({NUMBER: {"package": ""}},
     f"身份证号 {NUMBER} 的 package 应为内层报送包的名称（文本）或 null，实为文本"),
    ({NUMBER: {"package": None, "sha256": {"x": 1}}}, f"身份证号 {NUMBER} 的 sha256 应为文本，实为对象"),
    ({NUMBER: {"package": None, "applicant_key": True}},
     f"身份证号 {NUMBER} 的 applicant_key 应为文本，实为真假值"),
    ({NUMBER: {"package": None, "paper": {"status": ["matched"]}}},
     f"身份证号 {NUMBER} 的 paper 应为各项均为文本的对象"),
    ({NUMBER: {"package": None, "accepted": "yes"}},
     f"身份证号 {NUMBER} 的 accepted 应为各项均为文本的对象"),
    ({"a\u202eb": 1}, "身份证号 a\\u202eb 的内容应为对象，实为数字"),
])
def test_each_wrong_shape_is_one_format_line_naming_where(raw, why):
    with pytest.raises(SourcesError) as err:
        check_sources(raw)
    assert str(err.value) == HEAD + why + TAIL


def test_bytes_that_are_no_json_are_one_format_line():
    with pytest.raises(SourcesError) as err:
        read_sources(b"\xff{")
    assert str(err.value).startswith("FORMAT：documents/sources.json：不是 UTF-8 编码的文本")


def test_a_null_package_and_absent_keys_are_a_record_entered_by_the_level():
    assert check_sources({NUMBER: {"package": None}}) == {NUMBER: {"package": None}}
    assert check_sources({NUMBER: {}}) == {NUMBER: {}}


def test_the_chain_of_a_package_whose_source_is_not_text_fails_with_one_format_line(
        world, tmp_path, cli, monkeypatch):  # noqa: F811
    """``inspect --chain`` (read_chain) gave 程序内部错误（TypeError）; chain.py reads through
    ``read_sources``, so the package's chain fails with the FORMAT line."""
    chain = _forged(world, tmp_path, {world["x"]: {"package": ["packages/002-乙.rpu"]}})
    assert not chain.ok and any(p.startswith("FORMAT：documents/sources.json") for p in
                                chain.problems + [chain.root.sources_error or ""])


@pytest.mark.parametrize("raw, why", [
    ({NUMBER: {"package": None, "file": None}}, f"身份证号 {NUMBER} 的 file 应为文本，实为null"),
    ({NUMBER: {"package": None, "applicant_record": 1.5}},
     f"身份证号 {NUMBER} 的 applicant_record 应为文本，实为数字"),
    ({"9" * 60: []}, f"身份证号 {'9' * 40} 的内容应为对象，实为列表"),
])
def test_more_wrong_shapes(raw, why):
    with pytest.raises(SourcesError) as err:
        check_sources(raw)
    assert str(err.value) == HEAD + why + TAIL


def test_more_entries_than_any_level_has_are_refused_unread():
    from collector.exchange.sources import MAX_ENTRIES

    assert MAX_ENTRIES == 10_000
    assert len(check_sources({str(i): {} for i in range(MAX_ENTRIES)})) == MAX_ENTRIES
    with pytest.raises(SourcesError) as err:
        check_sources({str(i): "x" for i in range(MAX_ENTRIES + 1)})
    assert str(err.value) == HEAD + "含 10001 个人选，超过上限 10000" + TAIL
