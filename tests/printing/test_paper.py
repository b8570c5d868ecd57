"""What offices print (issue 12, Paper): opinions in their boxes, the same report from
``print`` and ``disc``, 公示/脱密 asserted only when ticked, the 汇总表's ID column, two-line
header and quota warning, the ministry's code lists, the optional sections, and names that
never break."""

from __future__ import annotations

import re

from collector.record import fields as fl
from collector.record.model import normalize
from collector.office import decisions as dec
from collector.office.profile import save_profile
from collector.printing import ReportInfo, print_all, registration_pdf, report_pdf, summary_pdf
from collector.printing import summary_xlsx
from collector.record.year import load_year
from tests.conftest import make_record

from .conftest import pdf_text

LONG_NAMES = ("额尔敦巴雅尔巴特尔朝鲁", "包·那顺乌日图")
OFFICE = ReportInfo(unit="呼和浩特市人力资源和社会保障局", contact="示例联系人",
                    office_phone="0471-6660000", mobile="13800000000", date="2017-04-20",
                    channel="盟市 · 呼和浩特市")


def lines(path) -> list[str]:
    return pdf_text(path).splitlines()


def line_with(path, *words: str) -> str:
    """The one printed line holding all ``words`` (pdftotext -layout), or ""."""
    return next((x for x in lines(path) if all(w in x for w in words)), "")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- opinions ---------------------------------------------------------------------------------
def test_office_opinion_prints_inside_its_box(store, tmp_path):
    profile = save_profile(store, role="盟市/厅局", unit="呼和浩特市人社局", channel_name="呼和浩特市")
    cid = store.save(make_record(1))
    opinion = "经盟市评审委员会评议，同意推荐。"
    dec.set_opinion(store, cid, opinion, profile)
    [result] = print_all(store, None, tmp_path, kinds=("registration",))
    printed = lines(result.path)
    box = next(i for i, x in enumerate(printed) if "盟市/厅局意见" in x)
    seal = next(i for i, x in enumerate(printed) if i > box and "盖章" in x)
    assert any(opinion in x for x in printed[box:seal])


def test_unit_opinion_prints_as_entered(tmp_path):
    text = "同意推荐。\n该同志长期扎根基层一线，业绩突出。"
    record = make_record(2, unit_opinion={"text": text, "date": "2017-04-10"})
    result = registration_pdf(record, tmp_path / "r.pdf")
    for part in text.splitlines():
        assert line_with(result.path, part), part
    assert line_with(result.path, "2017年4月10日")


# -- the report -------------------------------------------------------------------------------
def test_print_takes_unit_and_channel_from_the_role_as_disc_does(cli, db_path, tmp_path):
    from collector.storage.store import Store

    with Store(db_path) as store:
        store.save(make_record(1))
    assert cli("role", "--set", "盟市/厅局", "--unit", "包头市人力资源和社会保障局",
               "--channel", "包头市").code == 0
    out = tmp_path / "out"
    assert cli("print", "all", "--out", out, "--date", "2017-04-20").code == 0
    report = lines(out / "推荐报告.pdf")
    assert any("联系单位" in x and "包头市人力资源和社会保障局" in x for x in report)
    assert any("包头市人力资源和社会保障局（盖章）" in x for x in report)
    assert "推荐渠道：盟市·包头市" in flat(pdf_text(out / "推荐人选情况汇总表.pdf"))


def test_default_report_asserts_publicity_and_declassification_only_when_ticked(tmp_path):
    bare = report_pdf([make_record(1)], tmp_path / "a.pdf", OFFICE)
    text = flat(pdf_text(bare.path))
    assert "公示" not in text and "脱密" not in text
    assert any("公示" in w and "--publicized" in w for w in bare.warnings)
    assert any("脱密" in w and "--declassified" in w for w in bare.warnings)
    ticked = ReportInfo(**{**OFFICE.to_dict(), "publicized": True, "declassified": True})
    done = report_pdf([make_record(1)], tmp_path / "b.pdf", ticked)
    text = flat(pdf_text(done.path))
    assert "经个人申报、单位审核、公示等程序" in text and "涉密材料已作脱密处理" in text
    assert not any("公示" in w or "脱密" in w for w in done.warnings)


