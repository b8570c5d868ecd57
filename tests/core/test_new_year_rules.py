"""A new year is a new file (issue 24): tests that are not about a quota, an age limit or the
deadline read those values from the rules, so a representative set of them passes against a
copy of the 2017 rules with every such value changed (tests/rules_copy.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.rules_copy import CHANGES, ENV, ROOT, write_modified_copy

# Tests of the rules, the office quota and deadline, the review's ranking and its command line,
# packing: each reads a quota, the age limit or the deadline somewhere.
REPRESENTATIVE = [
    "tests/core/test_rules.py", "tests/core/test_rules_messages.py", "tests/core/test_office_rules.py",
    "tests/core/test_year.py", "tests/core/test_rules_data.py", "tests/office/test_review_and_quota.py",
    "tests/office/test_emphasis.py", "tests/review/test_ranking.py", "tests/review/test_cli.py",
    "tests/review/test_tiebreak.py", "tests/rpu/test_package.py", "tests/core/test_new_year_rules.py",
]


def test_the_copy_is_what_the_program_reads():
    """Run inside the session below: the program's rules are the changed copy."""
    if not os.environ.get(ENV):
        pytest.skip(f"only with {ENV} (test_representative_tests_pass_with_other_values)")
    from collector.review import load_review_rules
    from collector.record.year import load_year

    year = load_year()
    assert (year.quotas, year.region_quota) == ({"盟市": 4, "区直单位": 3}, 12)
    assert (str(year.born_on_or_after), str(year.deadline)) == ("1966-07-01", "2017-05-15")
    assert load_review_rules(2017).channel_quotas == {"盟市": 4, "区直单位": 3}


@pytest.mark.slow
def test_representative_tests_pass_with_other_values(tmp_path):
    folder = write_modified_copy(tmp_path / "rules")
    shipped = (ROOT / "resources" / "rules" / "2017.toml").read_text(encoding="utf-8")
    changed = (folder / "2017.toml").read_text(encoding="utf-8")
    assert len(CHANGES) == 6 and changed != shipped
    env = dict(os.environ, **{ENV: str(folder)})
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-m", "not rules_2017",
         *REPRESENTATIVE, "-k", "not test_representative_tests_pass_with_other_values"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    tail = done.stdout[-3000:]
    assert done.returncode == 0, tail
    assert " passed" in tail and f"only with {ENV}" not in done.stdout, tail
