"""Holds that nothing walks around (issue 25), at the region of a walked province: one preflight
for every export path, a changed record held again, a replaced record decided anew."""

from __future__ import annotations

import json
import shutil

import pytest

from collector.office import decisions
from collector.exchange.admission import hold_reason
from collector.office.export import make_disc
from collector.office.package import OfficePackRefused, pack_office
from collector.exchange.keyring import load_identity
from collector.storage.store import Store, strip_meta
from tests.office.conftest import PASS, TODAY


@pytest.fixture
def region(province_walk, tmp_path, monkeypatch):
    """The walked region: every candidate imported, paper-checked and 推荐."""
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    p = province_walk.province
    shutil.copytree(p.region.db.parent, tmp_path / "region")
    return tmp_path / "region" / p.region.db.name


def test_a_recommended_record_edited_afterwards_is_held_and_leaves_through_no_export(region,
                                                                                    tmp_path, cli):
    with Store(region) as store:
        cand = next(store.all())
        assert decisions.get_decision(store, cand.id).decision == decisions.RECOMMEND
        assert not hold_reason(store, cand)
        store.save(dict(strip_meta(cand.data), discipline="自治区改过的专业"), candidate_id=cand.id)
        held = hold_reason(store, store.get(cand.id))
        assert held.startswith("本级录入")  # not 本级录入（本机） and unheld
        identity = load_identity(store, PASS)
        with pytest.raises(OfficePackRefused, match=f"{cand.name}.*暂扣待定"):
            pack_office(store, tmp_path / "x.rpu", identity=identity, today=TODAY)
        with pytest.raises(OfficePackRefused, match="暂扣待定"):
            make_disc(store, tmp_path / "disc", identity=identity, iso=tmp_path / "x.iso",
                      today=TODAY)
    assert not (tmp_path / "x.rpu").exists() and not (tmp_path / "disc").exists()
    r = cli("disc", "--out", tmp_path / "disc2", "--today", "2017-04-20", db=region)
    assert r.code == 1 and "暂扣待定" in r.err and cand.name in r.err


def test_import_json_over_a_received_record_keeps_it_held(region, tmp_path, cli):
    with Store(region) as store:
        cand = next(store.all())
    changed = dict(strip_meta(cand.data), discipline="经 JSON 改过")
    (tmp_path / "c.json").write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", tmp_path / "c.json", db=region).code == 0
    r = cli("decide", cand.data["id_number"], "推荐", db=region)
    assert r.code == 1 and "本级录入" in r.err
    assert cli("accept", cand.data["id_number"], "--reason", "已电话核实", db=region).code == 0
    assert cli("decide", cand.data["id_number"], "推荐", db=region).code == 0


def test_an_open_duplicate_blocks_the_office_package(region, province_walk, tmp_path):
    """An older genuine copy arriving again (a replay) is a duplicate: nothing goes up until
    the office decides which copy is current."""
    from collector.office import inbox

    p = province_walk.province
    with Store(region) as store:
        identity = load_identity(store, PASS)
        unit_pkg = p.sent[next(iter(p.units))]  # also nested in 包头市's package
        entry = inbox.import_many(store, [unit_pkg], identity).entries[0]
        assert entry.status == inbox.DUPLICATE, entry.line()
        with pytest.raises(OfficePackRefused, match="重复报送"):
            pack_office(store, tmp_path / "x.rpu", identity=identity, today=TODAY)


def test_a_plain_pack_at_an_office_is_no_way_around_a_hold(region, tmp_path, cli):
    with Store(region) as store:
        cand = next(store.all())
        store.save(dict(strip_meta(cand.data), discipline="自治区改过的专业"), candidate_id=cand.id)
    r = cli("pack", "--out", tmp_path / "x.rpu", "--id", cand.data["id_number"], db=region)
    assert r.code == 1 and "暂扣待定" in r.err and not (tmp_path / "x.rpu").exists()
