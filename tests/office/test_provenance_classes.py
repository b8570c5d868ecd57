"""The provenance of each record as the region sees it (DESIGN §6): who signed it at the bottom,
which levels it passed, why the paper must be checked here, the paper checks claimed below, and
what older imports get from what is known."""

from __future__ import annotations

import pytest

from collector.common.fingerprint import form_qr_text, record_fingerprint, short
from collector.office import decisions, inbox, paper
from collector.office.package import pack_office
from collector.exchange.provenance import (ENTERED, UNVERIFIABLE, VERIFIED, Provenance, of,
                                         own_fingerprint)
from tests.conftest import make_record
from tests.office.conftest import TODAY, applicant_package

CHANNEL = {"kind": "盟市", "name": "包头市"}


def _send(store, identity, out, recipients):
    for cand in store.all():
        decisions.decide(store, cand.id, "推荐")
    pack_office(store, out, identity=identity, recipients=recipients, today=TODAY)
    return out


def _checked_at_the_unit(unit, region, applicant, path):
    """The applicant's package (to the unit and the region) imported by the unit, whose clerk
    then scans the applicant's paper form: (the applicant's record, the scan's result)."""
    applicant_package(applicant, path, [unit.public, region.public], 5, channel=CHANNEL)
    inbox.import_many(unit.store, [path], unit.identity)
    real = next(applicant.store.all()).data
    scan = paper.check_scan(unit.store, form_qr_text(
        record_fingerprint(real), applicant.identity.fingerprint, real["id_number"]))
    return real, scan


def _region_provenance(region, out) -> Provenance:
    [entry] = inbox.import_many(region.store, [out], region.identity).entries
    assert entry.status == inbox.IMPORTED, entry.reason
    return of(region.store.get(entry.candidates[0]["id"]))


def test_an_applicant_package_forwarded_by_an_office_without_a_unit_is_flagged(
        make_installation, tmp_path):
    region = make_installation("region", "自治区", "自治区")
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    applicant = make_installation("applicant")
    path = applicant_package(applicant, tmp_path / "a.rpu", [office.public, region.public], 5,
                             channel=CHANNEL)
    inbox.import_many(office.store, [path], office.identity)
    out = _send(office.store, office.identity, tmp_path / "盟市.rpu", [region.public])
    from collector.exchange.chain import read_chain

    person = make_record(5)
    flag = read_chain(out, region.identity).lines()[-2:]
    prov = _region_provenance(region, out)
    who = f"包头市人社局（{short(office.identity.fingerprint)}）"
    assert flag == ["签名链校验通过：打开并核对 2 个报送包，1 名候选人",
                    f"来源：{person['name']}（{person['id_number']}）：须核对纸质材料——"
                    f"{prov.paper_needed}"]
    assert (prov.klass, prov.applicant_key, prov.path) == (
        VERIFIED, applicant.identity.fingerprint, [who, "申报人"])
    assert prov.paper_needed == (f"申报人报送包由{who}直接转报，中间没有单位报送包，"
                                 "申报人签名密钥无法由文件本身证明")
    assert prov.detail == (f"申报人本人签名（{short(applicant.identity.fingerprint)}）的报送包"
                           "已打开，数据一致")
    assert prov.record == record_fingerprint(next(applicant.store.all()).data)
    assert prov.label() == VERIFIED and prov.below == [] and not prov.local


def test_a_unit_paper_check_is_carried_up_as_a_claim_and_no_flag(make_installation, tmp_path):
    region = make_installation("region", "自治区", "自治区")
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    applicant = make_installation("applicant")
    real, scan = _checked_at_the_unit(unit, region, applicant, tmp_path / "a.rpu")
    assert scan.ok, scan.message
    at = paper.paper_of(unit.store, scan.candidate_id)["at"]
    out = _send(unit.store, unit.identity, tmp_path / "单位.rpu", [region.public])
    prov = _region_provenance(region, out)
    assert prov.klass == VERIFIED and prov.paper_needed == ""
    assert prov.below == [{"status": paper.MATCHED, "label": "一致", "at": at,
                           "level": "包头稀土研究院"}]
    assert prov.path == [f"包头稀土研究院（{short(unit.identity.fingerprint)}）", "申报人"]


