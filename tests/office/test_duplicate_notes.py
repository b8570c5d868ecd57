"""What a resolved duplicate leaves on the inbox: each entry's note says what happened in full,
after what it said before; a package of two keeps both its candidates when one is replaced;
a choice among several open copies names them all."""

from __future__ import annotations

import pytest

from collector.common.errors import NotFoundError
from collector.office import duplicates as dup, inbox
from collector.office.replace import replace
from tests.conftest import make_record
from tests.office.test_duplicates import CHANNEL, _with_attachment, clash  # noqa: F401


def _entries(store):
    return {e.file_name: e for e in inbox.list_inbox(store)}


def test_keep_adds_its_note_after_the_entrys_own_reason(clash):  # noqa: F811
    office, _, _, _ = clash
    number = dup.open_duplicates(office.store)[0].id_number
    name = office.store.get(office.store.id_for_number(number)).data["name"]
    before = _entries(office.store)["乙.rpu"].reason
    assert before.startswith(f"候选人 {name}（{number}）已在本机数据库中")
    dup.keep(office.store, number, "已核实")
    assert _entries(office.store)["乙.rpu"].reason == f"{before}；{name}：已处理，保留原记录（已核实）"
    assert _entries(office.store)["甲.rpu"].reason == ""


def test_replace_notes_both_entries_and_the_replaced_one_gets_no_leading_separator(clash):  # noqa: F811,E501
    office, _, _, _ = clash
    number = dup.open_duplicates(office.store)[0].id_number
    name = office.store.get(office.store.id_for_number(number)).data["name"]
    before = _entries(office.store)["乙.rpu"].reason
    replace(office.store, number, "乙.rpu", office.identity, "乙份更完整")
    entries = _entries(office.store)
    assert entries["乙.rpu"].reason == f"{before}；{name}：已以本文件替换原记录（乙份更完整）"
    assert entries["乙.rpu"].status == inbox.IMPORTED
    assert entries["甲.rpu"].reason == f"{name} 已被 #2 乙.rpu 替换"


def test_replacing_one_of_a_packages_two_candidates_keeps_the_other_listed(
        make_installation, tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    to = [office.public]
    first = _with_attachment(make_installation("a"), tmp_path / "甲.rpu", to, 5, tmp_path)
    both = make_installation("b")
    both.store.save(make_record(6, channel=CHANNEL))
    second = _with_attachment(both, tmp_path / "乙.rpu", to, 5, tmp_path)
    inbox.import_many(office.store, [first, second], office.identity)
    six = office.store.get(office.store.id_for_number(make_record(6)["id_number"]))
    assert [c["id"] for c in _entries(office.store)["乙.rpu"].candidates] == [six.id]
    number = make_record(5)["id_number"]
    result = replace(office.store, number, "乙.rpu", office.identity, "以乙份为准")
    listed = [c["id"] for c in _entries(office.store)["乙.rpu"].candidates]
    assert listed == [six.id, result.candidate_id]
    assert [e.file_name for e in inbox.packages_for(office.store, [six.id, result.candidate_id])] \
        == ["乙.rpu"]


@pytest.mark.parametrize("which", ["丙.rpu", "X2", "#x2", "3"])
def test_a_choice_that_is_no_open_copy_is_refused_naming_every_open_copy(
        clash, make_installation, tmp_path, which):  # noqa: F811
    office, region, _, _ = clash
    third = _with_attachment(make_installation("c"), tmp_path / "丙丙.rpu",
                             [office.public, region.public], 5, tmp_path)
    inbox.import_many(office.store, [third], office.identity)
    number = make_record(5)["id_number"]
    found = [d for d in dup.open_duplicates(office.store) if d.id_number == number]
    assert [d.file_name for d in found] == ["乙.rpu", "丙丙.rpu"]
    with pytest.raises(NotFoundError) as err:
        dup.keep(office.store, number, "核实", entry=which if which != "3" else "4")
    choices = "；".join(f"{d.label}（{d.second}）" for d in found)
    assert str(err.value) == (f"身份证号 {number} 的未处理重复中没有“{which if which != '3' else '4'}”"
                              f"；可以选择：{choices}")
    assert choices.count("；") == 1 and "#3 丙丙.rpu" in choices
