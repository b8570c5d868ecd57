"""The office-level rules (DEADLINE, QUOTA per channel, QUOTA of the region) at each boundary of
each quota of the year's rules, with the exact message the office reads (issue 16). The values
come from the rules file, so a copy with other quotas or another deadline passes too (issue 24)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from collector.rules.findings import ERROR, WARNING, Finding
from collector.rules.office import check_deadline, check_quota, check_region_total
from collector.record.year import load_year

YEAR = load_year(2017)
DEADLINE = YEAR.deadline
LATE = (f"已过2017年度报送截止日期 {DEADLINE.isoformat()}，逾期未报视为放弃，请与上级人社部门确认")
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize("today, late", [
    (DEADLINE - 29 * DAY, False),
    (DEADLINE, False),   # the deadline day itself is still on time (于4月30日前)
    (DEADLINE + DAY, True),     # one day later
    (DEADLINE + 246 * DAY, True),
])
def test_deadline_boundary(today, late):
    expected = [Finding("DEADLINE", WARNING, "deadline", LATE)] if late else []
    assert check_deadline(YEAR, today) == expected


def test_deadline_without_a_date_means_today():
    """No date given: the check uses today's date (long after 2017, so late; a year whose
    deadline is in the future is not late)."""
    assert check_deadline(YEAR) == [Finding("DEADLINE", WARNING, "deadline", LATE)]
    future = dataclasses.replace(YEAR, deadline=dt.date.today() + dt.timedelta(days=1))
    assert check_deadline(future) == []


def channel(kind: str, name: str) -> dict:
    return {"channel": {"kind": kind, "name": name}}


def quota_messages(records) -> list[tuple[str, str, str, str]]:
    return [(f.rule, f.severity, f.field, f.message) for f in check_quota(records, YEAR)]


@pytest.mark.parametrize("kind, name", [("盟市", "包头市"), ("区直单位", "内蒙古大学")])
def test_each_channel_quota_at_its_boundary(kind, name):
    quota = YEAR.quotas[kind]
    assert quota_messages([channel(kind, name)] * quota) == []
    assert quota_messages([channel(kind, name)] * (quota + 1)) == [
        ("QUOTA", ERROR, "channel", f"{name}推荐{quota + 1}人，超过{kind}名额上限{quota}人，请减少1人")]
    assert quota_messages([channel(kind, name)] * (quota + 3))[0][3].endswith("请减少3人")


def test_quota_counts_each_channel_apart_and_reports_in_a_stable_order():
    """One finding per channel over its quota, sorted by (kind, name) so the list is the same
    whatever order the records were read in."""
    league, dept = YEAR.quotas["盟市"], YEAR.quotas["区直单位"]
    records = ([channel("盟市", "包头市")] * (league + 1) + [channel("盟市", "赤峰市")] * league
               + [channel("区直单位", "内蒙古大学")] * (dept + 1)
               + [channel("区直单位", "内蒙古工业大学")] * dept
               + [channel("盟市", "阿拉善盟")] * (league + 2))
    expected = [
        f"内蒙古大学推荐{dept + 1}人，超过区直单位名额上限{dept}人，请减少1人",
        f"包头市推荐{league + 1}人，超过盟市名额上限{league}人，请减少1人",
        f"阿拉善盟推荐{league + 2}人，超过盟市名额上限{league}人，请减少2人",
    ]
    assert [m[3] for m in quota_messages(records)] == expected
    assert [m[3] for m in quota_messages(records[::-1])] == expected


@pytest.mark.parametrize("record", [
    {},                                        # no channel at all
    {"channel": None},
    {"channel": {}},
    {"channel": {"kind": "区直单位", "name": ""}},   # not chosen yet: REQUIRED says so
    {"channel": {"kind": "", "name": "内蒙古大学"}},
    {"channel": {"kind": "其他", "name": "某单位"}},   # a kind without a quota in the year
])
def test_records_without_a_countable_channel_do_not_count(record):
    full = [channel("区直单位", "内蒙古大学")] * YEAR.quotas["区直单位"]
    assert quota_messages(full + [record] * 3) == []


def test_a_quota_of_zero_still_limits():
    """A year may close a channel (quota 0): one candidate is then over it."""
    closed = dataclasses.replace(YEAR, quotas={**YEAR.quotas, "区直单位": 0})
    assert [f.message for f in check_quota([channel("区直单位", "内蒙古大学")], closed)] == [
        "内蒙古大学推荐1人，超过区直单位名额上限0人，请减少1人"]


@pytest.mark.parametrize("beyond, over", [(-1, False), (0, False), (1, True), (5, True)])
def test_region_total_at_its_boundary(beyond, over):
    count = YEAR.region_quota + beyond
    found = check_region_total(iter([{}] * count), YEAR)
    expected = [Finding("QUOTA", ERROR, "channel",
                        f"全区共{count}人，超过2017年度全区名额{YEAR.region_quota}人")]
    assert found == (expected if over else [])
