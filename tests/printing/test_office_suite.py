"""What a clerk's office suite prints from the project's .xlsx and .docx files (issue 15):
LibreOffice converts each to PDF, and the pages must hold every cell's full text, fit the
page count a clerk expects, keep fingerprint labels with their values, and print at ≥ 9 pt."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from collector import review as rv
from collector.printing import ReportInfo, report_docx, report_pdf, summary_xlsx
from collector.printing.report import report_content
from collector.printing.summary import summary_rows
from collector.review.sheet_xlsx import export_xlsx
from collector.storage.store import Store
from tests.conftest import make_record
from tests.review.helpers import candidate

from .office_suite import glyph_sizes, needs_soffice, pages, to_pdf

pytestmark = needs_soffice

INFO = ReportInfo(unit="呼和浩特市人力资源和社会保障局", contact="示例联系人",
                  office_phone="0471-6660000", mobile="13800000000", date="2017-04-20",
                  channel="盟市 · 呼和浩特市", publicized=True, declassified=True)
SIGNER = "5e" * 32
LONG_EMPLOYER = "内蒙古自治区农牧业科学院草原研究所牧草种质资源与遗传育种国家重点实验室"
FORMULAS = ["=1+2", "+SUM(1,1)", "-3+4", "@NOW()", '=HYPERLINK("http://x.example","点我")']


def flat(text: str) -> str:
    """Text without spaces and curly quotes: the office suite draws “ ” in another font,
    so pdftotext puts them apart from the words they enclose."""
    return re.sub(r"[\s“”]+", "", text)


def twenty() -> list[dict]:
    records = [make_record(i) for i in range(20)]
    records[0]["name"] = "额尔敦巴雅尔巴特尔朝鲁"
    records[1]["employer"] = LONG_EMPLOYER
    records[1]["admin_post"] = "研究室主任兼首席科学家"
    return records


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Every file once, converted in one soffice run (a run costs seconds)."""
    work = tmp_path_factory.mktemp("office")
    files: dict[str, Path] = {}
    two = [make_record(i) for i in range(2)]
    files["two"] = summary_xlsx(two, work / "two.xlsx", INFO, signer_fingerprint=SIGNER).path
    files["twenty"] = summary_xlsx(twenty(), work / "twenty.xlsx", INFO,
                                   signer_fingerprint=SIGNER).path
    evil = [make_record(i, name=name) for i, name in enumerate(FORMULAS)]
    files["evil"] = summary_xlsx(evil, work / "evil.xlsx", INFO).path
    reported = twenty()[:5]
    files["report"] = report_docx(reported, work / "report.docx", INFO,
                                  signer_fingerprint=SIGNER).path
    report_pdf(reported, work / "report.pdf", INFO)
    with Store(work / "review.db") as store:
        names = ["=1+2", "-3+4"] + [f"人选{i}" for i in range(13)]
        for i, name in enumerate(names):
            store.save(candidate(i, name, "盟市", "包头市"))
        rnd = rv.create_round(store)
        for n, expert in enumerate(("=SUM(1,2)", "乙专家")):
            rv.add_expert(store, rnd, expert)
            files[f"sheet{n}"] = export_xlsx(store, rnd, expert, work / f"sheet{n}.xlsx")
    keys = list(files)
    pdfs = dict(zip(keys, to_pdf([files[k] for k in keys], work)))
    return {"files": files, "pdfs": pdfs, "two": two, "twenty": twenty(), "evil": evil,
            "reported": reported, "report_pdf": work / "report.pdf", "sheet_names": names}


def assert_every_cell_printed(records: list[dict], text: str) -> None:
    body = flat(text)
    for row in summary_rows(records):
        for value in row:
            assert flat(value) in body, value


def test_two_candidates_print_on_one_page_with_everything(printed):
    got = pages(printed["pdfs"]["two"])
    assert len(got) == 1
    assert_every_cell_printed(printed["two"], pages(printed["pdfs"]["two"], "-raw")[0])
    assert "第1页共1页" in flat(got[0])


