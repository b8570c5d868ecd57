"""Done-when: 40 candidates from several 盟市 and 区直单位, five experts' XLSX sheets filled as an
expert would and imported, the ranking and the final 15 checked against a table computed by hand.

Each expert gives a candidate one score on all eight criteria, so that expert's weighted total
is 10 × the score. Five experts: drop one highest and one lowest, average the middle three.
"""

from __future__ import annotations

import json

import pytest

from collector import review as rv
from collector.review.sheet_xlsx import export_xlsx, import_xlsx
from .helpers import candidate, fill_sheet

M, Q = "盟市", "区直单位"
BT, HH, CF, ER, TL, HL = "包头市", "呼和浩特市", "赤峰市", "鄂尔多斯市", "通辽市", "呼伦贝尔市"
ND, NN, GD, NK = "内蒙古大学", "内蒙古农业大学", "内蒙古工业大学", "内蒙古自治区农牧业科学院"
DL, BG = "内蒙古电力（集团）有限责任公司", "包头钢铁（集团）有限责任公司"
NP = "非公有制企业"

# name, channel kind, channel, conditions, employer type, scores of experts E1..E5,
# hand-computed: trimmed mean (middle three of the sorted five, × 10), rank, outcome.
TABLE = [
    ("包头一", M, BT, (1,), "高等院校", [9.5, 9.5, 9.5, 9.5, 9.5], "95.00", 1, "入选"),
    # sorted 8.0 9.0 9.4 9.5 10 -> (9.0+9.4+9.5)/3 = 9.3 (the plain mean would be 91.80)
    ("包头二", M, BT, (4,), NP, [9.0, 9.5, 9.4, 8.0, 10.0], "93.00", 2, "入选"),
    ("内大一", Q, ND, (1,), "高等院校", [9.2] * 5, "92.00", 3, "入选"),
    ("包头三", M, BT, (1,), "高等院校", [9.1] * 5, "91.00", 4, "入选"),
    ("内大二", Q, ND, (2,), "高等院校", [9.0] * 5, "90.00", 5, "入选"),
    ("呼市一", M, HH, (1,), "科研院所", [8.9] * 5, "89.00", 6, "入选"),
    ("包头四", M, BT, (1, 4), "科研院所", [8.8] * 5, "88.00", 7, "入选"),
    ("内大三", Q, ND, (3,), "高等院校", [8.7] * 5, "87.00", 8, "超过本渠道名额"),
    ("包头五", M, BT, (3,), "高等院校", [8.6] * 5, "86.00", 9, "入选"),
    ("赤峰一", M, CF, (1,), "医疗卫生机构", [8.5] * 5, "85.00", 10, "入选"),
    # sorted 7 8 8.5 9 9.5 -> 8.5: tied with 赤峰一 at rank 10
    ("鄂尔多斯一", M, ER, (4,), NP, [9.0, 8.0, 8.5, 7.0, 9.5], "85.00", 10, "入选"),
    ("包头六", M, BT, (4,), NP, [8.4] * 5, "84.00", 12, "超过本渠道名额"),
    ("农大一", Q, NN, (2,), "高等院校", [8.3] * 5, "83.00", 13, "入选"),
    ("呼市二", M, HH, (2,), "高等院校", [8.2] * 5, "82.00", 14, "入选"),
    ("通辽一", M, TL, (3,), "医疗卫生机构", [8.1] * 5, "81.00", 15, "入选"),
    ("电力一", Q, DL, (4,), "国有企业", [8.0] * 5, "80.00", 16, "入选"),
    # sorted 1 7.9 7.9 7.9 10 -> 7.9; trimming keeps this candidate in (plain mean 69.40)
    ("呼伦贝尔一", M, HL, (4,), NP, [7.9, 1.0, 7.9, 10.0, 7.9], "79.00", 17, "入选"),
    ("赤峰二", M, CF, (4,), "科研院所", [7.8] * 5, "78.00", 18, "名额已满"),
    ("呼市三", M, HH, (1,), "高等院校", [7.7] * 5, "77.00", 19, "名额已满"),
    # sorted 6 7 7.6 8.2 9 -> (7+7.6+8.2)/3 = 7.6
    ("呼市四", M, HH, (1,), "高等院校", [6.0, 7.0, 7.6, 8.2, 9.0], "76.00", 20, "名额已满"),
    ("呼市五", M, HH, (1,), "高等院校", [7.5] * 5, "75.00", 21, "名额已满"),
    ("赤峰三", M, CF, (1,), "高等院校", [7.4] * 5, "74.00", 22, "名额已满"),
    ("赤峰四", M, CF, (1,), "高等院校", [7.3] * 5, "73.00", 23, "名额已满"),
    ("赤峰五", M, CF, (1,), "高等院校", [7.2] * 5, "72.00", 24, "名额已满"),
    ("鄂尔多斯二", M, ER, (1,), "高等院校", [7.1] * 5, "71.00", 25, "名额已满"),
    ("鄂尔多斯三", M, ER, (1,), "高等院校", [7.0] * 5, "70.00", 26, "名额已满"),
    # sorted 0 6.5 7 7.5 10 -> 7.0: tied with 鄂尔多斯三 at rank 26
    ("鄂尔多斯四", M, ER, (1,), "高等院校", [10.0, 6.5, 7.0, 7.5, 0.0], "70.00", 26, "名额已满"),
    ("鄂尔多斯五", M, ER, (1,), "高等院校", [6.9] * 5, "69.00", 28, "名额已满"),
    ("通辽二", M, TL, (1,), "高等院校", [6.8] * 5, "68.00", 29, "名额已满"),
    ("通辽三", M, TL, (1,), "高等院校", [6.7] * 5, "67.00", 30, "名额已满"),
    ("通辽四", M, TL, (1,), "高等院校", [6.6] * 5, "66.00", 31, "名额已满"),
    ("呼伦贝尔二", M, HL, (1,), "高等院校", [6.5] * 5, "65.00", 32, "名额已满"),
    ("呼伦贝尔三", M, HL, (1,), "高等院校", [6.4] * 5, "64.00", 33, "名额已满"),
    ("农大二", Q, NN, (1,), "高等院校", [6.3] * 5, "63.00", 34, "名额已满"),
    ("工大一", Q, GD, (1,), "高等院校", [6.2] * 5, "62.00", 35, "名额已满"),
    ("工大二", Q, GD, (1,), "高等院校", [6.1] * 5, "61.00", 36, "名额已满"),
    ("农牧一", Q, NK, (1,), "科研院所", [6.0] * 5, "60.00", 37, "名额已满"),
    ("农牧二", Q, NK, (1,), "科研院所", [5.9] * 5, "59.00", 38, "名额已满"),
    ("电力二", Q, DL, (1,), "国有企业", [5.8] * 5, "58.00", 39, "名额已满"),
    ("包钢一", Q, BG, (1,), "国有企业", [5.7] * 5, "57.00", 40, "名额已满"),
]
EXPERTS = ["赵专家", "钱专家", "孙专家", "李专家", "周专家"]
FINAL = ["包头一", "包头二", "内大一", "包头三", "内大二", "呼市一", "包头四", "包头五", "赤峰一",
         "鄂尔多斯一", "农大一", "呼市二", "通辽一", "电力一", "呼伦贝尔一"]


