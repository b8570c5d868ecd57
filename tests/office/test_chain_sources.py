"""The chain check matches each candidate of a level's package against the nested package that
level took it from (its recorded source): after 以此份替换 the old package still rides along for
its other candidates, and its superseded copy is listed, not counted against the office."""

from __future__ import annotations

import json

import pytest

from collector.common.fingerprint import short
from collector.office import decisions, inbox
from collector.office import duplicates as dup
from collector.exchange.chain import OFFICE_KEYS, read_chain
from collector.office.package import pack_office
from collector.exchange.provenance import UNVERIFIABLE
from collector.office.replace import replace
from collector.exchange.packing import pack
from collector.rpu.reader import open_package
from collector.rpu.writer import Part
from tests.conftest import make_record
from tests.office.conftest import TODAY, applicant_package

CHANNEL = {"kind": "盟市", "name": "包头市"}


def _own(rec: dict) -> dict:
    """The applicant's own fields of a record (what the chain compares)."""
    return {k: v for k, v in rec.items() if k not in OFFICE_KEYS}


@pytest.fixture
def world(make_installation, tmp_path):
    """Unit package 甲单位.rpu with X and Y; a direct package 乙.rpu with X again (changed)."""
    region = make_installation("region", "自治区", "自治区")
    office = make_installation("office", "盟市/厅局", "包头市人社局", "包头市")
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    x = applicant_package(make_installation("ax"), tmp_path / "X.rpu",
                          [unit.public, region.public], 5, channel=CHANNEL)
    y = applicant_package(make_installation("ay"), tmp_path / "Y.rpu",
                          [unit.public, region.public], 6, channel=CHANNEL)
    inbox.import_many(unit.store, [x, y], unit.identity)
    for cand in unit.store.all():
        decisions.decide(unit.store, cand.id, "推荐")
    a = tmp_path / "甲单位.rpu"
    pack_office(unit.store, a, identity=unit.identity, recipients=[office.public, region.public],
                today=TODAY)
    b = applicant_package(make_installation("bx"), tmp_path / "乙.rpu",
                          [office.public, region.public], 5, channel=CHANNEL,
                          achievements="乙份：补充了 2016 年的成果")
    result = inbox.import_many(office.store, [a, b], office.identity)
    assert [e.status for e in result.entries] == [inbox.IMPORTED, inbox.DUPLICATE]
    number_x = make_record(5)["id_number"]
    number_y = make_record(6)["id_number"]
    return dict(region=region, office=office, unit=unit, a=a, b=b, x=number_x, y=number_y)


def _office_package(w, tmp_path, name="office.rpu"):
    office = w["office"]
    for cand in office.store.all():
        decisions.decide(office.store, cand.id, "推荐")
    out = tmp_path / name
    pack_office(office.store, out, identity=office.identity, recipients=[w["region"].public],
                today=TODAY)
    return out


def _record(path, identity, number):
    return next(r for r in open_package(path, identity).candidates if r["id_number"] == number)


def test_replaced_candidate_verifies_at_the_region_and_the_old_copy_is_superseded(world,
                                                                                  tmp_path):
    w = world
    office, region = w["office"], w["region"]
    replace(office.store, w["x"], "乙.rpu", office.identity, "乙份材料更完整")
    out = _office_package(w, tmp_path)
    nested = sorted(p.name for p in open_package(out, region.identity).nested)
    assert len(nested) == 2 and any("甲单位" in n for n in nested) and any("乙" in n for n in nested)

    chain = read_chain(out, region.identity)
    assert chain.ok, chain.problems
    taken = {c["id_number"]: c["source"] for c in chain.to_json()["root"]["candidates"]}
    assert "乙" in taken[w["x"]] and "甲单位" in taken[w["y"]]
    [old] = [n for n in chain.notes if "未采用" in n]
    assert w["x"] in old and "甲单位" in old and "乙" in old
    text = "\n".join(chain.lines())
    assert "签名链校验通过" in text and "问题：" not in text
    assert "（已被替换，未采用）" in text and "（取自 " in text
    unit_node = next(c for c in chain.to_json()["root"]["children"] if "甲单位" in c["name"])
    assert [c["superseded"] for c in unit_node["candidates"]
            if c["id_number"] == w["x"]] == [True]

    entry = inbox.import_many(region.store, [out], region.identity).entries[0]
    assert entry.status == inbox.IMPORTED, entry.reason
    assert entry.info["chain"]["ok"]
    held = {region.store.get(c["id"]).data["id_number"]: region.store.get(c["id"]).data
            for c in entry.candidates}
    assert set(held) == {w["x"], w["y"]}
    b_x = _record(w["b"], region.identity, w["x"])
    a_y = _record(w["a"], region.identity, w["y"])
    a_x = _record(w["a"], region.identity, w["x"])
    assert _own(held[w["x"]]) == _own(b_x) != _own(a_x)
    assert held[w["x"]]["achievements"] == "乙份：补充了 2016 年的成果"
    assert _own(held[w["y"]]) == _own(a_y)