def test_twenty_candidates_print_on_at_most_three_pages_header_on_each(printed):
    got = pages(printed["pdfs"]["twenty"])
    assert 1 < len(got) <= 3
    raw = "".join(pages(printed["pdfs"]["twenty"], "-raw"))
    assert_every_cell_printed(printed["twenty"], raw)
    assert flat(LONG_EMPLOYER) in flat(raw)  # wrapped in its cell, not cut off
    for n, page in enumerate(got, 1):
        assert "公民身份号码" in page and "工作单位" in page  # the header row repeats
        assert f"第{n}页共{len(got)}页" in flat(page)


def test_fingerprint_label_and_value_sit_on_one_page(printed):
    fingerprint = summary_xlsx(printed["twenty"], printed["files"]["twenty"].with_name("x.xlsx"),
                               INFO).fingerprint
    for page in pages(printed["pdfs"]["twenty"]):
        body = flat(page)
        if fingerprint in body:
            assert f"材料指纹（全部人选，SHA-256）：{fingerprint}" in body
            assert f"签名密钥指纹：{SIGNER}" in body
            break
    else:
        pytest.fail("the material fingerprint is not printed")


def test_summary_prints_at_nine_points_or_more(printed):
    ethnicity = printed["twenty"][2]["ethnicity"]
    sizes = glyph_sizes(printed["pdfs"]["twenty"], ethnicity)
    assert sizes and min(sizes) >= 9.0, sizes


def test_formulas_in_data_are_printed_as_typed_not_evaluated(printed):
    text = "".join(pages(printed["pdfs"]["evil"], "-raw"))
    for formula in FORMULAS:
        assert formula.replace(" ", "") in text.replace(" ", ""), formula
    assert "点我" not in text.replace('"点我"', "")  # the HYPERLINK was not evaluated


def test_report_docx_prints_the_same_text_table_and_seal_as_the_pdf(printed):
    content = report_content(printed["reported"], INFO)
    docx_text = flat("".join(pages(printed["pdfs"]["report"], "-raw")))
    pdf = flat("".join(pages(printed["report_pdf"], "-raw")))
    for part in [content.heading, content.salutation, *content.paragraphs, content.seal,
                 content.date, *(v for _, v in content.contacts),
                 *(cell for row in content.rows for cell in row)]:
        assert flat(part) in docx_text, part
        assert flat(part) in pdf, part
    assert "经个人申报、单位审核、公示等程序" in docx_text and "已作脱密处理" in docx_text
    assert content.fingerprint in docx_text and "第1页共1页" in docx_text
    assert f"签名密钥指纹：{SIGNER}" in docx_text
    doc = Document(str(printed["files"]["report"]))  # editable: real paragraphs and tables
    assert any(content.paragraphs[0] in p.text for p in doc.paragraphs)
    assert doc.tables[0].cell(1, 1).text == printed["reported"][0]["name"]


def test_report_docx_prints_a_ten_character_name_at_full_size(printed):
    name = printed["reported"][0]["name"]
    assert flat(name) in flat("".join(pages(printed["pdfs"]["report"], "-raw")))
    doc = Document(str(printed["files"]["report"]))
    sizes = {r.font.size.pt for r in doc.tables[0].cell(1, 1).paragraphs[0].runs}
    assert sizes == {10.0}, sizes  # wrapped at the table's size, not squeezed


def test_score_sheets_print_one_expert_per_page(printed):
    for n, expert in enumerate(("=SUM(1,2)", "乙专家")):
        got = pages(printed["pdfs"][f"sheet{n}"])
        assert len(got) == 1, f"{expert}: {len(got)} pages"
        body = flat(pages(printed["pdfs"][f"sheet{n}"], "-raw")[0])
        assert flat(expert) in body and "第1页共1页" in body and "校验码" in body
        for name in printed["sheet_names"]:
            assert flat(name) in body, name
        assert "=1+2" in body and "-3+4" in body  # names that look like formulas stay text
    sizes = glyph_sizes(printed["pdfs"]["sheet1"], "包头市（盟市）")
    assert sizes and min(sizes) >= 9.0, sizes