@pytest.fixture
def reviewed(store, tmp_path):
    # Stored in an order unlike the ranking, so the order of the sheet proves nothing.
    order = list(range(len(TABLE)))[::3] + list(range(len(TABLE)))[1::3] + \
        list(range(len(TABLE)))[2::3]
    ids = {}
    for i in order:
        name, kind, ch, conds, etype, *_ = TABLE[i]
        ids[name] = store.save(candidate(i, name, kind, ch, conditions=conds, employer_type=etype))
    rnd = rv.create_round(store)
    for e in EXPERTS:
        rv.add_expert(store, rnd, e)
    for k, e in enumerate(EXPERTS):
        sheet = tmp_path / f"{e}.xlsx"
        export_xlsx(store, rnd, e, sheet)
        fill_sheet(sheet, {ids[row[0]]: row[5][k] for row in TABLE})
        res = import_xlsx(store, sheet, expert=e)
        assert (res.expert, res.candidates, res.scores) == (e, 40, 320)
    return rnd, ids


def test_ranking_and_final_fifteen_match_the_hand_computed_table(store, reviewed):
    rnd, ids = reviewed
    ranking = rv.ranking_for(store, rnd)
    assert ranking.experts == EXPERTS and ranking.trimmed and not ranking.incomplete
    got = {r.candidate.name: r for r in ranking.rows}
    for name, *_rest, mean, rank, outcome in TABLE:
        row = got[name]
        assert row.to_dict()["mean"] == mean, name
        assert row.rank == rank, name
        if outcome == "入选":
            assert row.decision == rv.SELECTED and row.reason == "", name
        else:
            assert row.decision == rv.CUT and row.reason.startswith(outcome), (name, row.reason)
    assert [r.candidate.name for r in ranking.selected] == FINAL
    assert got["赤峰一"].tied and got["鄂尔多斯一"].tied and not got["包头一"].tied
    assert "包头市已" in got["包头六"].reason and "内蒙古大学" in got["内大三"].reason
    assert got["呼伦贝尔一"].dropped == ("李专家", "钱专家")  # highest 10.0, lowest 1.0


def test_shares_of_industrial_and_non_public_candidates(store, reviewed):
    rnd, _ids = reviewed
    shares = rv.ranking_for(store, rnd).shares()
    # all 40: condition 4 -> 包头二 包头四 鄂尔多斯一 包头六 电力一 呼伦贝尔一 赤峰二 = 7;
    # non-public -> 包头二 鄂尔多斯一 包头六 呼伦贝尔一 = 4
    assert shares["all"] == {"count": 40, "industrial": 7, "industrial_percent": 17.5,
                             "non_public": 4, "non_public_percent": 10.0}
    # final 15: industrial 包头二 包头四 鄂尔多斯一 电力一 呼伦贝尔一; non-public 包头二 鄂尔多斯一 呼伦贝尔一
    assert shares["final"] == {"count": 15, "industrial": 5, "industrial_percent": 33.3,
                               "non_public": 3, "non_public_percent": 20.0}


def test_cli_final_json_lists_the_fifteen_and_the_cuts(store, reviewed, cli):
    res = cli("review", "final", "--json")
    assert res.code == 0, res.err
    data = json.loads(res.out)
    assert [r["name"] for r in data["final"]] == FINAL
    assert len(data["cut"]) == 25
    assert {r["name"]: r["reason"][:7] for r in data["cut"]}["内大三"] == "超过本渠道名额"
    res = cli("review", "final")
    assert res.code == 0 and "推荐名单（15/15 名）" in res.out
    assert "产业创新人才（条件四）5 名，占 33.3%" in res.out
    res = cli("review", "rank")
    assert res.code == 0 and "10=" in res.out and "去掉一个最高分和一个最低分" in res.out
