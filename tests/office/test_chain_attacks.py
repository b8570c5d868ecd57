"""A hostile 盟市 office against the chain of signatures (DESIGN §6), through real packages:
keys, pack, pack-office, and the region's inbox on the command line. Each attack must end in a
visible provenance class and a hold at the region, never in a silent ``签名链：通过``."""

from __future__ import annotations

import json

import pytest

from collector.common.fingerprint import form_qr_text, record_fingerprint
from collector.office import decisions, inbox
from collector.office.package import pack_office
from collector.office.replace import replace
from collector.exchange.packing import pack
from collector.storage.store import strip_meta
from tests.conftest import make_record
from tests.office.conftest import PASS, TODAY, applicant_package

CHANNEL = {"kind": "盟市", "name": "包头市"}
ALTERED = "盟市改写的成果：主持国家重大专项三项"


@pytest.fixture
def world(make_installation, tmp_path, monkeypatch):
    """applicant → unit → 盟市 office, all honest so far; the region has not received anything."""
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    region = make_installation("region", "自治区", "自治区人社厅")
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    applicant = make_installation("applicant")
    path = applicant_package(applicant, tmp_path / "申报人.rpu", [unit.public, region.public], 5,
                             channel=CHANNEL)
    inbox.import_many(unit.store, [path], unit.identity)
    for cand in unit.store.all():
        decisions.decide(unit.store, cand.id, "推荐")
    unit_pkg = tmp_path / "单位.rpu"
    pack_office(unit.store, unit_pkg, identity=unit.identity,
                recipients=[office.public, region.public], today=TODAY)
    entry = inbox.import_many(office.store, [unit_pkg], office.identity).entries[0]
    assert entry.status == inbox.IMPORTED, entry.reason
    number = make_record(5)["id_number"]
    return dict(region=region, office=office, unit=unit, applicant=applicant,
                number=number, tmp=tmp_path)


def _altered(office, number) -> dict:
    cid = office.store.id_for_number(number)
    return dict(strip_meta(office.store.get(cid).data), achievements=ALTERED)


def _send_up(w) -> object:
    office = w["office"]
    for cand in office.store.all():
        decisions.decide(office.store, cand.id, "推荐")
    out = w["tmp"] / "盟市.rpu"
    pack_office(office.store, out, identity=office.identity, recipients=[w["region"].public],
                today=TODAY)
    return out


def _swap_in(w, make_installation, recipients, name):
    """The office mints a fresh key, signs the altered record with it as if it were the
    applicant's own package, and takes it in place of the unit's copy (以此份替换)."""
    office = w["office"]
    fake = make_installation(name)
    fake.store.save(_altered(office, w["number"]))
    path = w["tmp"] / f"{name}.rpu"
    pack(fake.store, [], path, identity=fake.identity, recipients=recipients(office),
         today=TODAY)
    got = inbox.import_many(office.store, [path], office.identity).entries[0]
    assert got.status == inbox.DUPLICATE
    replace(office.store, w["number"], path.name, office.identity, "以补充材料为准")
    return fake


def _region_inbox(w, cli, out):
    db = w["region"].store.path
    w["region"].store.close()
    return cli("inbox", out, db=db), db


def _decisions(cli, db) -> dict:
    return {r["id_number"]: r for r in json.loads(cli("decisions", "--json", db=db).out)}


def test_a_decoy_package_sealed_to_the_office_is_not_a_pass(world, make_installation, cli):
    """(a) the altered record points at a nested package encrypted only to the office."""
    w = world
    _swap_in(w, make_installation, lambda office: [office.public], "decoy")
    out = _send_up(w)
    r, db = _region_inbox(w, cli, out)
    assert "签名链：通过" not in r.out
    assert "无法核对" in r.out and w["number"] in r.out
    row = _decisions(cli, db)[w["number"]]
    assert row["provenance"] == "无法核对" and row["hold"]
    listed = json.loads(cli("list", "--json", db=db).out)
    assert [c["provenance"]["class"] for c in listed] == ["无法核对"]
    # held: not recommended until someone accepts it with a reason, which is audited
    r = cli("decide", w["number"], "推荐", db=db)
    assert r.code == 1 and "无法核对" in r.err
    r = cli("accept", w["number"], db=db)
    assert r.code != 0 and "理由" in r.err
    r = cli("accept", w["number"], "--reason", "已电话核实申报人并核对纸质登记表", db=db)
    assert r.code == 0, r.err
    assert cli("decide", w["number"], "推荐", db=db).code == 0
    audit = [a for a in json.loads(cli("list", "--json", db=db).out)[0]["audit"]
             if a["action"] == "provenance_accept"]
    assert len(audit) == 1 and "已电话核实" in json.dumps(audit, ensure_ascii=False)


