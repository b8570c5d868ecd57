"""A year's rules as another file (issue 24, "a new year is a new file"): tests run against a
modified copy of ``resources/rules/2017.toml`` when ``COLLECTOR_TEST_RULES`` names its folder.

The program reads its rules from ``resources/rules/<year>.toml`` only; the test session swaps
that folder for the copy (``collector.record.year.rules_path``), so a test that wrote a quota, an age
limit or the deadline as a literal instead of reading it from the rules fails there."""

from __future__ import annotations

import os
import re
from pathlib import Path

ENV = "COLLECTOR_TEST_RULES"
ROOT = Path(__file__).resolve().parents[1]

# Every value a new year may change, and what the copy makes of it.
CHANGES = {
    r'^deadline = 2017-04-30$': "deadline = 2017-05-15",
    r'^region_quota = 15$': "region_quota = 12",
    r'^born_on_or_after = 1967-01-01$': "born_on_or_after = 1966-07-01",
    r'^"盟市" = 5$': '"盟市" = 4',
    r'^"区直单位" = 2$': '"区直单位" = 3',
    r'^young_born_on_or_after = 1972-01-01$': "young_born_on_or_after = 1971-07-01",
}


def write_modified_copy(folder: Path) -> Path:
    """The 2017 rules with every value of CHANGES changed; returns the folder."""
    text = (ROOT / "resources" / "rules" / "2017.toml").read_text(encoding="utf-8")
    for pattern, new in CHANGES.items():
        text, n = re.subn(pattern, new, text, flags=re.M)
        assert n == 1, f"{pattern} is not in the rules file any more"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2017.toml").write_text(text, encoding="utf-8")
    return folder


def use_rules_from_environment() -> None:
    """Called once by tests/conftest.py: with COLLECTOR_TEST_RULES set, read the rules there."""
    folder = os.environ.get(ENV)
    if not folder:
        return
    from collector.record import year
    from collector.review import criteria

    shipped, resources = year.rules_path, year.resources_dir

    def rules_path(year_number: int) -> Path:
        copy = Path(folder) / f"{year_number}.toml"
        if year.resources_dir is not resources:  # a test made its own resources: use those
            return shipped(year_number)
        return copy if copy.exists() else shipped(year_number)

    year.rules_path = rules_path  # type: ignore[assignment]
    criteria.rules_path = rules_path  # type: ignore[assignment]
    year.load_year.cache_clear()
