"""What the inbox tells the operator, line for line: each refusal names the file and the reason,
each imported package says how far its chain was checked, and every candidate that is not
traced to its applicant, needs a paper check, or is held gets its own line."""

from __future__ import annotations

import datetime as dt

import pytest

from collector import disc
from collector.disc.folder import write_manifest
from collector.common.fingerprint import short
from collector.rpu.reader import open_package
from collector.office import inbox
from collector.rpu.errors import Cancelled
from tests.conftest import make_record
from tests.office.conftest import applicant_package
from tests.office.test_chain_attacks import _send_up, world  # noqa: F401 (fixture)

CHANNEL = {"kind": "盟市", "name": "包头市"}


@pytest.fixture
def w(request):
    """applicant → unit → 盟市 office (test_chain_attacks.world), the region still empty."""
    return request.getfixturevalue("world")


def test_each_level_says_how_far_the_chain_was_checked(w):
    name, number = make_record(5)["name"], w["number"]
    out = _send_up(w)
    region = w["region"]
    [entry] = inbox.import_many(region.store, [out], region.identity).entries
    office_fp = short(w["office"].identity.fingerprint)
    assert inbox.entry_lines(entry) == [
        f"[已导入] {out}  签名 {office_fp}  报送方 包头市人社局（盟市）  候选人 1 名：{name}",
        "    签名链：通过（3 个报送包）：申报人签名已核对 1 名",
        "    待本级核对纸质登记表 1 名：推荐前须逐一扫描核对（collector paper-check）"]
    assert entry.status_label == "已导入" and entry.verified

    [seen] = inbox.list_inbox(w["office"].store)  # the 盟市 cannot open the applicant's package
    applicant_fp = short(w["applicant"].identity.fingerprint)
    assert inbox.entry_lines(seen)[1:] == [
        "    签名链：未能全部核对到申报人本人（2 个报送包）：无法核对 1 名",
        f"    {name}（{number}）：无法核对——数据取自内层报送包 001-申报人.rpu"
        f"（签名 {applicant_fp}），未加密给本机，本机无法打开核对"]

    [again] = inbox.import_many(region.store, [out], region.identity).entries
    assert (again.status, again.id, again.reason) == (inbox.SKIPPED, entry.id, "同一文件此前已导入")
    assert inbox.entry_lines(again) == [
        f"[已导入过] {out}  签名 {office_fp}  报送方 包头市人社局（盟市）  原因：同一文件此前已导入"]
    assert len(inbox.list_inbox(region.store)) == 1  # a skipped file is not listed twice


def test_an_applicant_package_sent_straight_to_the_region_is_flagged_and_held(
        make_installation, tmp_path):
    region = make_installation("region", "自治区", "自治区")
    path = applicant_package(make_installation("a"), tmp_path / "a.rpu", [region.public], 5,
                             channel=CHANNEL)
    [entry] = inbox.import_many(region.store, [path], region.identity).entries
    who = f"{make_record(5)['name']}（{make_record(5)['id_number']}）"
    assert inbox.entry_lines(entry)[1:] == [
        "    签名链：通过（1 个报送包）：申报人签名已核对 1 名",
        f"    {who}：须核对纸质材料——申报人直接报送到本机，其签名密钥首次在本机出现"
        "（collector paper-check）",
        f"    {who}：暂扣待定，不能推荐；请核对纸质材料，或核实后接受"
        "（collector accept 身份证号 --reason 理由）"]
    [cand] = entry.candidates
    assert cand["hold"] == "申报人直接报送到本机，其签名密钥首次在本机出现；纸质材料未核对"


def test_inputs_that_are_not_packages_are_refused_by_name(make_installation, tmp_path):
    unit = make_installation("unit", "单位", "U", "包头市")
    missing = tmp_path / "没有这个.rpu"
    text = tmp_path / "说明.txt"
    text.write_text("x", encoding="utf-8")
    empty = tmp_path / "空文件夹"
    (empty / "子目录").mkdir(parents=True)
    (empty / "子目录" / "a.pdf").write_bytes(b"%PDF")
    label = disc.DiscLabel("包头市", dt.date(2017, 4, 20))
    (tmp_path / "x.rpu").write_bytes(b"x")
    blank_disc = disc.build_folder(tmp_path / "空光盘", rpu_files=[tmp_path / "x.rpu"], label=label)
    (tmp_path / "x.rpu").unlink()
    (blank_disc / "RPU" / "x.rpu").unlink()  # a whole disc, its manifest rewritten, no package
    write_manifest(blank_disc)
    result = inbox.import_many(unit.store, [missing, text, empty, blank_disc], unit.identity)
    assert [(e.status, e.file_name, e.reason) for e in result.entries] == [
        ("refused", "没有这个.rpu", f"文件或文件夹 {missing} 不存在"),
        ("refused", "说明.txt", "说明.txt 不是 .rpu 报送文件，请选择扩展名为 .rpu 的文件"),
        ("refused", "空文件夹", "文件夹中没有 .rpu 报送文件"),
        ("refused", "空光盘", "光盘中没有 .rpu 报送文件")]
    assert [e.origin for e in result.entries] == [str(missing), str(text), str(empty),
                                                  str(blank_disc)]
    assert inbox.entry_lines(result.entries[1]) == [
        f"[拒收] {text}  签名 —  报送方 —（—）  原因：{result.entries[1].reason}"]
    assert len(inbox.list_inbox(unit.store)) == 4 and unit.store.count() == 0


