"""Every refusal of resolving a duplicate, read in full, a duplicate whose record held here
is gone (deleted, or its ID number changed), and how a duplicate names its second copy and the
signed times of both."""

from __future__ import annotations

import pytest

from collector.common.errors import InputError, NotFoundError
from collector.office import duplicates as dup, inbox
from collector.rules.findings import ERROR
from tests.conftest import make_record
from tests.office.conftest import PASS
from tests.office.test_duplicates import CHANNEL, _with_attachment, clash  # noqa: F401

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


def test_a_duplicate_of_a_record_entered_here_has_no_signed_time_or_signer_for_it(
        make_installation, tmp_path):
    """The record here was typed in (no package, no signature): its side of the duplicate says
    so, and the two copies cannot be ordered."""
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    office.store.save(make_record(5, channel=CHANNEL))
    path = _with_attachment(make_installation("b"), tmp_path / "乙.rpu", [office.public], 5,
                            tmp_path)
    inbox.import_many(office.store, [path], office.identity)
    [d] = dup.open_duplicates(office.store)
    assert (d.first_created, d.first_signer) == ("", "")
    assert d.second_created and d.second_signer
    assert d.times() == (f"签名时间：原记录 未记录（本机录入或无签名），"
                         f"又收到的一份 {dup.signed_time(d.second_created)}（无法比较新旧）")
    assert (d.to_json()["first_created"], d.to_json()["first_signer"]) == ("", "")


def test_the_second_copys_signed_time_is_kept_when_its_package_file_is_gone(clash):  # noqa: F811
    """The time and signer recorded from the verified manifest when the copy arrived are shown
    even after the kept package was deleted from the data folder."""
    from collector.rpu.reader import inspect

    office, _, _, second = clash
    created = inspect(second)["created"]
    [entry] = [e for e in inbox.list_inbox(office.store) if e.file_name == "乙.rpu"]
    assert dup.open_duplicates(office.store)[0].second_created == created
    office.store.file_path(entry.sha256).unlink()
    [d] = dup.open_duplicates(office.store)
    assert (d.second_created, d.second_signer) == (created, entry.signer)


def test_a_signed_time_without_a_zone_is_local_time_and_compares_with_one_that_has_it(
        clash):  # noqa: F811
    """A hand-made or older package may write its time without a zone: it is read as this
    computer's local time, so both copies can still be ordered."""
    import datetime as dt
    from dataclasses import replace as changed

    office, _, _, _ = clash
    [d] = dup.open_duplicates(office.store)
    local = dt.datetime(2017, 4, 20, 9, 0).astimezone()
    later = changed(d, first_created="2017-04-20T09:00:00",
                    second_created=(local + dt.timedelta(hours=1)).isoformat())
    assert later.newer == "second" and later.times().endswith("（又收到的一份较新）")
    same = changed(later, second_created=local.isoformat())
    assert same.newer == "" and same.times().endswith("（两份签名时间相同）")


def test_the_second_copy_is_named_by_its_file_and_its_senders_unit(make_installation, tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    first = _with_attachment(make_installation("a"), tmp_path / "甲.rpu", [office.public], 5,
                             tmp_path)
    second = _with_attachment(make_installation("b", unit="内蒙古科技大学"), tmp_path / "乙.rpu",
                              [office.public], 5, tmp_path)
    inbox.import_many(office.store, [first, second], office.identity)
    [d] = dup.open_duplicates(office.store)
    assert "乙.rpu" in d.second and d.second.endswith("（内蒙古科技大学）")


def test_a_second_copy_from_keys_without_a_unit_is_named_by_its_signers_name(
        make_installation, tmp_path):
    from types import SimpleNamespace

    from collector.exchange.keyring import generate_identity
    from collector.storage.store import Store

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    first = _with_attachment(make_installation("a"), tmp_path / "甲.rpu", [office.public], 5,
                             tmp_path)
    (tmp_path / "c").mkdir()
    with Store(tmp_path / "c" / "collector.db") as store:
        sender = SimpleNamespace(name="c", store=store,
                                 identity=generate_identity(store, PASS, "王老师", ""))
        second = _with_attachment(sender, tmp_path / "乙.rpu", [office.public], 5, tmp_path)
    inbox.import_many(office.store, [first, second], office.identity)
    [d] = dup.open_duplicates(office.store)
    assert d.second.endswith("乙.rpu（王老师）")
