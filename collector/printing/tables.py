"""Ruled tables of the forms: a section with a shaded title row, column headers and data rows
(rows never split across pages), and boxed free-text sections that may flow over pages.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table

from ..common.fonts import SONG_NAME
from .common import CELL_SIZE, GRID, SHADE, Ink, paragraph

BASE_STYLE = [
    ("FONTNAME", (0, 0), (-1, -1), SONG_NAME),  # plain-string cells; else Helvetica
    ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
    ("LEADING", (0, 0), (-1, -1), CELL_SIZE * 1.3),
    ("GRID", (0, 0), (-1, -1), 0.6, GRID),
    ("BOX", (0, 0), (-1, -1), 1.0, GRID),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]


def month(text: str, now: bool = False) -> str:
    """``2012-03`` as printed on the form (``2012.03``); an empty end month is 至今 if allowed."""
    if not text:
        return "至今" if now else ""
    return text[:7].replace("-", ".")


def date_cn(text: str) -> str:
    """``2017-04-20`` as ``2017年4月20日``; anything else unchanged."""
    parts = (text or "").split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"
    return text or ""


def section_table(ink: Ink, title: str, headers: list[str], rows: list[list[object]],
                  widths_mm: list[float], *, labels: list[str] | None = None,
                  centered: tuple[int, ...] = ()) -> Table:
    """A titled grid; ``rows`` hold plain values, turned into wrapped paragraphs here."""
    labels = labels or headers
    data: list[list] = [[paragraph(f"<b>{title}</b>", "heading")] + [""] * (len(headers) - 1),
                        [paragraph(h, "label") for h in headers]]
    style = list(BASE_STYLE) + [
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 1), SHADE),
    ]
    if not rows:
        data.append([paragraph("（无）", "cell_c")] + [""] * (len(headers) - 1))
        style.append(("SPAN", (0, 2), (-1, 2)))
    for row in rows:
        data.append([ink.cell(value, widths_mm[i] * mm, centered=i in centered,
                              label=f"{title}·{labels[i]}") for i, value in enumerate(row)])
    style += [("ALIGN", (i, 2), (i, -1), "CENTER") for i in centered]
    return Table(data, colWidths=[w * mm for w in widths_mm], style=style, repeatRows=2,
                 hAlign="LEFT")


class Boxed(Flowable):
    """A paragraph inside a ruled box (no top line: it sits under a title row) that splits
    across pages between lines, so a long text is never cut off."""

    def __init__(self, para: Paragraph, width: float, *, min_height: float = 0,
                 pad: float = 6, top: bool = False):
        super().__init__()
        self.para, self.width, self.min_height, self.pad, self.top = para, width, min_height, pad, top
        self._para_h = 0.0

    def wrap(self, avail_width, avail_height):
        _w, self._para_h = self.para.wrap(self.width - 2 * self.pad, avail_height)
        self.height = max(self._para_h + 2 * self.pad, self.min_height)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        if avail_height < 2 * self.pad + 14:
            return []
        parts = self.para.split(self.width - 2 * self.pad, avail_height - 2 * self.pad)
        if len(parts) < 2:
            return []
        first = Boxed(parts[0], self.width, pad=self.pad, top=self.top)
        rest = Boxed(parts[1], self.width, min_height=self.min_height, pad=self.pad, top=True)
        return [first, rest]

    def draw(self):
        c = self.canv
        c.saveState()
        c.setStrokeColor(GRID)
        c.setLineWidth(1.0)
        c.line(0, 0, 0, self.height)
        c.line(self.width, 0, self.width, self.height)
        c.line(0, 0, self.width, 0)
        if self.top:
            c.line(0, self.height, self.width, self.height)
        c.restoreState()
        self.para.drawOn(c, self.pad, self.height - self.pad - self._para_h)


def title_row(title: str, width_mm: float) -> Table:
    style = list(BASE_STYLE) + [("BACKGROUND", (0, 0), (-1, 0), SHADE)]
    table = Table([[paragraph(f"<b>{title}</b>", "heading")]], colWidths=[width_mm * mm],
                  style=style, hAlign="LEFT")
    table.keepWithNext = True
    return table


def text_section(ink: Ink, title: str, text: str, width_mm: float, *,
                 min_height_mm: float = 20, empty: str = "（未填写）") -> list:
    """A boxed free text under a shaded title; long text flows across pages between lines."""
    body = ink.p(text, "body", title, limit=None) if text.strip() else paragraph(empty, "body")
    return [title_row(title, width_mm), Boxed(body, width_mm * mm, min_height=min_height_mm * mm)]
