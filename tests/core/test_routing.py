"""CHANNEL routing of non-public candidates (notice 三（二）: "其中非公有制单位中符合条件的人选，
向所属地方人力资源社会保障部门申报"), at every 单位性质 / 单位所有制 value × channel kind."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from collector.record.model import normalize
from collector.rules import is_eligible, validate
from collector.record.year import load_year
from tests.conftest import make_record

TODAY = dt.date(2017, 4, 1)
CHANNELS = {"盟市": "呼和浩特市", "区直单位": "自治区科学技术厅"}
YEAR = load_year(2017)
NON_PUBLIC_TYPES = {"非公有制企业"}
NON_PUBLIC_OWNERSHIP = {"个体", "合资", "外资"}


def channel_findings(**overrides) -> list:
    found = validate(normalize(make_record(**overrides)), today=TODAY)
    return [f for f in found if f.rule == "CHANNEL"]


def test_the_tables_cover_every_value_of_the_year():
    assert set(YEAR.enums["employer_type"]) >= NON_PUBLIC_TYPES
    assert set(YEAR.enums["unit_ownership"]) >= NON_PUBLIC_OWNERSHIP
    assert set(YEAR.non_public_employer_types) == NON_PUBLIC_TYPES
    assert set(YEAR.non_public_ownership) == NON_PUBLIC_OWNERSHIP


@pytest.mark.parametrize("kind", sorted(CHANNELS))
@pytest.mark.parametrize("employer_type", YEAR.enums["employer_type"])
def test_employer_type_by_channel_kind(employer_type, kind):
    found = channel_findings(employer_type=employer_type, unit_ownership="全民",
                             channel={"kind": kind, "name": CHANNELS[kind]})
    wrong = employer_type in NON_PUBLIC_TYPES and kind == "区直单位"
    assert [(f.field, f.severity) for f in found] == ([("channel.kind", "error")] if wrong else [])


@pytest.mark.parametrize("kind", sorted(CHANNELS))
@pytest.mark.parametrize("ownership", YEAR.enums["unit_ownership"])
def test_unit_ownership_by_channel_kind(ownership, kind):
    # 单位性质 其他 says nothing either way, so 单位所有制 alone decides
    found = channel_findings(employer_type="其他", unit_ownership=ownership,
                             channel={"kind": kind, "name": CHANNELS[kind]})
    wrong = ownership in NON_PUBLIC_OWNERSHIP and kind == "区直单位"
    assert [(f.field, f.severity) for f in found] == ([("channel.kind", "error")] if wrong else [])


def test_the_message_quotes_the_rule_and_names_the_right_channel():
    [finding] = channel_findings(employer_type="非公有制企业",
                                 channel={"kind": "区直单位", "name": "自治区科学技术厅"})
    assert "其中非公有制单位中符合条件的人选，向所属地方人力资源社会保障部门申报" in finding.message
    assert "应通过所在盟市人力资源和社会保障部门申报" in finding.message
    assert "单位性质为“非公有制企业”" in finding.message and "自治区科学技术厅" in finding.message


def test_ownership_reason_is_named_when_the_type_is_public():
    [finding] = channel_findings(employer_type="其他", unit_ownership="个体",
                                 channel={"kind": "区直单位", "name": "内蒙古大学"})
    assert "单位所有制为“个体”" in finding.message


@pytest.mark.parametrize("channel", [{"kind": "", "name": ""}, {"kind": "", "name": "内蒙古大学"}])
def test_no_channel_yet_is_left_to_required(channel):
    assert channel_findings(employer_type="非公有制企业", channel=channel) == []


def test_a_misrouted_candidate_stays_eligible_but_cannot_be_packed():
    found = validate(normalize(make_record(
        employer_type="非公有制企业", channel={"kind": "区直单位", "name": "自治区科学技术厅"})),
        today=TODAY)
    assert is_eligible(found)  # the person qualifies; only the route is wrong
    assert any(f.rule == "CHANNEL" and f.is_error for f in found)


def test_cli_validate_reports_the_misrouted_candidate(cli, tmp_path):
    rec = make_record(employer_type="非公有制企业",
                      channel={"kind": "区直单位", "name": "自治区科学技术厅"})
    path = tmp_path / "one.json"
    path.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    result = cli("validate", str(path), "--json")
    assert result.code == 1
    [entry] = json.loads(result.out)
    rules = {(f["rule"], f["severity"]) for f in entry["findings"]}
    assert ("CHANNEL", "error") in rules
    ok = make_record(employer_type="非公有制企业", channel={"kind": "盟市", "name": "包头市"})
    path.write_text(json.dumps(ok, ensure_ascii=False), encoding="utf-8")
    assert cli("validate", str(path)).code == 0


def test_sample_candidates_follow_the_routing():
    from collector.record.sample import make_candidate

    for i in range(200):
        rec = make_candidate(i)
        if YEAR.is_non_public(rec):
            assert rec["channel"]["kind"] == "盟市"


RULE = "其中非公有制单位中符合条件的人选，向所属地方人力资源社会保障部门申报"
ROUTE = "应通过所在盟市人力资源和社会保障部门申报（推荐渠道类别选“盟市”，名称填单位所在的盟市）"


@pytest.mark.parametrize("overrides, expected", [
    (dict(employer_type="非公有制企业", channel={"kind": "区直单位", "name": "内蒙古大学"}),
     f"单位性质为“非公有制企业”的人选不能通过区直单位“内蒙古大学”推荐。通知规定“{RULE}”，{ROUTE}"),
    (dict(employer_type="其他", unit_ownership="外资", channel={"kind": "区直单位", "name": "内蒙古大学"}),
     f"单位所有制为“外资”的人选不能通过区直单位“内蒙古大学”推荐。通知规定“{RULE}”，{ROUTE}"),
    # the name is not chosen yet (REQUIRED warns about it): the message names the kind alone
    (dict(employer_type="非公有制企业", channel={"kind": "区直单位", "name": ""}),
     f"单位性质为“非公有制企业”的人选不能通过区直单位推荐。通知规定“{RULE}”，{ROUTE}"),
])
def test_the_whole_routing_message(overrides, expected):
    assert [(f.severity, f.field, f.message) for f in channel_findings(**overrides)] == [
        ("error", "channel.kind", expected)]
