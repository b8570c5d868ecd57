"""``collector review …`` end to end on a small round, and its error messages and exit codes."""

from __future__ import annotations

import json

from collector.review import load_review_rules
from collector.storage.store import Store
from .helpers import candidate, fill_sheet


def seed(db_path, n=4):
    with Store(db_path) as s:
        return [s.save(candidate(i, f"人选{i}", "盟市", "包头市")) for i in range(n)]


def test_the_whole_review_from_the_command_line(cli, db_path, tmp_path):
    ids = seed(db_path)
    res = cli("review", "new", "--title", "测试评审")
    assert res.code == 0 and "人选 4 名" in res.out
    assert cli("review", "expert", "add", "甲", "乙").code == 0
    sheet, pdf = tmp_path / "甲.xlsx", tmp_path / "甲.pdf"
    assert cli("review", "sheet", "export", "--expert", "甲", "--out", sheet).code == 0
    res = cli("review", "sheet", "export", "--expert", "甲", "--out", pdf)
    assert res.code == 0 and pdf.read_bytes()[:5] == b"%PDF-"
    res = cli("review", "sheet", "export", "--all-experts", "--out", tmp_path / "sheets")
    assert res.code == 0 and len(list((tmp_path / "sheets").glob("*.xlsx"))) == 2
    fill_sheet(sheet, dict(zip(ids, [9, 8, 7, 6])))
    res = cli("review", "sheet", "import", sheet, "--expert", "甲")
    assert res.code == 0 and "人选 4 名，分数 32 个" in res.out, res.err
    res = cli("review", "sheet", "import", sheet)
    assert res.code == 1 and "已提交过评分" in res.err and res.err.startswith("错误：")
    for cid in ids:
        scores = [f"{k}=5" for k in ("c1", "c2", "c3", "c4", "original", "industry", "team",
                                      "young")]
        assert cli("review", "score", "--expert", "乙", "--candidate", cid[:8], *scores).code == 0
    res = cli("review", "show")
    assert "甲  已完成" in res.out and "乙  已完成" in res.out
    res = cli("review", "rank", "--json")
    data = json.loads(res.out)
    assert res.code == 0 and [r["mean"] for r in data["rows"]] == ["70.00", "65.00", "60.00", "55.00"]
    assert not data["trimmed"]
    res = cli("review", "final")
    # all 4 from 包头市 fit within the year's 盟市 quota
    region = load_review_rules(2017).region_quota
    assert res.code == 0 and f"推荐名单（4/{region} 名）" in res.out
    assert cli("review", "close").code == 0
    res = cli("review", "expert", "add", "丙")
    assert res.code == 1 and "已结束" in res.err
    res = cli("review", "list", "--json")
    assert json.loads(res.out)[0]["status"] == "closed"


def test_cli_errors_are_one_chinese_line(cli, db_path, tmp_path):
    seed(db_path, 2)
    res = cli("review", "rank")
    assert res.code == 1 and "还没有评审轮次" in res.err
    cli("review", "new")
    res = cli("review", "sheet", "export", "--expert", "无名", "--out", tmp_path / "x.xlsx")
    assert res.code == 1 and "不在评审轮次" in res.err
    cli("review", "expert", "add", "甲")
    res = cli("review", "sheet", "export", "--expert", "甲", "--out", tmp_path / "x.doc")
    assert res.code == 2 and "只能导出为 .xlsx 或 .pdf" in res.err
    res = cli("review", "sheet", "import", tmp_path / "missing.xlsx")
    assert res.code == 2 and "不存在" in res.err
    res = cli("review", "score", "--expert", "甲", "--candidate", "zzzz", "c1=5")
    assert res.code == 1 and "没有编号、人选代码或身份证号为“zzzz”" in res.err
    res = cli("review", "score", "--expert", "甲", "--candidate", "zzzz", "c1")
    assert res.code == 2 and "评分项=分数" in res.err
    res = cli("review", "rank")
    assert res.code == 1 and "尚无专家提交完整评分" in res.out
    assert "Traceback" not in res.err
