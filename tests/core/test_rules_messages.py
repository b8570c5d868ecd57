"""Every single-candidate rule at its boundaries, asserting the whole list of findings — rule,
severity, field and the exact Chinese message the applicant reads (issue 16: a rule weakened,
a boundary moved or a message changed makes one of these fail)."""

from __future__ import annotations

import datetime as dt

import pytest

from collector.record.model import normalize
from collector.rules import validate
from collector.record.sample import id_number_for
from collector.record.year import load_year
from tests.conftest import make_record

TODAY = dt.date(2017, 4, 1)
# The person every message below is about: born 1979-10-05, whatever the rules' age limit makes
# of the sample (tests/rules_copy.py runs this module against a copy with another limit).
PERSON = {"birth_date": "1979-10-05", "gender": "男", "id_number": "150102197910050019"}
BASE = make_record(**PERSON)
CUTOFF = load_year().born_on_or_after
E, W = "error", "warning"


def findings(today: dt.date = TODAY, **overrides) -> list[tuple[str, str, str, str]]:
    return [(f.rule, f.severity, f.field, f.message)
            for f in validate(normalize(make_record(**{**PERSON, **overrides})), today=today)]


def born(date: dt.date) -> dict:
    return {"birth_date": date.isoformat(), "gender": "男", "id_number": id_number_for(date, False, 7),
            "work_start": "", "graduation_date": "", "title_date": ""}


def project(**changes) -> dict:
    return {**BASE["projects"][0], **changes}


def work(**changes) -> dict:
    return {**BASE["work_history"][0], **changes}


@pytest.mark.parametrize("field, label", [
    ("name", "姓名"), ("gender", "性别"), ("birth_date", "出生日期"), ("id_number", "公民身份号码"),
    ("employer", "工作单位"), ("title_level", "职称级别"), ("discipline", "从事专业/研究领域"),
])
def test_an_empty_required_field_is_one_error_and_nothing_else(field, label):
    """No other rule trips over the empty value (a missing 职称级别 is not a TITLE error)."""
    assert findings(**{field: ""}) == [("REQUIRED", E, field, f"{label}必须填写")]
    assert findings(**{field: " \t"}) == [("REQUIRED", E, field, f"{label}必须填写")]


@pytest.mark.parametrize("overrides, expected", [
    ({"ethnicity": ""}, [("REQUIRED", W, "ethnicity", "民族建议填写")]),
    ({"contact": {**BASE["contact"], "mobile": ""}},
     [("REQUIRED", W, "contact.mobile", "联系方式·手机建议填写")]),
    ({"channel": {"kind": "盟市", "name": ""}},
     [("REQUIRED", W, "channel.name", "推荐渠道·盟市/区直单位建议填写")]),
])
def test_recommended_fields(overrides, expected):
    assert findings(**overrides) == expected


@pytest.mark.parametrize("date, expected", [
    (CUTOFF, []),
    (CUTOFF - dt.timedelta(days=1), [("AGE", E, "birth_date",
                                      f"出生日期 {CUTOFF - dt.timedelta(days=1)} 早于 {CUTOFF}，不符合"
                                      f"“{CUTOFF.year}年{CUTOFF.month}月{CUTOFF.day}日以后出生”的年龄条件")]),
    (TODAY, []),                                                 # born today is not the future
    (TODAY + dt.timedelta(days=1), [("AGE", E, "birth_date", "出生日期 2017-04-02 晚于今天，请核对")]),
])
def test_age_boundaries(date, expected):
    assert findings(**born(date)) == expected


@pytest.mark.parametrize("level, expected", [
    ("正高级", []), ("副高级", []),
    ("中级", [("TITLE", E, "title_level", "职称级别为中级，须具有副高级以上专业技术职称")]),
    ("初级", [("TITLE", E, "title_level", "职称级别为初级，须具有副高级以上专业技术职称")]),
])
def test_title_boundaries(level, expected):
    assert findings(title_level=level) == expected


