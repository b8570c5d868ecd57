"""Untrusted text made safe to keep: NFKC folding, identity fields ASCII-only, sane JSON trees.

Every string that enters a record passes ``fold`` (model.normalize calls it), so a full-width
``１９７５`` is stored as ``1975`` and compares equal to it; identity fields (ID number, dates,
phones, postcode) then must be ASCII (``ascii_problem``). ``find_bad`` finds what no record
holds and what breaks code further on: lone surrogates, control characters, absurd nesting.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Deeper than any record (a table row's field is 3 levels down); far below Python's recursion
# limit, so copying, hashing and printing a value can never overflow the stack.
MAX_DEPTH = 32
# More digits than any count or size the project stores (a 512 GiB size has 12).
MAX_INT_DIGITS = 20

# Compatibility characters Chinese writing uses on purpose and NFKC would flatten: full-width
# punctuation (，（）：；！？～), the ideographic space, ……, ①②, Ⅱ, m², ㎡, ℃. Kept as typed in
# free text; letters and digits (the part an attacker can use to dodge a check) are folded.
_KEEP = ("\u3000\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\uffe0-\uffee"
         "\u2025\u2026\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u209f\u2100-\u214f\u2150-\u218f"
         "\u2460-\u24ff\u3200-\u33ff")
_FOLD_RUN = re.compile(f"[^{_KEEP}]+")
# C0 and C1 controls except tab, newline, carriage return; bidi embeddings, overrides, isolates
# (U+202E turns 证书\u202efdp.bat into what looks like 证书tab.pdf); lone surrogates.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def fold(text: str) -> str:
    """NFKC for letters and digits, the typed form for Chinese punctuation and symbols."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    return _FOLD_RUN.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def fold_identity(text: str) -> str:
    """Full NFKC: an identity field has no punctuation worth keeping."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def ascii_problem(text: str, allowed: tuple[str, ...] = ()) -> str | None:
    """Why a folded identity value is unusable (Chinese), or None. ``allowed``: words that may
    stay, e.g. 转 in an office phone's extension."""
    rest = text
    for word in allowed:
        rest = rest.replace(word, "")
    bad = next((ch for ch in rest if not ch.isascii()), None)
    if bad is None:
        return None
    kind = "数字" if bad.isdigit() or bad.isnumeric() else "字符"
    return f"含有非半角{kind}“{bad}”（U+{ord(bad):04X}），请用半角数字和字母重新输入"


def bad_character(text: str) -> str | None:
    """A description of the first character no record may hold, or None."""
    m = _BAD.search(text)
    if m is None:
        return None
    ch = m.group()
    if "\ud800" <= ch <= "\udfff":
        return f"含有无效的 Unicode 字符（孤立代理项 U+{ord(ch):04X}）"
    if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
        return f"含有改变文字方向的控制字符 U+{ord(ch):04X}"
    return f"含有控制字符 U+{ord(ch):04X}"


def strip_controls(text: str) -> str:
    """``text`` without control, bidi and surrogate characters: for names shown or written."""
    return _BAD.sub("", text)


def find_bad(value: Any, path: str = "", depth: int = 0) -> tuple[str, str] | None:
    """(where, why) for the first thing in a parsed JSON value that cannot be data here: a
    control or bidi character, a lone surrogate, nesting past MAX_DEPTH, a huge integer."""
    if depth > MAX_DEPTH:
        return (path[:40] + "…" if len(path) > 40 else path), f"嵌套层数超过 {MAX_DEPTH} 层"
    if isinstance(value, str):
        why = bad_character(value)
        return (path, why) if why else None
    if isinstance(value, int) and not isinstance(value, bool):
        return (path, "整数位数过多") if abs(value) >= 10 ** MAX_INT_DIGITS else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = find_bad(item, f"{path}[{i}]", depth + 1)
            if found:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            why = bad_character(str(key))
            if why:
                return strip_controls(where), f"键名{why}"
            found = find_bad(item, where, depth + 1)
            if found:
                return found
    return None


def fold_tree(value: Any) -> Any:
    """A copy of a JSON value with every string (and key) folded."""
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, list):
        return [fold_tree(v) for v in value]
    if isinstance(value, dict):
        return {fold(k) if isinstance(k, str) else k: fold_tree(v) for k, v in value.items()}
    return value


# What a terminal or a table must not get raw from a name someone else chose: controls (a
# newline forges a line, ESC drives the terminal), format characters (bidi overrides and
# isolates, zero-width marks), line and paragraph separators, lone surrogates.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def shown(text: str) -> str:
    """``text`` safe to show: each control, bidi or invisible format character written as a
    visible escape (``\\u202e``, ``\\x1b``); everything else unchanged."""
    if text.isprintable():  # the common case, and fast (no Cc/Cf/Z* other than space)
        return text
    return "".join(_escape(c) if unicodedata.category(c) in _HIDDEN else c for c in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 \
        else f"\\U{code:08x}"
