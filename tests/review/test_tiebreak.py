"""专家组商议定序: a tie across a quota line is pending until the panel's order is recorded; then the
final list and the region's package go through. A decision naming someone outside the tie is
refused (nothing written); a decision whose tie changed with the scores is reported stale."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from fractions import Fraction

import pytest

from collector import review as rv
from collector.common.errors import CollectorError, InputError
from collector.office.profile import save_profile
from collector.review import CUT, PENDING, SELECTED, load_review_rules, rank_round
from collector.review.package import REVIEW_DOC, RegionPackRefused, pack_region
from collector.review.rounds import Round, RoundCandidate
from collector.review.tiebreak import TieBreak
from collector.exchange.keyring import generate_identity
from collector.rpu import open_package
from collector.storage.store import Store
from .helpers import candidate

PASS = "review-tests"
TODAY = dt.date(2017, 4, 25)
IDS = ("c1", "c2", "c3", "c4", "original", "industry", "team", "young")
MENGSHI = ("包头市", "赤峰市", "通辽市", "鄂尔多斯市", "呼和浩特市")
# 17 candidates, none over a channel quota: 3 per 盟市 (5 allowed), 1 per 区直单位 (2 allowed)
CHANNELS = [("盟市", MENGSHI[i % 5]) for i in range(15)] + \
    [("区直单位", "内蒙古大学"), ("区直单位", "内蒙古农业大学")]
# 0..13 distinct, 14, 15, 16 tied for the 15th and last seat
SCORES = [round(9.5 - 0.2 * i, 1) for i in range(14)] + [6.0, 6.0, 6.0]


# The cases below are built around 15 seats, 5 per 盟市 and 2 per 区直单位: those are this
# module's own data, pinned here, so a new year's rules file does not change what they test.
SEATS, CHANNEL_QUOTAS = 15, {"盟市": 5, "区直单位": 2}


@pytest.fixture(autouse=True)
def _quotas_of_these_cases(monkeypatch):
    from collector.review import package, rounds
    from collector.record.year import load_year

    rules = dataclasses.replace(load_review_rules(2017), region_quota=SEATS,
                                channel_quotas=dict(CHANNEL_QUOTAS))
    year = dataclasses.replace(load_year(2017), region_quota=SEATS, quotas=dict(CHANNEL_QUOTAS))
    monkeypatch.setattr(rounds, "load_review_rules", lambda *_a, **_k: rules)
    monkeypatch.setattr(package, "load_year", lambda *_a, **_k: year)


def give(store, rnd, values, replace=False):
    ids = [c.id for c in rnd.candidates]
    rv.enter_scores(store, rnd, "甲", {cid: {k: v for k in IDS} for cid, v in zip(ids, values)},
                    replace=replace)


def tiebreak_rows(store) -> int:
    return store.db.execute("SELECT count(*) FROM review_tiebreaks").fetchone()[0]


@pytest.fixture
def tied(tmp_path):
    store = Store(tmp_path / "region" / "collector.db")
    identity = generate_identity(store, PASS, "自治区", "自治区人力资源和社会保障厅")
    save_profile(store, role="region", unit="自治区人力资源和社会保障厅")
    ids = [store.save(candidate(i, f"人选{i}", *CHANNELS[i])) for i in range(17)]
    rnd = rv.create_round(store)
    rv.add_expert(store, rnd, "甲")
    give(store, rnd, SCORES)
    yield store, identity, rnd, ids
    store.close()


def test_tie_pending_then_decided_then_packed(tied, tmp_path):
    store, identity, rnd, ids = tied
    ranking = rv.ranking_for(store, rnd)
    assert len(ranking.selected) == 14
    assert [r.id for r in ranking.pending] == ids[14:]
    [tie] = ranking.pending_ties
    assert (tie.scope, tie.seats, tie.rank) == ("全区", 1, 15) and tie.ids == set(ids[14:])
    with pytest.raises(RegionPackRefused, match="并列待定"):
        pack_region(store, tmp_path / "x.rpu", identity=identity, today=TODAY)

    d = rv.record_tiebreak(store, rnd, [ids[16][:8], ids[14]], "经专家组商议并投票表决（5:2）",
                           actor="评审组秘书")
    assert d.order == (ids[16], ids[14]) and d.seats == 1 and d.actor == "评审组秘书"
    ranking = rv.ranking_for(store, rnd)
    assert not ranking.pending and not ranking.pending_ties and not ranking.stale
    final = [r.id for r in ranking.selected]
    assert len(final) == 15 and final[-1] == ids[16] and final[:14] == ids[:14]
    rows = {r.id: r for r in ranking.rows}
    assert rows[ids[16]].rank == rows[ids[14]].rank == 15 and rows[ids[16]].tied
    for cid in (ids[14], ids[15]):
        assert rows[cid].decision == CUT
        assert rows[cid].reason.startswith("专家组商议：经专家组商议并投票表决（5:2）")
    assert "商议顺序第2位" in rows[ids[14]].reason
    assert "未列入商议顺序" in rows[ids[15]].reason
    # the decided candidate comes first among the tied in the listing
    assert [r.id for r in ranking.rows[14:]] == [ids[16], ids[14], ids[15]]

    out = tmp_path / "报部.rpu"
    pack_region(store, out, identity=identity, today=TODAY)
    results = json.loads(open_package(out, identity).read_part(REVIEW_DOC))
    assert results["final"] == final
    [t] = results["ties"]
    assert t["decision"]["order"] == [ids[16], ids[14]] and t["decision"]["actor"] == "评审组秘书"


def test_a_candidate_outside_the_tie_is_refused(tied):
    store, _identity, rnd, ids = tied
    for order, words in (([ids[14], ids[0]], "人选0 不在需专家组商议的并列人选之中"),
                         ([ids[3]], "人选3 不在需专家组商议的并列人选之中"),
                         (["zzzz"], "没有编号、人选代码或身份证号为“zzzz”"),
                         ([ids[14], ids[14][:8]], "人选14 在商议顺序中重复出现"),
                         ([], "请按专家组商议的先后顺序列出并列人选")):
        with pytest.raises(InputError, match=words):
            rv.record_tiebreak(store, rnd, order, "商议")
    with pytest.raises(InputError, match="请填写专家组商议的理由"):
        rv.record_tiebreak(store, rnd, [ids[14]], "  ")
    with pytest.raises(InputError, match="超过300字"):
        rv.record_tiebreak(store, rnd, [ids[14]], "理" * 301)
    assert tiebreak_rows(store) == 0
    assert len(rv.ranking_for(store, rnd).pending) == 3


def test_scores_changed_afterwards_make_the_decision_stale(tied, tmp_path):
    store, identity, rnd, ids = tied
    rv.record_tiebreak(store, rnd, [ids[15]], "商议决定")
    assert rv.ranking_for(store, rnd).selected[-1].id == ids[15]
    # 人选13 falls into the tie: now 4 tied for 2 seats, not the tie that was decided
    give(store, rnd, SCORES[:13] + [6.0] + SCORES[14:], replace=True)
    ranking = rv.ranking_for(store, rnd)
    [stale] = ranking.stale
    assert "专家组商议定序已失效" in stale.message and "4人并列第14名" in stale.message
    assert "重新商议" in stale.message
    assert [r.id for r in ranking.pending] == ids[13:]
    assert ranking.to_dict()["stale_tiebreaks"][0]["scope"] == "全区"
    with pytest.raises(RegionPackRefused, match="并列待定"):
        pack_region(store, tmp_path / "x.rpu", identity=identity, today=TODAY)
    # a new decision for the new tie replaces the stale one
    rv.record_tiebreak(store, rnd, [ids[13], ids[16]], "重新商议")
    ranking = rv.ranking_for(store, rnd)
    assert not ranking.stale and not ranking.pending and tiebreak_rows(store) == 1
    # the tie disappears altogether: the decision is stale, the list follows the scores
    give(store, rnd, SCORES[:14] + [6.2, 6.1, 6.0], replace=True)
    ranking = rv.ranking_for(store, rnd)
    assert "已没有跨名额线的并列" in ranking.stale[0].message
    assert ranking.selected[-1].id == ids[14] and not ranking.pending
    assert [s.decision.scope for s in rv.clear_stale(store, rnd)] == ["全区"]
    assert tiebreak_rows(store) == 0


def test_a_closed_round_keeps_its_decision(tied):
    store, _identity, rnd, ids = tied
    rv.close_round(store, rnd)
    rv.record_tiebreak(store, rnd, [ids[14]], "商议")  # pending tie: may still be decided
    with pytest.raises(CollectorError, match="已结束"):
        rv.record_tiebreak(store, rnd, [ids[15]], "改主意")
    assert rv.load_tiebreaks(store, rnd)[0].order == (ids[14],)


# -- the rules on a hand-made round (no store) ------------------------------------------------
RULES = load_review_rules(2017)


def make_round(channels, quota=SEATS):
    rules = dataclasses.replace(RULES, region_quota=quota, channel_quotas=dict(CHANNEL_QUOTAS))
    cands = [RoundCandidate(f"id{i:02d}", i + 1,
                            {"name": f"人{i}", "channel": {"kind": k, "name": n},
                             "conditions": [1], "employer_type": "高等院校"})
             for i, (k, n) in enumerate(channels)]
    return Round("R1", 2017, "t", "", "open", "00" * 32, rules, cands)


def scored(rnd, values):
    return {"a": {c.id: {k: Fraction(str(v)) for k in RULES.criterion_ids}
                  for c, v in zip(rnd.candidates, values)}}


def decision(scope, members, seats, order):
    return TieBreak("R1", scope, frozenset(members), seats, 0, "", tuple(order), "表决", "秘书", "")


def test_a_channel_tie_decided():
    # 区直单位 may send 2: 人0 is in, 人1 and 人2 tie for the one seat left
    rnd = make_round([("区直单位", "内蒙古大学")] * 3 + [("盟市", "赤峰市")])
    sc = scored(rnd, [9, 8, 8, 7])
    [tie] = rank_round(rnd, sc, ["a"]).pending_ties
    assert (tie.scope, tie.seats) == ("区直单位：内蒙古大学", 1)
    ranking = rank_round(rnd, sc, ["a"], [decision(tie.scope, tie.ids, 1, ["id02"])])
    d = {r.candidate.name: (r.decision, r.reason) for r in ranking.rows}
    assert d["人2"][0] == SELECTED and d["人1"][0] == CUT and d["人3"][0] == SELECTED
    assert d["人1"][1].startswith("专家组商议：表决（2人并列第2名，内蒙古大学剩余名额1个")
    # a decision for other members (or seats) is not applied and is reported
    ranking = rank_round(rnd, sc, ["a"], [decision(tie.scope, {"id01", "id03"}, 1, ["id03"])])
    assert ranking.rows[1].decision == PENDING and len(ranking.stale) == 1


def test_a_region_tie_respects_the_channel_room():
    # 包头市 already has 4 of its 5; 人4, 人5 (包头市) and 人6, 人7 (赤峰市) tie for the last 2 seats
    rnd = make_round([("盟市", "包头市")] * 6 + [("盟市", "赤峰市")] * 2, quota=6)
    sc = scored(rnd, [9, 9, 9, 9, 5, 5, 5, 5])
    ranking = rank_round(rnd, sc, ["a"])
    assert [r.candidate.name for r in ranking.pending] == ["人4", "人5", "人6", "人7"]
    [tie] = ranking.pending_ties
    assert (tie.scope, tie.seats) == ("全区", 2)
    ranking = rank_round(rnd, sc, ["a"], [decision("全区", tie.ids, 2, ["id04", "id05", "id07"])])
    d = {r.candidate.name: (r.decision, r.reason) for r in ranking.rows}
    assert d["人4"][0] == SELECTED and d["人7"][0] == SELECTED
    assert d["人5"][0] == CUT and "包头市的名额已满" in d["人5"][1]
    assert d["人6"][0] == CUT and "未列入商议顺序" in d["人6"][1]
    assert [r.candidate.name for r in ranking.rows[4:]] == ["人4", "人5", "人7", "人6"]


def test_an_order_too_short_for_the_seats_is_refused(tmp_path):
    with Store(tmp_path / "c.db") as store:
        chans = [("盟市", "包头市")] * 6 + [("盟市", "赤峰市")] * 2 + [("盟市", "通辽市")] * 5 + \
            [("盟市", "鄂尔多斯市")] * 4
        ids = [store.save(candidate(i, f"人{i}", *ch)) for i, ch in enumerate(chans)]
        rnd = rv.create_round(store)
        rv.add_expert(store, rnd, "甲")
        # 13 in; 人4, 人5 (包头市, one seat left) and 人6, 人7 (赤峰市) tie for the last 2 seats
        give(store, rnd, [9, 9, 9, 9, 5, 5, 5, 5] + [8] * 9)
        [tie] = rv.ranking_for(store, rnd).pending_ties
        assert (tie.scope, tie.seats) == ("全区", 2) and tie.ids == set(ids[4:8])
        with pytest.raises(InputError, match="只能确定 1 个名额"):
            rv.record_tiebreak(store, rnd, [ids[4], ids[5]], "商议")
        assert tiebreak_rows(store) == 0
        rv.record_tiebreak(store, rnd, [ids[5], ids[4], ids[6]], "商议")
        ranking = rv.ranking_for(store, rnd)
        assert len(ranking.selected) == 15 and not ranking.pending
        assert {r.id for r in ranking.selected} >= {ids[5], ids[6]}


def test_tiebreak_from_the_command_line(tied, cli):
    store, _identity, rnd, ids = tied
    db = store.path
    res = cli("review", "final", db=db)
    assert res.code == 1 and "待专家组商议：3人并列第15名，全区剩余名额1个" in res.out
    for cid in ids[14:]:
        assert cid[:8] in res.out
    assert "collector review tiebreak --order" in res.out
    res = cli("review", "tiebreak", db=db)
    assert res.code == 1 and "待专家组商议" in res.out
    res = cli("review", "tiebreak", "--order", f"{ids[14][:8]},{ids[2][:8]}", "--reason", "表决",
              db=db)
    assert res.code == 1 and "人选2 不在需专家组商议的并列人选之中" in res.err
    res = cli("review", "tiebreak", "--order", ids[15][:8], db=db)
    assert res.code == 1 and "请填写专家组商议的理由" in res.err
    assert tiebreak_rows(store) == 0
    res = cli("review", "tiebreak", "--order", f"{ids[15][:8]}，{ids[14][:8]}",
              "--reason", "专家组表决", "--actor", "秘书", db=db)
    assert res.code == 0, res.err
    assert "已记录专家组商议定序（全区，3人并列第15名，剩余名额1个）：人选15、人选14" in res.out
    assert "推荐名单已确定" in res.out
    res = cli("review", "final", db=db)
    assert res.code == 0 and "推荐名单（15/15 名）" in res.out
    assert "人选14  60.00  第15名  未入选：专家组商议：专家组表决" in res.out
    assert "专家组商议定序（全区" in res.out
    data = json.loads(cli("review", "final", "--json", db=db).out)
    assert data["final"][-1]["id"] == ids[15]
    give(store, rnd, SCORES[:14] + [6.0, 6.0, 5.0], replace=True)
    res = cli("review", "final", db=db)
    assert res.code == 1 and "专家组商议定序已失效" in res.out
    res = cli("review", "tiebreak", "--clear-stale", db=db)
    assert res.code == 0 and "已删除 1 条" in res.out
