"""``import-rpu``, ``inbox`` and the GUI inbox run one import function: a package the inbox
refuses is refused by ``import-rpu`` too, with the same reason."""

from __future__ import annotations

import pytest

from collector.office import decisions, inbox
from collector.office.package import pack_office
from collector.rpu import inspect
from collector.rpu.keys import shipped_keys
from tests.conftest import make_record
from tests.office.conftest import PASS, TODAY, applicant_package

CHANNEL = {"kind": "盟市", "name": "包头市"}


@pytest.fixture(autouse=True)
def passphrase(monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)


def test_import_rpu_refuses_a_signer_marked_untrusted(make_installation, tmp_path, cli):
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    applicant = make_installation("applicant")
    path = applicant_package(applicant, tmp_path / "a.rpu", [office.public], 1)
    db = office.store.path
    office.store.close()
    assert cli("signers", "--untrust", applicant.identity.fingerprint[:16], "--note", "冒名",
               db=db).code == 0
    r = cli("import-rpu", path, db=db)
    assert r.code == 1 and "不可信" in r.err
    assert "（没有候选人）" in cli("list", db=db).out


def test_import_rpu_refuses_a_chain_the_inbox_refuses(make_installation, tmp_path, cli):
    region = make_installation("region", "自治区", "自治区")
    unit = make_installation("unit", "单位", "U", "包头市")
    path = applicant_package(make_installation("a"), tmp_path / "a.rpu",
                             [unit.public, region.public], 1, channel=CHANNEL)
    inbox.import_many(unit.store, [path], unit.identity)
    cand = next(unit.store.all())
    unit.store.save(dict(cand.data, achievements="单位改写"), candidate_id=cand.id)
    decisions.decide(unit.store, cand.id, "推荐")
    out = tmp_path / "unit.rpu"
    pack_office(unit.store, out, identity=unit.identity, recipients=[region.public], today=TODAY)
    db = region.store.path
    region.store.close()
    r = cli("import-rpu", out, db=db)
    assert r.code == 1 and "签名链校验未通过" in r.err and "主要学术技术成就" in r.err
    assert "（没有候选人）" in cli("list", db=db).out


def test_import_rpu_shows_the_provenance_of_what_it_imported(make_installation, tmp_path, cli):
    office = make_installation("office", "单位", "包头稀土研究院", "包头市")
    path = applicant_package(make_installation("a"), tmp_path / "a.rpu", [office.public], 2)
    db = office.store.path
    office.store.close()
    r = cli("import-rpu", path, db=db)
    assert r.code == 0, r.err
    assert "申报人签名已核对" in r.out and make_record(2)["name"] in r.out


def _recipients(path) -> set[str]:
    return set(inspect(path)["recipients"])


def test_pack_to_a_keyfile_keeps_the_region_unless_only(make_installation, tmp_path, cli):
    unit = make_installation("unit", "单位", "U", "包头市")
    db = tmp_path / "applicant.db"
    (tmp_path / "r.json").write_text(
        __import__("json").dumps(make_record(3), ensure_ascii=False), encoding="utf-8")
    assert cli("keys", "generate", db=db).code == 0
    assert cli("import-json", tmp_path / "r.json", db=db).code == 0
    key = tmp_path / "unit.pub"
    from collector.rpu.keys import encode_public

    key.write_text(encode_public(unit.public), encoding="utf-8")
    region = {k.fingerprint for k in shipped_keys()}
    assert region

    r = cli("pack", "--out", tmp_path / "both.rpu", "--to", key, "--today", "2017-04-20", db=db)
    assert r.code == 0, r.err
    got = _recipients(tmp_path / "both.rpu")
    assert unit.public.fingerprint in got and region <= got

    r = cli("pack", "--out", tmp_path / "only.rpu", "--to", key, "--only",
            "--today", "2017-04-20", db=db)
    assert r.code == 0, r.err
    got = _recipients(tmp_path / "only.rpu")
    assert unit.public.fingerprint in got and not region & got

    r = cli("pack", "--out", tmp_path / "x.rpu", "--only", "--today", "2017-04-20", db=db)
    assert r.code == 2 and "--to" in r.err


def test_replace_duplicate_runs_the_same_checks(make_installation, tmp_path):
    """以此份替换 re-checks the chosen package like the inbox: a signer marked untrusted since
    it arrived is refused; an accepted copy brings its provenance with it."""
    from collector.exchange import untrusted
    from collector.exchange.provenance import VERIFIED, of
    from collector.office.replace import ReplaceRefused, replace

    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    first = applicant_package(make_installation("a"), tmp_path / "甲.rpu", [office.public], 5)
    second_key = make_installation("b")
    second = applicant_package(second_key, tmp_path / "乙.rpu", [office.public], 5)
    inbox.import_many(office.store, [first, second], office.identity)
    number = make_record(5)["id_number"]
    untrusted.mark_untrusted(office.store, second_key.identity.fingerprint, "冒名")
    with pytest.raises(ReplaceRefused, match="不可信"):
        replace(office.store, number, "乙.rpu", office.identity, "乙份为准")
    untrusted.mark_trusted(office.store, second_key.identity.fingerprint)
    replace(office.store, number, "乙.rpu", office.identity, "乙份为准")
    prov = of(office.store.find(number))
    assert prov.klass == VERIFIED and prov.applicant_key == second_key.identity.fingerprint
    assert prov.paper_needed