@pytest.mark.parametrize("conditions, statements, expected", [
    ([], {}, [("CONDITION", E, "conditions", "请至少选择一项符合的条件（共四项，具备其一即可）")]),
    ([2], {}, [("CONDITION", E, "condition_statements.2", "已选择条件2，请填写对应的条件说明")]),
    ([2], {"2": "说明", "4": "另一条"},
     [("CONDITION", W, "condition_statements.4", "填写了条件4的说明但未选择该条件，请勾选条件4或删除说明")]),
    ([2], {"2": "说明", "4": " "}, []),              # a blank statement is no statement
])
def test_condition_messages(conditions, statements, expected):
    assert findings(conditions=conditions, condition_statements=statements) == expected


def test_pledge_message():
    assert findings(pledge=False) == [("PLEDGE", E, "pledge", "请阅读并勾选诚信承诺：本人所填信息真实准确")]


@pytest.mark.parametrize("overrides, expected", [
    ({"birth_date": "1979-10-06"},
     [("ID_MISMATCH", E, "birth_date", "出生日期 1979-10-06 与公民身份号码中的 1979-10-05 不一致")]),
    ({"gender": "女"},
     [("ID_MISMATCH", E, "gender", "性别“女”与公民身份号码（第17位）所示的“男”不一致")]),
    ({"gender": "男", "birth_date": "1979-10-05"}, []),
])
def test_id_number_against_birth_date_and_gender(overrides, expected):
    assert BASE["id_number"] == "150102197910050019"
    assert findings(**overrides) == expected


@pytest.mark.parametrize("key, value, expected", [
    ("mobile", "1391234567", ("PHONE", E, "contact.mobile", "手机号码“1391234567”格式不正确，应为11位，以1开头")),
    ("office_phone", "6945678",
     ("PHONE", E, "contact.office_phone", "办公电话“6945678”格式不正确，应含区号，如 0471-6945678")),
    ("email", "a@b", ("PHONE", W, "contact.email", "电子邮箱“a@b”格式不正确")),
    ("email", "a b@c.cn", ("PHONE", W, "contact.email", "电子邮箱“a b@c.cn”格式不正确")),
    ("email", "zhang.san@imu.edu.cn", None),
    ("postcode", "01000", ("PHONE", W, "contact.postcode", "邮政编码“01000”应为6位数字")),
    ("postcode", "0100000", ("PHONE", W, "contact.postcode", "邮政编码“0100000”应为6位数字")),
    ("postcode", "01000a", ("PHONE", W, "contact.postcode", "邮政编码“01000a”应为6位数字")),
    ("postcode", "010000", None),
    ("office_phone", "", None),                       # not required, so empty is fine
    ("email", "", None),
    ("postcode", "", None),
])
def test_contact_formats(key, value, expected):
    assert findings(contact={**BASE["contact"], key: value}) == ([expected] if expected else [])


@pytest.mark.parametrize("overrides, expected", [
    # a project may end (or plan to end) after this month; other histories may not
    ({"projects": [project(start="2016-01", end="2018-12")]}, []),
    ({"projects": [project(start="2016-01", end="", planned_end="2018-12")]}, []),
    ({"projects": [project(start="2016-01", end="", planned_end="2015-12")]},
     [("DATE_ORDER", E, "projects[0].planned_end",
       "主持或参与的项目·第1行的计划完成时间 2015-12 早于起始年月 2016-01")]),
    ({"projects": [project(start="2016-01", end="2015-12")]},
     [("DATE_ORDER", E, "projects[0].end", "主持或参与的项目·第1行的终止年月 2015-12 早于起始年月 2016-01")]),
    ({"projects": [project(start="2017-05", end="")]},
     [("DATE_ORDER", E, "projects[0].start", "主持或参与的项目·第1行的起始年月 2017-05 晚于本月")]),
    ({"work_history": [work(start="2001-07", end="2017-05")]},
     [("DATE_ORDER", E, "work_history[0].end",
       "工作经历·第1行的终止年月 2017-05 晚于本月；仍在进行请留空（至今）")]),
    ({"work_history": [work(start="2001-07", end="2017-04")]}, []),
    ({"work_history": [work(start="2016-01", end="2016-01")]}, []),
    ({"title_date": "2017-05"}, [("DATE_ORDER", E, "title_date", "取得时间 2017-05 晚于本月")]),
    ({"title_date": "2017-04"}, []),
    ({"graduation_date": "2017-05"}, [("DATE_ORDER", E, "graduation_date", "毕业时间 2017-05 晚于本月")]),
    ({"work_start": "2017-05"}, [("DATE_ORDER", E, "work_start", "参加专业技术工作时间 2017-05 晚于本月")]),
    # born 1979-10: working from 1993-10 (14 years old) is plausible, a month earlier is not
    ({"work_start": "1993-10"}, []),
    ({"work_start": "1993-09"}, [("DATE_ORDER", W, "work_start", "工作时间早于14周岁，请核对")]),
    ({"work_start": "1992-12"}, [("DATE_ORDER", W, "work_start", "工作时间早于14周岁，请核对")]),
])
def test_date_order_boundaries(overrides, expected):
    assert findings(**overrides) == expected


