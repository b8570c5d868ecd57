"""The single-candidate rules of DESIGN §5, one function each, in the order they are reported."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable, Iterator

from ..record import fields as fl
from ..record.year import Limit, ProgramYear
from . import idnumber
from .findings import ERROR, WARNING, Finding

MOBILE = re.compile(r"^(\+?86[- ]?)?1[3-9]\d{9}$")
# 区号 (010, 02x, 0xxx) + 7–8 digit number, optional extension; separators - or space or ().
LANDLINE = re.compile(r"^(\(0\d{2,3}\)|0\d{2,3})[- ]?[2-9]\d{6,7}((-|转|分机|ext\.?)\d{1,6})?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Context:
    record: dict
    year: ProgramYear
    today: dt.date


Check = Callable[[Context], Iterator[Finding]]


def _f(rule: str, path: str, message: str, severity: str = ERROR) -> Finding:
    return Finding(rule, severity, path, message)


def _empty(value) -> bool:
    return value in ("", None, [], {}) or (isinstance(value, str) and not value.strip())


def check_required(ctx: Context) -> Iterator[Finding]:
    def walk(specs: tuple[fl.Field, ...], data: dict, prefix: str) -> Iterator[Finding]:
        for spec in specs:
            path = f"{prefix}{spec.key}"
            if spec.kind == fl.OBJECT:
                yield from walk(spec.children, data.get(spec.key) or {}, f"{path}.")
            elif (spec.required or spec.recommended) and _empty(data.get(spec.key)):
                severity = ERROR if spec.required else WARNING
                verb = "必须填写" if spec.required else "建议填写"
                yield _f("REQUIRED", path, f"{fl.label_of(path)}{verb}", severity)

    yield from walk(fl.FIELDS, ctx.record, "")


def check_age(ctx: Context) -> Iterator[Finding]:
    text = ctx.record["birth_date"]
    cutoff = ctx.year.born_on_or_after
    if text and dt.date.fromisoformat(text) < cutoff:
        yield _f("AGE", "birth_date",
                 f"出生日期 {text} 早于 {cutoff.isoformat()}，不符合“{cutoff.year}年{cutoff.month}月"
                 f"{cutoff.day}日以后出生”的年龄条件")
    elif text and dt.date.fromisoformat(text) > ctx.today:
        yield _f("AGE", "birth_date", f"出生日期 {text} 晚于今天，请核对")


def check_title(ctx: Context) -> Iterator[Finding]:
    level = ctx.record["title_level"]
    minimum = ctx.year.min_title_level
    if level and ctx.year.title_rank(level) < ctx.year.title_rank(minimum):
        yield _f("TITLE", "title_level",
                 f"职称级别为{level}，须具有{minimum}以上专业技术职称")


def check_conditions(ctx: Context) -> Iterator[Finding]:
    chosen = ctx.record["conditions"]
    statements = ctx.record["condition_statements"]
    if not chosen:
        yield _f("CONDITION", "conditions", "请至少选择一项符合的条件（共四项，具备其一即可）")
    for number in chosen:
        if _empty(statements.get(str(number))):
            yield _f("CONDITION", f"condition_statements.{number}",
                     f"已选择条件{number}，请填写对应的条件说明")
    for key, text in statements.items():
        if text.strip() and (not key.isdigit() or int(key) not in chosen):
            yield _f("CONDITION", f"condition_statements.{key}",
                     f"填写了条件{key}的说明但未选择该条件，请勾选条件{key}或删除说明", WARNING)


def check_pledge(ctx: Context) -> Iterator[Finding]:
    if ctx.record["pledge"] is not True:
        yield _f("PLEDGE", "pledge", "请阅读并勾选诚信承诺：本人所填信息真实准确")


def check_id_number(ctx: Context) -> Iterator[Finding]:
    number = ctx.record["id_number"]
    if not number:
        return
    problem = idnumber.problem(number)
    if problem:
        yield _f("ID_NUMBER", "id_number", problem)
        return
    birth = ctx.record["birth_date"]
    born = idnumber.birth_date(number)
    if birth and born.isoformat() != birth:
        yield _f("ID_MISMATCH", "birth_date",
                 f"出生日期 {birth} 与公民身份号码中的 {born.isoformat()} 不一致")
    gender = ctx.record["gender"]
    if gender and idnumber.gender(number) != gender:
        yield _f("ID_MISMATCH", "gender",
                 f"性别“{gender}”与公民身份号码（第17位）所示的“{idnumber.gender(number)}”不一致")


def check_phones(ctx: Context) -> Iterator[Finding]:
    contact = ctx.record["contact"]
    mobile = contact.get("mobile", "")
    if mobile and not MOBILE.match(mobile):
        yield _f("PHONE", "contact.mobile", f"手机号码“{mobile}”格式不正确，应为11位，以1开头")
    office = contact.get("office_phone", "")
    if office and not LANDLINE.match(office):
        yield _f("PHONE", "contact.office_phone",
                 f"办公电话“{office}”格式不正确，应含区号，如 0471-6945678")
    email = contact.get("email", "")
    if email and not EMAIL.match(email):
        yield _f("PHONE", "contact.email", f"电子邮箱“{email}”格式不正确", WARNING)
    postcode = contact.get("postcode", "")
    if postcode and not re.fullmatch(r"\d{6}", postcode):
        yield _f("PHONE", "contact.postcode", f"邮政编码“{postcode}”应为6位数字", WARNING)


def check_date_order(ctx: Context) -> Iterator[Finding]:
    this_month = (ctx.today.year, ctx.today.month)
    for table in fl.DATED_TABLES:
        for i, row in enumerate(ctx.record[table]):
            start, end = _month(row.get("start")), _month(row.get("end"))
            path = f"{table}[{i}]"
            if start and start > this_month:
                yield _f("DATE_ORDER", f"{path}.start",
                         f"{fl.label_of(path)}的起始年月 {row['start']} 晚于本月")
            # A project may end, or plan to end, after this month; only an end before its
            # start is wrong. Other histories cannot end in the future.
            if end and end > this_month and table != "projects":
                yield _f("DATE_ORDER", f"{path}.end",
                         f"{fl.label_of(path)}的终止年月 {row['end']} 晚于本月；仍在进行请留空（至今）")
            for key, label in (("end", "终止年月"), ("planned_end", "计划完成时间")):
                value = _month(row.get(key))
                if start and value and value < start:
                    yield _f("DATE_ORDER", f"{path}.{key}",
                             f"{fl.label_of(path)}的{label} {row[key]} 早于起始年月 {row['start']}")
    for key in ("title_date", "graduation_date", "work_start"):
        value = _month(ctx.record[key])
        if value and value > this_month:
            yield _f("DATE_ORDER", key, f"{fl.label_of(key)} {ctx.record[key]} 晚于本月")
    birth = ctx.record["birth_date"]
    work = _month(ctx.record["work_start"])
    if birth and work and work < (int(birth[:4]) + 14, int(birth[5:7])):
        yield _f("DATE_ORDER", "work_start", "工作时间早于14周岁，请核对", WARNING)


def check_classified(ctx: Context) -> Iterator[Finding]:
    for i, item in enumerate(ctx.record["attachments"]):
        if item.get("classified") and not item.get("declassified"):
            title = item.get("title") or item.get("file") or f"第{i + 1}项"
            yield _f("CLASSIFIED", f"attachments[{i}].declassified",
                     f"佐证材料“{title}”标为涉密，须先进行脱密处理后再报送")


def check_lengths(ctx: Context) -> Iterator[Finding]:
    rec = ctx.record
    for kind, spec, child, limit in _length_plan(ctx.year):
        value = rec[spec.key]
        if kind == fl.TEXT_MAP:
            for key, text in value.items():
                if isinstance(text, str) and len(text) > limit.max:
                    yield _too_long(f"{spec.key}.{key}", text, limit, f"条件{key}的说明")
        elif kind == fl.TABLE:
            for i, row in enumerate(value):
                text = row.get(child.key, "")
                if isinstance(text, str) and len(text) > limit.max:
                    yield _too_long(f"{spec.key}[{i}].{child.key}", text, limit,
                                    f"{spec.label}第{i + 1}行{child.label}")
        else:
            path, label = spec.key, spec.label
            if child is not None:
                value = value.get(child.key, "")
                path, label = f"{spec.key}.{child.key}", child.label
            if isinstance(value, str) and len(value) > limit.max:
                yield _too_long(path, value, limit, label)


def _too_long(path: str, text: str, limit: Limit, label: str) -> Finding:
    note = f"（{limit.note}）" if limit.note else ""
    return _f("LENGTH", path, f"{label}共{len(text)}字，超过{limit.max}字的限制{note}",
              limit.severity)


_Plan = tuple[tuple[str, fl.Field, fl.Field | None, Limit], ...]
_PLANS: dict[int, tuple[ProgramYear, _Plan]] = {}


def _length_plan(year: ProgramYear) -> _Plan:
    """(kind, field, child or None, limit) for every field the year limits, worked out once per
    year: validating 10,000 records then skips the many fields without a limit (DESIGN §10)."""
    cached = _PLANS.get(id(year))
    if cached is not None and cached[0] is year:
        return cached[1]
    plan: list[tuple[str, fl.Field, fl.Field | None, Limit]] = []
    for spec in fl.FIELDS:
        pairs: list[tuple[str, fl.Field | None, str | None]]
        if spec.kind in (fl.STR, fl.TEXT, fl.TEXT_MAP):
            pairs = [(spec.kind, None, spec.limit)]
        elif spec.kind in (fl.OBJECT, fl.TABLE):
            pairs = [(spec.kind, child, child.limit) for child in spec.children]
        else:
            continue
        for kind, child, name in pairs:
            limit = year.limit(name) if name else None
            if limit:
                plan.append((kind, spec, child, limit))
    _PLANS[id(year)] = (year, tuple(plan))
    return tuple(plan)


def check_channel(ctx: Context) -> Iterator[Finding]:
    """The 推荐渠道 must name one of the year's 盟市, or a 区直单位 (whose list is only a start)."""
    kind, name = ctx.record["channel"].get("kind", ""), ctx.record["channel"].get("name", "")
    if not kind or not name:
        return
    leagues = ctx.year.channels.get("盟市", ())
    if kind == "盟市" and name not in leagues:
        yield _f("CHANNEL", "channel.name",
                 f"“{name}”不是{ctx.year.year}年度的盟市，应为：{'、'.join(leagues)}")
    elif kind == "区直单位" and name in leagues:
        yield _f("CHANNEL", "channel.kind",
                 f"“{name}”是盟市，推荐渠道类别应选“盟市”而不是“区直单位”")
    elif kind == "区直单位" and name not in ctx.year.channels.get("区直单位", ()):
        yield _f("CHANNEL", "channel.name",
                 f"“{name}”不在{ctx.year.year}年度区直单位名单中，请核对名称（名额按名称计算）",
                 WARNING)


def _month(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    return int(text[:4]), int(text[5:7])


CANDIDATE_CHECKS: tuple[Check, ...] = (
    check_required, check_age, check_title, check_conditions, check_pledge, check_id_number,
    check_phones, check_date_order, check_classified, check_lengths, check_channel,
)
