"""Aggregation rules: weights, plain vs trimmed mean, ties, quotas and the reasons for cuts."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from collector.common.errors import RulesError
from collector.review import CUT, PENDING, SELECTED, load_review_rules, rank_round
from collector.review import criteria as crit_mod
from collector.review.rounds import Round, RoundCandidate

RULES = load_review_rules(2017)
IDS = RULES.criterion_ids


def make_round(channels: list[tuple[str, str]], *, quota: int = 15) -> Round:
    # The quotas are this module's own data (the 2017 ones), not the rules file's: the cases
    # below are built around them, and a new year's file must not change what they test.
    rules = dataclasses.replace(RULES, region_quota=quota, channel_quotas={"盟市": 5, "区直单位": 2})
    cands = [RoundCandidate(f"id{i:02d}", i + 1,
                            {"name": f"人{i}", "channel": {"kind": k, "name": n},
                             "conditions": [1], "employer_type": "高等院校"})
             for i, (k, n) in enumerate(channels)]
    return Round("R1", 2017, "t", "", "open", "00" * 32, rules, cands)


def uniform(rnd: Round, per_expert: dict[str, list[float]]) -> dict:
    """{expert: [score of candidate 0, 1, …]} with the same score on every criterion."""
    return {e: {c.id: {k: Fraction(str(v)) for k in IDS} for c, v in zip(rnd.candidates, vals)}
            for e, vals in per_expert.items()}


@pytest.mark.rules_2017
def test_rules_from_the_toml():
    assert IDS == ("c1", "c2", "c3", "c4", "original", "industry", "team", "young")
    assert sum(c.weight for c in RULES.criteria) == 100
    assert (RULES.trim_threshold, RULES.region_quota) == (5, 15)
    assert RULES.channel_quotas == {"盟市": 5, "区直单位": 2}


def test_weighted_total_by_hand():
    scores = {"c1": 10, "c2": 0, "c3": 5, "c4": 5, "original": 8, "industry": 6, "team": 4,
              "young": 2}
    # 10*20 + 0*10 + 5*10 + 5*15 + 8*15 + 6*10 + 4*10 + 2*10 = 565; / 10 = 56.5
    assert RULES.weighted_total({k: Fraction(v) for k, v in scores.items()}) == Fraction(113, 2)


def test_fewer_than_five_experts_use_the_plain_mean():
    rnd = make_round([("盟市", "包头市")] * 2)
    ranking = rank_round(rnd, uniform(rnd, {"a": [9, 5], "b": [1, 6], "c": [2, 7]}), ["a", "b", "c"])
    assert not ranking.trimmed
    means = {r.candidate.name: r.mean for r in ranking.rows}
    assert means == {"人0": 40, "人1": 60}
    assert [r.rank for r in ranking.rows] == [1, 2]


def test_five_experts_drop_one_highest_and_one_lowest_even_when_equal():
    rnd = make_round([("盟市", "包头市")])
    ranking = rank_round(rnd, uniform(rnd, {e: [v] for e, v in zip("abcde", [9, 9, 5, 5, 7])}),
                         list("abcde"))
    assert ranking.trimmed
    # sorted 5 5 7 9 9 -> keep 5 7 9 -> 70
    assert ranking.rows[0].mean == 70


def test_an_incomplete_expert_is_not_counted():
    rnd = make_round([("盟市", "包头市")] * 2)
    scores = uniform(rnd, {"a": [8, 6], "b": [6, 8]})
    del scores["b"]["id01"]["young"]
    ranking = rank_round(rnd, scores, ["a", "b"])
    assert ranking.experts == ["a"] and ranking.incomplete == {"b": 1}
    assert ranking.rows[0].mean == 80


def test_no_complete_expert_means_no_ranking():
    rnd = make_round([("盟市", "包头市")])
    ranking = rank_round(rnd, {}, ["a"])
    assert not ranking.ready and ranking.rows[0].decision == PENDING


def test_a_tie_across_the_quota_line_is_left_to_the_panel():
    rnd = make_round([("盟市", "包头市"), ("盟市", "赤峰市"), ("盟市", "通辽市"),
                      ("盟市", "乌海市")], quota=2)
    ranking = rank_round(rnd, uniform(rnd, {"a": [9, 8, 8, 7]}), ["a"])
    d = {r.candidate.name: (r.rank, r.decision, r.reason) for r in ranking.rows}
    assert d["人0"] == (1, SELECTED, "")
    assert d["人1"][:2] == (2, PENDING) and d["人2"][:2] == (2, PENDING)
    assert "2人并列第2名，全区剩余名额1个，需专家组商议" in d["人1"][2]
    assert d["人3"][1] == CUT and d["人3"][2].startswith("名额已满")


def test_a_tie_across_a_channel_quota_is_left_to_the_panel():
    # 区直单位 may send 2: one already in, two more tied for the last place
    rnd = make_round([("区直单位", "内蒙古大学")] * 3 + [("盟市", "赤峰市"), ("区直单位", "内蒙古大学")])
    ranking = rank_round(rnd, uniform(rnd, {"a": [9, 8, 8, 7, 6]}), ["a"])
    d = {r.candidate.name: (r.decision, r.reason) for r in ranking.rows}
    assert d["人0"] == (SELECTED, "")
    assert d["人1"][0] == PENDING and "内蒙古大学剩余名额1个" in d["人1"][1]
    assert d["人3"] == (SELECTED, "")
    assert d["人4"][0] == CUT and d["人4"][1].startswith("超过本渠道名额")


def test_a_bad_review_section_is_a_rules_error(tmp_path, monkeypatch):
    text = (tmp_path / "x.toml")
    text.write_text("[review]\nscore_min = 0\nscore_max = 10\n"
                    "[[review.criteria]]\nid = 'a'\nname = 'A'\nweight = 60\n", encoding="utf-8")
    monkeypatch.setattr(crit_mod, "rules_path", lambda year: text)
    with pytest.raises(RulesError, match="权重之和应为 100，现为 60"):
        crit_mod.load_review_rules(2017)
    text.write_text("[other]\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"缺少 \[review\]"):
        crit_mod.load_review_rules(2017)
