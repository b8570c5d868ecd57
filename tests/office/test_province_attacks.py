"""The chain attacks of test_chain_attacks.py on the real shape (issue 24): the 呼和浩特市 office
of a walked province, two units each with two applicants, attacks the candidate it took from
its second unit; the region, its own installation, imports the result beside the honest rest."""

from __future__ import annotations

import shutil

import pytest

from collector.office import decisions, inbox
from collector.exchange import untrusted
from collector.office.package import pack_office
from collector.exchange.provenance import UNVERIFIABLE, VERIFIED
from collector.exchange.provenance import of as provenance_of
from collector.office.replace import replace
from collector.exchange.keyring import generate_identity, load_identity
from collector.exchange.packing import pack
from collector.storage.store import Store, strip_meta
from tests.office.conftest import PASS, TODAY


@pytest.fixture
def league(province_walk, tmp_path):
    """A copy of the 呼和浩特市 office (its region copy beside it) and the victim: the first
    candidate it took from its second unit."""
    p = province_walk.province
    office = p.offices["呼和浩特市"]
    shutil.copytree(office.db.parent, tmp_path / "office")
    store = Store(tmp_path / "office" / office.db.name)
    unit = list(p.units.values())[3]
    victim = next(c for c in store.all()
                  if c.data["employer"] == unit.name.replace("（演示）", ""))
    region = province_walk.fresh_region(tmp_path / "region")
    yield p, store, victim, unit, region
    store.close()


def _send(store, tmp_path):
    for c in store.all():
        if not decisions.get_decision(store, c.id) or not decisions.get_decision(store, c.id).decision:
            decisions.decide(store, c.id, decisions.RECOMMEND)
    out = tmp_path / "呼和浩特市.rpu"
    pack_office(store, out, identity=load_identity(store, PASS), today=TODAY)
    return out


def _at_region(region, out):
    with Store(region) as store:
        entry = inbox.import_many(store, [out], load_identity(store, PASS)).entries[0]
        classes = {c.data["id_number"]: provenance_of(c).klass for c in store.all()}
    return entry, classes


def test_a_decoy_package_sealed_to_the_league_is_not_a_pass(league, tmp_path):
    p, store, victim, _, region = league
    fake = Store(tmp_path / "decoy.db")
    fake_id = generate_identity(fake, PASS, "decoy")
    fake.save(dict(strip_meta(victim.data), achievements="盟市改写"))
    identity = load_identity(store, PASS)
    path = tmp_path / "decoy.rpu"
    pack(fake, [], path, identity=fake_id, recipients=[identity.public], today=TODAY)
    fake.close()
    got = inbox.import_many(store, [path], identity).entries[0]
    replace(store, victim.data["id_number"], got.file_name, identity, "以补充材料为准")
    entry, classes = _at_region(region, _send(store, tmp_path))
    assert entry.status == inbox.IMPORTED, entry.reason
    assert classes[victim.data["id_number"]] == UNVERIFIABLE
    assert sum(k == VERIFIED for k in classes.values()) == 3  # the honest three still pass
    assert "签名链：通过" not in "\n".join(inbox.entry_lines(entry))


def test_a_nested_unit_the_region_marked_untrusted_refuses_the_league_package(league, tmp_path,
                                                                             cli, monkeypatch):
    p, store, _, unit, region = league
    with Store(unit.db) as u:
        unit_fp = load_identity(u, PASS).fingerprint
    with Store(region) as r:
        untrusted.mark_untrusted(r, unit_fp, "该单位密钥已挂失")
    out = _send(store, tmp_path)
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    for command in ("inbox", "import-rpu"):  # one import function: the same refusal either way
        r = cli(command, out, db=region)
        assert r.code == 1, (command, r.out)
        assert "不可信" in r.out + r.err and "已挂失" in r.out + r.err
    with Store(region) as r:
        assert r.count() == 0


def test_an_altered_record_is_refused_the_same_way_by_import_rpu(league, tmp_path, cli,
                                                                 monkeypatch):
    p, store, victim, unit, region = league
    store.save(dict(strip_meta(victim.data), achievements="盟市改写"), candidate_id=victim.id)
    out = _send(store, tmp_path)
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    r = cli("import-rpu", out, db=region)
    assert r.code == 1 and "主要学术技术成就" in r.out + r.err and unit.name in r.out + r.err


def test_an_unreadable_carried_register_is_a_problem_not_a_silent_hold(league, tmp_path):
    """A 盟市 package whose register.json cannot be read is refused naming it, instead of its
    units all turning up as unregistered with no reason given."""
    from collector.exchange.chain import read_chain
    from collector.office.package import write_level_package
    from collector.office.profile import load_profile
    from collector.office.register import REGISTER_DOC, save_entries

    p, store, victim, _, region = league
    save_entries(store, [])  # its own register is not written: the broken one stands in
    out = tmp_path / "bad-register.rpu"
    decisions.decide(store, victim.id, decisions.RECOMMEND)
    with Store(region) as r:
        region_key = load_identity(r, PASS)
    write_level_package(store, [victim.id], out, identity=load_identity(store, PASS),
                        recipients=[region_key.public], profile=load_profile(store),
                        warnings=[], documents=[(REGISTER_DOC, b"{not json")], today=TODAY)
    report = read_chain(out, region_key, register=[])
    assert any("register.json 无法读取" in x for x in report.problems), report.problems
