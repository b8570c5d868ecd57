"""The region's package to the ministry: the final list with the review results, signed by the
region and verified by a fresh installation (the ministry's)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from collector import review as rv
from collector.office import decisions as dec
from collector.office.profile import save_profile
from collector.review.package import REVIEW_DOC, RegionPackRefused, pack_region
from collector.exchange.keyring import generate_identity
from collector.rpu import open_package
from collector.storage.store import Store
from .helpers import candidate

PASS = "review-tests"
TODAY = dt.date(2017, 4, 25)
IDS = ("c1", "c2", "c3", "c4", "original", "industry", "team", "young")
CHANNELS = [("盟市", n) for n in ("包头市", "赤峰市", "通辽市", "鄂尔多斯市", "呼和浩特市")] + \
    [("区直单位", n) for n in ("内蒙古大学", "内蒙古农业大学")]


@pytest.fixture
def region(tmp_path):
    store = Store(tmp_path / "region" / "collector.db")
    identity = generate_identity(store, PASS, "自治区", "自治区人力资源和社会保障厅")
    save_profile(store, role="region", unit="自治区人力资源和社会保障厅")
    # 20 candidates, 3 per 盟市 and 2 or 3 per 区直单位 -> 内蒙古大学 sends 3 (one over quota)
    ids = [store.save(candidate(i, f"人选{i}", *CHANNELS[i % 7])) for i in range(20)]
    rnd = rv.create_round(store)
    for e in ("甲", "乙", "丙"):
        rv.add_expert(store, rnd, e)
        rv.enter_scores(store, rnd, e, {cid: {k: round(9.5 - 0.2 * i, 1) for k in IDS}
                                        for i, cid in enumerate(ids)})
    yield store, identity, rnd, ids
    store.close()


@pytest.fixture
def ministry(tmp_path):
    store = Store(tmp_path / "ministry" / "collector.db")
    identity = generate_identity(store, PASS, "人力资源社会保障部", "专业技术人员管理司")
    yield store, identity
    store.close()


def test_the_ministry_opens_and_verifies_the_region_package(region, ministry, tmp_path):
    store, identity, rnd, ids = region
    _mstore, mid = ministry
    out = tmp_path / "自治区报部.rpu"
    result = pack_region(store, out, identity=identity, recipients=[mid.public], today=TODAY)
    ranking = rv.ranking_for(store, rnd)
    final = [r.id for r in ranking.selected]
    assert len(final) == 15
    pkg = open_package(out, mid)  # a fresh installation: verifies signature and every part
    assert pkg.signer_fingerprint == identity.fingerprint
    assert sorted(c["id_number"] for c in pkg.candidates) == \
        sorted(store.get(cid).data["id_number"] for cid in final)
    results = json.loads(pkg.read_part(REVIEW_DOC))
    assert results["final"] == final and results["round"]["id"] == rnd.id
    assert [e["name"] for e in results["experts"]] == ["甲", "乙", "丙"]
    assert results["shares"]["final"]["count"] == 15
    cut = {r["name"]: r["reason"] for r in results["rows"] if r["decision"] != "入选"}
    assert cut["人选19"].startswith("超过本渠道名额")  # the third 内蒙古大学 candidate
    assert not result.warnings
    # the region's own decisions now agree with the review
    assert dec.get_decision(store, final[0]).decision == dec.RECOMMEND
    assert dec.get_decision(store, ids[19]).decision == dec.REJECT
    assert "超过本渠道名额" in dec.get_decision(store, ids[19]).reason


def test_no_package_while_a_tie_is_pending(region, tmp_path):
    store, identity, rnd, ids = region
    rv.add_expert(store, rnd, "丁")
    # 丁 scores so that two candidates tie across the line: make everyone equal
    rv.enter_scores(store, rnd, "丁", {cid: {k: 5 for k in IDS} for cid in ids})
    for e in ("甲", "乙", "丙"):
        rv.enter_scores(store, rnd, e, {cid: {k: 5 for k in IDS} for cid in ids}, replace=True)
    with pytest.raises(RegionPackRefused, match="并列待定"):
        pack_region(store, tmp_path / "x.rpu", identity=identity, today=TODAY)
    assert not (tmp_path / "x.rpu").exists()


def test_no_package_when_a_record_changed_after_the_review_began(region, tmp_path):
    store, identity, rnd, ids = region
    data = store.get(ids[0]).data
    data["achievements"] = data["achievements"] + "（评审开始后补充）"
    store.save(data, candidate_id=ids[0])
    with pytest.raises(RegionPackRefused, match="人选0 的数据在评审开始后被修改"):
        pack_region(store, tmp_path / "x.rpu", identity=identity, today=TODAY)


def test_only_the_region_packs_for_the_ministry(region, tmp_path):
    store, identity, rnd, ids = region
    save_profile(store, role="office", channel_name="包头市")
    with pytest.raises(Exception, match="只能由自治区生成"):
        pack_region(store, tmp_path / "x.rpu", identity=identity, today=TODAY)


def test_review_pack_from_the_command_line(region, ministry, tmp_path, cli, monkeypatch):
    store, identity, rnd, ids = region
    mstore, mid = ministry
    key = tmp_path / "ministry.pub"
    from collector.exchange.keyring import public_key_block
    key.write_text(public_key_block(mstore), encoding="utf-8")
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    out = tmp_path / "报部.rpu"
    res = cli("review", "pack", "--out", out, "--to", key, "--today", "2017-04-25",
              db=store.path)
    assert res.code == 0, res.err
    assert "推荐人选 15 名" in res.out
    assert len(open_package(out, mid).candidates) == 15
