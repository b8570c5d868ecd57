"""What every printed PDF shares: styles, text markup with font fallback, and the page footer
(第 x 页 共 y 页, the fingerprint, a QR code of it) drawn once the page count is known.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from ..common import fonts
from ..common.atomic import atomic_writer
from ..common.fingerprint import short

MISSING_MARK = "〓"  # printed in place of a character no bundled font can draw
# A table cell holds at most this many characters, so one row always fits on a page.
CELL_LIMIT = 600
CELL_SIZE = 9.5  # points; the "cell" styles and plain-string cells share it
GRID = colors.black
SHADE = colors.Color(0.90, 0.90, 0.90)


@dataclass
class PrintResult:
    path: Path
    pages: int
    warnings: list[str] = field(default_factory=list)
    fingerprint: str = ""


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles, built once per process (speed: 1,000 forms share them)."""
    sans = fonts.register_reportlab()
    song = fonts.SONG_NAME  # body text in 宋体 as government forms; titles and labels in the sans

    def style(key: str, size: float, *, align=TA_LEFT, leading: float | None = None,
              face: str = song, **kw) -> ParagraphStyle:
        return ParagraphStyle(key, fontName=face, fontSize=size, leading=leading or size * 1.35,
                              alignment=align, wordWrap="CJK", **kw)

    return {
        "title": style("title", 20, align=TA_CENTER, leading=28, face=sans),
        "subtitle": style("subtitle", 11, align=TA_CENTER, face=sans),
        "heading": style("heading", 11, leading=15, face=sans),
        "label": style("label", 9.5, align=TA_CENTER, leading=12, face=sans),
        "cell": style("cell", 9.5, leading=12.5),
        "cell_c": style("cell_c", 9.5, align=TA_CENTER, leading=12.5),
        "small": style("small", 8, leading=10, face=sans),
        "small_c": style("small_c", 8, align=TA_CENTER, leading=10, face=sans),
        "body": style("body", 10.5, leading=16),
        "indent": style("indent", 12, leading=21, firstLineIndent=24),
        "text": style("text", 12, leading=21),
        "right": style("right", 12, align=TA_RIGHT, leading=21),
    }


class Ink:
    """Turns record text into Paragraphs for one document and collects the glyph warnings."""

    def __init__(self, who: str = ""):
        self.who = who if len(who) <= 12 else who[:12] + "…"
        self.warnings: list[str] = []
        self._seen: set[tuple[str, str]] = set()

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def markup(self, text: object, label: str = "", limit: int | None = None) -> str:
        text = "" if text is None else str(text)
        if limit is not None and len(text) > limit:
            self.warn(f"{self._prefix()}{label}超过{limit}字，纸质表只印前{limit}字，全文见电子数据")
            text = text[:limit] + "……"
        if not fonts.needs_other_than_song(text):
            return html.escape(text, quote=False).replace("\n", "<br/>")
        missing = fonts.missing_glyphs(text)
        if missing:
            key = (label, "".join(sorted(missing)))
            if key not in self._seen:
                self._seen.add(key)
                chars = " ".join(sorted(missing))
                self.warn(f"{self._prefix()}{label or '文字'}中的字符 {chars} 无法用内置字体打印"
                          f"（印为“{MISSING_MARK}”），请在纸质表上手写补正")
        out: list[str] = []
        for ch in text:
            which = fonts.body_font_for(ch)
            if ch == "\n":
                out.append("<br/>")
            elif which in (fonts.FALLBACK_NAME, fonts.FONT_NAME):
                # named, so a Song paragraph draws it in the font that has it
                out.append(f'<font face="{which}">{html.escape(ch)}</font>')
            elif which is None and fonts.missing_glyphs(ch):
                out.append(MISSING_MARK)
            elif which is None:
                continue  # zero-width or combining marks draw nothing
            else:
                out.append(html.escape(ch, quote=False))
        return "".join(out)

    def p(self, text: object, style: str = "cell", label: str = "",
          limit: int | None = CELL_LIMIT) -> Paragraph:
        return Paragraph(self.markup(text, label, limit), styles()[style])

    def cell(self, value: object, width: float, *, centered: bool = False, label: str = ""):
        """A table cell: a plain string when it fits on one line in the Song (much faster to lay
        out; the table draws it in the Song), else a wrapping Paragraph."""
        text = "" if value is None else str(value)
        if ("\n" not in text and not fonts.needs_other_than_song(text)
                and stringWidth(text, fonts.SONG_NAME, CELL_SIZE) <= width - 7):
            return text
        return self.p(text, "cell_c" if centered else "cell", label)

    def one_line(self, value: object, width: float, *, label: str = "",
                 centered: bool = True, size: float = CELL_SIZE) -> object:
        """A cell whose text must not break (a name, an ID number): the font shrinks until it
        fits the column (a 10-character name stays on one line); only below MIN_FIT_SIZE
        does it wrap."""
        text = "" if value is None else str(value)
        avail = (width - 7) * 0.97  # 3 pt padding each side, and a little slack
        needed = text_width(text, size)
        if needed <= avail and size == CELL_SIZE:
            return self.cell(text, width, centered=centered, label=label)
        fit = size if needed <= avail else max(MIN_FIT_SIZE, size * avail / needed)
        return Paragraph(self.markup(text, label), sized_style(round(fit - 0.05, 1), centered))

    def name_cell(self, value: object, width: float, *, label: str = "") -> object:
        """A name: on one line when it fits, else broken after a middle dot or into even
        halves (``cells.name_lines``) at the cell's size, not squeezed to 60 %."""
        from .cells import name_lines

        text = "" if value is None else str(value)
        avail = (width - 7) * 0.97
        lines = name_lines(text, lambda t: text_width(t, CELL_SIZE) <= avail)
        if len(lines) == 1:
            return self.one_line(text, width, label=label)
        return Paragraph("<br/>".join(self.markup(line, label) for line in lines),
                         styles()["cell_c"])

    def _prefix(self) -> str:
        return f"{self.who}：" if self.who else ""