def test_a_folder_is_searched_for_packages_in_any_case(make_installation, tmp_path):
    unit = make_installation("unit", "单位", "U", "包头市")
    folder = tmp_path / "收到的"
    (folder / "子目录").mkdir(parents=True)
    applicant_package(make_installation("a"), folder / "子目录" / "甲.RPU", [unit.public], 1)
    applicant_package(make_installation("b"), folder / "乙.rpu", [unit.public], 2)
    (folder / "乙.rpu.txt").write_text("not a package", encoding="utf-8")
    result = inbox.import_many(unit.store, [folder], unit.identity)
    assert [(e.file_name, e.status) for e in result.entries] == [("乙.rpu", "imported"),
                                                                 ("甲.RPU", "imported")]
    assert result.entries[1].origin == str(folder / "子目录" / "甲.RPU")


def test_progress_counts_each_file_and_cancel_keeps_what_is_done(make_installation, tmp_path):
    unit = make_installation("unit", "单位", "U", "包头市")
    paths = [applicant_package(make_installation(f"a{i}"), tmp_path / f"a{i}.rpu", [unit.public],
                               i) for i in range(3)]
    seen = []
    inbox.import_many(unit.store, paths[:2], unit.identity,
                      progress=lambda n, total, name: seen.append((n, total, name)))
    assert seen == [(0, 2, "a0.rpu"), (1, 2, "a1.rpu"), (2, 2, "完成")]
    asked = []
    with pytest.raises(Cancelled) as err:
        inbox.import_many(unit.store, [paths[2], paths[0]], unit.identity,
                          cancel=lambda: asked.append(1) or len(asked) > 1)
    assert str(err.value) == "已取消导入；已完成的 1 个文件保留在收件箱中"
    assert unit.store.count() == 3 and len(inbox.list_inbox(unit.store)) == 3


@pytest.mark.parametrize("error", [ValueError, UnicodeError, RecursionError, OverflowError,
                                   KeyError, TypeError])
def test_an_error_no_check_foresaw_refuses_that_file_only(make_installation, tmp_path,
                                                          monkeypatch, error):
    unit = make_installation("unit", "单位", "U", "包头市")
    bad = applicant_package(make_installation("a"), tmp_path / "坏.rpu", [unit.public], 1)
    good = applicant_package(make_installation("b"), tmp_path / "好.rpu", [unit.public], 2)
    real = inbox.import_one

    def import_one(store, path, identity, **kw):
        if path == bad:
            raise error("boom")
        return real(store, path, identity, **kw)

    monkeypatch.setattr(inbox, "import_one", import_one)
    first, second = inbox.import_many(unit.store, [bad, good], unit.identity).entries
    assert (first.status, first.file_name, first.origin) == ("refused", "坏.rpu", str(bad))
    assert first.reason == f"报送文件内容无法读取（{error.__name__}），未导入任何数据"
    assert second.status == "imported" and unit.store.count() == 1


def test_a_package_of_duplicates_only_says_who_is_already_here(make_installation, tmp_path):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    first = applicant_package(make_installation("a"), tmp_path / "甲.rpu", [office.public], 5)
    second = applicant_package(make_installation("b"), tmp_path / "乙.rpu", [office.public], 5)
    _, dup = inbox.import_many(office.store, [first, second], office.identity).entries
    person = make_record(5)
    assert dup.reason == (f"候选人 {person['name']}（{person['id_number']}）已在本机数据库中，"
                          "本文件未导入任何人；请与报送方核实是否重复报送")
    [clash] = dup.info["duplicates"]
    assert clash == {"id_number": person["id_number"], "name": person["name"],
                     "existing_id": office.store.id_for_number(person["id_number"]),
                     "first": "甲.rpu（a）", "second": f"{second}（b）",
                     "second_created": open_package(second, office.identity).manifest["created"],
                     "second_signer": dup.signer}
    assert inbox.entry_lines(dup) == [dup.line()]  # nothing imported: no chain lines


def test_packages_for_lists_each_received_package_once(w):
    office = w["office"].store
    [entry] = inbox.list_inbox(office)
    cid = office.id_for_number(w["number"])
    assert [e.sha256 for e in inbox.packages_for(office, [cid, cid])] == [entry.sha256]
    assert inbox.packages_for(office, ["no-such-id"]) == []
    assert inbox.source_text(None) == "本机录入（本机）"
    assert inbox.source_text({"file": "a.rpu", "signer_unit": "U"}) == "a.rpu（U）"