def test_a_record_claimed_as_entered_by_the_office_is_held(world, cli):
    """(b) the office deletes the received record, enters the altered one itself, nests nothing."""
    w = world
    office = w["office"]
    cid = office.store.id_for_number(w["number"])
    altered = _altered(office, w["number"])
    office.store.delete(cid)
    office.store.save(altered)
    out = _send_up(w)
    r, db = _region_inbox(w, cli, out)
    assert "签名链：通过" not in r.out
    assert "本级录入" in r.out and "包头市人社局" in r.out
    row = _decisions(cli, db)[w["number"]]
    assert row["provenance"] == "本级录入" and "包头市人社局" in row["hold"]
    assert cli("decide", w["number"], "推荐", db=db).code == 1


def test_a_fresh_applicant_key_is_flagged_until_the_paper_matches(world, make_installation,
                                                                   cli):
    """(c) the office signs the altered record with a key it minted: the file alone cannot
    tell; the applicant's signed registration form can."""
    w = world
    fake = _swap_in(w, make_installation, lambda office: [office.public, w["region"].public],
                    "fresh-key")
    out = _send_up(w)
    r, db = _region_inbox(w, cli, out)
    assert r.code == 0, r.err
    assert "纸质材料" in r.out and "包头市人社局" in r.out  # the flag, naming who sent it
    row = _decisions(cli, db)[w["number"]]
    assert row["provenance"] == "申报人签名已核对" and row["paper"] == "未核对" and row["hold"]
    assert cli("decide", w["number"], "推荐", db=db).code == 1

    # The real applicant's registration form, scanned (the QR the printed form carries).
    real = next(w["applicant"].store.all()).data
    scanned = form_qr_text(record_fingerprint(real), w["applicant"].identity.fingerprint,
                           real["id_number"])
    r = cli("paper-check", scanned, db=db)
    assert r.code == 1 and "不一致" in r.out
    listed = cli("paper-check", "--list", "--json", db=db)
    [state] = [x for x in json.loads(listed.out) if x["id_number"] == w["number"]]
    assert state["status"] == "mismatch" and state["flagged"]
    assert cli("decide", w["number"], "推荐", db=db).code == 1

    # Only a form that matches the record and its key clears the flag.
    forged = next(fake.store.all()).data
    r = cli("paper-check", form_qr_text(record_fingerprint(forged), fake.identity.fingerprint,
                                        forged["id_number"]), db=db)
    assert r.code == 0 and "一致" in r.out
    row = _decisions(cli, db)[w["number"]]
    assert row["paper"] == "一致" and not row["hold"]


def test_the_honest_chain_passes_and_waits_only_for_the_regions_paper_check(world, cli):
    w = world
    out = _send_up(w)
    r, db = _region_inbox(w, cli, out)
    assert "签名链：通过（3 个报送包）" in r.out, r.out
    assert "暂扣待定" not in r.out and "待本级核对纸质登记表 1 名" in r.out
    row = _decisions(cli, db)[w["number"]]
    assert row["provenance"] == "申报人签名已核对" and "纸质登记表" in row["hold"]
    assert cli("decide", w["number"], "推荐", db=db).code == 1
    rec = w["applicant"].store.get(next(w["applicant"].store.all()).id).data
    qr = form_qr_text(record_fingerprint(rec), w["applicant"].identity.fingerprint,
                      rec["id_number"])
    assert cli("paper-check", qr, db=db).code == 0
    assert not _decisions(cli, db)[w["number"]]["hold"]
    assert cli("decide", w["number"], "推荐", db=db).code == 0


