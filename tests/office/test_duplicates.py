"""Resolving a DUPLICATE: keep the record held here, or replace it with the received copy (its
package verified again, nested upward in its place); bad input changes nothing."""

from __future__ import annotations

import pytest

from collector.common.fingerprint import file_sha256
from collector.common.errors import CollectorError, NotFoundError
from collector.storage.attachments import open_attachment
from collector.office import decisions, duplicates as dup, inbox
from collector.office.package import pack_office, preflight
from collector.office.replace import replace
from collector.exchange.packing import pack
from collector.rpu.reader import open_package
from tests.conftest import make_record
from tests.office.conftest import PASS, TODAY

CHANNEL = {"kind": "盟市", "name": "包头市"}


def _with_attachment(inst, out, recipients, i, tmp_path, **overrides):
    """An applicant package whose record carries one attachment (content given by the name)."""
    cid = inst.store.save(make_record(i, channel=CHANNEL, **overrides))
    scan = tmp_path / f"{inst.name}-证书.pdf"
    scan.write_bytes(f"%PDF-1.4 {inst.name}".encode())
    inst.store.attach(cid, scan, title=f"{inst.name} 的证书")
    pack(inst.store, [], out, identity=inst.identity, recipients=recipients, today=TODAY)
    return out


@pytest.fixture
def clash(make_installation, tmp_path):
    """An office that holds 甲.rpu's record and received 乙.rpu with the same ID number."""
    region = make_installation("region", "自治区", "自治区")
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    to = [office.public, region.public]
    first = _with_attachment(make_installation("a"), tmp_path / "甲.rpu", to, 5, tmp_path)
    second = _with_attachment(make_installation("b"), tmp_path / "乙.rpu", to, 5, tmp_path,
                              achievements="乙份：补充了 2016 年的成果")
    inbox.import_many(office.store, [first, second], office.identity)
    return office, region, first, second


def _snapshot(store):
    rows = lambda sql: store.db.execute(sql).fetchall()  # noqa: E731
    return (rows("SELECT * FROM candidates"), rows("SELECT * FROM office_inbox"),
            rows("SELECT * FROM office_duplicate_resolutions"), rows("SELECT count(*) FROM audit"))


def test_duplicate_is_listed_open_with_both_sources(clash):
    office, _, _, _ = clash
    [d] = dup.open_duplicates(office.store)
    assert d.is_open and "甲.rpu" in d.first and "乙.rpu" in d.second and d.file_name == "乙.rpu"
    assert "保留原记录" in d.finding().message


def test_keep_marks_the_duplicate_resolved_and_not_open(clash):
    office, _, _, _ = clash
    number = dup.open_duplicates(office.store)[0].id_number
    before = office.store.get(office.store.id_for_number(number)).data
    [done] = dup.keep(office.store, number.lower(), "已与两个报送方核实，以单位报送为准")
    assert done.id_number == number and done.file_name == "乙.rpu"
    assert dup.open_duplicates(office.store) == [] and inbox.duplicates(office.store) == []
    [resolved] = dup.list_duplicates(office.store, include_resolved=True)
    assert resolved.resolution["action"] == dup.KEEP and "核实" in resolved.resolution["reason"]
    cid = office.store.id_for_number(number)
    assert office.store.get(cid).data == before
    [audit] = [a for a in office.store.audit(cid) if a["action"] == "duplicate_keep"]
    assert (audit["field"], audit["old"], audit["new"]) == (
        "source", done.first, {"source": done.second, "reason": "已与两个报送方核实，以单位报送为准",
                               "first_created": done.first_created,
                               "second_created": done.second_created})
    assert done.first_created.startswith("20") and done.second_created.startswith("20")
    assert "甲.rpu" in done.first and "乙.rpu" in done.second
    assert "保留原记录" in inbox.list_inbox(office.store)[1].reason


