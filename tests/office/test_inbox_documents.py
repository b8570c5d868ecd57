"""What an office package's documents leave on the receiving inbox entry (shown by
``collector inbox --json``): the report and the decisions as sent, None for one that is not
JSON, nothing for a package without them; and a refused chain's reason in full."""

from __future__ import annotations

import json

from collector.office import inbox
from collector.rpu import open_package
from tests.office.test_chain_sources import _forged, _office_package, world  # noqa: F401

A = "packages/001-甲单位.rpu"


def test_the_report_and_decisions_arrive_on_the_entry(world, tmp_path):  # noqa: F811
    w = world
    from collector.office.duplicates import keep

    keep(w["office"].store, w["x"], "以单位报送为准")
    out = _office_package(w, tmp_path)
    pkg = open_package(out, w["region"].identity)
    [entry] = inbox.import_many(w["region"].store, [out], w["region"].identity).entries
    assert entry.status == inbox.IMPORTED, entry.reason
    assert entry.info["report"] == json.loads(pkg.read_part(inbox.REPORT_DOC))
    assert entry.info["decisions"] == json.loads(pkg.read_part(inbox.DECISIONS_DOC))
    [stored] = [e for e in inbox.list_inbox(w["region"].store) if e.id == entry.id]
    assert stored.info["report"] == entry.info["report"]
    [applicant_entry] = [e for e in inbox.list_inbox(w["office"].store) if e.file_name == "乙.rpu"]
    assert "report" not in applicant_entry.info and "decisions" not in applicant_entry.info


def test_a_refused_chain_gives_every_problem_in_the_reason(world, tmp_path):  # noqa: F811
    w = world
    chain = _forged(w, tmp_path, {w["x"]: {"package": None}, w["y"]: {"package": A}},
                    change_x="盟市改写的成果")
    assert chain.problems
    [entry] = inbox.import_many(w["region"].store, [tmp_path / "forged.rpu"],
                                w["region"].identity).entries
    assert entry.status == inbox.REFUSED
    assert entry.reason == "签名链校验未通过：" + "；".join(chain.problems)


def test_a_file_that_is_no_package_cannot_have_its_chain_read(world, tmp_path):  # noqa: F811
    import pytest

    from collector.errors import CollectorError
    from collector.office.chain import read_chain

    junk = tmp_path / "垃圾.rpu"
    junk.write_bytes(b"not a package at all")
    with pytest.raises(CollectorError) as err:
        read_chain(junk, world["region"].identity)
    assert str(err.value) == "无法校验签名链：垃圾.rpu：不是报送文件（.rpu）：文件开头的标识不对"