def test_the_cli_shows_where_each_candidate_comes_from(world, tmp_path, cli, monkeypatch):
    w = world
    replace(w["office"].store, w["x"], "乙.rpu", w["office"].identity, "乙份为准")
    out = _office_package(w, tmp_path)
    db = w["region"].store.path
    w["region"].store.close()
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "office-tests")
    r = cli("inspect", "--chain", out, db=db)
    assert r.code == 0, r.err
    assert "签名链校验通过" in r.out and "已被替换，未采用" in r.out and "说明：" in r.out
    assert all(len(line) < 200 for line in r.out.splitlines())


def test_keeping_the_old_record_verifies_too(world, tmp_path):
    """保留原记录: X comes from 甲单位.rpu; 乙.rpu carries no chosen candidate and is not nested."""
    w = world
    dup.keep(w["office"].store, w["x"], "以单位报送为准")
    out = _office_package(w, tmp_path)
    assert len(open_package(out, w["region"].identity).nested) == 1
    chain = read_chain(out, w["region"].identity)
    assert chain.ok, chain.problems
    assert not [n for n in chain.notes if "未采用" in n]


def test_an_office_that_alters_a_replaced_record_is_refused(world, tmp_path):
    w = world
    office, region = w["office"], w["region"]
    replace(office.store, w["x"], "乙.rpu", office.identity, "乙份为准")
    cid = office.store.id_for_number(w["x"])
    data = office.store.get(cid).data
    office.store.save(dict(data, achievements="盟市改写的成果"), candidate_id=cid)
    out = _office_package(w, tmp_path)
    chain = read_chain(out, region.identity)
    assert not chain.ok
    [problem] = chain.problems
    assert "包头市人社局" in problem and "不一致" in problem and "主要学术技术成就" in problem
    entry = inbox.import_many(region.store, [out], region.identity).entries[0]
    assert entry.status == inbox.REFUSED and "签名链校验未通过" in entry.reason
    assert region.store.count() == 0


def test_an_office_that_alters_the_other_candidate_is_refused(world, tmp_path):
    """Y still comes from 甲单位.rpu: altering it is caught against the applicant inside."""
    w = world
    office, region = w["office"], w["region"]
    replace(office.store, w["x"], "乙.rpu", office.identity, "乙份为准")
    cid = office.store.id_for_number(w["y"])
    data = office.store.get(cid).data
    office.store.save(dict(data, achievements="盟市改写的成果"), candidate_id=cid)
    out = _office_package(w, tmp_path)
    chain = read_chain(out, region.identity)
    assert not chain.ok and len(chain.problems) == 1
    assert "主要学术技术成就" in chain.problems[0]


# -- forged office packages: the office's own sources document cannot launder a change --------
def _forged(w, tmp_path, sources, *, change_x: str | None = None, extra: int | None = None,
            more_x: dict | None = None, first: tuple = ()):
    """An office package written by hand: X (and Y) from the office's store, both received
    packages nested, and ``sources`` as the office's claim of where each came from.
    ``more_x``: other fields of X changed too; ``first``: (name, path) of packages nested
    before the two received ones."""
    office, region = w["office"], w["region"]
    if dup.open_duplicates(office.store):
        replace(office.store, w["x"], "乙.rpu", office.identity, "乙份为准")
    if change_x or more_x:
        cid = office.store.id_for_number(w["x"])
        changed = dict(office.store.get(cid).data, **(more_x or {}))
        if change_x:
            changed["achievements"] = change_x
        office.store.save(changed, candidate_id=cid)
    ids = [c.id for c in office.store.all()]
    if extra is not None:
        ids.append(office.store.save(make_record(extra, channel=CHANNEL)))
    parts = [] if sources is None else [
        Part.from_bytes(inbox.SOURCES_DOC, "document", json.dumps(sources, ensure_ascii=False)
                        .encode())]
    parts += [Part.from_file(name, "package", path) for name, path in first]
    for n, path in enumerate((w["a"], w["b"]), start=1):
        parts.append(Part.from_file(f"packages/{n:03d}-{path.stem}.rpu", "package", path))
    out = tmp_path / "forged.rpu"
    pack(office.store, ids, out, identity=office.identity, recipients=[region.public],
         extra_parts=parts, role="盟市", unit="包头市人社局", today=TODAY)
    return read_chain(out, region.identity)