def test_a_candidate_a_unit_entered_carries_the_unit_key_its_paper_must_show(make_installation,
                                                                             tmp_path):
    """Entered by the unit: its form was printed by the unit, so the unit's key is the one the
    region checks the paper against, and a form showing another key is a mismatch."""
    region = make_installation("region", "自治区", "自治区")
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    unit.store.save(make_record(6, channel=CHANNEL))
    entered = next(unit.store.all()).data
    out = _send(unit.store, unit.identity, tmp_path / "单位.rpu", [region.public])
    prov = _region_provenance(region, out)
    who = f"包头稀土研究院（{short(unit.identity.fingerprint)}）"
    assert (prov.klass, prov.detail, prov.applicant_key, prov.entered_by, prov.path) == (
        ENTERED, f"{who}录入，没有申报人签名的报送包", unit.identity.fingerprint,
        "包头稀土研究院", [who])
    assert prov.record == record_fingerprint(entered) and prov.below == []
    qr = form_qr_text(record_fingerprint(entered), unit.identity.fingerprint,
                      entered["id_number"])
    assert paper.check_scan(region.store, qr).ok
    # A form printed here (the region's key) is the region's own print, recognised as such;
    # any other key on the same data is a mismatch.
    here = paper.check_scan(region.store, form_qr_text(
        record_fingerprint(entered), region.identity.fingerprint, entered["id_number"]))
    assert here.ok and not here.applicant and "本机打印" in here.message
    other_key = form_qr_text(record_fingerprint(entered), "8" * 64, entered["id_number"])
    scan = paper.check_scan(region.store, other_key)
    assert not scan.ok and "签名密钥" in scan.message


def test_a_paper_check_above_a_unit_entered_record_reaches_the_region(make_installation,
                                                                     tmp_path):
    region = make_installation("region", "自治区", "自治区")
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    unit.store.save(make_record(6, channel=CHANNEL))
    entered = next(unit.store.all()).data
    up = _send(unit.store, unit.identity, tmp_path / "单位.rpu", [office.public, region.public])
    inbox.import_many(office.store, [up], office.identity)
    scan = paper.check_scan(office.store, form_qr_text(
        record_fingerprint(entered), unit.identity.fingerprint, entered["id_number"]))
    assert scan.ok, scan.message
    at = paper.paper_of(office.store, scan.candidate_id)["at"]
    out = _send(office.store, office.identity, tmp_path / "盟市.rpu", [region.public])
    prov = _region_provenance(region, out)
    assert (prov.klass, prov.entered_by) == (ENTERED, "包头稀土研究院")
    assert prov.path == [f"包头市人社局（{short(office.identity.fingerprint)}）",
                         f"包头稀土研究院（{short(unit.identity.fingerprint)}）"]
    assert prov.below == [{"status": paper.MATCHED, "label": "一致", "at": at,
                           "level": "包头市人社局"}]


def test_a_level_that_cannot_open_the_applicant_package_shows_what_the_unit_claims(
        make_installation, tmp_path):
    """The 盟市 office cannot open an applicant's package sealed to the unit and the region: the
    record is 无法核对, naming that package and its signer, with the unit's claims (applicant
    key, record fingerprint, paper check) shown as claims."""
    from collector.exchange.chain import read_chain

    region = make_installation("region", "自治区", "自治区")
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    applicant = make_installation("applicant")
    real, scan = _checked_at_the_unit(unit, region, applicant, tmp_path / "甲.rpu")
    at = paper.paper_of(unit.store, scan.candidate_id)["at"]
    out = _send(unit.store, unit.identity, tmp_path / "单位.rpu", [office.public, region.public])
    chain = read_chain(out, office.identity)
    prov = chain.provenance[real["id_number"]]
    [child] = chain.root.children
    who = f"包头稀土研究院（{short(unit.identity.fingerprint)}）"
    assert (prov.klass, prov.detail) == (
        UNVERIFIABLE, f"数据取自内层报送包 {child.name.split('/')[-1]}（签名 "
                      f"{short(applicant.identity.fingerprint)}），未加密给本机，本机无法打开核对")
    assert (prov.applicant_key, prov.record, prov.path) == (
        applicant.identity.fingerprint, record_fingerprint(real), [who])
    assert prov.below == [{"status": paper.MATCHED, "label": "一致", "at": at,
                           "level": "包头稀土研究院"}]


