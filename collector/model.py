"""The candidate record: turning interchange JSON into a normalized dict, with type errors named.

A record is a plain dict keyed as in DESIGN §4 (the data dictionary); ``fields.FIELDS`` says
what each key holds. ``normalize`` fills every missing key with its empty value, so drafts may
be incomplete; what is *wrong in type* (a number where text belongs, 1975-02-30, an unknown
enumeration value) raises ``InputError`` naming the field, because it cannot be stored as data.
Whether a record is *complete and eligible* is the rules' job (``collector.rules``).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from . import fields as fl
from .errors import InputError, RulesError
from .fields import Field
from .year import DEFAULT_YEAR, ProgramYear, load_year

# Keys the store adds on export; they are not candidate data.
META_KEYS = ("id", "status", "created_at", "updated_at", "audit", "source")

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def normalize(raw: Any, year: ProgramYear | None = None) -> dict:
    """Return a complete, type-checked copy of ``raw``; raise InputError naming the bad field."""
    if not isinstance(raw, dict):
        raise InputError(f"候选人记录应为 JSON 对象，实际是{_type_name(raw)}")
    if year is None:
        year = year_of(raw)
    out: dict = {}
    for key, value in raw.items():
        if key in META_KEYS or key in fl.BY_KEY:
            continue
        out[key] = copy.deepcopy(value)  # extra keys are kept as they came
    for spec in fl.FIELDS:
        out[spec.key] = _value(spec, raw.get(spec.key), spec.key, year)
    if out["program_year"] is None:
        out["program_year"] = year.year
    return out


def year_of(raw: dict) -> ProgramYear:
    value = raw.get("program_year", DEFAULT_YEAR)
    if value in (None, ""):
        value = DEFAULT_YEAR
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"年度应为整数，实际是{_type_name(value)}", field="program_year")
    try:
        return load_year(value)
    except RulesError as err:
        raise InputError(str(err), field="program_year") from None


def _value(spec: Field, value: Any, path: str, year: ProgramYear) -> Any:
    kind = spec.kind
    if value is None:
        return _empty(spec)
    if kind in (fl.STR, fl.TEXT):
        _expect(isinstance(value, str), "文本", value, path)
        value = value.strip() if kind == fl.STR else value.rstrip()
        return value.upper() if spec.key == "id_number" else value
    if kind == fl.INT:
        _expect(isinstance(value, int) and not isinstance(value, bool), "整数", value, path)
        return value
    if kind == fl.BOOL:
        _expect(isinstance(value, bool), "true 或 false", value, path)
        return value
    if kind == fl.DATE:
        _expect(isinstance(value, str), "日期文本（YYYY-MM-DD）", value, path)
        return _date_text(value.strip(), path)
    if kind in (fl.MONTH, fl.MONTH_OR_NOW):
        _expect(isinstance(value, str), "年月文本（YYYY-MM）", value, path)
        value = value.strip()
        if kind == fl.MONTH_OR_NOW and value in ("至今", "now"):
            return ""
        return _month_text(value, path)
    if kind == fl.ENUM:
        _expect(isinstance(value, str), "文本", value, path)
        return _choice(spec, value.strip(), path, year)
    if kind == fl.ENUM_LIST:
        _expect(isinstance(value, list), "列表", value, path)
        chosen: list[str] = []
        for i, item in enumerate(value):
            _expect(isinstance(item, str), "文本", item, f"{path}[{i}]")
            item = _choice(spec, item.strip(), f"{path}[{i}]", year)
            if item and item not in chosen:
                chosen.append(item)
        return chosen
    if kind == fl.INT_LIST:
        return _conditions(value, path, year)
    if kind == fl.TEXT_MAP:
        _expect(isinstance(value, dict), "对象", value, path)
        out = {}
        for key, text in value.items():
            _expect(isinstance(text, str), "文本", text, f"{path}.{key}")
            out[str(key)] = text.rstrip()
        return dict(sorted(out.items()))
    if kind == fl.OBJECT:
        _expect(isinstance(value, dict), "对象", value, path)
        return _object(spec, value, path, year)
    if kind == fl.TABLE:
        _expect(isinstance(value, list), "列表", value, path)
        rows = []
        for i, row in enumerate(value):
            _expect(isinstance(row, dict), "对象", row, f"{path}[{i}]")
            rows.append(_object(spec, row, f"{path}[{i}]", year))
        return rows
    raise AssertionError(f"unknown field kind {kind}")


_CHILD_KEYS: dict[int, frozenset[str]] = {}


def _object(spec: Field, value: dict, path: str, year: ProgramYear) -> dict:
    known = _CHILD_KEYS.get(id(spec))
    if known is None:
        known = _CHILD_KEYS[id(spec)] = frozenset(c.key for c in spec.children)
    out = {k: copy.deepcopy(v) for k, v in value.items() if k not in known}
    for child in spec.children:
        out[child.key] = _value(child, value.get(child.key), f"{path}.{child.key}", year)
    return out


def _empty(spec: Field) -> Any:
    if spec.kind == fl.OBJECT:
        return {child.key: _empty(child) for child in spec.children}
    return copy.deepcopy(fl.EMPTY[spec.kind])


def _conditions(value: Any, path: str, year: ProgramYear) -> list[int]:
    _expect(isinstance(value, list), "列表（1 至 4 的编号）", value, path)
    chosen: list[int] = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip().isdigit():
            item = int(item)
        _expect(isinstance(item, int) and not isinstance(item, bool), "条件编号", item, f"{path}[{i}]")
        if item not in year.conditions:
            valid = "、".join(str(c) for c in year.conditions)
            raise InputError(f"没有条件 {item}，应为 {valid} 之一", field=f"{path}[{i}]")
        if item not in chosen:
            chosen.append(item)
    return sorted(chosen)


def _choice(spec: Field, value: str, path: str, year: ProgramYear) -> str:
    if not value or spec.open_choices:
        return value
    choices = year.choices(spec.choices) if spec.choices else ()
    if value not in choices and value.replace("其他", "其它") in choices:
        return value.replace("其他", "其它")  # the same word; records saved before 2017.toml used 其它
    if value not in choices:
        shown = "、".join(choices[:12]) + ("……" if len(choices) > 12 else "")
        raise InputError(f"“{value}”不是有效的{spec.label}，应为：{shown}", field=path)
    return value


def _date_text(value: str, path: str) -> str:
    if not value:
        return ""
    m = _DATE.match(value)
    if not m:
        raise InputError(f"“{value}”不是 YYYY-MM-DD 格式的日期", field=path)
    try:
        dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise InputError(f"日期 {value} 不存在", field=path) from None
    return value


def _month_text(value: str, path: str) -> str:
    if not value:
        return ""
    m = _MONTH.match(value)
    if not m or not 1 <= int(m[2]) <= 12 or int(m[1]) < 1900:
        raise InputError(f"“{value}”不是 YYYY-MM 格式的年月", field=path)
    return value


def _expect(ok: bool, wanted: str, value: Any, path: str) -> None:
    if not ok:
        raise InputError(f"应为{wanted}，实际是{_type_name(value)}", field=path)


def _type_name(value: Any) -> str:
    return {
        bool: "布尔值", int: "整数", float: "小数", str: "文本", list: "列表", dict: "对象",
        type(None): "空值",
    }.get(type(value), type(value).__name__)


def parse_date(text: str) -> dt.date | None:
    """A normalized DATE value as a date, or None when empty."""
    return dt.date.fromisoformat(text) if text else None


def parse_month(text: str) -> tuple[int, int] | None:
    """A normalized MONTH value as (year, month), or None when empty."""
    if not text:
        return None
    y, m = text.split("-")
    return int(y), int(m)