def test_a_sources_document_without_a_candidate_falls_back_to_the_id_number(world, tmp_path):
    w = world
    chain = _forged(w, tmp_path, {w["y"]: {"package": "packages/001-甲单位.rpu"}},
                    change_x="盟市改写的成果")
    assert not chain.ok and "主要学术技术成就" in chain.problems[0]


def test_a_source_that_does_not_carry_the_candidate_is_a_problem(world, tmp_path):
    w = world
    chain = _forged(w, tmp_path, {w["x"]: {"package": "packages/002-乙.rpu"},
                                  w["y"]: {"package": "packages/002-乙.rpu"}})
    assert not chain.ok
    [problem] = chain.problems
    assert w["y"] in problem and "002-乙.rpu" in problem
    # Not traced into a package that does not carry it (nor shown as signed by an applicant).
    assert chain.provenance[w["y"]].klass == UNVERIFIABLE


def test_claiming_the_old_copy_for_a_changed_record_is_a_problem(world, tmp_path):
    """X carries 乙's data but claims 甲单位.rpu as its source: compared with that, it differs."""
    w = world
    chain = _forged(w, tmp_path, {w["x"]: {"package": "packages/001-甲单位.rpu"},
                                  w["y"]: {"package": "packages/001-甲单位.rpu"}})
    assert not chain.ok and "不一致" in chain.problems[0]


def test_a_missing_nested_package_named_as_source_is_a_problem(world, tmp_path):
    w = world
    chain = _forged(w, tmp_path, {w["x"]: {"package": "packages/009-丙.rpu"},
                                  w["y"]: {"package": "packages/001-甲单位.rpu"}})
    assert not chain.ok and "009-丙.rpu" in chain.problems[0]
    # Its record is not taken for one the office entered itself: nothing shows where it is from.
    prov = chain.provenance[w["x"]]
    who = f"包头市人社局（{short(w['office'].identity.fingerprint)}）"
    assert (prov.klass, prov.detail, prov.path, prov.below) == (
        UNVERIFIABLE, f"{who}的报送包没有注明该人选取自哪个报送包", [who], [])


def test_without_a_sources_document_an_altered_record_is_still_caught(world, tmp_path):
    """Packages written before sources were recorded: any applicant-signed copy must match."""
    w = world
    chain = _forged(w, tmp_path, None)
    assert chain.ok, chain.problems
    assert any("未采用" in n for n in chain.notes)  # 甲单位's X: the office's X matches 乙's
    chain = _forged(w, tmp_path, None, change_x="盟市改写的成果")
    assert not chain.ok and "主要学术技术成就" in chain.problems[0]


def test_a_candidate_in_no_nested_package_is_noted_as_not_signed_by_an_applicant(world,
                                                                                 tmp_path):
    w = world
    chain = _forged(w, tmp_path, {w["x"]: {"package": "packages/002-乙.rpu"},
                                  w["y"]: {"package": "packages/001-甲单位.rpu"}}, extra=9)
    assert chain.ok, chain.problems
    name = make_record(9)["name"]
    assert any(name in n and "没有申报人本人签名" in n for n in chain.notes)


def test_claiming_local_entry_for_an_altered_record_is_a_problem(world, tmp_path):
    """An office that alters X and says it typed X in itself, while nesting the applicants'
    signed copies of X, must not pass: the signed copies disagree with what it sends."""
    w = world
    chain = _forged(w, tmp_path, {w["x"]: {"package": None},
                                  w["y"]: {"package": "packages/001-甲单位.rpu"}},
                    change_x="盟市改写的成果")
    assert not chain.ok
    assert any("本级录入" in p and "主要学术技术成就" in p for p in chain.problems)


