"""Table-driven checks of every single-candidate rule of DESIGN §5 and its boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from collector.record.model import normalize
from collector.rules import is_eligible, validate
from collector.record.sample import id_number_for
from collector.record.year import load_year
from tests.conftest import make_record

TODAY = dt.date(2017, 4, 1)


def findings_for(today: dt.date = TODAY, **overrides) -> list:
    return validate(normalize(make_record(**overrides)), today=today)


def rules_of(findings, severity: str | None = None) -> set[str]:
    return {f.rule for f in findings if severity is None or f.severity == severity}


def with_birth(date: dt.date, female: bool = False) -> dict:
    """Birth date, gender and a matching ID number together."""
    return {"birth_date": date.isoformat(), "gender": "女" if female else "男",
            "id_number": id_number_for(date, female, 7)}


def test_sample_candidate_has_no_findings():
    assert findings_for() == []


CUTOFF = load_year().born_on_or_after  # 2017: 1967-01-01


@pytest.mark.parametrize("birth, ok", [
    (CUTOFF, True),                          # born on the cutoff is eligible
    (CUTOFF - dt.timedelta(days=1), False),  # one day earlier is not
    (dt.date(1990, 6, 1), True),
    (dt.date(1950, 6, 1), False),
])
def test_age_cutoff(birth, ok):
    found = findings_for(**with_birth(birth))
    assert ("AGE" in rules_of(found, "error")) is (not ok)
    assert is_eligible(found) is ok


@pytest.mark.parametrize("level, ok", [
    ("正高级", True), ("副高级", True), ("中级", False), ("初级", False),
])
def test_title_level_minimum(level, ok):
    found = findings_for(title_level=level)
    assert ("TITLE" in rules_of(found)) is (not ok)


@pytest.mark.parametrize("field, value", [
    ("name", ""), ("employer", "  "), ("title_level", ""), ("discipline", ""),
    ("gender", ""), ("birth_date", ""), ("id_number", ""),
])
def test_required_fields_are_errors(field, value):
    found = [f for f in findings_for(**{field: value}) if f.rule == "REQUIRED"]
    assert [(f.field, f.severity) for f in found] == [(field, "error")]
    assert found[0].message.endswith("必须填写")


def test_recommended_fields_are_warnings():
    found = findings_for(ethnicity="", contact={"mobile": ""})
    req = {(f.field, f.severity) for f in found if f.rule == "REQUIRED"}
    assert ("ethnicity", "warning") in req and ("contact.mobile", "warning") in req


@pytest.mark.parametrize("conditions, statements, expected", [
    ([], {}, {"conditions"}),
    ([1], {}, {"condition_statements.1"}),
    ([1, 4], {"1": "说明"}, {"condition_statements.4"}),
    ([2], {"2": "   "}, {"condition_statements.2"}),
    ([3], {"3": "说明"}, set()),
])
def test_condition_rule(conditions, statements, expected):
    found = findings_for(conditions=conditions, condition_statements=statements)
    assert {f.field for f in found if f.rule == "CONDITION" and f.is_error} == expected


def test_statement_without_condition_is_a_warning():
    found = findings_for(conditions=[1], condition_statements={"1": "a", "3": "b"})
    assert [(f.field, f.severity) for f in found if f.rule == "CONDITION"] == [
        ("condition_statements.3", "warning")]


@pytest.mark.parametrize("pledge, ok", [(True, True), (False, False)])
def test_pledge(pledge, ok):
    assert ("PLEDGE" in rules_of(findings_for(pledge=pledge))) is (not ok)


def test_valid_id_number_with_lower_case_x_is_stored_upper_case():
    birth = dt.date(1984, 11, 13)
    for seq in range(40):
        number = id_number_for(birth, True, seq, "150402")
        if number.endswith("X"):
            break
    record = normalize(make_record(birth_date=birth.isoformat(), gender="女",
                                   id_number=number.lower()))
    assert record["id_number"] == number
    assert validate(record, today=TODAY) == []


@pytest.mark.parametrize("number, why", [
    ("15010219791005001", "18位"),            # 17 characters
    ("1501021979100500199", "18位"),          # 19 characters
    ("15010219791005001A", "18位"),           # letter other than X
    ("150102197910050018", "校验位"),          # wrong check digit
    ("150102197902300019", "出生日期"),        # 1979-02-30, check digit recomputed below
    ("990102197910050019", "行政区划"),        # no such region, check digit recomputed below
])
def test_bad_id_numbers(number, why):
    from collector.rules.idnumber import check_digit

    if why in ("出生日期", "行政区划"):
        number = number[:17] + check_digit(number[:17])
    found = [f for f in findings_for(id_number=number) if f.rule == "ID_NUMBER"]
    assert len(found) == 1 and why in found[0].message, found


def test_id_number_disagreeing_with_birth_date_and_gender():
    ident = with_birth(dt.date(1979, 10, 5))
    found = findings_for(id_number=ident["id_number"], birth_date="1979-10-06", gender="女")
    assert {f.field for f in found if f.rule == "ID_MISMATCH"} == {"birth_date", "gender"}


@pytest.mark.parametrize("mobile, ok", [
    ("13912345678", True), ("+8613912345678", True), ("1391234567", False),
    ("23912345678", False), ("12912345678", False), ("139-1234-5678", False),
])
def test_mobile_format(mobile, ok):
    found = findings_for(contact={"mobile": mobile})
    assert ("contact.mobile" in {f.field for f in found if f.rule == "PHONE"}) is (not ok)


@pytest.mark.parametrize("phone, ok", [
    ("0471-6945678", True), ("010-88886666", True), ("04716234567890", False),
    ("(0471)6945678", True), ("6945678", False), ("0471-694567", False),
    ("0471-6945678-803", True), ("13912345678", False),
])
def test_office_phone_needs_area_code(phone, ok):
    found = findings_for(contact={"mobile": "13912345678", "office_phone": phone})
    assert ("contact.office_phone" in {f.field for f in found if f.rule == "PHONE"}) is (not ok)


def test_history_ending_before_it_starts():
    found = findings_for(work_history=[
        {"start": "2005-07", "end": "2003-01", "employer": "甲", "position": "乙"}])
    assert [f.field for f in found if f.rule == "DATE_ORDER"] == ["work_history[0].end"]


@pytest.mark.parametrize("start, end, bad", [
    ("2017-04", "", set()),                          # this month is not the future
    ("2017-05", "", {"education_history[0].start"}),
    ("2010-01", "2017-05", {"education_history[0].end"}),
    ("2010-01", "2010-01", set()),                   # same month is fine
])
def test_history_in_the_future(start, end, bad):
    found = findings_for(education_history=[
        {"start": start, "end": end, "school": "甲", "major": "乙", "degree": "博士"}])
    assert {f.field for f in found if f.rule == "DATE_ORDER"} == bad


def test_classified_attachment_must_be_declassified():
    item = {"file": "a.pdf", "title": "项目验收报告", "category": "项目证明", "classified": True,
            "declassified": False, "sha256": "0" * 64, "size": 1}
    found = findings_for(attachments=[item])
    assert [f.field for f in found if f.rule == "CLASSIFIED"] == ["attachments[0].declassified"]
    item["declassified"] = True
    assert "CLASSIFIED" not in rules_of(findings_for(attachments=[item]))


def test_length_limits_and_their_severity():
    found = findings_for(employer="内" * 16, achievements="成" * 2001,
                         conditions=[1], condition_statements={"1": "说" * 501})
    by_field = {f.field: f.severity for f in found if f.rule == "LENGTH"}
    assert by_field == {"employer": "warning", "achievements": "error",
                        "condition_statements.1": "error"}
    at_limit = findings_for(employer="内" * 15, achievements="成" * 2000)
    assert "LENGTH" not in rules_of(at_limit)


def test_findings_name_the_field_in_chinese():
    found = findings_for(name="", title_level="中级")
    messages = " ".join(f.message for f in found)
    assert "姓名" in messages and "副高级" in messages


@pytest.mark.parametrize("kind, name, expected", [
    ("盟市", "包头市", None),
    ("盟市", "包头", ("channel.name", "error")),
    ("区直单位", "包头市", ("channel.kind", "error")),
    ("区直单位", "内蒙古大学", None),
    ("区直单位", "自治区某新设厅", ("channel.name", "warning")),
])
def test_channel_names_a_real_league_or_department(kind, name, expected):
    found = [(f.field, f.severity) for f in findings_for(channel={"kind": kind, "name": name})
             if f.rule == "CHANNEL"]
    assert found == ([expected] if expected else [])
