"""Reading the text files users give us (interchange JSON, public keys, report text) in the
encodings Windows writes: UTF-8 with or without BOM, UTF-16 (Notepad's "Unicode",
PowerShell 5.1's ``>`` and ``Out-File``), and GB18030/GBK (Notepad's "ANSI" on a Chinese PC).
Anything else is refused with a message that names what was found.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from .errors import InputError, os_reason

_BOMS = (  # longest first: a UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_SAVE_AS = "请用记事本打开后“另存为”，编码选 UTF-8，再重试"


def decode_user_text(data: bytes, source: str) -> tuple[str, str]:
    """(text, encoding name) of a user's file; raises InputError naming ``source``."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], codec, label, source), label
    guessed = _bomless_utf16(data)
    if guessed:
        return _decode(data, guessed, "UTF-16（无 BOM）", source), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as err:
        raise InputError(f"既不是 UTF-8、UTF-16，也不是 GB18030/GBK 编码的文本"
                         f"（第 {err.start + 1} 字节无法识别），可能不是文本文件；{_SAVE_AS}",
                         source=source) from None


def read_user_text(path: str | Path, source: str | None = None,
                   max_bytes: int | None = None) -> str:
    """The text of ``path`` in whichever supported encoding it was saved."""
    p = Path(path)
    label = source or str(p)
    try:
        if max_bytes is not None and p.stat().st_size > max_bytes:
            raise InputError(f"文件过大（上限 {max_bytes // 1048576} MB）", source=label)
        data = p.read_bytes()
    except OSError as err:
        raise InputError(f"无法读取文件：{os_reason(err)}", source=label) from None
    return decode_user_text(data, label)[0]


def _decode(data: bytes, codec: str, label: str, source: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        raise InputError(f"文件是 {label} 编码，但第 {err.start + 1} 字节处已损坏（{err.reason}）；"
                         f"{_SAVE_AS}", source=source) from None
    return text.removeprefix("\ufeff")


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-heavy text then has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even == 0:
        return "utf-16-le"
    if even > half * 0.3 and odd == 0:
        return "utf-16-be"
    return None