def test_without_a_sources_document_a_record_in_no_nested_package_is_unverifiable(world,
                                                                                 tmp_path):
    """An older package (no sources document) with a record no nested package carries: noted
    as not signed by an applicant, and not traced (无法核对), never shown as 本级录入."""
    w = world
    chain = _forged(w, tmp_path, None, extra=9)
    assert chain.ok, chain.problems
    person = make_record(9)
    number, name = person["id_number"], person["name"]
    assert f"{name}（{number}）没有申报人本人签名的报送包，由包头市人社局录入" in chain.notes
    prov = chain.provenance[number]
    assert prov.klass == "无法核对" and "没有注明该人选取自哪个报送包" in prov.detail
    [listed] = [c for c in chain.to_json()["root"]["candidates"] if c["id_number"] == number]
    assert listed["source"] == ""
    root_line = chain.lines()[0]
    assert f"、{name}" in root_line or f"：{name}" in root_line
    assert f"{name}（" not in root_line  # no mark: neither 本级录入 nor 取自


def test_without_a_sources_document_an_altered_record_is_one_problem(world, tmp_path):
    """The altered X matches neither nested copy: one problem, and neither copy is listed as
    replaced (the office took X from nowhere it can show)."""
    w = world
    chain = _forged(w, tmp_path, None, change_x="盟市改写的成果")
    office = short(w["office"].identity.fingerprint)
    name = make_record(5)["name"]
    assert chain.problems == [  # compared with the first nested package that carries X
        f"包头市人社局（{office}）报送的{name} 与所取自的 001-甲单位.rpu（包头稀土研究院）"
        "中的数据不一致：主要学术技术成就"]
    assert not any("未采用" in n for n in chain.notes)
    [listed] = [c for c in chain.to_json()["root"]["candidates"] if c["id_number"] == w["x"]]
    assert listed["source"] == ""


def _marks(line: str) -> list[str]:
    """The candidates of a tree line, each with its mark."""
    return line.split("  候选人：", 1)[1].split("、")


def test_the_tree_marks_where_each_candidate_was_taken_replaced_or_entered(world, tmp_path):
    w = world
    extra = make_record(9)
    chain = _forged(w, tmp_path, {w["x"]: {"package": "packages/002-乙.rpu"},
                                  w["y"]: {"package": "packages/001-甲单位.rpu"},
                                  extra["id_number"]: {"package": None}}, extra=9)
    assert chain.ok, chain.problems
    names = {r["id_number"]: r["name"] for r in chain.root.candidates}
    want = {w["x"]: "（取自 002-乙.rpu）", w["y"]: "（取自 001-甲单位.rpu）",
            extra["id_number"]: "（本级录入）"}
    lines = chain.lines()
    assert _marks(lines[0]) == [names[r["id_number"]] + want[r["id_number"]]
                                for r in chain.root.candidates]
    [unit_line] = [x for x in lines if "001-甲单位.rpu  签名" in x]
    assert f"{names[w['x']]}（已被替换，未采用）" in _marks(unit_line)


def test_a_source_that_does_not_carry_the_candidate_is_stated_in_full(world, tmp_path):
    w = world
    chain = _forged(w, tmp_path, {w["x"]: {"package": "packages/002-乙.rpu"},
                                  w["y"]: {"package": "packages/002-乙.rpu"}})
    who = f"包头市人社局（{short(w['office'].identity.fingerprint)}）"
    y = make_record(6)["name"]
    assert chain.problems == [f"{who}报送的{y}（{w['y']}）注明取自内层报送包 002-乙.rpu，"
                              "但其中没有该候选人"]
    chain = _forged(w, tmp_path, {w["x"]: {"package": "packages/009-丙.rpu"},
                                  w["y"]: {"package": "packages/001-甲单位.rpu"}})
    x = make_record(5)["name"]
    assert chain.problems == [f"{who}报送的{x}（{w['x']}）注明取自内层报送包 009-丙.rpu，"
                              "但报送包中没有该文件"]
    assert f"问题：{chain.problems[0]}" in chain.lines()
    assert x in _marks(chain.lines()[0])  # no mark: where it came from is unknown
