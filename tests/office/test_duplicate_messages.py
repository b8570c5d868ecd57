"""Every refusal of resolving a duplicate, read in full, and a duplicate whose record held here
is gone (deleted, or its ID number changed)."""

from __future__ import annotations

import pytest

from collector.common.errors import InputError, NotFoundError
from collector.office import duplicates as dup, inbox
from collector.rules.findings import ERROR
from tests.conftest import make_record
from tests.office.test_duplicates import _with_attachment, clash  # noqa: F401

NUMBER = make_record(5)["id_number"]


@pytest.mark.parametrize("number", ["", "   ", None])
def test_no_id_number_is_refused_naming_the_field(clash, number):  # noqa: F811
    office = clash[0]
    with pytest.raises(InputError) as err:
        dup.keep(office.store, number, "核实")
    assert (err.value.field, err.value.message) == ("id_number", "请给出重复报送人选的身份证号")
    assert str(err.value) == "公民身份号码（id_number）：请给出重复报送人选的身份证号"


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_no_reason_is_refused_naming_the_field(clash, reason):  # noqa: F811
    office = clash[0]
    with pytest.raises(InputError) as err:
        dup.keep(office.store, NUMBER, reason)
    assert (err.value.field, err.value.message) == ("reason", "请填写处理理由（例如“已与两个报送方核实”）")
    assert dup.open_duplicates(office.store)


def test_an_open_duplicate_is_an_error_on_the_id_number(clash):  # noqa: F811
    office = clash[0]
    [d] = dup.open_duplicates(office.store)
    f = d.finding()
    assert (f.rule, f.severity, f.field) == ("DUPLICATE", ERROR, "id_number")
    assert f.message == (f"身份证号 {NUMBER}（{d.name}）重复报送：{d.first} 与 {d.second}；"
                         f"{d.times()}；"
                         f"保留了先收到的记录，{dup.HOW}")


def test_resolving_again_lists_every_decision_taken(clash, make_installation, tmp_path):  # noqa: F811,E501
    office, region, _, _ = clash
    third = _with_attachment(make_installation("c"), tmp_path / "丙丙.rpu",
                             [office.public, region.public], 5, tmp_path)
    inbox.import_many(office.store, [third], office.identity)
    dup.keep(office.store, NUMBER, "核实")
    with pytest.raises(NotFoundError) as err:
        dup.keep(office.store, NUMBER, "再次")
    assert str(err.value) == (f"身份证号 {NUMBER} 的重复报送已处理过（#2 乙.rpu 保留原记录；"
                              "#3 丙丙.rpu 保留原记录），没有未处理的重复")


def test_a_number_with_no_duplicate_or_no_candidate_says_which(clash):  # noqa: F811
    office = clash[0]
    other = office.store.save(make_record(9))
    number = office.store.get(other).data["id_number"]
    name = office.store.get(other).name
    with pytest.raises(NotFoundError) as err:
        dup.keep(office.store, number, "x")
    assert str(err.value) == f"身份证号 {number}（{name}）没有重复报送，无需处理"
    office.store.delete(other)
    with pytest.raises(NotFoundError) as err:
        dup.keep(office.store, number, "x")
    assert str(err.value) == (f"没有身份证号为 {number} 的候选人或重复报送，请核对身份证号"
                              "（collector duplicates 列出未处理的重复）")


def test_a_duplicate_whose_record_here_is_gone_says_so_and_can_still_be_kept(clash):  # noqa: F811
    office = clash[0]
    office.store.delete(office.store.id_for_number(NUMBER))
    [d] = dup.open_duplicates(office.store)
    assert (d.first, d.candidate_id, d.packed) == (dup.GONE, None, False)
    [done] = dup.keep(office.store, NUMBER, "原记录已删除，保留现状")
    assert done.first == dup.GONE and not dup.open_duplicates(office.store)
