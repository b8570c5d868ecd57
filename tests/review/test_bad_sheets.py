"""Bad input: a sheet for another round, scores out of range, an expert scoring twice, a
tampered XLSX, the wrong expert — each a clear message, and the round's scores unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from collector import review as rv
from collector.common.errors import CollectorError, InputError, NotFoundError
from collector.review.sheet_xlsx import FIRST_ROW, FIRST_SCORE_COL, ID_COL, META, NAME_COL, \
    SHEET, export_xlsx, import_xlsx
from collector.storage.store import Store
from .helpers import candidate, fill_sheet, score_rows

CHANNELS = [("盟市", "包头市"), ("盟市", "赤峰市"), ("区直单位", "内蒙古大学"), ("盟市", "通辽市")]


@pytest.fixture
def setup(store, tmp_path):
    ids = [store.save(candidate(i, f"人选{i}", *CHANNELS[i % 4])) for i in range(6)]
    rnd = rv.create_round(store)
    rv.add_expert(store, rnd, "甲专家")
    rv.add_expert(store, rnd, "乙专家")
    sheet = tmp_path / "甲.xlsx"
    export_xlsx(store, rnd, "甲专家", sheet)
    fill_sheet(sheet, {cid: 8 for cid in ids})
    return rnd, ids, sheet


def edit(path: Path, sheet: str, cell: str, value) -> None:
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def cell_name(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter
    return f"{get_column_letter(col)}{row}"


def test_a_clean_sheet_imports(store, setup):
    rnd, ids, sheet = setup
    res = import_xlsx(store, sheet)
    assert (res.expert, res.candidates, res.scores) == ("甲专家", 6, 48)
    assert score_rows(store) == 48


@pytest.mark.parametrize("value, says", [
    (11, "超出评分范围 0–10"), (-1, "超出评分范围"), ("很好", "不是数字"),
    (8.55, "最多保留 1 位小数"), (None, "未填写"), (True, "不是分数")])
def test_a_score_out_of_range_or_not_a_number_is_refused(store, setup, value, says):
    rnd, ids, sheet = setup
    edit(sheet, SHEET, cell_name(FIRST_ROW + 2, FIRST_SCORE_COL + 3), value)
    with pytest.raises(InputError) as err:
        import_xlsx(store, sheet)
    msg = str(err.value)
    assert says in msg and "未导入" in msg and "第7行" in msg and "核心技术与成果转化" in msg
    assert score_rows(store) == 0


def test_an_unfilled_sheet_says_so(store, tmp_path, setup):
    rnd, ids, _sheet = setup
    blank = tmp_path / "blank.xlsx"
    export_xlsx(store, rnd, "乙专家", blank)
    with pytest.raises(InputError, match="还没有填写任何分数"):
        import_xlsx(store, blank)


def test_an_expert_scoring_twice_is_refused_unless_replacing(store, setup):
    rnd, ids, sheet = setup
    import_xlsx(store, sheet)
    with pytest.raises(InputError, match="已提交过评分.*--replace"):
        import_xlsx(store, sheet)
    assert score_rows(store) == 48
    fill_sheet(sheet, {cid: 6 for cid in ids})
    res = import_xlsx(store, sheet, replace=True)
    assert res.replaced and score_rows(store) == 48
    got = rv.scores(store, rnd)["甲专家"]
    assert all(v == 6 for row in got.values() for v in row.values())


def test_a_sheet_of_another_round_is_refused(store, setup, tmp_path):
    rnd, ids, sheet = setup
    other = rv.create_round(store, title="第二轮")
    with pytest.raises(InputError, match=f"评分表属于评审轮次 {rnd.id}，不是当前轮次 {other.id}"):
        import_xlsx(store, sheet, round_id=other.id)
    # and a sheet from another installation's database
    with Store(tmp_path / "other.db") as elsewhere:
        elsewhere.save(candidate(1, "别处人选", "盟市", "包头市"))
        with pytest.raises(InputError, match="本数据库中没有该轮次"):
            import_xlsx(elsewhere, sheet)
    assert score_rows(store) == 0


def test_the_wrong_expert_is_refused(store, setup):
    rnd, ids, sheet = setup
    with pytest.raises(InputError, match="评分表是专家“甲专家”的，不是“乙专家”的"):
        import_xlsx(store, sheet, expert="乙专家")
    assert score_rows(store) == 0


@pytest.mark.parametrize("sheet_name, cell, value, says", [
    (META, "B3", "乙专家", "校验失败"),                  # expert swapped in the hidden sheet
    (META, "B6", "0" * 64, "校验失败"),                  # checksum replaced
    (SHEET, "E2", "乙专家", "表头的评审轮次或专家姓名被改动过"),
    (SHEET, cell_name(FIRST_ROW + 1, NAME_COL), "冒名", "姓名“冒名”与评审名单中的"),
    (SHEET, cell_name(FIRST_ROW + 1, ID_COL), "f" * 32, "不在本轮评审名单中"),
    (SHEET, cell_name(4, FIRST_SCORE_COL), "随便", "表头“学术技术水平（条件一）”一列被改动"),
])
def test_a_tampered_sheet_is_refused(store, setup, sheet_name, cell, value, says):
    rnd, ids, sheet = setup
    edit(sheet, sheet_name, cell, value)
    with pytest.raises(InputError) as err:
        import_xlsx(store, sheet)
    assert says in str(err.value)
    assert score_rows(store) == 0


def test_a_sheet_with_a_candidate_removed_is_refused(store, setup):
    rnd, ids, sheet = setup
    wb = load_workbook(sheet)
    wb[SHEET].delete_rows(FIRST_ROW + 3)
    wb.save(sheet)
    with pytest.raises(InputError, match="缺少 1 名人选的评分行：4号人选3"):
        import_xlsx(store, sheet)
    assert score_rows(store) == 0


def test_a_sheet_with_a_duplicated_row_is_refused(store, setup):
    rnd, ids, sheet = setup
    wb = load_workbook(sheet)
    ws = wb[SHEET]
    r = FIRST_ROW + 6
    for col in range(1, FIRST_SCORE_COL + 8):
        ws.cell(r, col, ws.cell(FIRST_ROW, col).value)
    wb.save(sheet)
    with pytest.raises(InputError, match="重复出现"):
        import_xlsx(store, sheet)


def test_not_a_score_sheet(store, setup, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(InputError, match="无法读取 Excel 文件"):
        import_xlsx(store, junk)
    from openpyxl import Workbook
    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    with pytest.raises(InputError, match="不是本程序导出的评分表"):
        import_xlsx(store, plain)


def test_an_expert_removed_after_export_cannot_import(store, setup):
    rnd, ids, sheet = setup
    rv.remove_expert(store, rnd, "甲专家")
    with pytest.raises(NotFoundError, match="不在评审轮次"):
        import_xlsx(store, sheet)


def test_a_closed_round_takes_no_more_scores(store, setup):
    rnd, ids, sheet = setup
    rv.close_round(store, rnd)
    with pytest.raises(CollectorError, match="已结束"):
        import_xlsx(store, sheet)
    with pytest.raises(CollectorError, match="已结束"):
        rv.add_expert(store, rv.get_round(store, rnd.id), "丙专家")


def test_the_sheet_is_protected_except_the_score_cells(store, setup):
    rnd, ids, sheet = setup
    wb = load_workbook(sheet)
    ws = wb[SHEET]
    assert ws.protection.sheet and wb[META].sheet_state == "veryHidden"
    assert ws.cell(FIRST_ROW, FIRST_SCORE_COL).protection.locked is False
    assert ws.cell(FIRST_ROW, NAME_COL).protection.locked is True
    assert ws.column_dimensions["B"].hidden
    assert ws["C2"].value == rnd.id and ws["E2"].value == "甲专家"


def test_the_round_is_unchanged_after_a_partly_bad_direct_entry(store, setup):
    rnd, ids, _sheet = setup
    with pytest.raises(InputError, match="超出评分范围"):
        rv.enter_scores(store, rnd, "乙专家", {ids[0]: {"c1": 7, "c2": 12}})
    with pytest.raises(InputError, match="没有评分项“zz”"):
        rv.enter_scores(store, rnd, "乙专家", {ids[0]: {"zz": 7}})
    assert score_rows(store) == 0
    rv.enter_scores(store, rnd, "乙专家", {ids[0]: {"c1": 7}})
    with pytest.raises(InputError, match="已为 人选0 评过分"):
        rv.enter_scores(store, rnd, "乙专家", {ids[0]: {"c1": 9}})
    rv.enter_scores(store, rnd, "乙专家", {ids[0]: {"c1": 9}}, replace=True)
    assert rv.scores(store, rnd)["乙专家"][ids[0]] == {"c1": 9}


def test_unknown_experts_and_duplicates(store, setup):
    rnd, ids, _sheet = setup
    with pytest.raises(InputError, match="已在评审轮次"):
        rv.add_expert(store, rnd, " 甲专家 ")
    with pytest.raises(InputError, match="不能为空"):
        rv.add_expert(store, rnd, "   ")
    with pytest.raises(NotFoundError, match="请先用 review expert add 登记"):
        rv.enter_scores(store, rnd, "无名氏", {ids[0]: {"c1": 7}})


def test_full_width_scores_typed_in_a_chinese_input_method_import(store, setup):
    rnd, ids, sheet = setup
    fill_sheet(sheet, {cid: ["８．５", "９", "７．５", " ６ ", "８", "８", "８", "１０"] for cid in ids})
    res = import_xlsx(store, sheet)
    assert res.scores == 48
    got = rv.scores(store, rnd)["甲专家"][ids[0]]
    assert sorted(float(v) for v in got.values()) == [6, 7.5, 8, 8, 8, 8.5, 9, 10]


def test_a_problem_repeated_over_many_cells_is_reported_once_with_its_cells(store, setup):
    rnd, ids, sheet = setup
    fill_sheet(sheet, {cid: ["8.5分", 8, 8, 8, 8, 8, 8, 8] if i < 2 else
                       ["很好", "较好", 8, 8, 8, 8, 8, 8] for i, cid in enumerate(ids)})
    with pytest.raises(InputError) as err:
        import_xlsx(store, sheet)
    msg = str(err.value)
    assert msg.count("不是数字") == 1 and "10 格不是数字" in msg
    assert "第5行" in msg and "“8.5分”" not in msg and "（8.5分）" in msg
    assert "等，共 10 格" in msg
    assert score_rows(store) == 0
