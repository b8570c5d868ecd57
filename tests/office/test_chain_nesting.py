"""Nested packages the chain cannot check: one that does not open (damaged, or signed for
nobody here) and one nested deeper than MAX_DEPTH. Each is a named problem, never skipped."""

from __future__ import annotations

import pytest

from collector.common.fingerprint import file_sha256, short
from collector.exchange.chain import MAX_DEPTH, read_chain
from collector.exchange.packing import pack
from collector.rpu.writer import Part
from tests.conftest import make_record
from tests.office.conftest import TODAY


def _damaged(package, out):
    """A copy of ``package`` with one byte of its payload flipped."""
    raw = bytearray(package.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    out.write_bytes(bytes(raw))
    return out


@pytest.fixture
def levels(make_installation, tmp_path):
    """An applicant's package and a maker of office packages nesting one inner file each."""
    region = make_installation("region", "自治区", "自治区")
    office = make_installation("office", "单位", "包头稀土研究院", "包头市")
    applicant = make_installation("applicant")
    applicant.store.save(make_record(5))
    bottom = tmp_path / "申报人.rpu"
    pack(applicant.store, [], bottom, identity=applicant.identity,
         recipients=[office.public, region.public], today=TODAY)
    office.store.save(make_record(5))

    def wrap(inner, name: str, *more):
        """The office's package ``name`` nesting ``inner`` (then ``more``, in that order)."""
        out = tmp_path / name
        pack(office.store, [], out, identity=office.identity, recipients=[region.public],
             extra_parts=[Part.from_file(f"packages/{p.name}", "package", p)
                          for p in (inner, *more)],
             role="单位", unit="包头稀土研究院", today=TODAY)
        return out

    return region, office, bottom, wrap


def test_a_nested_package_that_does_not_open_is_a_problem_naming_it(levels, tmp_path):
    region, office, bottom, wrap = levels
    damaged = _damaged(bottom, tmp_path / "坏.rpu")
    chain = read_chain(wrap(damaged, "外层.rpu"), region.identity)
    [problem] = chain.problems
    assert problem.startswith("内层报送包 packages/坏.rpu 无法校验：") and "文件已损坏或被篡改" in problem
    assert not chain.ok and not chain.passed
    [child] = chain.root.children
    assert (child.ok, child.sha256) == (False, file_sha256(damaged))
    assert chain.lines()[1] == f"    ✘ packages/坏.rpu  {child.error}"
    assert chain.lines()[2] == f"问题：{problem}"
    prov = chain.provenance[make_record(5)["id_number"]]
    assert (prov.klass, prov.detail) == (
        "无法核对", f"包头稀土研究院（{short(office.identity.fingerprint)}）的报送包没有注明该人选取自哪个报送包")


def test_the_chain_opens_nested_packages_down_to_the_depth_cap_and_no_further(levels):
    """MAX_DEPTH packages, the received one included, are opened; one more is a problem."""
    region, office, bottom, wrap = levels
    inner = bottom
    for n in range(1, MAX_DEPTH):  # the received package and MAX_DEPTH - 2 levels inside
        inner = wrap(inner, f"L{n}.rpu")
    chain = read_chain(inner, region.identity)
    assert chain.ok, chain.problems
    assert sum(1 for node in chain.root.walk()) == MAX_DEPTH
    assert chain.passed  # traced through every level to the applicant

    deeper = wrap(inner, "deeper.rpu")
    chain = read_chain(deeper, region.identity)
    assert chain.problems == [f"内层报送包 packages/{bottom.name} 无法校验：嵌套层数过多"]
    deepest = list(chain.root.walk())[-1]
    assert (deepest.name, deepest.ok, deepest.sha256) == (
        f"packages/{bottom.name}", False, file_sha256(bottom))


def test_a_source_that_does_not_open_is_named_with_its_error_and_no_claims(levels, tmp_path):
    """The office names a damaged package as the source and claims nothing else: the record is
    无法核对, the package named with its error, its signer unknown, no key or record claimed."""
    import json

    from collector.office.inbox import SOURCES_DOC

    region, office, bottom, _ = levels
    damaged = _damaged(bottom, tmp_path / "坏.rpu")
    number = make_record(5)["id_number"]
    out = tmp_path / "外层.rpu"
    pack(office.store, [], out, identity=office.identity, recipients=[region.public],
         extra_parts=[Part.from_bytes(SOURCES_DOC, "document", json.dumps(
             {number: {"package": "packages/坏.rpu"}}).encode()),
                      Part.from_file("packages/坏.rpu", "package", damaged)],
         role="单位", unit="包头稀土研究院", today=TODAY)
    chain = read_chain(out, region.identity)
    [child] = chain.root.children
    prov = chain.provenance[number]
    assert (prov.klass, prov.detail) == (
        "无法核对", f"数据取自内层报送包 坏.rpu（签名 未知），{child.error}，本机无法打开核对")
    assert "文件已损坏或被篡改" in child.error
    assert (prov.applicant_key, prov.record) == ("", "")


def test_a_nested_package_that_does_not_open_leaves_the_next_one_checked(levels, tmp_path):
    region, office, bottom, wrap = levels
    damaged = _damaged(bottom, tmp_path / "坏.rpu")
    chain = read_chain(wrap(damaged, "外层.rpu", bottom), region.identity)
    [problem] = chain.problems
    assert problem.startswith("内层报送包 packages/坏.rpu 无法校验：")
    assert [c.ok for c in chain.root.children] == [False, True]
    assert chain.provenance[make_record(5)["id_number"]].klass == "申报人签名已核对"


def test_a_level_nested_after_an_applicant_package_is_checked_too(levels, make_installation,
                                                                  tmp_path):
    """The region opens the office's package, the applicant's package it forwarded and, after
    it, a lower level's package whose copy of its own applicant's record was altered."""
    region, office, bottom, wrap = levels
    applicant = make_installation("applicant6")
    applicant.store.save(make_record(6))
    bottom6 = tmp_path / "申报人6.rpu"
    pack(applicant.store, [], bottom6, identity=applicant.identity,
         recipients=[office.public, region.public], today=TODAY)
    office.store.save(make_record(6, achievements="单位改写的成果"))
    lower = wrap(bottom6, "下级.rpu")
    chain = read_chain(wrap(bottom, "外层.rpu", lower), region.identity)
    assert [c.name for c in chain.root.children] == ["packages/申报人.rpu", "packages/下级.rpu"]
    [problem] = chain.problems
    assert problem.startswith("包头稀土研究院") and "主要学术技术成就" in problem


def test_every_package_past_the_depth_cap_is_named(levels, tmp_path):
    region, office, bottom, wrap = levels
    twin = tmp_path / "申报人副本.rpu"
    twin.write_bytes(bottom.read_bytes())
    inner = wrap(bottom, "L1.rpu", twin)
    for n in range(2, MAX_DEPTH + 1):
        inner = wrap(inner, f"L{n}.rpu")
    chain = read_chain(inner, region.identity)
    assert chain.problems == [f"内层报送包 packages/{p.name} 无法校验：嵌套层数过多"
                              for p in (bottom, twin)]


def test_a_nested_package_sealed_for_others_is_noted_with_its_signer(levels, make_installation,
                                                                     tmp_path):
    region, office, bottom, wrap = levels
    other = make_installation("other", "盟市/厅局", "别处", "包头市")
    applicant = make_installation("applicant2")
    applicant.store.save(make_record(5))
    sealed = tmp_path / "别人的.rpu"
    pack(applicant.store, [], sealed, identity=applicant.identity, recipients=[other.public],
         today=TODAY)
    chain = read_chain(wrap(sealed, "外层.rpu"), region.identity)
    assert chain.ok and not chain.passed
    who = short(applicant.identity.fingerprint)
    assert chain.notes == [f"内层报送包 packages/别人的.rpu（签名 {who}）未加密给本机，本机无法打开核对"]
    [child] = chain.root.children
    assert child.sealed and child.signer == applicant.identity.fingerprint
    assert child.sha256 == file_sha256(sealed)


def test_a_signed_record_without_name_or_id_number_shows_blanks(levels, tmp_path):
    """A sender's software may sign a record missing the keys every form has: the chain still
    reads it and shows them empty (text and JSON), never "None"."""
    from collector.common.fingerprint import canonical_json
    from collector.exchange.packing import candidate_part_name
    from collector.rpu.writer import write_package

    region, office, _, _ = levels
    out = tmp_path / "缺项.rpu"
    record = {"program_year": 2017, "achievements": "只有成果"}
    write_package(out, [Part.from_bytes(candidate_part_name("x" * 32), "candidate",
                                        canonical_json(record))],
                  identity=office.identity, recipients=[region.public], program_year=2017,
                  role="单位", unit="包头稀土研究院")
    chain = read_chain(out, region.identity)
    assert chain.to_json()["root"]["candidates"] == [
        {"name": "", "id_number": "", "source": "", "superseded": False}]
    assert chain.notes == ["（）没有申报人本人签名的报送包，由包头稀土研究院录入"]
    from collector.rpu.reader import inspect

    assert chain.lines() == [
        f"✔ 缺项.rpu  签名 {short(office.identity.fingerprint)}  单位 包头稀土研究院  "
        f"{inspect(out)['created']}",  # no names: no 候选人 list
        "说明：（）没有申报人本人签名的报送包，由包头稀土研究院录入",
        "签名链：各层签名有效（打开 1 个报送包），但有候选人不能核对到申报人本人签名：",
        f"来源：（）：无法核对——包头稀土研究院（{short(office.identity.fingerprint)}）"
        "的报送包没有注明该人选取自哪个报送包"]


def test_a_padded_id_number_is_keyed_as_the_chain_keys_it(levels, tmp_path):
    """A sender's software may sign an ID number with spaces or a lower-case x: the chain and
    the provenance key the candidate alike, so the report still says where it comes from."""
    from collector.common.fingerprint import canonical_json
    from collector.exchange.packing import candidate_part_name
    from collector.rpu.writer import write_package

    region, office, _, _ = levels
    out = tmp_path / "空格.rpu"
    record = {"program_year": 2017, "name": "王五", "id_number": " 15010219800101001x "}
    write_package(out, [Part.from_bytes(candidate_part_name("z" * 32), "candidate",
                                        canonical_json(record))],
                  identity=office.identity, recipients=[region.public], program_year=2017,
                  role="单位", unit="包头稀土研究院")
    chain = read_chain(out, region.identity)
    assert list(chain.provenance) == ["15010219800101001X"]
    assert chain.lines()[-1] == (f"来源：王五（15010219800101001X）：无法核对——包头稀土研究院"
                                 f"（{short(office.identity.fingerprint)}）的报送包没有注明该人选"
                                 "取自哪个报送包")


def test_a_level_that_drops_or_adds_a_field_is_caught(levels, tmp_path):
    """Compared over the fields of both copies: a key the level dropped (here the name) or
    added is a difference like a changed value, each named."""
    from collector.common.fingerprint import canonical_json
    from collector.exchange.packing import candidate_part_name
    from collector.rpu.reader import open_package
    from collector.rpu.writer import write_package

    region, office, bottom, _ = levels
    signed = open_package(bottom, region.identity).candidates[0]
    changed = {k: v for k, v in signed.items() if k != "name"}
    changed["extra_claim"] = "单位加上的说明"
    out = tmp_path / "改字段.rpu"
    write_package(out, [Part.from_bytes(candidate_part_name("y" * 32), "candidate",
                                        canonical_json(changed)),
                        Part.from_file(f"packages/{bottom.name}", "package", bottom)],
                  identity=office.identity, recipients=[region.public], program_year=2017,
                  role="单位", unit="包头稀土研究院")
    chain = read_chain(out, region.identity)
    assert chain.problems == [f"包头稀土研究院（{short(office.identity.fingerprint)}）报送的 "
                              "与申报人签名的数据不一致：extra_claim、姓名"]
