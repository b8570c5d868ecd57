"""collector.rules.idnumber reads python-stdnum's GB/T 2260 table itself (fast start, issue 13);
it must answer exactly as stdnum does, for every code in the table and for codes not in it."""

from __future__ import annotations

import random
import re

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