def test_report_info_flags_are_kept_and_used_by_print(cli, db_path, tmp_path):
    from collector.storage.store import Store

    with Store(db_path) as store:
        store.save(make_record(1))
    res = cli("report-info", "--publicized", "--declassified", "--json")
    assert res.code == 0, res.err
    assert '"publicized": true' in res.out and '"declassified": true' in res.out
    out = tmp_path / "out"
    res = cli("print", "report", "--out", out)
    assert res.code == 0 and "公示" not in res.err
    assert "公示等程序" in flat(pdf_text(out / "推荐报告.pdf"))
    assert cli("report-info", "--no-publicized").code == 0
    res = cli("print", "report", "--out", tmp_path / "again")
    assert "--publicized" in res.err
    assert "公示" not in flat(pdf_text(tmp_path / "again" / "推荐报告.pdf"))


def test_report_prints_ten_character_names_whole_at_full_size(tmp_path):
    from tests.printing.office_suite import glyph_sizes

    records = [make_record(i, name=n) for i, n in enumerate(LONG_NAMES)]
    result = report_pdf(records, tmp_path / "r.pdf", OFFICE)
    assert flat("包·") in flat(pdf_text(result.path)) and "那顺乌日图" in pdf_text(result.path)
    # 额尔敦巴雅尔巴特尔朝鲁 breaks into halves at the cell's size, not squeezed to 60 %
    sizes = glyph_sizes(result.path, "额尔敦巴雅尔") + glyph_sizes(result.path, "巴特尔朝鲁")
    assert len(sizes) == 2 and min(sizes) >= 9, sizes


# -- the summary table ------------------------------------------------------------------------
def test_summary_has_an_id_column_a_two_line_header_and_whole_names(tmp_path):
    from tests.printing.office_suite import glyph_sizes

    records = [make_record(i, name=n) for i, n in enumerate(LONG_NAMES)] + [make_record(5)]
    result = summary_pdf(records, tmp_path / "s.pdf", OFFICE)
    assert line_with(result.path, "姓名", "公民身份号码", "工作单位及职务")
    for r in records[1:]:  # name and ID number whole, side by side in their own cells
        assert line_with(result.path, r["name"], r["id_number"]), r["name"]
    # a 10-character name: two lines at the table's size, not one line at 60 %
    sizes = glyph_sizes(result.path, "额尔敦巴雅尔") + glyph_sizes(result.path, "巴特尔朝鲁")
    assert len(sizes) == 2 and min(sizes) >= 9, sizes
    first = line_with(result.path, "推荐单位（盖章）：")
    assert OFFICE.unit in first and "推荐渠道：" in first and "联系人" not in first
    second = line_with(result.path, "联系人：")
    assert all(w in second for w in ("办公电话：", "手机：", "填报日期：2017年4月20日"))


def test_a_long_name_breaks_after_its_middle_dot():
    from collector.printing.cells import name_lines

    def fits(n: int):
        return lambda text: len(text) <= n

    assert name_lines("包·那顺乌日图", fits(7)) == ["包·那顺乌日图"]
    assert name_lines("阿拉腾·巴特尔·乌力吉", fits(7)) == ["阿拉腾·", "巴特尔·乌力吉"]
    assert name_lines("额尔敦巴雅尔巴特尔朝鲁", fits(7)) == ["额尔敦巴雅尔", "巴特尔朝鲁"]
    assert name_lines("额尔敦巴雅尔巴特尔朝鲁", fits(4)) == ["额尔敦巴", "雅尔巴特", "尔朝鲁"]
    assert name_lines("", fits(1)) == [""]


