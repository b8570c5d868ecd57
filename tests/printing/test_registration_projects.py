"""The registration form prints a running project's planned end (计划完成时间) beside 至今."""

from __future__ import annotations

import re

from collector.printing import registration_pdf
from tests.conftest import make_record

from .conftest import pdf_text


def project(name: str, end: str, planned: str) -> dict:
    return {"name": name, "source": "国家自然科学基金委员会", "level": "国家级", "role": "主持",
            "start": "2015-01", "end": end, "planned_end": planned, "funding": "80"}


def test_a_running_project_shows_its_planned_end(tmp_path):
    record = make_record(3, projects=[project("草原监测项目", "", "2019-12"),
                                      project("已结题项目", "2016-06", "2016-12")])
    text = re.sub(r"\s+", "", pdf_text(registration_pdf(record, tmp_path / "f.pdf").path))
    assert "2015.01—至今" in text and "（计划2019.12完成）" in text
    assert "2015.01—2016.06" in text and "计划2016.12" not in text  # ended: the end is printed
