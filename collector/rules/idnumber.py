"""公民身份号码 per GB 11643-1999: structure, check digit, a real date, a real region code."""

from __future__ import annotations

import datetime as dt
import functools
import re

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

_SHAPE = re.compile(r"^\d{17}[\dX]$")


def problem(number: str) -> str | None:
    """Why ``number`` is not a valid ID number (Chinese), or None when it is valid."""
    if not _SHAPE.match(number):
        return f"公民身份号码应为18位，前17位为数字，最后一位为数字或X（当前为{len(number)}位）"
    if ric.calc_check_digit(number) != number[-1]:
        return "公民身份号码校验位不正确，请逐位核对"
    try:
        ric.get_birth_date(number)
    except (InvalidComponent, ValueError):
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
    results = numdb.get("cn/loc").info(code)
    info = {k: v for _part, props in results for k, v in props.items()}
    county = info.get("county")
    if not county:
        return None
    latest = county.split(",")[-1]
    return info.get("province", "") + (latest.split("]")[-1] if "]" in latest else latest)


def birth_date(number: str) -> dt.date:
    return ric.get_birth_date(number)


def gender(number: str) -> str:
    """男 when the 17th digit is odd, 女 when even."""
    return "男" if int(number[16]) % 2 else "女"


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 (stdnum ignores the last character it is given)."""
    return ric.calc_check_digit(first17 + "0")
