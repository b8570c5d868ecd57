"""The year's rules file carries the notice's data: a modified copy of 2017.toml changes what
the checks, quotas, shares and the evidence checklist do, with no code change."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from collector.record import year as year_module
from collector.record.model import normalize
from collector.office.emphasis import emphasis
from collector.rules import validate
from collector.rules.evidence import evidence_checklist
from collector.rules.office import check_deadline, check_quota
from collector.record.year import load_year
from tests.conftest import make_record

TODAY = dt.date(2017, 4, 1)


@pytest.fixture
def edit_rules(tmp_path, monkeypatch):
    """Replace text in a private copy of 2017.toml; returns the reloaded year."""
    root = tmp_path / "resources"
    shutil.copytree(year_module.resources_dir() / "rules", root / "rules")
    monkeypatch.setattr(year_module, "resources_dir", lambda: root)
    path = root / "rules" / "2017.toml"

    def edit(*pairs: tuple[str, str]):
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        load_year.cache_clear()
        return load_year(2017)

    load_year.cache_clear()
    yield edit
    load_year.cache_clear()


def channel_errors(**overrides) -> list[str]:
    found = validate(normalize(make_record(1, **overrides)), today=TODAY)
    return [f.field for f in found if f.rule == "CHANNEL" and f.is_error]


COLLECTIVE = dict(employer_type="其他", unit_ownership="集体",
                  channel={"kind": "区直单位", "name": "自治区科学技术厅"})
NON_PUBLIC = dict(employer_type="非公有制企业", channel={"kind": "区直单位", "name": "自治区科学技术厅"})


def test_which_ownership_is_non_public_is_data(edit_rules):
    assert channel_errors(**COLLECTIVE) == []
    edit_rules(('non_public_ownership = ["个体", "合资", "外资"]',
                'non_public_ownership = ["个体", "合资", "外资", "集体"]'))
    assert channel_errors(**COLLECTIVE) == ["channel.kind"]


def test_a_year_without_the_routing_sentence_has_no_routing_error(edit_rules):
    assert channel_errors(**NON_PUBLIC) == ["channel.kind"]
    edit_rules(('non_public_channel_kind = "盟市"', 'non_public_channel_kind = ""'))
    assert channel_errors(**NON_PUBLIC) == []


def test_channels_quotas_and_deadline_are_data(edit_rules):
    new_league = dict(employer_type="高等院校", channel={"kind": "盟市", "name": "满洲里市"})
    assert channel_errors(**new_league) == ["channel.name"]
    records = [make_record(i, channel={"kind": "盟市", "name": "包头市"}) for i in range(3)]
    assert check_quota(records, load_year(2017)) == []
    year = edit_rules(('"阿拉善盟",\n]', '"阿拉善盟", "满洲里市",\n]'),
                      ('"盟市" = 5', '"盟市" = 2'),
                      ("deadline = 2017-04-30", "deadline = 2017-03-31"))
    assert channel_errors(**new_league) == []
    assert [f.rule for f in check_quota(records, year)] == ["QUOTA"]
    assert [f.rule for f in check_deadline(year, TODAY)] == ["DEADLINE"]


def test_shares_to_watch_are_data(edit_rules):
    rows = [{"birth_date": "1970-06-01", "conditions": [3], "focus_areas": ["新材料"]}]
    before = emphasis(rows, load_year(2017), "t")
    assert (before.get("young").count, before.get("industrial").count,
            before.get("focus").count) == (0, 0, 0)
    year = edit_rules(("young_born_on_or_after = 1972-01-01", "young_born_on_or_after = 1970-01-01"),
                      ("industrial_conditions = [4]", "industrial_conditions = [3, 4]"),
                      ('"民族特色优势产业"]', '"民族特色优势产业", "新材料"]'))
    after = emphasis(rows, year, "t")
    assert (after.get("young").count, after.get("industrial").count,
            after.get("focus").count) == (1, 1, 1)
    assert "条件三、条件四" in after.get("industrial").label


def test_evidence_categories_are_data(edit_rules):
    record = normalize(make_record(1))
    assert "获奖证书" in [ln.category for ln in evidence_checklist(record, load_year(2017))]
    year = edit_rules(('"获奖证书" = "awards"\n', ""))
    assert "获奖证书" not in [ln.category for ln in evidence_checklist(record, year)]


def test_evidence_checklist_counts_items_and_attachments():
    """A filled-in single field (职称, 学历) counts as one item, a table as its rows; attachments
    count by their category, and one of another category backs nothing."""
    def item(category: str) -> dict:
        return {"file": f"{category}.pdf", "title": category, "category": category,
                "classified": False, "declassified": False, "sha256": "0" * 64, "size": 1}

    record = normalize(make_record(1, attachments=[item("获奖证书"), item("职称证书"),
                                                   item("获奖证书"), item("其他材料")]))
    lines = [(ln.category, ln.listed, ln.attached, ln.missing)
             for ln in evidence_checklist(record, load_year(2017))]
    assert lines == [("职称证书", 1, 1, False), ("学历学位证书", 1, 0, True),
                     ("获奖证书", 1, 2, False), ("论文论著", 3, 0, True),
                     ("专利证书", 1, 0, True), ("项目证明", 2, 0, True)]
