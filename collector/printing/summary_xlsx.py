"""推荐人选情况汇总表 as XLSX: the same rows as the PDF, ready to print (landscape A4, fit to width)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .. import fonts
from ..atomic import atomic_writer
from ..fingerprint import short
from ..model import normalize
from ..year import load_year
from .common import PrintResult
from .info import ReportInfo, candidate_fingerprints, list_fingerprint
from .summary import CENTERED, COLUMNS, TITLE, header_line, summary_rows

HEADER_ROW = 4
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "宋体"
MAX_WIDTH = {5: 34, 7: 20, 8: 20, 10: 20, 11: 18}  # widest columns wrap instead of growing


def display_width(text: str) -> int:
    """Width in Excel character units: full-width (Chinese) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def summary_xlsx(records: list[dict], out_path: Path, info: ReportInfo | None = None, *,
                 signer_fingerprint: str | None = None) -> PrintResult:
    info = info or ReportInfo()
    year = load_year(normalize(records[0]).get("program_year") or 2017) if records else load_year()
    fingerprint = list_fingerprint(candidate_fingerprints(records))
    rows = summary_rows(records)
    warnings = []
    for row in rows:
        for i, value in enumerate(row):
            missing = fonts.missing_glyphs(value)
            if missing:
                warnings.append(f"{TITLE}（XLSX）：{row[1] or '第' + row[0] + '行'}的{COLUMNS[i]}"
                                f"含字符 {' '.join(sorted(missing))}，打印时可能无法显示")

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    last = get_column_letter(len(COLUMNS))
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = TITLE
    ws["A1"].font = Font(name=FONT, size=18, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = f"{year.title}（共 {len(rows)} 人）"
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A3:{last}3")
    ws["A3"] = header_line(info)
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[3].height = 30

    body_font = Font(name=FONT, size=10.5)
    for col, label in enumerate(COLUMNS, 1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=label)
        cell.font = Font(name=FONT, size=10.5, bold=True)
        cell.fill = PatternFill("solid", fgColor="E6E6E6")
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, HEADER_ROW + 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=int(value) if c == 1 else value)
            cell.font = body_font
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center" if c - 1 in CENTERED else "left",
                                       vertical="center", wrap_text=True)
    for c, label in enumerate(COLUMNS, 1):
        widest = max([display_width(label)] + [display_width(row[c - 1]) for row in rows])
        ws.column_dimensions[get_column_letter(c)].width = min(widest + 2,
                                                               MAX_WIDTH.get(c - 1, 16))

    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.left.text = "第 &P 页 共 &N 页"
    ws.oddFooter.right.text = f"材料指纹：{short(fingerprint)}"
    ws.oddFooter.center.text = f"签名密钥指纹：{signer_fingerprint[:16]}" if signer_fingerprint else ""
    ws.print_area = f"A1:{last}{HEADER_ROW + max(len(rows), 1)}"

    meta = wb.create_sheet("指纹")
    meta.append(["材料指纹（全部人选，SHA-256）", fingerprint])
    if signer_fingerprint:
        meta.append(["签名密钥指纹", signer_fingerprint])
    meta.append(["说明", "指纹为各人选数据指纹排序后的规范 JSON 的 SHA-256，"
                        "可用 collector verify-print 指纹 文件.rpu 与电子数据核对"])
    for row_values in zip((r[1] for r in rows), candidate_fingerprints(records)):
        meta.append(["人选数据指纹：" + row_values[0], row_values[1]])
    meta.column_dimensions["A"].width = 36
    meta.column_dimensions["B"].width = 70

    out_path = Path(out_path)
    with atomic_writer(out_path) as handle:
        wb.save(handle)
    return PrintResult(out_path, 0, warnings, fingerprint)
