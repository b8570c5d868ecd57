"""The inbox's lines as the CLI and the log print them, read in full, including entries stored
before a field existed (no provenance, no detail, no package count)."""

from __future__ import annotations

from collector.office.inbox import IMPORTED, REFUSED, InboxEntry, entry_lines
from collector.exchange.provenance import (ENTERED, REGION_PAPER, UNVERIFIABLE, VERIFIED,
                                          Provenance)
from collector.rpu.keys import short

SIGNER = "ab" * 32


def entry(status=IMPORTED, candidates=(), reason="", info=None) -> InboxEntry:
    return InboxEntry("D:/收件/甲.rpu", "甲.rpu", status, reason=reason, signer=SIGNER,
                      sender_role="单位", sender_unit="某某研究所", candidates=list(candidates),
                      info=info if info is not None else {})


HEAD = f"  签名 {short(SIGNER)}  报送方 某某研究所（单位）"


def test_an_imported_entry_names_its_candidates_and_one_without_any_says_none():
    two = entry(candidates=[{"name": "张三", "id_number": "1"}, {"name": "李四", "id_number": "2"}])
    assert two.line() == f"[已导入] D:/收件/甲.rpu{HEAD}  候选人 2 名：张三、李四"
    assert entry().line() == f"[已导入] D:/收件/甲.rpu{HEAD}  候选人 0 名"


def test_a_refused_entry_gives_its_reason_and_nothing_when_it_has_none():
    assert entry(REFUSED, reason="签名无效").line() == f"[拒收] D:/收件/甲.rpu{HEAD}  原因：签名无效"
    assert entry(REFUSED).line() == f"[拒收] D:/收件/甲.rpu{HEAD}"
    assert entry_lines(entry(REFUSED)) == [f"[拒收] D:/收件/甲.rpu{HEAD}"]


def test_candidates_stored_without_provenance_are_counted_together_and_said_unrecorded():
    old = [{"name": "张三", "id_number": "1"}, {"name": "李四", "id_number": "2"},
           {"name": "王五", "id_number": "3", "provenance": UNVERIFIABLE, "detail": "内层包未加密给本机"}]
    lines = entry_lines(entry(candidates=old))  # and no chain recorded: one package
    assert lines[1:] == [
        f"    签名链：未能全部核对到申报人本人（1 个报送包）：未记录 2 名，{UNVERIFIABLE} 1 名",
        "    张三（1）：来源未记录——",
        "    李四（2）：来源未记录——",
        f"    王五（3）：{UNVERIFIABLE}——内层包未加密给本机",
    ]


def test_a_fully_verified_entry_says_how_many_packages_the_chain_had():
    ok = [{"name": "张三", "id_number": "1", "provenance": VERIFIED}]
    lines = entry_lines(entry(candidates=ok, info={"chain": {"packages": 3}}))
    assert lines[1:] == [f"    签名链：通过（3 个报送包）：{VERIFIED} 1 名"]
    assert entry_lines(entry(candidates=ok))[1:] == [f"    签名链：通过（1 个报送包）：{VERIFIED} 1 名"]


def test_a_record_entered_here_without_an_office_name_is_labelled_this_installation():
    assert Provenance(ENTERED).label() == f"{ENTERED}（本机）"
    assert Provenance(ENTERED, entered_by="包头市人社局").label() == f"{ENTERED}（包头市人社局）"


def test_a_received_record_without_a_name_is_named_empty_not_none():
    from collector.exchange.provenance import record_name as _name

    assert _name({"name": "张三"}) == "张三"
    assert _name({}) == _name({"name": None}) == ""


def test_candidates_of_an_unregistered_sender_are_held_with_every_reason_said():
    held = [{"name": "张三", "id_number": "1", "provenance": VERIFIED, "hold": "报送方密钥未登记",
             "unregistered": ["乙.rpu 的签名密钥未登记", "丙.rpu 的签名密钥未登记"]},
            {"name": "李四", "id_number": "2", "provenance": VERIFIED},
            {"name": "王五", "id_number": "3", "provenance": VERIFIED, "hold": REGION_PAPER}]
    lines = entry_lines(entry(candidates=held, info={"chain": {"packages": 3}}))
    assert lines[1:] == [
        "    签名链：报送方密钥未登记（3 个报送包），1 名暂扣；签名有效不等于报送方可信：请核对其密钥登记表",
        "    张三（1）：报送方密钥未登记——乙.rpu 的签名密钥未登记",
        "    张三（1）：报送方密钥未登记——丙.rpu 的签名密钥未登记",
        "    张三（1）：暂扣待定，不能推荐；请核对纸质材料，或核实后接受（collector accept 身份证号 --reason 理由）",
        "    待本级核对纸质登记表 1 名：推荐前须逐一扫描核对（collector paper-check）",
    ]
