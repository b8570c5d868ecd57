"""Ongoing projects keep a planned end date (计划完成时间): 至今 plus a month in the future is
fine; only an end (or planned end) before the start is a DATE_ORDER error."""

from __future__ import annotations

import datetime as dt

import pytest

from collector.record.model import normalize
from collector.rules import validate
from tests.conftest import make_record

TODAY = dt.date(2017, 4, 1)


def project(**row) -> dict:
    base = {"name": "草原生态修复关键技术", "source": "国家重点研发计划", "level": "国家级",
            "role": "主持", "start": "2016-01", "end": "", "planned_end": "", "funding": "320"}
    return base | row


def date_order(*rows) -> set[str]:
    found = validate(normalize(make_record(projects=list(rows))), today=TODAY)
    return {f.field for f in found if f.rule == "DATE_ORDER"}


@pytest.mark.parametrize("row, bad", [
    (project(end="至今", planned_end="2020-12"), set()),   # ongoing, planned years ahead
    (project(end="", planned_end="2019-06"), set()),
    (project(end="2019-12"), set()),                       # a contract end date may lie ahead
    (project(end="2017-03"), set()),
    (project(end="2015-06"), {"projects[0].end"}),          # ends before it starts
    (project(planned_end="2015-12"), {"projects[0].planned_end"}),
])
def test_project_dates(row, bad):
    assert date_order(row) == bad


def test_planned_end_is_kept_and_other_histories_still_cannot_end_in_the_future():
    record = normalize(make_record(projects=[project(end="至今", planned_end="2020-12")]))
    assert record["projects"][0]["end"] == "" and record["projects"][0]["planned_end"] == "2020-12"
    found = validate(normalize(make_record(work_history=[
        {"start": "2010-01", "end": "2019-01", "employer": "甲", "position": "乙"}])), today=TODAY)
    assert "work_history[0].end" in {f.field for f in found if f.rule == "DATE_ORDER"}


def test_the_form_offers_the_planned_end_column():
    from collector.record import fields as fl

    keys = [c.key for c in fl.BY_KEY["projects"].children]
    assert keys.index("planned_end") == keys.index("end") + 1
    assert fl.label_of("projects[0].planned_end").endswith("计划完成时间")
