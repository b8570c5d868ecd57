"""Ruled tables of the forms: a section with a shaded title row, column headers and data rows
(rows never split across pages), and boxed free-text sections that may flow over pages.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Table

from ..fonts import FONT_NAME
from .common import GRID, SHADE, Ink, paragraph

BASE_STYLE = [
    ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),  # else empty cells pull in Helvetica
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
        data.append([ink.p(value, "cell_c" if i in centered else "cell", f"{title}·{labels[i]}")
                     for i, value in enumerate(row)])
    return Table(data, colWidths=[w * mm for w in widths_mm], style=style, repeatRows=2,
                 hAlign="LEFT")


def text_section(ink: Ink, title: str, text: str, width_mm: float, *,
                 min_height_mm: float = 20, empty: str = "（未填写）") -> Table:
    """A boxed free text under a shaded title; long text flows across pages (split in row)."""
    body = ink.p(text, "body", title, limit=None) if text.strip() else paragraph(empty, "body")
    style = list(BASE_STYLE) + [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 1), (-1, -1), 5),
        ("LEFTPADDING", (0, 1), (-1, -1), 6),
        ("RIGHTPADDING", (0, 1), (-1, -1), 6),
    ]
    return Table([[paragraph(f"<b>{title}</b>", "heading")], [body]], colWidths=[width_mm * mm],
                 style=style, repeatRows=1, splitInRow=1, hAlign="LEFT",
                 minRowHeights=[0, min_height_mm * mm])