def test_the_current_month_follows_today():
    """本月 is the month of the day the check runs: next year, 2017-05 is the past."""
    later = dt.date(2018, 1, 1)
    assert findings(later, title_date="2017-05") == []
    assert findings(later, title_date="2018-01") == []
    assert findings(later, title_date="2018-02")[0][2] == "title_date"
    assert findings(dt.date(2017, 5, 1), title_date="2017-05") == []


def attachment(**changes) -> dict:
    return {"file": "报告.pdf", "title": "项目验收报告", "category": "项目证明", "classified": True,
            "declassified": False, "sha256": "0" * 64, "size": 1, **changes}


@pytest.mark.parametrize("items, expected", [
    ([attachment()], [("CLASSIFIED", E, "attachments[0].declassified",
                       "佐证材料“项目验收报告”标为涉密，须先进行脱密处理后再报送")]),
    ([attachment(classified=False), attachment(title="")],
     [("CLASSIFIED", E, "attachments[1].declassified", "佐证材料“报告.pdf”标为涉密，须先进行脱密处理后再报送")]),
    ([attachment(classified=False), attachment(title="", file="")],  # named by its place
     [("CLASSIFIED", E, "attachments[1].declassified", "佐证材料“第2项”标为涉密，须先进行脱密处理后再报送")]),
    ([attachment(declassified=True)], []),
    ([attachment(classified=False)], []),
])
def test_classified_messages(items, expected):
    assert findings(attachments=items) == expected


@pytest.mark.parametrize("overrides, expected", [
    ({"name": "张" * 30}, []),
    ({"name": "张" * 31}, [("LENGTH", E, "name", "姓名共31字，超过30字的限制")]),
    ({"admin_post": "职" * 20}, []),
    ({"admin_post": "职" * 21},
     [("LENGTH", W, "admin_post", "行政职务共21字，超过20字的限制（高校行政职务填写到院系一级）")]),
    ({"contact": {**BASE["contact"], "address": "地" * 60}}, []),
    ({"contact": {**BASE["contact"], "address": "地" * 61}},
     [("LENGTH", E, "contact.address", "通讯地址共61字，超过60字的限制")]),
    ({"work_history": [work(employer="单" * 200)]}, []),
    ({"work_history": [work(), work(employer="单" * 201)]},
     [("LENGTH", E, "work_history[1].employer", "工作经历第2行工作单位共201字，超过200字的限制")]),
    ({"conditions": [1], "condition_statements": {"1": "说" * 500}}, []),
    ({"conditions": [1], "condition_statements": {"1": "说" * 501}},
     [("LENGTH", E, "condition_statements.1", "条件1的说明共501字，超过500字的限制")]),
    ({"unit_opinion": {"text": "意" * 501, "date": "2017-03-01"}},
     [("LENGTH", E, "unit_opinion.text", "意见共501字，超过500字的限制")]),
])
def test_length_boundaries(overrides, expected):
    assert findings(**overrides) == expected


