"""The program year is data: a second year is one more TOML file and nothing else."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from collector.record import year as year_module
from collector.record.model import normalize
from collector.rules import validate
from collector.record.year import load_year
from tests.conftest import make_record


@pytest.fixture
def resources_with_2018(tmp_path, monkeypatch):
    root = tmp_path / "resources"
    shutil.copytree(year_module.resources_dir() / "rules", root / "rules")
    text = (root / "rules" / "2017.toml").read_text(encoding="utf-8")
    text = (text.replace("year = 2017", "year = 2018")
                .replace("born_on_or_after = 1967-01-01", "born_on_or_after = 1968-01-01")
                .replace("deadline = 2017-04-30", "deadline = 2018-05-31")
                .replace('min_title_level = "副高级"', 'min_title_level = "正高级"'))
    (root / "rules" / "2018.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(year_module, "resources_dir", lambda: root)
    load_year.cache_clear()
    yield
    load_year.cache_clear()


@pytest.mark.rules_2017
def test_2017_rules_come_from_the_toml():
    y = load_year(2017)
    assert y.born_on_or_after == dt.date(1967, 1, 1)
    assert y.deadline == dt.date(2017, 4, 30)
    assert y.min_title_level == "副高级"
    assert y.quotas == {"盟市": 5, "区直单位": 2} and y.region_quota == 15
    assert len(y.channels["盟市"]) == 12 and len(y.enums["ethnicity"]) == 56
    assert set(y.conditions) == {1, 2, 3, 4} and "国内领先" in y.conditions[1]


def test_a_second_year_is_a_new_file(resources_with_2018):
    assert year_module.available_years() == [2017, 2018]
    rec = make_record(1, program_year=2018, birth_date="1967-06-01", title_level="副高级")
    rules = {f.rule for f in validate(normalize(rec), today=dt.date(2018, 3, 1))}
    assert {"AGE", "TITLE"} <= rules
    same = make_record(1, program_year=2017, birth_date="1967-06-01", title_level="副高级")
    rules_2017 = {f.rule for f in validate(normalize(same), today=dt.date(2017, 3, 1))}
    assert not {"AGE", "TITLE"} & rules_2017


def test_unknown_year_is_a_clear_input_error():
    from collector.common.errors import InputError

    with pytest.raises(InputError, match="2031"):
        normalize(make_record(1, program_year=2031))
