"""The notice's selection emphases (一、遴选推荐重点) as shares, at their boundaries, and where
offices and the region see them: ``quota``, ``decisions``, the 审核与名额 page, ``review rank``."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from collector.office import decisions
from collector.office.emphasis import emphasis
from collector.office.profile import load_profile, save_profile
from collector.office.quota import quota_view
from collector.record.year import load_year
from tests.conftest import make_record

YEAR = load_year(2017)
YOUNG = YEAR.young_born_on_or_after


def share(key: str, **record) -> int:
    return emphasis([record], YEAR, "t").get(key).count


@pytest.mark.parametrize("conditions, counted", [
    ([], False), ([1], False), ([1, 2, 3], False), ([4], True), ([1, 4], True),
])
def test_industrial_is_condition_four(conditions, counted):
    assert share("industrial", conditions=conditions) == int(counted)


@pytest.mark.parametrize("employer_type, ownership, counted", [
    ("非公有制企业", "", True), ("国有企业", "全民", False), ("其他", "个体", True),
    ("其他", "合资", True), ("其他", "外资", True), ("其他", "集体", False),
    ("其他", "其他", False), ("高等院校", "全民", False), ("", "", False),
])
def test_non_public_share_follows_the_years_lists(employer_type, ownership, counted):
    assert share("non_public", employer_type=employer_type,
                 unit_ownership=ownership) == int(counted)


@pytest.mark.parametrize("birth, counted", [
    (str(YOUNG), True),   # the first day counted as 中青年 (2017: 1972-01-01)
    (str(YOUNG - dt.timedelta(days=1)), False),  # one day earlier is not
    ("1985-06-01", True), ("", False), ("1972-13-01", False),
])
def test_young_cutoff(birth, counted):
    assert share("young", birth_date=birth) == int(counted)


@pytest.mark.parametrize("areas, strategies, focus, strategy", [
    ([], [], False, False), (["人工智能"], [], True, False), (["量子计算"], [], False, False),
    ([], ["一带一路"], False, True), (["物联网", "3D打印"], ["互联网+"], True, True),
])
def test_focus_areas_and_strategies(areas, strategies, focus, strategy):
    e = emphasis([{"focus_areas": areas, "strategies": strategies}], YEAR, "t")
    assert (e.get("focus").count, e.get("strategy").count) == (int(focus), int(strategy))
    for area in YEAR.focus_areas:
        assert e.get(f"area:{area}").count == int(area in areas)


def test_percentages_and_the_empty_list():
    e = emphasis([{"conditions": [4]}, {"conditions": [1]}, {"conditions": [2]}], YEAR, "已推荐")
    assert e.get("industrial").percent == 33.3 and e.total == 3
    assert "已推荐 3 名：产业创新人才（条件四） 1 名（33.3%）" in e.line()
    empty = emphasis([], YEAR, "已推荐")
    assert empty.total == 0 and all(s.percent == 0.0 for s in empty.shares)


def _office(store, n: int = 4):
    save_profile(store, role="盟市/厅局", unit="包头市人社局", channel_name="包头市")
    ids = []
    for i in range(n):
        rec = make_record(i, channel={"kind": "盟市", "name": "包头市"}, conditions=[4] if i < 2 else [1],
                          condition_statements={"4" if i < 2 else "1": "说明"},
                          employer_type="非公有制企业" if i == 0 else "高等院校",
                          unit_ownership="其他" if i == 0 else "全民")
        ids.append(store.save(rec))
    decisions.decide(store, ids[0], "推荐")
    decisions.decide(store, ids[2], "推荐")
    return ids


def test_quota_view_carries_the_emphasis_for_all_and_for_the_recommended(store):
    _office(store)
    view = quota_view(store, load_profile(store))
    held, chosen = view.emphasis
    assert (held.total, held.get("industrial").count, held.get("non_public").count) == (4, 2, 1)
    assert (chosen.total, chosen.get("industrial").count, chosen.get("non_public").count) == (2, 1, 1)
    assert any(line.startswith("遴选推荐重点 · 已推荐 2 名") for line in view.emphasis_lines())


def test_cli_quota_and_decisions_show_the_emphasis(cli, store):
    _office(store)
    store.close()
    r = cli("quota")
    assert r.code == 0 and "遴选推荐重点 · 已推荐 2 名：产业创新人才（条件四） 1 名（50.0%）" in r.out
    assert "非公有制单位 1 名（50.0%）" in r.out
    assert f"中青年（{YOUNG.year}年{YOUNG.month}月{YOUNG.day}日以后出生）" in r.out
    data = json.loads(cli("quota", "--json").out)
    assert [e["title"] for e in data["emphasis"]] == ["全部候选人", "已推荐"]
    r = cli("decisions")
    assert r.code == 0 and "遴选推荐重点 · 全部候选人 4 名" in r.out


def test_review_page_shows_the_emphasis(qtbot, store):
    pytest.importorskip("pytestqt")
    from ui.office import OfficeReviewPage

    _office(store)
    page = OfficeReviewPage(store)
    qtbot.addWidget(page)
    page.details_button.click()  # the shares are details, shown on demand
    assert "遴选推荐重点 · 已推荐 2 名" in page.details.text()
    assert "非公有制单位 1 名（50.0%）" in page.details.text()
    assert "非公有制单位" in page.quota.toolTip()


@pytest.mark.parametrize("rows, expected", [
    ([{"employer_type": "高等院校", "conditions": [1]}], (1, 1)),
    ([{"employer_type": "科研院所", "conditions": [2, 4]}, {"employer_type": "高等院校",
                                                         "conditions": [3]}], (1, 2)),
    ([{"employer_type": "高等院校", "conditions": [3, 4]}], (0, 1)),
    # only 高校院所 candidates count; a company's 条件一 is not in the denominator
    ([{"employer_type": "国有企业", "conditions": [1]}, {"employer_type": "科研院所",
                                                       "conditions": [1]}], (1, 1)),
])
def test_original_innovation_share_of_universities_and_institutes(rows, expected):
    s = emphasis(rows, YEAR, "t").get("original")
    assert (s.count, s.total) == expected


def test_no_university_candidate_means_no_original_share():
    e = emphasis([{"employer_type": "国有企业", "conditions": [1]}], YEAR, "t")
    assert "original" not in {s.key for s in e.shares}


def test_the_regions_review_round_carries_the_emphasis(store):
    from collector import review as rv
    from collector.review.rounds import create_round

    _office(store)
    rnd = create_round(store)
    ranking = rv.ranking_for(store, rnd)
    whole, final = ranking.emphasis()
    assert (whole.title, whole.total, whole.get("industrial").count) == ("评审人选", 4, 2)
    assert whole.get("non_public").count == 1
    assert (final.title, final.total) == ("推荐名单", 0)  # no scores yet, nobody selected
    assert [e["title"] for e in ranking.to_dict()["emphasis"]] == ["评审人选", "推荐名单"]
