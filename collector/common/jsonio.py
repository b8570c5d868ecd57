"""Reading interchange JSON files safely: size cap, encoding, one clear line on any problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import InputError, os_reason
from .text import MAX_INT_DIGITS, find_bad
from .textfile import read_user_text

MAX_JSON_BYTES = 20 * 1024 * 1024  # 20 MB: several thousand complete candidates


def read_json_file(path: str | Path, *, max_bytes: int = MAX_JSON_BYTES) -> Any:
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as err:
        raise InputError(f"无法读取文件：{os_reason(err)}", source=str(p)) from None
    if size == 0:
        raise InputError("文件是空的", source=str(p))
    if size > max_bytes:
        raise InputError(
            f"文件过大（{size / 1048576:.1f} MB），上限为 {max_bytes // 1048576} MB；"
            "请分批导入", source=str(p))
    text = read_user_text(p)  # UTF-8, UTF-16 (PowerShell, Notepad) or GB18030
    return parse_json_text(text, source=str(p))


class _HugeInt(ValueError):
    pass


def _int(digits: str) -> int:
    # Checked before int() runs: converting thousands of digits is slow, and past 4300 Python
    # raises a ValueError that is not a JSON error.
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _HugeInt(digits[:12])
    return int(digits)


def parse_json_text(text: str, source: str = "JSON") -> Any:
    """Parse untrusted JSON; anything that is not plain data (see text.find_bad) is refused
    with one InputError line naming where."""
    if not text.strip():
        raise InputError("文件是空的", source=source)
    try:
        value = json.loads(text, parse_int=_int)
    except json.JSONDecodeError as err:
        raise InputError(f"JSON 格式错误：第 {err.lineno} 行第 {err.colno} 列，{_reason(err.msg)}",
                         source=source) from None
    except _HugeInt as err:
        raise InputError(f"JSON 中的整数 {err}… 位数过多（上限 {MAX_INT_DIGITS} 位）",
                         source=source) from None
    except RecursionError:
        raise InputError("JSON 嵌套层数过多", source=source) from None
    found = find_bad(value)
    if found:
        where, why = found
        raise InputError(f"{where}：{why}" if where else why, source=source)
    return value


def parse_json_bytes(data: bytes, source: str = "JSON") -> Any:
    """``parse_json_text`` of UTF-8 bytes (as stored inside a package)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"不是 UTF-8 编码的文本（第 {err.start + 1} 字节）", source=source) from None
    return parse_json_text(text, source)


def candidates_in(value: Any, source: str) -> list[dict]:
    """A file holds one candidate object or a list of them."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise InputError("文件中没有候选人记录", source=source)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            where = f"第{i + 1}条记录" if isinstance(value, list) else "内容"
            raise InputError(f"{where}应为 JSON 对象", source=source)
    return items


def _reason(msg: str) -> str:
    known = {
        "Expecting value": "此处缺少值",
        "Expecting property name enclosed in double quotes": "属性名须用双引号",
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting ':' delimiter": "缺少冒号",
        "Extra data": "多余的内容",
        "Unterminated string starting at": "字符串没有结束",
        "Invalid control character at": "字符串中有控制字符",
    }
    return known.get(msg, msg)