def test_the_middle_office_sees_what_it_cannot_open(world):
    """The 盟市 office cannot open the applicant's package (encrypted to unit and region):
    its record is 无法核对 there, named, never 通过."""
    w = world
    entry = inbox.list_inbox(w["office"].store)[0]
    assert [c["provenance"] for c in entry.candidates] == ["无法核对"]
    assert "签名链：通过" not in "\n".join(inbox.entry_lines(entry))


def test_a_nested_package_by_an_untrusted_signer_is_refused(world):
    """The region blocked the unit's key: the 盟市 package nesting the unit's is refused."""
    from collector.exchange import untrusted

    w = world
    untrusted.mark_untrusted(w["region"].store, w["unit"].identity.fingerprint, "已吊销")
    out = _send_up(w)
    entry = inbox.import_many(w["region"].store, [out], w["region"].identity).entries[0]
    assert entry.status == inbox.REFUSED and "内层报送包" in entry.reason
    assert "不可信" in entry.reason and w["region"].store.count() == 0


def test_each_level_says_upward_what_it_could_check(world):
    """The 盟市 package's sources say 无法核对 and carry the unit's claim of the applicant's key:
    shown above, re-checked where it can be opened."""
    from collector.rpu import open_package

    w = world
    out = _send_up(w)
    sources = json.loads(open_package(out, w["region"].identity).read_part(inbox.SOURCES_DOC))
    claim = sources[w["number"]]
    assert claim["provenance"] == "无法核对"
    assert claim["applicant_key"] == w["applicant"].identity.fingerprint


def test_an_office_that_edits_an_applicants_fields_sees_it_as_its_own_entry(world, cli):
    """The 盟市's own review says so at once (the region would refuse the chain anyway)."""
    from collector.office.profile import load_profile
    from collector.exchange.provenance import ENTERED, UNVERIFIABLE, of

    w = world
    office = w["office"]
    cid = office.store.id_for_number(w["number"])
    assert of(office.store.get(cid)).klass == UNVERIFIABLE
    decisions.set_opinion(office.store, cid, "同意推荐。", load_profile(office.store))
    assert of(office.store.get(cid)).klass == UNVERIFIABLE  # its own opinion is not an edit
    office.store.save(dict(office.store.get(cid).data, achievements=ALTERED), candidate_id=cid)
    prov = of(office.store.get(cid))
    assert prov.klass == ENTERED and "改动了申报人填写的内容" in prov.detail


