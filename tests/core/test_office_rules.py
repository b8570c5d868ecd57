"""The office-level rules (DEADLINE, QUOTA per channel, QUOTA of the region) at each boundary of
each quota of the 2017 notice, with the exact message the office reads (issue 16)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from collector.rules.findings import ERROR, WARNING, Finding
from collector.rules.office import check_deadline, check_quota, check_region_total
from collector.year import load_year

YEAR = load_year(2017)
LATE = ("已过2017年度报送截止日期 2017-04-30，逾期未报视为放弃，请与上级人社部门确认")


@pytest.mark.parametrize("today, late", [
    (dt.date(2017, 4, 1), False),
    (dt.date(2017, 4, 30), False),   # the deadline day itself is still on time (于4月30日前)
    (dt.date(2017, 5, 1), True),     # one day later
    (dt.date(2018, 1, 1), True),
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


@pytest.mark.parametrize("kind, name, quota", [("盟市", "包头市", 5), ("区直单位", "内蒙古大学", 2)])
def test_each_channel_quota_at_its_boundary(kind, name, quota):
    assert YEAR.quotas[kind] == quota
    assert quota_messages([channel(kind, name)] * quota) == []
    assert quota_messages([channel(kind, name)] * (quota + 1)) == [
        ("QUOTA", ERROR, "channel", f"{name}推荐{quota + 1}人，超过{kind}名额上限{quota}人，请减少1人")]
    assert quota_messages([channel(kind, name)] * (quota + 3))[0][3].endswith("请减少3人")


def test_quota_counts_each_channel_apart_and_reports_in_a_stable_order():
    """One finding per channel over its quota, sorted by (kind, name) so the list is the same
    whatever order the records were read in."""
    records = ([channel("盟市", "包头市")] * 6 + [channel("盟市", "赤峰市")] * 5
               + [channel("区直单位", "内蒙古大学")] * 3 + [channel("区直单位", "内蒙古工业大学")] * 2
               + [channel("盟市", "阿拉善盟")] * 7)
    expected = [
        "内蒙古大学推荐3人，超过区直单位名额上限2人，请减少1人",
        "包头市推荐6人，超过盟市名额上限5人，请减少1人",
        "阿拉善盟推荐7人，超过盟市名额上限5人，请减少2人",
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
    full = [channel("区直单位", "内蒙古大学")] * 2
    assert quota_messages(full + [record] * 3) == []


def test_a_quota_of_zero_still_limits():
    """A year may close a channel (quota 0): one candidate is then over it."""
    closed = dataclasses.replace(YEAR, quotas={**YEAR.quotas, "区直单位": 0})
    assert [f.message for f in check_quota([channel("区直单位", "内蒙古大学")], closed)] == [
        "内蒙古大学推荐1人，超过区直单位名额上限0人，请减少1人"]


@pytest.mark.parametrize("count, over", [(14, False), (15, False), (16, True), (20, True)])
def test_region_total_of_fifteen(count, over):
    assert YEAR.region_quota == 15
    found = check_region_total(iter([{}] * count), YEAR)
    expected = [Finding("QUOTA", ERROR, "channel", f"全区共{count}人，超过2017年度全区名额15人")]
    assert found == (expected if over else [])
