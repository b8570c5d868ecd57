"""The chain's notes and problems about where a candidate was taken, read in full: the copy
superseded by 以此份替换, a record the office says it entered itself (the same, or altered, as
the applicant's signed copy it also nests), and a candidate no applicant signed."""

from __future__ import annotations

from collector.exchange.chain import _base, read_chain
from collector.rpu import open_package
from collector.office.replace import replace
from tests.conftest import make_record
from tests.office.test_chain_sources import _forged, _office_package, world  # noqa: F401

A, B = "packages/001-甲单位.rpu", "packages/002-乙.rpu"


def test_the_superseded_copy_is_noted_with_the_package_it_came_from(world, tmp_path):  # noqa: F811
    w = world
    replace(w["office"].store, w["x"], "乙.rpu", w["office"].identity, "乙份材料更完整")
    chain = read_chain(_office_package(w, tmp_path), w["region"].identity)
    name = make_record(5)["name"]
    [note] = [n for n in chain.notes if "未采用" in n]
    [unit_child] = [c for c in chain.root.children if "甲单位" in c.name]
    [b_child] = [c for c in chain.root.children if "乙" in c.name]
    assert note == (f"{name}（{w['x']}）：内层报送包 {_base(unit_child.name)} 中的一份已被替换，"
                    f"未采用；包头市人社局报送的是取自 {_base(b_child.name)} 的一份")


def test_an_unaltered_record_claimed_as_entered_here_is_noted_as_such(world, tmp_path):  # noqa: F811
    w = world
    chain = _forged(w, tmp_path, {w["x"]: {"package": B}, w["y"]: {"package": None}})
    assert chain.ok, chain.problems
    name = make_record(6)["name"]
    assert f"{name}（{w['y']}）：内层报送包 {_base(A)} 中的一份已被替换，未采用；" \
           "包头市人社局报送的是本级录入的一份" in chain.notes, chain.notes
    assert f"{name}（{w['y']}）没有申报人本人签名的报送包，由包头市人社局录入" in chain.notes


def test_an_altered_record_claimed_as_entered_here_names_the_package_and_the_fields(
        world, tmp_path):  # noqa: F811
    w = world
    chain = _forged(w, tmp_path, {w["x"]: {"package": None}, w["y"]: {"package": A}},
                    change_x="盟市改写的成果")
    name = make_record(5)["name"]
    who = chain.root.who
    assert not chain.ok
    assert f"{who}报送的{name}（{w['x']}）注明为本级录入，但内层报送包 {_base(A)} 中有另一份" \
           "签名数据，二者不一致：主要学术技术成就；请向报送方核实" in chain.problems, chain.problems


def test_a_record_a_hand_made_package_left_without_a_name_is_named_empty_not_none():
    from collector.exchange.provenance import record_name as _name

    assert _name({"name": "张三"}) == "张三"
    assert _name({}) == _name({"name": None}) == ""


def test_a_sender_without_a_unit_is_shown_by_name_and_sealed_packages_keep_their_time(
        world, tmp_path):  # noqa: F811
    from collector.exchange.keyring import generate_identity
    from collector.rpu import inspect
    from collector.exchange.packing import pack
    from collector.storage.store import Store
    from tests.office.conftest import TODAY

    w = world
    with Store(tmp_path / "solo.db") as solo:
        me = generate_identity(solo, "solo-passphrase", "王五", "")
        solo.save(make_record(3))
        out = tmp_path / "solo.rpu"
        pack(solo, [], out, identity=me, recipients=[w["office"].public], today=TODAY)
    root = read_chain(out, w["office"].identity).root
    assert root.unit == "王五" and root.who.startswith("王五（")

    unit_level = read_chain(w["a"], w["office"].identity).root  # X and Y are sealed to others
    sealed = [c for c in unit_level.children if c.sealed]
    assert len(sealed) == 2
    pkg = open_package(w["a"], w["office"].identity)
    for n, child in enumerate(sealed):
        inner = pkg.extract_part(child.name, tmp_path / f"inner-{n}.rpu")
        assert child.created == inspect(inner)["created"] != ""


def _order(chain):
    """The unit package's candidates are X then Y (the notes below rely on that order)."""
    [unit_child] = [c for c in chain.root.children if c.name == A]
    return [r["id_number"] for r in unit_child.candidates]


def test_a_package_that_does_not_open_leaves_the_next_ones_copies_noted(world, tmp_path):  # noqa: F811
    w = world
    damaged = tmp_path / "坏.rpu"
    raw = bytearray(w["b"].read_bytes())
    raw[len(raw) // 2] ^= 0x01
    damaged.write_bytes(bytes(raw))
    chain = _forged(w, tmp_path, {w["x"]: {"package": B}, w["y"]: {"package": A}},
                    first=[("packages/000-坏.rpu", damaged)])
    assert [c.ok for c in chain.root.children] == [False, True, True]
    assert any(n.startswith(f"{make_record(5)['name']}（{w['x']}）：内层报送包 {_base(A)} 中的一份"
                            "已被替换") for n in chain.notes), chain.notes


def test_a_copy_taken_from_its_own_package_leaves_the_next_one_noted(world, tmp_path):  # noqa: F811
    w = world
    chain = _forged(w, tmp_path, {w["x"]: {"package": A}, w["y"]: {"package": None}})
    assert _order(chain) == [w["x"], w["y"]]
    assert f"{make_record(6)['name']}（{w['y']}）：内层报送包 {_base(A)} 中的一份已被替换，未采用；" \
           "包头市人社局报送的是本级录入的一份" in chain.notes, chain.notes


def test_an_altered_record_entered_here_names_every_field_and_the_next_is_still_noted(
        world, tmp_path):  # noqa: F811
    w = world
    chain = _forged(w, tmp_path, {w["x"]: {"package": None}, w["y"]: {"package": None}},
                    change_x="盟市改写的成果", more_x={"major": "盟市改写的专业"})
    assert _order(chain) == [w["x"], w["y"]]
    who = chain.root.who
    assert f"{who}报送的{make_record(5)['name']}（{w['x']}）注明为本级录入，但内层报送包 {_base(A)} " \
           "中有另一份签名数据，二者不一致：主要学术技术成就、所学专业；请向报送方核实" in chain.problems
    assert f"{make_record(6)['name']}（{w['y']}）：内层报送包 {_base(A)} 中的一份已被替换，未采用；" \
           "包头市人社局报送的是本级录入的一份" in chain.notes, chain.notes

