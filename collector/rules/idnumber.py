"""公民身份号码 per GB 11643-1999: structure, check digit, a real date, a real region code."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import re
from pathlib import Path

_SHAPE = re.compile(r"^\d{17}[\dX]$")
# python-stdnum's GB/T 2260 table (cn/loc.dat). It is read here directly: importing stdnum
# (ssl, pydoc …) and parsing the table with stdnum.numdb took about 0.2 s of every command
# that checks a record; finding one code in the text takes a millisecond.
_PROVINCE = re.compile(r"^(\d\d) province=\"([^\"]*)\"", re.M)


def problem(number: str) -> str | None:
    """Why ``number`` is not a valid ID number (Chinese), or None when it is valid."""
    if not _SHAPE.match(number):
        return f"公民身份号码应为18位，前17位为数字，最后一位为数字或X（当前为{len(number)}位）"
    if check_digit(number[:17]) != number[-1]:
        return "公民身份号码校验位不正确，请逐位核对"
    try:
        birth_date(number)
    except ValueError:
        return f"公民身份号码中的出生日期 {number[6:14]} 不存在"
    if region(number[:6]) is None:
        return f"公民身份号码前6位 {number[:6]} 不是有效的行政区划代码"
    return None


@functools.cache
def region(code: str) -> str | None:
    """The place a 6-digit GB/T 2260 code names, or None if it never existed.

    Any code that existed at some time counts: numbers are assigned where a person is first
    registered, which may be years after birth (stdnum's own check wants the birth year).
    """
    province, county = "", None
    for block, name in _province_blocks().get(code[:2], ()):
        province = name  # a later line for the same code wins, as in stdnum.numdb
        for line in re.finditer(rf"^  {re.escape(code[2:])} county=\"([^\"]*)\"", block, re.M):
            county = line.group(1)
    if not county:
        return None
    latest = county.split(",")[-1]
    return province + (latest.split("]")[-1] if "]" in latest else latest)


@functools.cache
def _province_blocks() -> dict[str, list[tuple[str, str]]]:
    """Province code → [(its block of county lines, its name)] in file order."""
    text = _loc_text()
    heads = list(_PROVINCE.finditer(text))
    blocks: dict[str, list[tuple[str, str]]] = {}
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        blocks.setdefault(head.group(1), []).append((text[head.end():end], head.group(2)))
    return blocks


def _loc_text() -> str:
    spec = importlib.util.find_spec("stdnum")  # finds the package without importing it
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "cn" / "loc.dat"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    from stdnum import numdb  # an unusual install (zip): let stdnum open its own resource

    with numdb._get_resource_stream("cn/loc.dat") as fh:
        return fh.read().decode("utf-8")


def birth_date(number: str) -> dt.date:
    """The date in digits 7–14; ValueError when there is no such day."""
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender(number: str) -> str:
    """男 when the 17th digit is odd, 女 when even."""
    return "男" if int(number[16]) % 2 else "女"


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 (GB 11643: weights 2^(17-i) mod 11, read here as
    the first 17 digits in base 13, the trick python-stdnum's cn.ric uses)."""
    checksum = (1 - 2 * int(first17, 13)) % 11
    return "X" if checksum == 10 else str(checksum)
