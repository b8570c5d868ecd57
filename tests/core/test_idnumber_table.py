"""collector.rules.idnumber reads python-stdnum's GB/T 2260 table itself (fast start, issue 13);
it must answer exactly as stdnum does, for every code in the table and for codes not in it."""

from __future__ import annotations

import random
import re

import pytest

from stdnum import numdb
from stdnum.cn import ric

from collector.rules import idnumber


def stdnum_region(code: str) -> str | None:
    results = numdb.get("cn/loc").info(code)
    info = {k: v for _part, props in results for k, v in props.items()}
    county = info.get("county")
    if not county:
        return None
    latest = county.split(",")[-1]
    return info.get("province", "") + (latest.split("]")[-1] if "]" in latest else latest)


def test_every_region_code_as_stdnum_reads_it():
    codes, province = set(), ""
    for line in idnumber._loc_text().splitlines():
        if m := re.match(r"^(\d\d) province", line):
            province = m.group(1)
        elif m := re.match(r"^  (\d{4}) county", line):
            codes.add(province + m.group(1))
    rnd = random.Random(13)
    codes |= {f"{rnd.randrange(1_000_000):06d}" for _ in range(2000)}
    assert len(codes) > 6000
    assert {c: idnumber.region(c) for c in codes} == {c: stdnum_region(c) for c in codes}
    assert idnumber.region("150102") == "内蒙古自治区新城区"


def test_check_digit_as_stdnum_computes_it():
    rnd = random.Random(11643)
    for _ in range(5000):
        first17 = "".join(rnd.choice("0123456789") for _ in range(17))
        assert idnumber.check_digit(first17) == ric.calc_check_digit(first17 + "0")


def test_checking_a_number_imports_no_stdnum():
    import subprocess
    import sys

    code = ("import sys; from collector.rules import idnumber; "
            "assert idnumber.problem('11010519491231002X') is None; "
            "print(sorted(m for m in sys.modules if m.startswith('stdnum')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def _without_stdnum(monkeypatch) -> None:
    """Forget every imported stdnum module for this test (monkeypatch puts them back)."""
    import sys

    for name in [m for m in sys.modules if m == "stdnum" or m.startswith("stdnum.")]:
        monkeypatch.delitem(sys.modules, name)


def test_the_table_is_read_from_the_installed_file_without_importing_stdnum(monkeypatch):
    import sys

    _without_stdnum(monkeypatch)
    text = idnumber._loc_text()
    assert not [m for m in sys.modules if m.startswith("stdnum")]
    assert "内蒙古自治区" in text and "新城区" in text


def test_an_unusual_stdnum_install_is_read_through_stdnum_itself(monkeypatch):
    """When the package cannot be found as a folder (e.g. inside a zip), stdnum opens its own
    resource; the text is the same."""
    import importlib.util

    expected = idnumber._loc_text()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    assert idnumber._loc_text() == expected


def test_the_table_is_utf8_whatever_the_locale(monkeypatch):
    """On a Chinese Windows the locale encoding is GBK: a file read without naming UTF-8 would
    come out garbled, and every region code would be refused."""
    from pathlib import Path

    expected = idnumber._loc_text()
    read_text = Path.read_text

    def as_on_windows(self, encoding=None, errors=None):
        return read_text(self, encoding=encoding or "gbk", errors=errors or "replace")

    monkeypatch.setattr(Path, "read_text", as_on_windows)
    assert idnumber._loc_text() == expected


@pytest.mark.parametrize("number, message", [
    ("15010219791005001", "公民身份号码应为18位，前17位为数字，最后一位为数字或X（当前为17位）"),
    ("1501021979100500199", "公民身份号码应为18位，前17位为数字，最后一位为数字或X（当前为19位）"),
    ("15010219791005001A", "公民身份号码应为18位，前17位为数字，最后一位为数字或X（当前为18位）"),
    ("15010219791005001x", "公民身份号码应为18位，前17位为数字，最后一位为数字或X（当前为18位）"),
    ("1501021979100500 9", "公民身份号码应为18位，前17位为数字，最后一位为数字或X（当前为18位）"),
    ("150102197910050018", "公民身份号码校验位不正确，请逐位核对"),
    ("15010219790230001", "公民身份号码中的出生日期 19790230 不存在"),
    ("15010219791300001", "公民身份号码中的出生日期 19791300 不存在"),
    ("99010219791005001", "公民身份号码前6位 990102 不是有效的行政区划代码"),
    ("15010219791005001", None),
])
def test_problem_messages(number, message):
    """The exact message the applicant reads for each way a number can be wrong; numbers of 17
    characters other than the first are completed with their correct check digit."""
    if len(number) == 17 and (message is None or "18位" not in message):
        number = number + idnumber.check_digit(number)
    assert idnumber.problem(number) == message
