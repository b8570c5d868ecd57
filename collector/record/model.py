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
from ..common.errors import InputError, RulesError
from .fields import Field
from ..common.text import ascii_problem, find_bad, fold, fold_identity, fold_tree
from .year import DEFAULT_YEAR, ProgramYear, load_year

# Keys the store adds on export; they are not candidate data.
META_KEYS = ("id", "status", "created_at", "updated_at", "audit", "source")

# ASCII digits only: \d would also take ١٩٧٥ (Arabic-Indic), which int() reads but no date parser does.
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
# Identity fields are ASCII, except the extension words LANDLINE (rules/checks.py) accepts.
_IDENTITY_WORDS = {"office_phone": ("转", "分机")}


def normalize(raw: Any, year: ProgramYear | None = None) -> dict:
    """Return a complete, type-checked copy of ``raw``; raise InputError naming the bad field."""
    if not isinstance(raw, dict):
        raise InputError(f"候选人记录应为 JSON 对象，实际是{_type_name(raw)}")
    found = find_bad(raw)
    if found:
        raise InputError(found[1], field=found[0] or None)
    if year is None:
        year = year_of(raw)
    out: dict = {}
    for key, value in raw.items():
        if key in META_KEYS or key in fl.BY_KEY:
            continue
        out[fold(key)] = fold_tree(value)  # extra keys are kept as they came, folded
    for spec in fl.FIELDS:
        out[spec.key] = _value(spec, raw.get(spec.key), spec.key, year)
    if out["program_year"] is None:
        out["program_year"] = year.year
    return out


_READ_BY_RULES = (fl.DATE, fl.MONTH, fl.MONTH_OR_NOW)


def unreadable(record: dict, year: ProgramYear | None = None) -> list[tuple[str, str]]:
    """(field, message) for each date or identity value of a record the rules cannot read as
    stored: kept from before folding existed, or written around ``normalize``. A record saved
    through ``normalize`` has none."""
    year = year or load_year(record.get("program_year") or DEFAULT_YEAR)
    out: list[tuple[str, str]] = []

    def check(spec: Field, value: Any, path: str) -> None:
        if spec.kind == fl.OBJECT and isinstance(value, dict):
            for child in _read_children(spec):
                check(child, value.get(child.key), f"{path}.{child.key}")
        elif spec.kind == fl.TABLE and isinstance(value, list):
            children = _read_children(spec)
            for i, row in enumerate(value if children else ()):
                for child in children if isinstance(row, dict) else ():
                    cell = row.get(child.key)
                    if child.identity or not _canonical_date(child.kind, cell):  # rows are many
                        check(child, cell, f"{path}[{i}].{child.key}")
        elif spec.kind in _READ_BY_RULES or spec.identity:
            if not spec.identity and _canonical_date(spec.kind, value):
                return  # the common case, decided without the full parser
            try:
                same = value is None or _value(spec, value, path, year) == value
                if not same:
                    out.append((path, f"{spec.label}“{value}”不是规范格式，请打开后重新保存"))
            except InputError as err:
                out.append((path, err.message))

    for spec in _read_children(None):
        check(spec, record.get(spec.key), spec.key)
    return out


def _read(spec: Field) -> bool:
    """Whether ``spec`` or a field inside it is one ``unreadable`` checks."""
    return spec.kind in _READ_BY_RULES or spec.identity or any(_read(c) for c in spec.children)


# What normalize writes for a month (year 1900 or later) and a date; anything else goes through
# the full parser, which names the problem.
_CANONICAL_MONTH = re.compile(r"(?:19[0-9]{2}|[2-9][0-9]{3})-(?:0[1-9]|1[0-2])")
_CANONICAL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _canonical_date(kind: str, value: Any) -> bool:
    """True when ``value`` is exactly what normalize stores for a date or month field."""
    if type(value) is not str or value == "":
        return value == ""
    if kind == fl.DATE:
        if not _CANONICAL_DATE.fullmatch(value):
            return False
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return True
    return value in _COMMON_MONTHS or _CANONICAL_MONTH.fullmatch(value) is not None


# The months almost every record holds, looked up instead of matched (DESIGN §10).
_COMMON_MONTHS = frozenset(f"{y}-{m:02d}" for y in range(1900, 2100) for m in range(1, 13))


_READ_CHILDREN: dict[int, tuple[Field, ...]] = {}


def _read_children(spec: Field | None) -> tuple[Field, ...]:
    """The fields (top level for None) that hold something ``unreadable`` checks: validating
    10,000 records walks only those, not every text field (DESIGN §10: ≤ 2 s). Keyed by id:
    the field list is built once and a Field's own hash walks all its children."""
    key = id(spec)
    found = _READ_CHILDREN.get(key)
    if found is None:
        found = tuple(c for c in (fl.FIELDS if spec is None else spec.children) if _read(c))
        _READ_CHILDREN[key] = found
    return found


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
        if spec.identity:
            return _identity(spec, value, path)
        value = fold(value)
        return value.strip() if kind == fl.STR else value.rstrip()
    if kind == fl.INT:
        _expect(isinstance(value, int) and not isinstance(value, bool), "整数", value, path)
        return value
    if kind == fl.BOOL:
        _expect(isinstance(value, bool), "true 或 false", value, path)
        return value
    if kind == fl.DATE:
        _expect(isinstance(value, str), "日期文本（YYYY-MM-DD）", value, path)
        return _date_text(fold_identity(value).strip(), path)
    if kind in (fl.MONTH, fl.MONTH_OR_NOW):
        _expect(isinstance(value, str), "年月文本（YYYY-MM）", value, path)
        value = fold_identity(value).strip()
        if kind == fl.MONTH_OR_NOW and value in ("至今", "now"):
            return ""
        return _month_text(value, path)
    if kind == fl.ENUM:
        _expect(isinstance(value, str), "文本", value, path)
        return _choice(spec, fold(value).strip(), path, year)
    if kind == fl.ENUM_LIST:
        _expect(isinstance(value, list), "列表", value, path)
        chosen: list[str] = []
        for i, item in enumerate(value):
            _expect(isinstance(item, str), "文本", item, f"{path}[{i}]")
            item = _choice(spec, fold(item).strip(), f"{path}[{i}]", year)
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
            out[fold_identity(str(key)).strip()] = fold(text).rstrip()
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
    out = {fold(k): fold_tree(v) for k, v in value.items() if k not in known}
    for child in spec.children:
        out[child.key] = _value(child, value.get(child.key), f"{path}.{child.key}", year)
    return out


def _identity(spec: Field, value: str, path: str) -> str:
    value = fold_identity(value).strip()
    why = ascii_problem(value, _IDENTITY_WORDS.get(spec.key, ()))
    if why:
        raise InputError(f"{spec.label}{why}", field=path)
    return value.upper() if spec.key == "id_number" else value


def id_key(value: Any) -> str:
    """An ID number as stored and compared (DUPLICATE): folded, trimmed, upper-case."""
    return fold_identity(str(value or "")).strip().upper()


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


def empty_candidate(program_year: int = 2017) -> dict:
    """A blank record with every key present, as the editor starts it."""
    return normalize({"program_year": program_year})
