"""推荐人选情况汇总表 as XLSX: the same rows as the PDF, ready to print from an office suite
(A4 landscape fitted to the width at ≥ 9 pt, rows tall enough for their wrapped text, the
header row on every page, 第 x 页 共 y 页 and the fingerprint in the footer, the fingerprint
block under the table). Every cell from data is text (``cells.put_text``).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..common import fonts
from ..common.atomic import atomic_writer
from ..common.fingerprint import short
from ..record.model import normalize
from ..record.year import load_year
from .cells import display_width, name_lines, put_text, row_height, wrapped_lines
from .common import PrintResult
from .info import ReportInfo, candidate_fingerprints, list_fingerprint
from .summary import CENTERED, COLUMNS, TITLE, header_lines, quota_warnings, summary_rows

HEADER_ROW = 5
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "宋体"
SIZE = 11  # points; fitted to the page width it prints at 9.5 pt or more
# Column widths in character units. A unit is 7 px in Excel and WPS (Calibri) but about 9 px
# in LibreOffice without Calibri; 126 units fit landscape A4 at ≥ 88 % in either, so 11 pt
# prints at 9.5 pt or more. Wrapping is estimated with Excel's narrower unit (more lines).
WIDTHS = (5, 13, 4, 8, 8, 18, 18, 11, 9, 9, 8, 7, 8)
# The ID number must not break: it shrinks to fit instead of wrapping. A name longer than its
# column wraps at full size; the row is as tall as cells.name_lines says it needs.
SHRINK = (5,)
NAME = 1
# Header labels that would wrap mid-word get a break of their own.
HEADER_LABELS = {"专业技术职务": "专业技术\n职务", "工作单位及职务": "工作单位\n及职务"}
FINGERPRINT_SHEET = "指纹"


def summary_xlsx(records: list[dict], out_path: Path, info: ReportInfo | None = None, *,
                 signer_fingerprint: str | None = None) -> PrintResult:
    info = info or ReportInfo()
    year = load_year(normalize(records[0]).get("program_year") or 2017) if records else load_year()
    fingerprint = list_fingerprint(candidate_fingerprints(records))
    rows = summary_rows(records)
    warnings = quota_warnings(info, len(rows), year)
    for row in rows:
        for i, value in enumerate(row):
            missing = fonts.missing_glyphs(value)
            if missing:
                warnings.append(f"{TITLE}（XLSX）：{row[1] or '第' + row[0] + '行'}的{COLUMNS[i]}"
                                f"含字符 {' '.join(sorted(missing))}，打印时可能无法显示")

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总表"
    last = len(COLUMNS)
    for c, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    _banner(ws, 1, TITLE, Font(name=FONT, size=16, bold=True), 28, center=True)
    _banner(ws, 2, f"{year.title}（共 {len(rows)} 人）", Font(name=FONT, size=SIZE + 1), 18,
            center=True)
    for n, line in enumerate(header_lines(info)):
        _banner(ws, 3 + n, line, Font(name=FONT, size=SIZE), _banner_height(line))

    for col, label in enumerate(COLUMNS, 1):
        cell = put_text(ws, HEADER_ROW, col, HEADER_LABELS.get(label, label))
        cell.font = Font(name=FONT, size=SIZE, bold=True)
        cell.fill = PatternFill("solid", fgColor="E6E6E6")
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = row_height(2, SIZE)

    body_font = Font(name=FONT, size=SIZE)
    for r, row in enumerate(rows, HEADER_ROW + 1):
        lines = 1
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=int(value)) if c == 1 else put_text(ws, r, c, value)
            cell.font = body_font
            cell.border = BORDER
            shrink = c - 1 in SHRINK
            if c - 1 == NAME:  # the cell keeps the name as typed; the suite wraps it
                name = name_lines(value, lambda t: display_width(t) <= WIDTHS[NAME] - 1)
                shrink = len(name) > 3  # not a name but a long text: one line, smaller
                lines = max(lines, 1 if shrink else len(name))
            elif not shrink and c > 1:
                lines = max(lines, wrapped_lines(value, WIDTHS[c - 1], SIZE))
            cell.alignment = Alignment(horizontal="center" if c - 1 in CENTERED else "left",
                                       vertical="center", wrap_text=not shrink,
                                       shrink_to_fit=shrink)
        ws.row_dimensions[r].height = row_height(lines, SIZE)
    end = HEADER_ROW + max(len(rows), 1)
    if not rows:
        ws.merge_cells(start_row=end, start_column=1, end_row=end, end_column=last)
        put_text(ws, end, 1, "（无推荐人选）").alignment = Alignment(horizontal="center")

    # The fingerprints sit under the table, each label in the same cell as its value, so no
    # page break can part them.
    block = [f"材料指纹（全部人选，SHA-256）：{fingerprint}"]
    if signer_fingerprint:
        block.append(f"签名密钥指纹：{signer_fingerprint}")
    block.append("说明：材料指纹为各人选数据指纹排序后的规范 JSON 的 SHA-256，"
                 "可用 collector verify-print 指纹 文件.rpu 与电子数据核对。")
    small = Font(name=FONT, size=9)
    for n, text in enumerate(block, end + 2):
        ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=last)
        cell = put_text(ws, n, 1, text)
        cell.font = small
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.row_dimensions[n].height = row_height(wrapped_lines(text, sum(WIDTHS), 9), 9)
    bottom = end + 1 + len(block)

    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(last)}{bottom}"
    _page_setup(ws, fingerprint, signer_fingerprint)
    _fingerprint_sheet(wb, rows, records, fingerprint, signer_fingerprint)

    out_path = Path(out_path)
    with atomic_writer(out_path) as handle:
        wb.save(handle)
    return PrintResult(out_path, 0, warnings, fingerprint)


def _banner(ws, row: int, text: str, font: Font, height: float, *, center: bool = False) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
    cell = put_text(ws, row, 1, text)
    cell.font = font
    cell.alignment = Alignment(horizontal="center" if center else "left", vertical="center",
                               wrap_text=True)
    ws.row_dimensions[row].height = height


def _banner_height(text: str) -> float:
    return row_height(wrapped_lines(text, sum(WIDTHS), SIZE), SIZE)


def _page_setup(ws, fingerprint: str, signer_fingerprint: str | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.75
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.oddFooter.left.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.text = f"材料指纹：{short(fingerprint)}"
    ws.oddFooter.right.text = f"签名密钥指纹：{short(signer_fingerprint)}" if signer_fingerprint else ""
    for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.size = 9


def _fingerprint_sheet(wb, rows: list[list[str]], records: list[dict], fingerprint: str,
                       signer_fingerprint: str | None) -> None:
    """Every candidate's record fingerprint, for reading by program or by a curious clerk;
    hidden so that printing the workbook prints the table only (the material fingerprint is
    under the table and each candidate's on their registration form)."""
    meta = wb.create_sheet(FINGERPRINT_SHEET)
    lines = [("材料指纹（全部人选，SHA-256）", fingerprint)]
    if signer_fingerprint:
        lines.append(("签名密钥指纹", signer_fingerprint))
    lines += [("人选数据指纹：" + row[1], fp)
              for row, fp in zip(rows, candidate_fingerprints(records))]
    for r, (label, value) in enumerate(lines, 1):
        put_text(meta, r, 1, label)
        put_text(meta, r, 2, value)
    meta.column_dimensions["A"].width = max([36] + [display_width(x) + 2 for x, _ in lines])
    meta.column_dimensions["B"].width = 70
    meta.sheet_state = "hidden"
