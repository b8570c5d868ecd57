import re

from openpyxl import load_workbook

from collector.printing import ReportInfo, report_pdf, summary_pdf, summary_xlsx
from collector.printing.summary import COLUMNS
from tests.conftest import make_record

from .conftest import pdf_fonts, pdf_text

INFO = ReportInfo(unit="呼和浩特市人力资源和社会保障局", contact="示例联系人",
                  office_phone="0471-6660000", mobile="13800000000", date="2017-04-20",
                  channel="盟市 · 呼和浩特市")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_summary_pdf_is_landscape_with_header_on_every_page(tmp_path):
    records = [make_record(i) for i in range(45)]
    result = summary_pdf(records, tmp_path / "s.pdf", INFO)
    assert result.pages >= 2
    assert "WenQuanYiMicroHei" in pdf_fonts(result.path)
    text = pdf_text(result.path)
    pages = text.split("\f")
    for page in pages[: result.pages]:
        assert "工作单位及职务" in page and "符合条件" in page and "重点领域" in page
    body = flat(text)
    for r in records:
        assert r["name"] in body and r["id_number"] in body
    for word in ("推荐人选情况汇总表", INFO.unit, INFO.contact, INFO.office_phone, INFO.mobile,
                 "2017年4月20日"):
        assert word in body


def test_summary_xlsx_is_print_ready(tmp_path):
    records = [make_record(i) for i in range(5)] + [make_record(9, name="刘䶮😀")]
    result = summary_xlsx(records, tmp_path / "s.xlsx", INFO)
    ws = load_workbook(result.path)["汇总表"]
    header = [ws.cell(row=5, column=c).value.replace("\n", "") for c in range(1, len(COLUMNS) + 1)]
    assert header == list(COLUMNS)
    assert ws.cell(row=6, column=2).value == records[0]["name"]
    assert ws.cell(row=6, column=6).value == records[0]["id_number"]
    assert ws.cell(row=11, column=2).value == "刘䶮😀"
    assert ws.freeze_panes == "A6"
    assert ws.print_title_rows == "$5:$5"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.cell(row=6, column=7).alignment.wrap_text
    assert ws.cell(row=6, column=7).border.left.style == "thin"
    assert ws.column_dimensions["G"].width >= 18  # 工作单位及职务 fits Chinese text
    assert INFO.unit in ws["A3"].value and INFO.contact in ws["A4"].value
    assert any("😀" in w for w in result.warnings)


def test_report_names_contacts_and_candidates(tmp_path):
    records = [make_record(i) for i in range(4)]
    info = ReportInfo(**{**INFO.to_dict(), "narrative": "第一段说明。\n第二段说明。"})
    result = report_pdf(records, tmp_path / "r.pdf", info)
    assert result.warnings == []
    body = flat(pdf_text(result.path))
    for word in ("联系单位", "联系人", "办公电话", "手机", INFO.unit, INFO.contact,
                 INFO.office_phone, INFO.mobile, "第一段说明。", "第二段说明。", "盖章"):
        assert word in body, word
    for r in records:
        assert r["name"] in body and r["id_number"] in body


def test_report_without_contacts_warns_and_uses_default_narrative(tmp_path):
    result = report_pdf([make_record(1)], tmp_path / "r.pdf", ReportInfo())
    assert any("联系人" in w for w in result.warnings)
    assert any("手机" in w for w in result.warnings)
    assert "人社厅函〔2017〕42号" in flat(pdf_text(result.path))


def test_empty_candidate_list_prints_without_crash(tmp_path):
    assert summary_pdf([], tmp_path / "s.pdf", INFO).pages == 1
    assert report_pdf([], tmp_path / "r.pdf", INFO).pages == 1
    assert summary_xlsx([], tmp_path / "s.xlsx", INFO).path.exists()


def test_report_info_from_setting_rejects_non_object():
    import pytest

    from collector.common.errors import InputError

    assert ReportInfo.from_dict(None) == ReportInfo()
    assert ReportInfo.from_dict({"unit": "甲", "unknown": 1}).unit == "甲"
    with pytest.raises(InputError):
        ReportInfo.from_dict(["bad"])
