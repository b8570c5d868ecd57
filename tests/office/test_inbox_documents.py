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

    from collector.common.errors import CollectorError
    from collector.exchange.chain import read_chain

    junk = tmp_path / "垃圾.rpu"
    junk.write_bytes(b"not a package at all")
    with pytest.raises(CollectorError) as err:
        read_chain(junk, world["region"].identity)
    assert str(err.value) == "无法校验签名链：垃圾.rpu：不是报送文件（.rpu）：文件开头的标识不对"


def _with_bad_document(w, tmp_path, doc: str):
    """An office package whose ``doc`` part is not JSON, otherwise as the office packs it."""
    from collector.exchange.packing import pack
    from collector.rpu.writer import Part
    from tests.office.conftest import TODAY

    office = w["office"]
    from collector.office.duplicates import keep

    keep(office.store, w["x"], "以单位报送为准")
    out = tmp_path / "bad-doc.rpu"
    parts = [Part.from_bytes(doc, "document", b"{not json"),
             Part.from_file("packages/001-甲单位.rpu", "package", w["a"])]
    pack(office.store, [c.id for c in office.store.all()], out, identity=office.identity,
         recipients=[w["region"].public], extra_parts=parts, role="盟市", unit="包头市人社局",
         today=TODAY)
    return out


def test_an_unreadable_sources_document_is_one_problem_naming_it(world, tmp_path):  # noqa: F811
    from collector.exchange.chain import read_chain

    w = world
    chain = read_chain(_with_bad_document(w, tmp_path, inbox.SOURCES_DOC), w["region"].identity)
    # one FORMAT line naming the document and what is wrong with it (office/sources.py)
    assert any(p.startswith(f"{chain.root.who} 的报送包中 FORMAT：{inbox.SOURCES_DOC}：")
               for p in chain.problems), chain.problems
    assert chain.root.sources is None


def test_a_report_that_is_not_json_arrives_as_none(world, tmp_path):  # noqa: F811
    w = world
    out = _with_bad_document(w, tmp_path, inbox.REPORT_DOC)
    [entry] = inbox.import_many(w["region"].store, [out], w["region"].identity).entries
    assert entry.status == inbox.IMPORTED, entry.reason
    assert entry.info["report"] is None and "decisions" not in entry.info