def test_the_xlsx_wraps_a_long_name_at_full_size_and_keeps_it_as_typed(tmp_path):
    from openpyxl import load_workbook

    records = [make_record(i, name=n) for i, n in enumerate(LONG_NAMES + ("阿拉腾·巴特尔·乌力吉",))]
    ws = load_workbook(summary_xlsx(records, tmp_path / "s.xlsx", OFFICE).path)["汇总表"]
    assert ws.cell(8, 2).alignment.wrap_text and not ws.cell(8, 2).alignment.shrink_to_fit
    cell = ws.cell(6, 2)
    assert cell.value == LONG_NAMES[0] and cell.alignment.wrap_text
    assert not cell.alignment.shrink_to_fit and ws.row_dimensions[6].height >= 2 * 11
    assert ws.column_dimensions["B"].width >= 13  # six characters a line


def test_summary_warns_when_an_office_lists_more_than_its_quota(tmp_path):
    five = [make_record(i) for i in range(5)]
    assert not any("名额" in w for w in summary_pdf(five, tmp_path / "a.pdf", OFFICE).warnings)
    six = five + [make_record(6)]
    for result in (summary_pdf(six, tmp_path / "b.pdf", OFFICE),
                   summary_xlsx(six, tmp_path / "b.xlsx", OFFICE)):
        assert any("6 人" in w and "名额 5 人" in w for w in result.warnings), result.warnings
    dept = ReportInfo(unit="内蒙古大学", channel="区直单位 · 内蒙古大学")
    three = summary_pdf(five[:3], tmp_path / "c.pdf", dept)
    assert any("名额 2 人" in w for w in three.warnings)


# -- the ministry's code lists and the optional sections -------------------------------------
def test_ownership_and_category_print_in_their_own_cells(tmp_path):
    record = make_record(3, unit_ownership="全民", unit_category="事业", employer_type="高等院校")
    result = registration_pdf(record, tmp_path / "r.pdf")
    ownership = line_with(result.path, "单位性质")
    assert "全民" in ownership and "高等院校" not in ownership
    assert "事业" in line_with(result.path, "单位类别") and "全民" not in line_with(result.path, "单位类别")
    assert line_with(result.path, "单位类型", "高等院校")
    assert line_with(result.path, "参加专业技术")
    birth = record["birth_date"].replace("-", ".")
    assert line_with(result.path, "出生日期", birth)


def test_code_lists_follow_the_ministry(tmp_path):
    year = load_year()
    assert year.choices("unit_ownership") == ("全民", "集体", "个体", "合资", "外资", "其它") or \
        list(year.choices("unit_ownership")) == ["全民", "集体", "个体", "合资", "外资", "其它"]
    assert list(year.choices("unit_category")) == ["企业", "事业", "机关"]
    groups = list(year.choices("discipline_group"))
    assert groups[:6] == ["理学组", "工学一组", "工学二组", "工学三组", "工学四组", "工学五组"]
    assert {"军事学组", "经济学组", "法学组", "教育学组", "文史组", "农学组", "医学组"} <= set(groups)
    assert fl.BY_KEY["unit_ownership"].label == "单位性质"
    assert fl.BY_KEY["work_start"].label == "参加专业技术工作时间"
    assert normalize(make_record(1, unit_ownership="其他"))["unit_ownership"] == "其它"


def test_part_time_posts_and_honors_are_collected_and_printed(store, tmp_path):
    posts = [{"organization": "中国畜牧兽医学会动物遗传育种分会", "post": "常务理事",
              "start": "2012-01", "end": ""}]
    honors = [{"name": "享受国务院政府特殊津贴", "issuer": "国务院", "date": "2014-12"}]
    cid = store.save(make_record(4, part_time_posts=posts, honors=honors))
    saved = store.get(cid).data
    assert saved["part_time_posts"][0]["post"] == "常务理事"
    assert saved["honors"][0]["name"] == "享受国务院政府特殊津贴"
    result = registration_pdf(saved, tmp_path / "r.pdf")
    text = flat(pdf_text(result.path))
    for word in ("社会及学术兼职", "中国畜牧兽医学会动物遗传育种分会", "常务理事", "2012.01—至今",
                 "人才称号/政府特殊津贴", "享受国务院政府特殊津贴", "国务院", "2014.12"):
        assert word in text, word
