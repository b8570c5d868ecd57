"""Rules over a collection at office level: QUOTA, and DEADLINE at packing time.

DUPLICATE (the same ID number from two sources) is found where packages are received and
resolved there: ``office/inbox.py`` and ``office/duplicates.py``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Iterable

from ..record.year import ProgramYear
from .findings import ERROR, WARNING, Finding


def check_deadline(year: ProgramYear, today: dt.date | None = None) -> list[Finding]:
    today = today or dt.date.today()
    if today > year.deadline:
        return [Finding("DEADLINE", WARNING, "deadline",
                        f"已过{year.year}年度报送截止日期 {year.deadline.isoformat()}，"
                        "逾期未报视为放弃，请与上级人社部门确认")]
    return []


def check_quota(records: Iterable[dict], year: ProgramYear) -> list[Finding]:
    """Each 盟市 at most quotas['盟市'], each 区直单位 at most quotas['区直单位']."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for rec in records:
        channel = rec.get("channel") or {}
        if channel.get("kind") and channel.get("name"):
            counts[(channel["kind"], channel["name"])] += 1
    findings = []
    for (kind, name), n in sorted(counts.items()):
        quota = year.quotas.get(kind)
        if quota is not None and n > quota:
            findings.append(Finding("QUOTA", ERROR, "channel",
                                    f"{name}推荐{n}人，超过{kind}名额上限{quota}人，"
                                    f"请减少{n - quota}人"))
    return findings


def check_region_total(records: Iterable[dict], year: ProgramYear) -> list[Finding]:
    n = sum(1 for _ in records)
    if n > year.region_quota:
        return [Finding("QUOTA", ERROR, "channel",
                        f"全区共{n}人，超过{year.year}年度全区名额{year.region_quota}人")]
    return []