def test_replace_takes_the_incoming_record_attachments_audit_and_nests_its_package(clash,
                                                                                   tmp_path):
    office, region, first, second = clash
    number = dup.open_duplicates(office.store)[0].id_number
    cid = office.store.id_for_number(number)
    decisions.decide(office.store, cid, "推荐")
    result = replace(office.store, number, "乙.rpu", office.identity, "乙份材料更完整")
    assert result.candidate_id == cid and not result.warnings and result.attachments_copied == 1
    data = office.store.get(cid).data
    assert data["achievements"] == "乙份：补充了 2016 年的成果"
    [att] = data["attachments"]
    with open_attachment(office.store, att["sha256"]) as got:  # from the replacing package
        assert att["title"] == "b 的证书" and got.read() == b"%PDF-1.4 b"
    assert office.store.get(cid).source["file"] == "乙.rpu"
    [entry] = [a for a in office.store.audit(cid) if a["action"] == "duplicate_replace"]
    assert "甲.rpu" in str(entry["old"]) and "乙.rpu" in str(entry["new"])
    assert "乙份材料更完整" in str(entry["new"])
    assert dup.open_duplicates(office.store) == []
    # The 推荐 was given on 甲's data: the replaced record is decided anew.
    assert decisions.get_decision(office.store, cid).decision == ""
    assert decisions.selected_ids(office.store) == []
    decisions.decide(office.store, cid, "推荐")
    # The office package upward nests 乙.rpu (not 甲.rpu) and its chain verifies at the region.
    out = tmp_path / "office.rpu"
    packed = pack_office(office.store, out, identity=office.identity, recipients=[region.public],
                         today=TODAY)
    assert packed.nested == ["乙.rpu"]
    pkg = open_package(out, region.identity)
    [nested] = pkg.nested
    assert nested.sha256 == file_sha256(second) != file_sha256(first)
    from collector.exchange.chain import read_chain

    assert read_chain(out, region.identity).ok


@pytest.fixture
def sent_then_clash(make_installation, tmp_path):
    """甲.rpu's record recommended and packed upward; 乙.rpu (the same ID number) arrives after."""
    region = make_installation("region", "自治区", "自治区")
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    to = [office.public, region.public]
    first = _with_attachment(make_installation("a"), tmp_path / "甲.rpu", to, 5, tmp_path)
    inbox.import_many(office.store, [first], office.identity)
    decisions.decide(office.store, next(office.store.all()).id, "推荐")
    pack_office(office.store, tmp_path / "first.rpu", identity=office.identity,
                recipients=[region.public], today=TODAY)
    second = _with_attachment(make_installation("b"), tmp_path / "乙.rpu", to, 5, tmp_path,
                              achievements="乙份：补充了 2016 年的成果")
    inbox.import_many(office.store, [second], office.identity)
    return office


def test_replacing_a_record_already_packed_upward_warns(sent_then_clash):
    office = sent_then_clash
    number = dup.open_duplicates(office.store)[0].id_number
    result = replace(office.store, number, "#2", office.identity, "以乙份为准")
    assert [w.rule for w in result.warnings] == ["DUPLICATE"]
    assert "重新生成上报包" in result.warnings[0].message


def test_an_open_duplicate_blocks_the_office_preflight_until_decided(clash):
    """An older genuine copy that arrived first must not go up as the current one unnoticed:
    the office decides which copy is current before anything is sent."""
    office, _, _, _ = clash
    decisions.decide(office.store, next(office.store.all()).id, "推荐")
    ids, blocking, warnings = preflight(office.store, today=TODAY)
    assert ids and [f.rule for f in blocking] == ["DUPLICATE"] and blocking[0].is_error
    assert "请先处理重复报送" in blocking[0].message
    dup.keep(office.store, dup.open_duplicates(office.store)[0].id_number, "已核实")
    assert not preflight(office.store, today=TODAY)[1]


@pytest.mark.parametrize("call, words", [
    (lambda s, i, n: dup.keep(s, "150102199001011234", "x"), "没有身份证号为 150102199001011234"),
    (lambda s, i, n: replace(s, "150102199001011234", "#2", i, "x"), "没有身份证号为"),
    (lambda s, i, n: replace(s, n, "丙.rpu", i, "x"), "未处理重复中没有“丙.rpu”"),
    (lambda s, i, n: dup.keep(s, n, "  "), "请填写处理理由"),
])
def test_bad_input_says_one_line_and_changes_nothing(clash, call, words):
    office, _, _, _ = clash
    number = dup.open_duplicates(office.store)[0].id_number
    before = _snapshot(office.store)
    with pytest.raises(CollectorError) as err:
        call(office.store, office.identity, number)
    assert words in str(err.value) and "\n" not in str(err.value)
    assert _snapshot(office.store) == before


