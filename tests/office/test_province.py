"""The normal shape of a province (issue 24): two 盟市 with two units each, a 厅局 with
applicants of its own, the region; each level its own installation and keys. The region
imports one 盟市's disc image and the others' ``.rpu`` and checks everything itself."""

from __future__ import annotations

import shutil

import pytest

from collector import disc
from collector.office import decisions, inbox, paper, province
from collector.exchange.chain import read_chain
from collector.office.package import pack_office
from collector.exchange.provenance import VERIFIED
from collector.exchange.provenance import of as provenance_of
from collector.exchange.keyring import load_identity
from collector.storage.store import Store, strip_meta
from tests.office.conftest import PASS, TODAY


@pytest.fixture
def region_env(monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)


def _shape_counts(p) -> tuple[int, int, int]:
    return len(p.offices), len(p.units), len(p.applicants)


def test_the_province_is_the_real_shape(province_walk):
    p = province_walk.province
    assert _shape_counts(p) == (3, 4, 10)
    keys = set()
    for inst in p.all():
        with Store(inst.db) as store:
            keys.add(load_identity(store, PASS).fingerprint)
    assert len(keys) == len(p.all())  # every level its own installation and its own key
    assert p.sent["包头市"].suffix == ".iso" and p.sent["呼和浩特市"].suffix == ".rpu"


def test_every_candidate_is_verified_and_paper_checked_at_the_region(province_walk):
    p = province_walk.province
    with Store(p.region.db) as store:
        cands = list(store.all())
        assert len(cands) == 10
        assert {provenance_of(c).klass for c in cands} == {VERIFIED}
        assert {paper.status_of(store, c.id) for c in cands} == {paper.MATCHED}
        assert len(decisions.selected_ids(store)) == 10
        channels = {c.data["channel"]["name"] for c in cands}
    assert channels == {"包头市", "呼和浩特市", "自治区农牧业厅"}
    assert p.region_disc is not None and p.region_disc.ok
    with disc.rpu_files_on(p.root / "自治区报送光盘.iso") as files:
        assert len(files) == 1


def test_a_league_package_of_two_units_opens_to_every_applicant(province_walk):
    """The collision this issue found: two unit packages at the same depth each nest packages
    of their own (the chain opened both into one folder: 文件已存在)."""
    p = province_walk.province
    with Store(p.region.db) as store:
        identity = load_identity(store, PASS)
    report = read_chain(p.sent["呼和浩特市"], identity)
    assert report.passed, report.lines()
    levels = [n for n in report.root.walk()]
    assert len(levels) == 1 + 2 + 4
    assert sorted(c.unit for c in report.root.children) == sorted(
        u.name for n, u in p.units.items() if "包头" not in n and "科技大学" not in n)


def test_the_region_imports_the_image_and_packages_on_the_command_line(province_walk, cli,
                                                                       region_env, tmp_path):
    p = province_walk.province
    db = province_walk.fresh_region(tmp_path / "region")
    r = cli("inbox", p.sent["包头市"], p.sent["呼和浩特市"], p.sent["自治区农牧业厅"], db=db)
    assert r.code == 0, r.out + r.err
    assert "导入 3 个" in r.out and "拒收 0 个" in r.out
    assert "文件已存在" not in r.out + r.err
    assert "申报人签名已核对 4 名" in r.out and "申报人签名已核对 2 名" in r.out


def test_import_rpu_takes_a_league_package_of_two_units(province_walk, cli, region_env,
                                                        tmp_path):
    p = province_walk.province
    db = province_walk.fresh_region(tmp_path / "region")
    r = cli("import-rpu", p.sent["呼和浩特市"], db=db)
    assert r.code == 0, r.out + r.err
    with Store(db) as store:
        assert store.count() == 4
        assert {provenance_of(c).klass for c in store.all()} == {VERIFIED}


def test_inspect_chain_lists_every_level_of_a_league_package(province_walk, cli, region_env,
                                                             tmp_path):
    p = province_walk.province
    r = cli("inspect", "--chain", p.sent["呼和浩特市"], db=p.region.db)
    assert r.code == 0, r.out + r.err
    assert r.out.count("✔") == 7 and "签名链校验通过" in r.out


def test_a_league_that_alters_a_candidate_of_its_second_unit_is_caught(province_walk, tmp_path):
    """The attack on the real shape: the 盟市 rewrites one candidate taken from its second
    unit's package; the region refuses the package and names that unit's package."""
    p = province_walk.province
    office = p.offices["呼和浩特市"]
    copy = tmp_path / "office"
    shutil.copytree(office.db.parent, copy)
    second_unit = list(p.units.values())[3]
    with Store(copy / office.db.name) as store:
        victim = next(c for c in store.all()
                      if c.data["employer"] == second_unit.name.replace("（演示）", ""))
        store.save(dict(strip_meta(victim.data), achievements="盟市改写：主持国家重大专项三项"),
                   candidate_id=victim.id)
        decisions.decide(store, victim.id, decisions.RECOMMEND, "改动后")
        identity = load_identity(store, PASS)
        out = tmp_path / "altered.rpu"
        pack_office(store, out, identity=identity, today=TODAY)
    db = province_walk.fresh_region(tmp_path / "region")
    with Store(db) as store:
        entry = inbox.import_many(store, [out], load_identity(store, PASS)).entries[0]
        classes = {c.data["id_number"]: provenance_of(c).klass for c in store.all()}
    # Refused whole, naming the candidate, the field and the unit package it was taken from.
    assert entry.status == inbox.REFUSED and not classes
    assert victim.data["name"] in entry.reason and "主要学术技术成就" in entry.reason
    assert second_unit.name in entry.reason, entry.reason


def test_the_demo_builds_the_province(tmp_path):
    """``collector demo`` walks the same shape, to the region's verified disc."""
    from collector.demo.pipeline import run_demo

    assert run_demo(tmp_path / "demo", count=2) == 0
    root = tmp_path / "demo" / "province"
    assert (root / "自治区报送光盘.iso").is_file()
    assert len(list(root.glob("applicant-*"))) == 10
    assert len(list(root.glob("unit-*"))) == 4 and len(list(root.glob("office-*"))) == 3
    assert province.SHAPE[0].on_disc


def test_the_gui_inbox_imports_the_image_and_packages(province_walk, qtbot, tmp_path):
    """收件箱 → 导入光盘映像 at the region (it failed with 文件已存在 on the real shape)."""
    pytest.importorskip("pytestqt")
    from ui.errors import set_non_blocking
    from ui.office import InboxPage

    set_non_blocking(True)
    p = province_walk.province
    db = province_walk.fresh_region(tmp_path / "region")
    with Store(db) as store:
        page = InboxPage(store)
        qtbot.addWidget(page)
        op = page.import_paths([str(p.sent["包头市"]), str(p.sent["呼和浩特市"]),
                                str(p.sent["自治区农牧业厅"])], passphrase=PASS)
        qtbot.waitUntil(lambda: op.outcome != "running", timeout=60000)
        assert op.outcome == "done", op.error
        assert page.table.rowCount() == 3
        assert {page.table.item(r, 0).text() for r in range(3)} == {"已导入"}
        assert store.count() == 10
        page.close()
