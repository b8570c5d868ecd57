"""Whether a disc folder fits its medium (CD or DVD): the image size estimate and the check."""

from __future__ import annotations

import os
from pathlib import Path

from ..common.errors import UsageError
from .layout import MEDIA, SECTOR, DiscError


def estimate_iso_size(folder: Path) -> int:
    """Bytes the image will take: every file rounded up to sectors, plus directories and headers."""
    total = 0
    count = 0
    for root, dirs, names in os.walk(folder):
        count += 1 + len(dirs)
        for name in names:
            size = (Path(root) / name).stat().st_size
            total += -(-size // SECTOR) * SECTOR
            count += 1
    # volume descriptors, path tables and three directory trees (ISO, Joliet, Rock Ridge CE)
    return total + 64 * SECTOR + count * 3 * SECTOR


def check_medium(folder: Path, medium: str, capacity: int | None = None) -> int:
    if medium not in MEDIA:
        raise UsageError(f"介质 {medium} 不支持，请选择 cd 或 dvd")
    label, limit = MEDIA[medium]
    limit = capacity if capacity is not None else limit
    needed = estimate_iso_size(folder)
    if needed > limit:
        other = "，可改用 --medium dvd" if medium == "cd" and needed <= MEDIA["dvd"][1] else ""
        raise DiscError(f"光盘内容约 {_mb(needed)}，超过 {label} 的容量 {_mb(limit)}"
                        f"{other}；或减少附件后重试")
    return needed


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.1f} MB"