MIN_FIT_SIZE = 5.0  # points: the smallest a squeezed name or number is printed


def text_width(text: str, size: float) -> float:
    """Printed width in points, each character in the font that will draw it."""
    return sum(stringWidth(ch, fonts.body_font_for(ch) or fonts.FONT_NAME, size) for ch in text)


@functools.lru_cache(maxsize=64)
def sized_style(size: float, centered: bool) -> ParagraphStyle:
    """A cell style at ``size`` points (for text shrunk to fit its column)."""
    fonts.register_reportlab()
    return ParagraphStyle(f"fit{size}{centered}", fontName=fonts.SONG_NAME,
                          fontSize=size, leading=max(size * 1.3, 7),
                          alignment=TA_CENTER if centered else TA_LEFT, wordWrap="CJK")


def paragraph(markup_text: str, style: str = "cell") -> Paragraph:
    """A Paragraph from trusted markup (labels written in this package)."""
    return Paragraph(markup_text, styles()[style])


QR_SIZE = 17 * mm


def qr_text(fingerprint: str) -> str:
    """What the QR code holds: the fingerprint in upper-case hex (QR alphanumeric mode, a
    smaller code than lower case); readers compare it case-insensitively."""
    return fingerprint.upper()


@functools.lru_cache(maxsize=64)
def _qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    qr = segno.make(data, error="m", micro=False, mask=0)  # fixed mask: skips 8 trial masks
    return tuple(tuple(bool(v) for v in row) for row in qr.matrix)


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw ``data`` as a QR code (vector, with a quiet zone) with its lower-left at x, y."""
    matrix = _qr_matrix(data)
    n = len(matrix) + 4  # two modules of quiet zone on each side
    cell = size / n
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(x + (start + 2) * cell, y + size - (r + 3) * cell,
                          (c - start) * cell, cell)
            else:
                c += 1
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


@dataclass
class Footer:
    """What the footer of every page shows."""
    fingerprint: str               # full hex, encoded in the QR code
    caption: str                   # e.g. "人选指纹" or "材料指纹（汇总表与推荐报告）"
    header: str = ""               # small running header from page 2 on
    signer: str | None = None      # the signer's key fingerprint, when known
    hint: str = "纸质材料与电子数据（.rpu）须一致：collector verify-print 指纹 文件.rpu"
    qr: str = ""                   # what the QR code holds when not just the fingerprint


def _footer_canvas(footer: Footer, pagesize) -> type[Canvas]:
    """A canvas class that holds pages back until save() so it can print 共 y 页 on each."""

    class FooterCanvas(Canvas):
        def __init__(self, *args, **kw):
            kw.setdefault("initialFontName", fonts.register_reportlab())
            super().__init__(*args, **kw)
            self._held: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held)
            # The QR code is the same on every page: draw it once as a form and reuse it.
            self.beginForm("fingerprint_qr")
            draw_qr(self, footer.qr or qr_text(footer.fingerprint), 0, 0, QR_SIZE)
            self.endForm()
            for state in self._held:
                self.__dict__.update(state)
                _draw_footer(self, footer, self._pageNumber, total, pagesize)
                Canvas.showPage(self)
            Canvas.save(self)

    return FooterCanvas


def _draw_footer(c: Canvas, footer: Footer, page: int, total: int, pagesize) -> None:
    width, _height = pagesize
    font = fonts.FONT_NAME
    qr = QR_SIZE
    left, bottom = 18 * mm, 6 * mm
    c.saveState()
    c.setStrokeColor(colors.grey)
    c.setLineWidth(0.4)
    c.line(left, bottom + qr + 1.5 * mm, width - left, bottom + qr + 1.5 * mm)
    c.setFont(font, 9.5)
    c.drawString(left, bottom + 11 * mm, f"第 {page} 页 共 {total} 页")
    c.drawString(left + 32 * mm, bottom + 11 * mm, f"{footer.caption}：{short(footer.fingerprint)}")
    c.setFont(font, 6.5)
    c.drawString(left + 32 * mm, bottom + 6.5 * mm, footer.fingerprint)
    if footer.signer:
        c.drawString(left + 32 * mm, bottom + 2.5 * mm,
                     f"签名密钥指纹：{footer.signer}")
    else:
        c.drawString(left + 32 * mm, bottom + 2.5 * mm, footer.hint)
    if footer.header and page > 1:
        header = footer.header if len(footer.header) <= 40 else footer.header[:40] + "…"
        draw_right(c, width - left, pagesize[1] - 10 * mm, header, 8)
    c.restoreState()
    c.saveState()
    c.translate(width - left - qr, bottom)
    c.doForm("fingerprint_qr")
    c.restoreState()


def draw_right(c: Canvas, x: float, y: float, text: str, size: float) -> None:
    """Right-aligned canvas text using the fallback font where needed (〓 for no glyph)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    runs: list[tuple[str, str]] = []
    for ch in text:
        name = fonts.font_for(ch)
        ch = ch if name else MISSING_MARK
        name = name or fonts.FONT_NAME
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + ch)
        else:
            runs.append((name, ch))
    x -= sum(stringWidth(run, name, size) for name, run in runs)
    for name, run in runs:
        c.setFont(name, size)
        c.drawString(x, y, run)
        x += stringWidth(run, name, size)


def build_pdf(out_path: Path, story: list, footer: Footer, *, landscape_page: bool = False,
              title: str = "", on_first: Callable | None = None) -> int:
    """Lay ``story`` out on A4 with the footer on every page; write atomically; return pages."""
    fonts.register_reportlab()
    pagesize = landscape(A4) if landscape_page else A4
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    margin = 18 * mm
    frame = Frame(margin, 26 * mm, pagesize[0] - 2 * margin, pagesize[1] - 26 * mm - 15 * mm,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    with atomic_writer(out_path) as handle:
        doc = BaseDocTemplate(handle, pagesize=pagesize, title=title, author="人才信息采集",
                              creator="人才信息采集 collector", invariant=1,
                              initialFontName=fonts.FONT_NAME,
                              leftMargin=margin, rightMargin=margin)
        template = PageTemplate(id="page", frames=[frame])
        if on_first is not None:
            template.onPage = on_first
        doc.addPageTemplates([template])
        doc.build(story, canvasmaker=_footer_canvas(footer, pagesize))
    return doc.page
