"""The bundled CJK fonts (``resources/fonts/``): paths, reportlab registration, glyph coverage.

The main font (文泉驿微米黑, a TrueType collection) is embedded (subset) in every printed PDF
and loaded by the UI into Qt, so the screen and the paper agree. Han characters it lacks (CJK
Extension A such as 䶮) are drawn with a fallback font, Droid Sans Fallback; characters neither
has (emoji) are reported by ``missing_glyphs`` so nothing is printed as an empty box silently.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from pathlib import Path

from .errors import CollectorError
from .paths import resources_dir

FONT_FILE = "wqy-microhei.ttc"
FONT_INDEX = 0  # face "WenQuanYi Micro Hei" in the collection
FONT_NAME = "WenQuanYiMicroHei"
FALLBACK_FILE = "DroidSansFallbackFull.ttf"
FALLBACK_NAME = "DroidSansFallback"

_lock = threading.Lock()


def _font_file(name: str) -> Path:
    path = resources_dir() / "fonts" / name
    if not path.is_file():
        raise CollectorError(f"缺少内置字体文件 {path}，请重新安装本程序")
    return path


def cjk_font_path() -> Path:
    """Path of the main bundled CJK TrueType font (a .ttc; Qt and reportlab load face 0)."""
    return _font_file(FONT_FILE)


def fallback_font_path() -> Path:
    """Path of the fallback font for rare Han characters (CJK Extension A)."""
    return _font_file(FALLBACK_FILE)


@functools.cache
def _ttfonts():
    from reportlab.pdfbase.ttfonts import TTFont

    main = TTFont(FONT_NAME, str(cjk_font_path()), subfontIndex=FONT_INDEX)
    fallback = TTFont(FALLBACK_NAME, str(fallback_font_path()))
    return main, fallback


def register_reportlab() -> str:
    """Register both fonts with reportlab once (idempotent, thread-safe); returns the main name."""
    from reportlab.pdfbase import pdfmetrics

    with _lock:
        registered = pdfmetrics.getRegisteredFontNames()
        for font in _ttfonts():
            if font.fontName not in registered:
                pdfmetrics.registerFont(font)
    return FONT_NAME


@functools.cache
def _cmaps() -> tuple[frozenset[int], frozenset[int]]:
    main, fallback = _ttfonts()
    return frozenset(main.face.charToGlyph), frozenset(fallback.face.charToGlyph)


def _needs_glyph(ch: str) -> bool:
    # Line breaks, tabs, zero-width joiners and variation selectors draw nothing of their own.
    return not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Mn"))


def font_for(ch: str) -> str | None:
    """Which registered font draws ``ch``: the main one, the fallback, or None (no glyph)."""
    main, fallback = _cmaps()
    code = ord(ch)
    if code in main:
        return FONT_NAME
    if code in fallback:
        return FALLBACK_NAME
    return None


def needs_fallback(text: str) -> bool:
    """True if some character of ``text`` is not in the main font (fast check for the common case)."""
    main = _cmaps()[0]
    return any(ord(ch) not in main for ch in text)


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` that no bundled font has a glyph for (e.g. emoji)."""
    if not text:
        return set()
    main, fallback = _cmaps()
    return {ch for ch in set(text)
            if ord(ch) not in main and ord(ch) not in fallback and _needs_glyph(ch)}
