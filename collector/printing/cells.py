"""Writing data into spreadsheet cells (DESIGN §11): always as text that no spreadsheet
evaluates, and row heights that show wrapped text whole when an office suite prints it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Callable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

# A cell starting with one of these is a formula (or becomes one when edited) in Excel,
# LibreOffice or WPS; "-" and "+" too (=-1+1), "@" in Lotus-style entry, tab/CR in CSV pastes.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def put_text(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write ``value`` as a plain string cell: stored as text (never a formula), and marked
    with the quote prefix (the apostrophe a user would type) when it looks like a formula, so
    editing the cell in a spreadsheet does not turn it into one either. Reads back as typed,
    less the control characters a spreadsheet file cannot hold."""
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    cell = ws.cell(row=row, column=column)
    cell.value = text
    cell.data_type = "s"
    if text.lstrip(" ").startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def name_lines(name: str, fits: Callable[[str], bool]) -> list[str]:
    """A name too wide for its cell, in lines that fit: broken after a middle dot
    (阿拉腾·巴特尔·乌力吉 → 阿拉腾· / 巴特尔·乌力吉), a part without one into even halves
    (额尔敦巴雅尔巴特尔朝鲁 → 额尔敦巴雅尔 / 巴特尔朝鲁); never shrunk to an unreadable size."""
    if fits(name) or len(name) < 2:
        return [name]
    lines: list[str] = []
    for part in re.findall(r"[^·・•‧]+[·・•‧]?|[·・•‧]", name):
        if lines and fits(lines[-1] + part):
            lines[-1] += part
        else:
            lines.append(part)
    out = []
    for line in lines:
        n = 1
        while n < len(line) and not all(fits(c) for c in _even(line, n)):
            n += 1
        out += _even(line, n)
    return out


def _even(text: str, n: int) -> list[str]:
    size = math.ceil(len(text) / n)
    return [text[i:i + size] for i in range(0, len(text), size)]


def display_width(text: str) -> int:
    """Width in spreadsheet character units: full-width (Chinese) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrapped_lines(text: str, width: float, size: float = 10.5) -> int:
    """How many lines ``text`` in ``size``-point type takes in a wrapping cell ``width`` units
    wide, in Excel's unit (7 px, the narrowest of the office suites, so the most lines): a
    Chinese character is size/5.25 units, a Latin one half that."""
    room = max(width - 1.0, 1.0) * 10.5 / size
    return sum(max(1, math.ceil(display_width(line) / room)) for line in text.split("\n"))


def row_height(lines: int, size: float) -> float:
    """Points for ``lines`` lines of ``size``-point text with the cell's padding."""
    return round(max(lines, 1) * size * 1.35 + 4, 1)
