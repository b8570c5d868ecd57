"""推荐报告 as an editable Word document (python-docx): the same text, candidate table, contacts
and 盖章/日期 block as the PDF (both from ``report.report_content``), A4, with 第 x 页 共 y 页
and the material fingerprint in the footer, so a clerk can adjust the wording before stamping.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..common.atomic import atomic_writer
from ..common.fingerprint import short
from .cells import display_width
from .common import PrintResult
from .info import ReportInfo
from .report import TABLE_HEADERS, TABLE_WIDTHS_MM, report_content

FONT = "宋体"
BODY_PT = 12
CELL_PT = 10


def report_docx(records: list[dict], out_path: Path, info: ReportInfo | None = None, *,
                signer_fingerprint: str | None = None) -> PrintResult:
    content = report_content(records, info)
    doc = Document()
    _page(doc)
    _style(doc)
    _para(doc, content.heading, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    _para(doc, content.salutation, size=BODY_PT)
    for part in content.paragraphs:
        p = _para(doc, part, size=BODY_PT)
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        p.paragraph_format.line_spacing = 1.5
    _para(doc, "推荐人选名单", size=BODY_PT, bold=True, before=6)
    _candidates(doc, content.rows)
    _para(doc, "", size=BODY_PT)
    _contacts(doc, content.contacts)
    _para(doc, "", size=BODY_PT, after=18)
    _para(doc, content.seal, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, content.date, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _footer(doc, content.fingerprint, signer_fingerprint)
    doc.core_properties.title = "推荐报告"
    doc.core_properties.author = "人才信息采集"
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(out_path) as handle:
        doc.save(handle)
    return PrintResult(out_path, 0, list(content.warnings), content.fingerprint)


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(20), Mm(22)
    section.footer_distance = Mm(8)


def _style(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _east_asian(normal.element.get_or_add_rPr())


def _east_asian(rpr) -> None:
    """Word takes Chinese text's font from w:eastAsia, which python-docx does not set."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(container, text: str, *, size: float, bold: bool = False, align=None,
          before: float = 0, after: float = 0):
    p = container.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(before), Pt(after)
    if text:
        _run(p, text, size=size, bold=bold)
    return p


def _run(p, text: str, *, size: float, bold: bool = False):
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    _east_asian(run._element.get_or_add_rPr())
    return run


def _cell(cell, text: str, *, size: float = CELL_PT, bold: bool = False, center: bool = True,
          width_mm: float | None = None, name: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    if width_mm and text and "\n" not in text:
        room = (width_mm - 4.5) / 25.4 * 72  # points inside the cell's default padding
        if not name:  # an ID number that would wrap is set smaller, as on the PDF; a name
            # wraps at full size (Word, WPS and LibreOffice break Chinese text anywhere)
            needed = _needed(text, size)
            size = max(5.0, min(size, size * room / needed)) if needed else size
    _run(p, text, size=size, bold=bold)


def _needed(text: str, size: float) -> float:
    return size * sum(1.0 if display_width(ch) == 2 else 0.66 for ch in text)


def _candidates(doc, rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1 + max(len(rows), 1), cols=len(TABLE_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, TABLE_WIDTHS_MM)
    _repeat_header(table.rows[0])
    for i, label in enumerate(TABLE_HEADERS):
        _cell(table.cell(0, i), label, bold=True, width_mm=TABLE_WIDTHS_MM[i])
    if not rows:
        merged = table.cell(1, 0).merge(table.cell(1, len(TABLE_HEADERS) - 1))
        _cell(merged, "（无推荐人选）")
    for r, row in enumerate(rows, 1):
        for i, value in enumerate(row):
            _cell(table.cell(r, i), value, center=i != 3, name=i == 1,
                  width_mm=TABLE_WIDTHS_MM[i] if i in (0, 1, 2, 5) else None)


def _contacts(doc, contacts: list[tuple[str, str]]) -> None:
    values = dict(contacts)
    table = doc.add_table(rows=3, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (26, 61, 26, 61))
    layout = [(0, 0, "联系单位"), (1, 0, "联系人"), (1, 2, "办公电话"), (2, 0, "手机")]
    table.cell(0, 1).merge(table.cell(0, 3))
    table.cell(2, 1).merge(table.cell(2, 3))
    for r, c, label in layout:
        _cell(table.cell(r, c), label, bold=True)
        _cell(table.cell(r, c + 1), values.get(label, ""), center=False)
    for row in table.rows:
        row.height = Mm(9)


def _widths(table, widths_mm) -> None:
    """Fixed column widths: the grid (LibreOffice, WPS) and every cell (Word)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _field(p, instruction: str, size: float) -> None:
    """A Word field (PAGE, NUMPAGES) that the word processor fills in when it lays out."""
    run = _run(p, "", size=size)
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = "1"
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._element.append(el)


def _footer(doc, fingerprint: str, signer_fingerprint: str | None) -> None:
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    size = 9
    _run(p, "第 ", size=size)
    _field(p, "PAGE", size)
    _run(p, " 页 共 ", size=size)
    _field(p, "NUMPAGES", size)
    _run(p, " 页　　", size=size)
    _run(p, f"材料指纹（全部人选）：{short(fingerprint)}", size=size)
    q = footer.add_paragraph()
    _run(q, fingerprint, size=7)
    if signer_fingerprint:
        _run(footer.add_paragraph(), f"签名密钥指纹：{signer_fingerprint}", size=7)
    else:
        _run(footer.add_paragraph(), "纸质材料与电子数据（.rpu）须一致：collector verify-print 指纹 文件.rpu",
             size=7)
