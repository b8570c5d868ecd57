"""What an export disc is made of (DESIGN §9): the names of its parts, the media it must fit,
the label it carries and the error it raises.

Layout::

    RPU/            the signed packages (.rpu)
    PRINT/          the printed forms (PDF; the report also as DOCX)
    汇总表.xlsx      the summary table
    MANIFEST.sha256 ``<sha256>  <path>`` per file, ``sha256sum -c`` compatible
    README.txt      what is on the disc and how to check it (UTF-8 with BOM, CRLF for Notepad)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from ..common.errors import CollectorError

MANIFEST = "MANIFEST.sha256"
README = "README.txt"
RPU_DIR = "RPU"
PRINT_DIR = "PRINT"
SUMMARY_XLSX = "汇总表.xlsx"
CHUNK = 1 << 20
# Written by Windows Explorer into folders it shows (thumbnails, a custom icon): never part of
# a disc, never counted against one.
EXPLORER_FILES = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db"})
SECTOR = 2048
# Capacities in bytes: an 80-minute CD holds 360,000 sectors; a single-layer DVD "4.7 GB".
MEDIA: dict[str, tuple[str, int]] = {
    "cd": ("CD（700 MB）", 360_000 * SECTOR),
    "dvd": ("DVD（4.7 GB）", 4_700_000_000),
}

Progress = Callable[[int, int, str], None]  # (done, total, what)


class DiscError(CollectorError):
    """The disc cannot be built, is too large for the medium, or fails verification."""


@dataclass
class DiscLabel:
    unit: str
    date: dt.date
    code: str = ""  # the channel's 3-digit code, for the ASCII volume id

    @property
    def iso_volume_id(self) -> str:
        """ISO 9660 volume ids are d-characters only (A-Z 0-9 _), at most 32."""
        parts = ["RPU", self.code, self.date.strftime("%Y%m%d")]
        return "_".join(p for p in parts if p)[:32]

    @property
    def joliet_volume_id(self) -> str:
        """Joliet allows 16 UCS-2 characters: as much of the unit as fits, then the date."""
        date = self.date.strftime("%Y%m%d")
        unit = self.unit[: 16 - len(date) - 1]
        return f"{unit} {date}" if unit else date
