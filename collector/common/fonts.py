"""The bundled CJK fonts (``resources/fonts/``): paths, reportlab registration, glyph coverage.

The main font (文泉驿微米黑, a TrueType collection, a 黑体-like sans) is embedded (subset) in
every printed PDF for titles and labels, and loaded by the UI into Qt. The forms' body text is
set in a Song face (宋体-like: AR PL SungtiL GB, subset by ``tools/subset_song.py``) as Chinese
government forms are; a character the Song subset lacks is drawn in the sans. Han characters
the sans lacks (CJK Extension A such as 䶮) are drawn with a fallback font, Droid Sans Fallback;
characters none has (emoji) are reported by ``missing_glyphs`` so nothing is printed as an empty
box silently.
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
SONG_FILE = "gbsn00lp-subset.ttf"
SONG_NAME = "ARPLSungtiLGB"  # the forms' body text (宋体-like)

_lock = threading.Lock()


def _font_file(name: str) -> Path:
    path = resources_dir() / "fonts" / name
    if not path.is_file():
        raise CollectorError(f"缺少内置字体文件 {path}，请重新安装本程序")
    return path


def cjk_font_path() -> Path:
    """Path of the main bundled CJK TrueType font (a .ttc; Qt and reportlab load face 0)."""
    return _font_file(FONT_FILE)


def song_font_path() -> Path:
    """Path of the Song face for the forms' body text (a subset, see tools/subset_song.py)."""
    return _font_file(SONG_FILE)


def fallback_font_path() -> Path:
    """Path of the fallback font for rare Han characters (CJK Extension A)."""
    return _font_file(FALLBACK_FILE)


@functools.cache
def _ttfonts():
    from reportlab.pdfbase.ttfonts import TTFont

    main = TTFont(FONT_NAME, str(cjk_font_path()), subfontIndex=FONT_INDEX)
    fallback = TTFont(FALLBACK_NAME, str(fallback_font_path()))
    song = TTFont(SONG_NAME, str(song_font_path()))
    return main, fallback, song


def register_reportlab() -> str:
    """Register the fonts with reportlab once (idempotent, thread-safe); returns the sans's name
    (the Song's is ``SONG_NAME``)."""
    from reportlab.pdfbase import pdfmetrics

    with _lock:
        registered = pdfmetrics.getRegisteredFontNames()
        for font in _ttfonts():
            if font.fontName not in registered:
                pdfmetrics.registerFont(font)
    return FONT_NAME


@functools.cache
def _cmaps() -> tuple[frozenset[int], frozenset[int]]:
    main, fallback, _song = _ttfonts()
    return frozenset(main.face.charToGlyph), frozenset(fallback.face.charToGlyph)


@functools.cache
def _song_cmap() -> frozenset[int]:
    return frozenset(_ttfonts()[2].face.charToGlyph)


def body_font_for(ch: str) -> str | None:
    """Which font draws ``ch`` in body text: the Song when it has it, else as ``font_for``."""
    return SONG_NAME if ord(ch) in _song_cmap() else font_for(ch)


def needs_other_than_song(text: str) -> bool:
    """True if some character of ``text`` is not in the Song subset (fast check)."""
    song = _song_cmap()
    return any(ord(ch) not in song for ch in text)


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
