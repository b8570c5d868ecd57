"""File names on a disc: what Joliet (the names Windows shows) can hold, made unique, and the
characters no disc name may carry.

pycdlib 1.22 refuses a Joliet name longer than 64 *UTF-8 bytes* (``len(name.encode())``) and
then stores it as UTF-16BE; the Joliet standard's own limit is 64 UCS-2 units. A UTF-8 byte
count is never below the UTF-16 unit count, so cutting at 64 UTF-8 bytes meets both: about 21
Chinese characters. The disc folder gets these names too, so the folder, its manifest and the
image all agree and ``sha256sum -c`` works on a mounted disc on Windows.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path, PurePosixPath

from .layout import DiscError

JOLIET_MAX_BYTES = 64
# C0/C1 controls and DEL; Joliet also forbids * / : ; ? \ (ECMA-119 Joliet §3.3).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_JOLIET_FORBIDDEN = re.compile(r"[*/:;?\\]")


def check_name(rel: str) -> None:
    """Refuse a path whose names hold control characters (NUL, newline, bidi marks...)."""
    for part in PurePosixPath(rel).parts:
        if _CONTROL.search(part) or any(unicodedata.category(c) == "Cf" for c in part):
            shown = _CONTROL.sub("?", part).encode("unicode_escape").decode("ascii")
            raise DiscError(f"文件名“{shown}”含控制字符，不能写入光盘；请改名后重新制作")


def fit_name(name: str, taken: set[str]) -> str:
    """``name`` as it may stand in a Joliet directory: Joliet-forbidden characters replaced,
    cut to 64 UTF-8 bytes keeping the extension, and not equal (ignoring case, as Windows
    does) to any name in ``taken``. Adds the result to ``taken``."""
    name = _JOLIET_FORBIDDEN.sub("_", name)
    stem, ext = _split(name)
    for n in range(1, 10_000):
        marker = "" if n == 1 else f"~{n}"
        room = JOLIET_MAX_BYTES - len((marker + ext).encode("utf-8"))
        candidate = _cut(stem, room) + marker + ext
        if candidate.casefold() not in taken:
            taken.add(candidate.casefold())
            return candidate
    raise DiscError(f"文件夹中名称相近的文件过多，无法写入光盘：{name}")  # pragma: no cover


def _split(name: str) -> tuple[str, str]:
    """The extension is kept whole when it is short and plain (``.pdf``, ``.rpu``)."""
    stem, dot, ext = name.rpartition(".")
    if dot and stem and len(ext) <= 8 and ext.isascii():
        return stem, "." + ext
    return name, ""


# 001- (a number), the middle, -推荐人选个人登记表 or _20170420 (the last part, kept whole)
_PARTS = re.compile(r"^(\d+-)?(.+?)([-_][^-_]+)?$", re.S)


def _cut(text: str, room: int) -> str:
    """``text`` within ``room`` UTF-8 bytes, shortened at a sensible place: in a name of
    parts (``001-额尔敦巴雅尔巴特尔朝鲁-佐证材料封面及目录``, ``某单位_20170420``) the middle
    gives way, marked with …, and the number and the last part (the document's title, the
    date) stay whole; otherwise the cut falls on a
    separator when one is near, else between characters."""
    if len(text.encode("utf-8")) <= room:
        return text
    head, middle, tail = _PARTS.match(text).groups()  # type: ignore[union-attr]
    if tail:
        left = room - len(f"{head or ''}…{tail}".encode("utf-8"))
        kept = _prefix(middle, left) if left > 0 else ""
        if kept:
            return f"{head or ''}{kept}…{tail}"
    cut = _prefix(text, room)
    at = max(cut.rfind(sep) for sep in "-_ ·（")
    if at >= len(cut) // 2:
        cut = cut[:at]
    return cut.rstrip(" .-_") or "_"


def _prefix(text: str, room: int) -> str:
    """The longest prefix of ``text`` within ``room`` UTF-8 bytes, never splitting a character."""
    return text.encode("utf-8")[:max(room, 0)].decode("utf-8", "ignore")


def fit_tree(root: Path) -> None:
    """Rename, in place, every file and folder under ``root`` whose name Joliet cannot hold;
    names that already fit keep theirs. Refuses control characters."""
    for current, dirs, files in os.walk(root):
        taken: set[str] = set()
        misfits = []
        for name in sorted(dirs) + sorted(files):
            check_name(name)
            fits = (len(name.encode("utf-8")) <= JOLIET_MAX_BYTES
                    and not _JOLIET_FORBIDDEN.search(name) and name.casefold() not in taken)
            if fits:
                taken.add(name.casefold())
            else:
                misfits.append(name)
        for name in misfits:
            new = fit_name(name, taken)
            os.rename(os.path.join(current, name), os.path.join(current, new))
            if name in dirs:
                dirs[dirs.index(name)] = new  # walk on into the renamed folder
