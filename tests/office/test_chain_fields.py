"""Each field the chain compares (every field of the form but OFFICE_KEYS): a unit that changes
that one field of a candidate it received must be caught at the region, the field named; the
fields the levels above fill in (OFFICE_KEYS) may change without a problem.

One real chain for all fields, so the test stays quick: one applicant package per field, all
imported by one unit, each candidate altered in its own field, one unit package signed over
all of them (written with ``write_level_package``, as a hostile unit's own software would, so
no rule stands in the way), read by the region."""

from __future__ import annotations

import copy

import pytest

from collector.record.fields import FIELDS, label_of
from collector.office import decisions, inbox
from collector.exchange.chain import OFFICE_KEYS, read_chain
from collector.office.package import write_level_package
from collector.office.profile import load_profile, save_profile
from collector.exchange.provenance import VERIFIED
from collector.exchange.keyring import generate_identity
from collector.exchange.packing import pack
from collector.exchange import packing
from collector.storage.store import Store, strip_meta
from tests.conftest import make_record
from tests.office.conftest import PASS, TODAY

CHANNEL = {"kind": "盟市", "name": "包头市"}
# The ID number is what the chain matches candidates by (changing it makes another person);
# only the 2017 rules exist, so no valid record can carry another program year.
UNCHANGEABLE = {"id_number", "program_year"}
COMPARED = [f.key for f in FIELDS if f.key not in OFFICE_KEYS | UNCHANGEABLE]
FIRST = 300  # record numbers: one candidate per field, FIRST + its place in FIELDS

# A valid other value where make_record() gives every candidate the same one.
FIXED = {
    "birth_place": "北京市",
    "education": "硕士研究生",
    "degree": "硕士",
    "pledge": False,
    "part_time_posts": [{"organization": "中国草学会", "post": "理事", "start": "2012-01",
                         "end": ""}],
    "honors": [{"name": "政府特殊津贴", "issuer": "国务院", "date": "2014-10"}],
    "candidate_code": "BT-0001",
    "unit_opinion": {"text": "同意推荐。", "date": "2017-04-18"},
}


def _other(key: str, value):
    """A different, well-formed value of ``key``."""
    if key in FIXED and FIXED[key] != value:
        return copy.deepcopy(FIXED[key])
    if key == "awards":
        return [dict(value[0], rank="2")]
    if key == "papers":
        return value[:1]
    if key == "attachments":
        return [dict(value[0], title="改过的材料名称")]
    return next(make_record(i)[key] for i in range(1, 200) if make_record(i)[key] != value)


def _installation(folder, name, role=None, unit=""):
    folder.mkdir()
    store = Store(folder / "collector.db")
    identity = generate_identity(store, PASS, name, unit or name)
    if role:
        save_profile(store, role=role, unit=unit, channel_name="包头市")
    return store, identity


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """The region's chain report and the unit's candidate per changed field."""
    tmp = tmp_path_factory.mktemp("fields")
    region, region_id = _installation(tmp / "region", "region", "自治区", "自治区人社厅")
    unit, unit_id = _installation(tmp / "unit", "unit", "单位", "包头稀土研究院")
    applicant, applicant_id = _installation(tmp / "applicant", "applicant")
    keys = [f.key for f in FIELDS if f.key not in UNCHANGEABLE]
    numbers: dict[str, str] = {}
    packages = []
    evidence = tmp / "证书.pdf"
    evidence.write_bytes(b"%PDF-1.4 invented certificate")
    for n, key in enumerate(keys):
        # One package per candidate, all signed by one applicant key (the chain does not mind).
        for old in list(applicant.all()):
            applicant.delete(old.id)
        cid = applicant.save(make_record(FIRST + n, channel=CHANNEL))
        if key == "attachments":
            applicant.attach(cid, evidence, title="获奖证书")
        numbers[key] = applicant.get(cid).data["id_number"]
        path = tmp / f"{n:02d}-{key}.rpu"
        pack(applicant, [], path, identity=applicant_id,
             recipients=[unit_id.public, region_id.public], today=TODAY)
        packages.append(path)
    result = inbox.import_many(unit, packages, unit_id)
    assert {e.status for e in result.entries} == {inbox.IMPORTED}, \
        [e.reason for e in result.entries]
    for key, number in numbers.items():
        cid = unit.id_for_number(number)
        data = strip_meta(unit.get(cid).data)
        unit.save(dict(data, **{key: _other(key, data[key])}), candidate_id=cid)
        decisions.decide(unit, cid, "推荐")
        assert unit.get(cid).data[key] != data[key], key
    out = tmp / "单位.rpu"
    ids = [unit.id_for_number(n) for n in numbers.values()]
    with pytest.MonkeyPatch.context() as mp:
        # A hostile unit's own software runs no rule: a gender or birth date that no longer
        # fits the ID number, a condition without its statement, are still signed and sent.
        mp.setattr(packing, "validate", lambda *a, **k: [])
        write_level_package(unit, ids, out, identity=unit_id, recipients=[region_id.public],
                            profile=load_profile(unit), warnings=[], today=TODAY)
    report = read_chain(out, region_id)
    names = {key: unit.get(unit.id_for_number(n)).data["name"] for key, n in numbers.items()}
    for s in (region, unit, applicant):
        s.close()
    return report, numbers, names


@pytest.mark.parametrize("key", COMPARED)
def test_a_change_to_a_compared_field_is_a_problem_naming_it(chain, key):
    report, numbers, names = chain
    mine = [p for p in report.problems if names[key] in p]
    assert mine == [f"包头稀土研究院（{_short_signer(report)}）报送的{names[key]} "
                    f"与申报人签名的数据不一致：{label_of(key)}"], report.problems
    assert not report.ok and not report.passed


@pytest.mark.parametrize("key", sorted(OFFICE_KEYS))
def test_a_field_the_levels_fill_in_may_change(chain, key):
    report, numbers, names = chain
    assert not [p for p in report.problems if names[key] in p]
    assert report.provenance[numbers[key]].klass == VERIFIED


def test_every_field_is_either_compared_or_filled_in_by_the_levels():
    assert set(COMPARED) | OFFICE_KEYS | UNCHANGEABLE == {f.key for f in FIELDS}


def _short_signer(report) -> str:
    from collector.common.fingerprint import short

    return short(report.root.signer)