def test_a_record_edited_after_import_is_entered_here_and_keeps_what_was_known(
        make_installation, tmp_path):
    region = make_installation("region", "自治区", "自治区")
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    applicant = make_installation("applicant")
    real, scan = _checked_at_the_unit(unit, region, applicant, tmp_path / "a.rpu")
    imported = _region_provenance(region, _send(unit.store, unit.identity,
                                                tmp_path / "单位.rpu", [region.public]))
    cid = region.store.id_for_number(real["id_number"])
    cand = region.store.get(cid)
    region.store.save(dict(cand.data, achievements="自治区改写的成果"), candidate_id=cid)
    edited = of(region.store.get(cid), own_unit="自治区人社厅")
    assert (edited.klass, edited.detail, edited.entered_by, edited.local) == (
        ENTERED, f"导入后在本机改动了申报人填写的内容（原为{VERIFIED}），不再是申报人本人签名的"
                 "数据；上级核对签名链时会发现不一致", "自治区人社厅", True)
    assert (edited.applicant_key, edited.record, edited.path, edited.below) == (
        imported.applicant_key, imported.record, imported.path, imported.below)
    assert imported.below and imported.applicant_key == applicant.identity.fingerprint
    assert of(region.store.get(cid)).entered_by == "本机"


def test_records_entered_here_and_older_imports_get_what_is_known(store):
    entered = of(store.get(store.save(make_record(1))), own_unit="包头市人社局")
    assert (entered.klass, entered.detail, entered.entered_by, entered.local) == (
        ENTERED, "在本机录入", "包头市人社局", True)
    assert entered.record == record_fingerprint(store.get(store.find(
        make_record(1)["id_number"]).id).data)
    assert entered.label() == "本级录入（包头市人社局）"
    assert of(store.get(store.save(make_record(2)))).label() == "本级录入（本机）"

    old_applicant = store.get(store.save(make_record(3), source={
        "signer": "ab" * 32, "signer_role": "个人", "file": "a.rpu"}))
    prov = of(old_applicant)
    assert (prov.klass, prov.detail, prov.applicant_key, prov.path, prov.paper_needed) == (
        VERIFIED, "申报人本人签名的报送包（旧版本导入）", "ab" * 32, ["申报人"],
        "申报人直接报送到本机，其签名密钥首次在本机出现")
    old_office = store.get(store.save(make_record(4), source={
        "signer": "cd" * 32, "signer_role": "单位", "file": "u.rpu"}))
    prov = of(old_office)
    assert (prov.klass, prov.detail) == (
        UNVERIFIABLE, "旧版本导入，未记录签名链核对结果；请重新导入该报送包")
    assert prov.label() == UNVERIFIABLE


def test_a_stored_provenance_reads_back_whatever_spelling_of_its_class(store):
    raw = Provenance(UNVERIFIABLE, "x", applicant_key="k", path=["a"]).to_json()
    assert raw["class"] == UNVERIFIABLE and "klass" not in raw
    assert Provenance.from_json(dict(raw, future_field=1)) == Provenance(
        UNVERIFIABLE, "x", applicant_key="k", path=["a"])
    legacy = dict(raw)
    legacy["klass"] = legacy.pop("class")
    assert Provenance.from_json(legacy).klass == UNVERIFIABLE
    cid = store.save(make_record(1), source={"signer": "ab" * 32, "signer_role": "单位",
                                             "provenance": raw})
    assert of(store.get(cid)) == Provenance(UNVERIFIABLE, "x", applicant_key="k", path=["a"])
    broken = store.save(make_record(2), source={"signer": "ab" * 32, "signer_role": "单位",
                                                "provenance": dict(raw, **{"class": "伪造"})})
    assert of(store.get(broken)).detail.startswith("旧版本导入")  # an unknown class is not taken


@pytest.mark.parametrize("key, changes", [("unit_opinion", False), ("candidate_code", False),
                                          ("achievements", True), ("name", True)])
def test_the_own_fingerprint_ignores_only_what_the_levels_fill_in(key, changes):
    rec = make_record(1)
    other = dict(rec, **{key: {"text": "同意", "date": "2017-04-01"} if key == "unit_opinion"
                         else "改"})
    assert (own_fingerprint(rec) != own_fingerprint(other)) is changes