@pytest.mark.parametrize("kind, name, expected", [
    ("盟市", "包头市", []),
    ("盟市", "包头", [("CHANNEL", E, "channel.name",
                      "“包头”不是2017年度的盟市，应为：呼和浩特市、包头市、呼伦贝尔市、兴安盟、通辽市、赤峰市、"
                      "锡林郭勒盟、乌兰察布市、鄂尔多斯市、巴彦淖尔市、乌海市、阿拉善盟")]),
    ("区直单位", "包头市", [("CHANNEL", E, "channel.kind",
                          "“包头市”是盟市，推荐渠道类别应选“盟市”而不是“区直单位”")]),
    ("区直单位", "自治区某新设厅", [("CHANNEL", W, "channel.name",
                                "“自治区某新设厅”不在2017年度区直单位名单中，请核对名称（名额按名称计算）")]),
    ("区直单位", "内蒙古大学", []),
])
def test_channel_messages(kind, name, expected):
    assert findings(employer_type="高等院校", channel={"kind": kind, "name": name}) == expected


def test_a_stored_record_the_rules_cannot_read_gets_format_errors_only():
    """A record written around ``normalize`` (an old database, a hand-edited row) is not run
    through the rules, which would misread it: each unreadable value is one FORMAT error and
    the record cannot be packed until it is opened and saved again."""
    from collector.rules import has_errors

    record = normalize(make_record(**PERSON))
    record["birth_date"] = "1979/10/05"
    record["id_number"] = BASE["id_number"] + " "
    found = validate(record, today=TODAY)
    assert [(f.rule, f.severity, f.field, f.message) for f in found] == [
        ("FORMAT", E, "birth_date", "“1979/10/05”不是 YYYY-MM-DD 格式的日期"),
        ("FORMAT", E, "id_number", "公民身份号码“150102197910050019 ”不是规范格式，请打开后重新保存"),
    ]
    assert has_errors(found)


def test_a_bad_id_number_is_one_error_on_its_field():
    """Only the number's own problem: no ID_MISMATCH against a number that cannot be read."""
    assert findings(id_number="150102197910050018", gender="女") == [
        ("ID_NUMBER", E, "id_number", "公民身份号码校验位不正确，请逐位核对")]


def test_a_year_without_a_channel_list():
    """The lists are the year's data: a rules file without a 区直单位 starter list warns about
    every 区直单位 name, one without 盟市 accepts no 盟市 name — neither fails."""
    import dataclasses

    from collector.record.year import load_year

    year = load_year(2017)
    record = normalize(make_record(employer_type="高等院校",
                                   channel={"kind": "区直单位", "name": "内蒙古大学"}))
    no_departments = dataclasses.replace(year, channels={"盟市": year.channels["盟市"]})
    assert [(f.severity, f.field) for f in validate(record, no_departments, TODAY)] == [
        (W, "channel.name")]
    record["channel"] = {"kind": "盟市", "name": "包头市"}
    no_leagues = dataclasses.replace(year, channels={"区直单位": year.channels["区直单位"]})
    assert [(f.severity, f.field, f.message) for f in validate(record, no_leagues, TODAY)] == [
        (E, "channel.name", "“包头市”不是2017年度的盟市，应为：")]


def test_the_length_plan_is_worked_out_once_per_year():
    """Validating many records asks the year for its limits once, not once per record (the
    10,000-record budget of DESIGN §10), and a year with other limits gets its own plan."""
    import dataclasses

    from collector.record.year import Limit, load_year

    asked: list[str] = []
    year = dataclasses.replace(load_year(2017))
    own_limit = year.limit
    object.__setattr__(year, "limit", lambda name: asked.append(name) or own_limit(name))
    records = [normalize(make_record(i)) for i in range(3)]
    assert validate(records[0], year, TODAY) == []
    first = len(asked)
    assert first and [validate(r, year, TODAY) for r in records] == [[], [], []]
    assert len(asked) == first  # nothing asked again for the next records
    stricter = dataclasses.replace(year, limits={**year.limits, "name": Limit(1)})
    assert [f.field for f in validate(records[0], stricter, TODAY)] == ["name"]
    assert validate(records[0], year, TODAY) == []