def test_the_chain_and_the_inbox_in_json_carry_every_level(world, cli):
    """``inspect --chain --json`` and ``inbox --json`` are what scripts read: every level's
    signer, role, unit, package hash and where each candidate was taken from."""
    from collector.common.fingerprint import file_sha256
    from collector.rpu.reader import inspect

    w = world
    out = _send_up(w)
    db = w["region"].store.path
    w["region"].store.close()
    r = cli("inspect", "--chain", out, "--json", db=db)
    assert r.code == 0, r.err
    got = json.loads(r.out)
    person = make_record(5)
    number, name = person["id_number"], person["name"]
    applicant_fp = w["applicant"].identity.fingerprint

    def node(file, path, sha, inst, role, unit, source, children):
        return {"name": path, "ok": True, "sealed": False, "error": "", "sha256": sha,
                "signer": inst.identity.fingerprint, "role": role, "unit": unit,
                "created": inspect(file)["created"],
                "candidates": [{"name": name, "id_number": number, "source": source,
                                "superseded": False}],
                "children": children}

    tmp = w["tmp"]
    applicant = node(tmp / "申报人.rpu", "packages/001-申报人.rpu",
                     file_sha256(tmp / "申报人.rpu"), w["applicant"], "个人", "applicant", None,
                     [])
    unit = node(tmp / "单位.rpu", "packages/001-单位.rpu", file_sha256(tmp / "单位.rpu"),
                w["unit"], "单位", "包头稀土研究院", "packages/001-申报人.rpu", [applicant])
    root = node(out, "盟市.rpu", "", w["office"], "盟市", "包头市人社局",
                "packages/001-单位.rpu", [unit])
    assert got["root"] == root
    assert (got["ok"], got["passed"], got["problems"], got["notes"]) == (True, True, [], [])
    prov = got["provenance"][number]
    assert prov["class"] == "申报人签名已核对" and prov["applicant_key"] == applicant_fp
    assert prov["path"][-1] == "申报人" and len(prov["path"]) == 3

    r = cli("inbox", out, "--json", db=db)
    assert r.code == 0, r.err
    [entry] = json.loads(r.out)["entries"]
    assert {k: v for k, v in entry.items() if k not in ("id", "received_at", "info",
                                                         "candidates")} == {
        "origin": str(out), "file": "盟市.rpu", "status": "imported", "verified": True,
        "reason": "", "signer": w["office"].identity.fingerprint, "sender_role": "盟市",
        "sender_unit": "包头市人社局", "sha256": file_sha256(out), "size": out.stat().st_size}
    assert entry["id"] == 1 and entry["received_at"].startswith("20")
    [cand] = entry["candidates"]
    # Traced to the applicant; held only for the region's own paper check (the notice).
    assert (cand["name"], cand["id_number"], cand["provenance"], cand["hold"]) == \
        (name, number, "申报人签名已核对", "自治区须亲自核对每名人选的纸质登记表；纸质材料未核对")
    assert entry["info"]["chain"] == {"ok": True, "passed": True, "problems": [], "notes": [],
                                      "packages": 3}
    assert entry["info"]["decisions"][number]["decision"] == "推荐"


def test_the_chain_lines_show_every_level_and_where_each_candidate_was_taken(world):
    """What ``inspect --chain`` prints, line for line: at the region every level is opened; at
    the 盟市 office the applicant's package is sealed, noted, and the candidate not traced."""
    from collector.common.fingerprint import short
    from collector.exchange.chain import read_chain
    from collector.rpu.reader import inspect

    w = world
    out, unit_pkg, applicant_pkg = _send_up(w), w["tmp"] / "单位.rpu", w["tmp"] / "申报人.rpu"
    name, number = make_record(5)["name"], w["number"]
    fp = {k: short(w[k].identity.fingerprint) for k in ("office", "unit", "applicant")}
    at = {p: inspect(p)["created"] for p in (out, unit_pkg, applicant_pkg)}
    assert read_chain(out, w["region"].identity).lines() == [
        f"✔ 盟市.rpu  签名 {fp['office']}  盟市 包头市人社局  {at[out]}  "
        f"候选人：{name}（取自 001-单位.rpu）",
        f"    ✔ packages/001-单位.rpu  签名 {fp['unit']}  单位 包头稀土研究院  {at[unit_pkg]}  "
        f"候选人：{name}（取自 001-申报人.rpu）",
        f"        ✔ packages/001-申报人.rpu  签名 {fp['applicant']}  个人 applicant  "
        f"{at[applicant_pkg]}  候选人：{name}",
        "签名链校验通过：打开并核对 3 个报送包，1 名候选人"]
    sealed = f"内层报送包 packages/001-申报人.rpu（签名 {fp['applicant']}）"
    assert read_chain(unit_pkg, w["office"].identity).lines() == [
        f"✔ 单位.rpu  签名 {fp['unit']}  单位 包头稀土研究院  {at[unit_pkg]}  "
        f"候选人：{name}（取自 001-申报人.rpu）",
        f"    · packages/001-申报人.rpu  签名 {fp['applicant']}（未加密给本机，未打开）",
        f"说明：{sealed}未加密给本机，本机无法打开核对",
        "签名链：各层签名有效（打开 1 个报送包），但有候选人不能核对到申报人本人签名：",
        f"来源：{name}（{number}）：无法核对——数据取自内层报送包 001-申报人.rpu"
        f"（签名 {fp['applicant']}），未加密给本机，本机无法打开核对"]