def test_no_such_duplicate_for_a_known_candidate_or_after_resolving(clash):
    office, _, _, _ = clash
    number = dup.open_duplicates(office.store)[0].id_number
    dup.keep(office.store, number, "核实")
    with pytest.raises(NotFoundError, match="已处理过"):
        dup.keep(office.store, number, "再次")
    other = office.store.save(make_record(9))
    other_number = office.store.get(other).data["id_number"]
    with pytest.raises(NotFoundError, match="没有重复报送"):
        replace(office.store, other_number, "#2", office.identity, "x")


def test_a_replacing_package_that_no_longer_verifies_is_refused(clash):
    office, _, _, second = clash
    number = dup.open_duplicates(office.store)[0].id_number
    stored = office.store.file_path(file_sha256(second))
    raw = bytearray(stored.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    stored.write_bytes(bytes(raw))
    before = _snapshot(office.store)
    with pytest.raises(CollectorError) as err:
        replace(office.store, number, "乙.rpu", office.identity, "x")
    assert "乙.rpu" in str(err.value) and "原记录未改动" in str(err.value)
    assert _snapshot(office.store) == before and dup.open_duplicates(office.store)


def test_cli_lists_keeps_and_replaces(clash, cli, monkeypatch, tmp_path):
    office, region, first, second = clash
    db = office.store.path
    office.store.close()  # the CLI takes the single-instance lock
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    r = cli("duplicates", db=db)
    assert r.code == 1 and "[未处理]" in r.out and "甲.rpu" in r.out and "乙.rpu" in r.out
    number = r.out.split()[1]
    r = cli("resolve-duplicate", number, "--reason", "核实", db=db)
    assert r.code == 2 and "--keep" in r.err
    r = cli("resolve-duplicate", "150102199001011234", "--keep", "--reason", "核实", db=db)
    assert r.code == 1 and r.err.count("\n") == 1 and "没有身份证号为" in r.err
    r = cli("resolve-duplicate", number, "--replace-with", str(second), "--reason", "乙份为准",
            db=db)
    assert r.code == 0, r.err
    assert "已以 #2 乙.rpu" in r.out
    r = cli("duplicates", "--all", db=db)
    assert r.code == 0 and "[已处理]" in r.out and "以此份替换" in r.out
    r = cli("resolve-duplicate", number, "--keep", "--reason", "再处理", db=db)
    assert r.code == 1 and "已处理过" in r.err


def test_cli_json_and_lines_name_both_sources_and_the_resolution(clash, cli, monkeypatch):
    """``duplicates --json`` is what scripts read; the lines are what the operator reads."""
    import json

    office, _, _, second = clash
    db = office.store.path
    number = make_record(5)["id_number"]
    name = make_record(5)["name"]
    cid = office.store.id_for_number(number)
    [d] = dup.open_duplicates(office.store)
    a_created, b_created = (office.store.get(cid).source["created"],
                            inbox.list_inbox(office.store)[1].info["duplicates"][0]["second_created"])
    a_signer, b_signer = office.store.get(cid).source["signer"], inbox.list_inbox(office.store)[1].signer
    newer, times = d.newer, d.times()
    assert a_signer != b_signer and times.startswith("签名时间：原记录 20")
    office.store.close()
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    signed = {"first_created": a_created, "second_created": b_created,
              "first_signer": a_signer, "second_signer": b_signer, "newer": newer}
    expected = {"entry": 2, "id_number": number, "name": name, "first": "甲.rpu（a）",
                "second": f"{second}（b）", "file": "乙.rpu", "origin": str(second),
                "sender": "b", "candidate_id": cid, "packed": False, "open": True,
                "resolution": None, **signed}
    r = cli("duplicates", "--json", db=db)
    assert r.code == 1 and json.loads(r.out) == [expected]
    r = cli("duplicates", db=db)
    assert r.out == (f"[未处理] {number}  {name}  原记录：甲.rpu（a）  又收到：{second}（b）"
                     f"（#2 乙.rpu）  {times}\n")
    assert cli("resolve-duplicate", number, "--keep", "--reason", "核实", db=db).code == 0
    r = cli("duplicates", "--all", "--json", db=db)
    [got] = json.loads(r.out)
    at = got["resolution"]["at"]
    unknown = {"first_created": "", "second_created": "", "first_signer": "", "second_signer": "",
               "newer": ""}  # the record here may since have been replaced: in the audit instead
    assert got == dict(expected, open=False, **unknown, resolution={
        "action": "keep", "reason": "核实", "first": "甲.rpu（a）", "second": f"{second}（b）",
        "candidate_id": cid, "actor": got["resolution"]["actor"], "at": at})
    assert got["resolution"]["actor"] and at.startswith("20")
    r = cli("duplicates", "--all", db=db)
    assert r.code == 0 and r.out.endswith(
        f"（#2 乙.rpu）  已处理：保留原记录（核实，{got['resolution']['actor']} {at[:16]}）\n")


def test_keep_one_entry_named_by_a_copy_of_its_file_or_refused_naming_the_number(clash,
                                                                                tmp_path):
    """``--keep FILE``: a file on disk with the same content picks that entry; a name that is
    no open duplicate is refused, naming the ID number and the choices."""
    import shutil

    office, _, _, second = clash
    number = make_record(5)["id_number"]
    with pytest.raises(NotFoundError) as err:
        dup.keep(office.store, number, "核实", entry="丙.rpu")
    assert str(err.value).startswith(f"身份证号 {number} 的未处理重复中没有“丙.rpu”；可以选择：#2 乙.rpu")
    copy = tmp_path / "收到的副本.rpu"
    shutil.copyfile(second, copy)
    [done] = dup.keep(office.store, number, "核实", entry=str(copy))
    assert done.entry_id == 2 and not dup.open_duplicates(office.store)


def test_a_duplicate_whose_record_was_already_sent_upward_says_so(sent_then_clash):
    [after] = dup.open_duplicates(sent_then_clash.store)
    assert after.packed and after.line().endswith(
        f"（#2 乙.rpu）  {after.times()}  注意：原记录已随上报包报送")


def test_a_duplicate_of_a_record_not_yet_sent_says_nothing_more(clash):
    office, _, _, _ = clash
    [before] = dup.open_duplicates(office.store)
    assert not before.packed and before.line().endswith(f"（#2 乙.rpu）  {before.times()}")


def test_a_record_without_an_id_number_is_no_duplicate_of_a_draft_without_one(
        make_installation, tmp_path):
    """An office's draft not yet given an ID number, and a received record whose sender's
    software left it out: two people, nothing to compare them by, so both are kept."""
    from collector.common.fingerprint import canonical_json
    from collector.exchange.packing import candidate_part_name
    from collector.rpu.writer import Part, write_package

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    office.store.save(make_record(1, id_number=""))
    out = tmp_path / "无号.rpu"
    write_package(out, [Part.from_bytes(candidate_part_name("y" * 32), "candidate",
                                        canonical_json(make_record(2, id_number="")))],
                  identity=unit.identity, recipients=[office.public], program_year=2017,
                  role="单位", unit="包头稀土研究院")
    [entry] = inbox.import_many(office.store, [out], office.identity).entries
    assert entry.status == inbox.IMPORTED, entry.reason
    assert office.store.count() == 2 and dup.open_duplicates(office.store) == []


def test_an_id_number_sent_padded_and_in_lower_case_is_imported_as_stored(make_installation,
                                                                         tmp_path):
    """The chain keys it folded, trimmed and upper-case, as the store does (never a KeyError)."""
    from collector.common.fingerprint import canonical_json
    from collector.exchange.packing import candidate_part_name
    from collector.rpu.writer import Part, write_package

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    number = make_record(2)["id_number"]
    out = tmp_path / "空格.rpu"
    write_package(out, [Part.from_bytes(candidate_part_name("y" * 32), "candidate", canonical_json(
        make_record(2, id_number=f" {number.lower()} ")))],
                  identity=unit.identity, recipients=[office.public], program_year=2017,
                  role="单位", unit="包头稀土研究院")
    [entry] = inbox.import_many(office.store, [out], office.identity).entries
    assert entry.status == inbox.IMPORTED, entry.reason
    assert [c["id_number"] for c in entry.candidates] == [number.upper()]
    assert entry.candidates[0]["provenance"] == "无法核对"


def test_a_resolved_duplicate_reads_back_who_resolved_it_and_when(clash):
    office, _, _, _ = clash
    number = dup.open_duplicates(office.store)[0].id_number
    dup.keep(office.store, number, "以单位报送为准", actor="专技处张科员")
    [listed] = dup.list_duplicates(office.store, include_resolved=True)
    assert (listed.resolution["action"], listed.resolution["actor"]) == ("keep", "专技处张科员")
    assert listed.resolution["at"].startswith("20")
    assert listed.line().endswith(f"已处理：保留原记录（以单位报送为准，专技处张科员 "
                                  f"{listed.resolution['at'][:16]}）")
