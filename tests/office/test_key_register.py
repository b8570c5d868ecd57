"""The root of trust (issue 25): a key register the region keeps and hands down. Each attack of
the review, performed on the province shape: an outsider's invented chain, a 盟市 calling itself
a unit, a unit vouching for a key it minted. Level, unit and channel come from the register."""

from __future__ import annotations

import shutil

import pytest

from collector.common.errors import InputError
from collector.common.fingerprint import short
from collector.office import decisions, inbox, register
from collector.exchange.admission import hold_reason
from collector.office.duplicates import open_duplicates
from collector.office.package import pack_office, write_level_package
from collector.office.profile import load_profile, save_profile
from collector.exchange.provenance import VERIFIED
from collector.exchange.provenance import of as provenance_of
from collector.exchange.keyring import generate_identity, load_identity
from collector.exchange.packing import pack
from collector.storage.store import Store, strip_meta
from tests.conftest import make_record
from tests.office.conftest import PASS, TODAY

BAOTOU = {"kind": "盟市", "name": "包头市"}


@pytest.fixture
def region(province_walk, tmp_path):
    """A region that has received nothing yet (its register and configuration are in place)."""
    return province_walk.province, province_walk.fresh_region(tmp_path / "region")


def _region_public(p):
    with Store(p.region.db) as store:
        return load_identity(store, PASS).public


def _mint(folder, name, role="个人", unit="", channel=None):
    store = Store(folder / name / "collector.db")
    identity = generate_identity(store, PASS, name, unit or name)
    if role != "个人":
        save_profile(store, role=role, unit=unit or name, channel_name=channel)
    return store, identity


def _import(db, path):
    with Store(db) as store:
        entry = inbox.import_many(store, [path], load_identity(store, PASS)).entries[0]
        cands = list(store.all())
        held = {c.name: hold_reason(store, c) for c in cands}
    return entry, cands, held


def test_an_outsiders_invented_chain_is_held_never_passed(region, tmp_path, cli, monkeypatch):
    """Anyone with the program and the region's public key mints a 包头市 office, a unit and an
    applicant and sends an invented candidate: 报送方密钥未登记, not 签名链：通过, no 推荐."""
    p, db = region
    region_key = _region_public(p)
    fake_office, office_id = _mint(tmp_path, "包头市人社局", "盟市/厅局", "包头市人社局（演示）", "包头市")
    fake_unit, unit_id = _mint(tmp_path, "包头稀土研究院", "单位", "包头稀土研究院（演示）", "包头市")
    applicant, applicant_id = _mint(tmp_path, "invented")
    applicant.save(make_record(77, channel=BAOTOU))
    path = tmp_path / "invented.rpu"
    pack(applicant, [], path, identity=applicant_id,
         recipients=[unit_id.public, office_id.public, region_key], today=TODAY)
    inbox.import_many(fake_unit, [path], unit_id)
    for c in fake_unit.all():
        decisions.decide(fake_unit, c.id, decisions.RECOMMEND)
    pack_office(fake_unit, tmp_path / "unit.rpu", identity=unit_id,
                recipients=[office_id.public, region_key], today=TODAY)
    inbox.import_many(fake_office, [tmp_path / "unit.rpu"], office_id)
    for c in fake_office.all():
        decisions.decide(fake_office, c.id, decisions.RECOMMEND)
    pack_office(fake_office, tmp_path / "office.rpu", identity=office_id,
                recipients=[region_key], today=TODAY)
    for s in (fake_office, fake_unit, applicant):
        s.close()

    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    r = cli("inbox", tmp_path / "office.rpu", db=db)
    assert "签名链：通过" not in r.out and "报送方密钥未登记" in r.out, r.out
    number = make_record(77)["id_number"]
    r = cli("decide", number, "推荐", db=db)
    assert r.code == 1 and "报送方密钥未登记" in r.err
    with Store(db) as store:
        prov = provenance_of(store.get(store.id_for_number(number)))
    assert prov.unregistered and "包头市人社局（演示）" in prov.unregistered[0]


def test_a_league_that_calls_itself_a_unit_is_still_a_league(region, tmp_path):
    """A real 盟市 mints an applicant key for an altered record and writes role 单位 in its own
    manifest: the registered level (盟市) decides, so the applicant key needs paper here."""
    p, db = region
    office = p.offices["包头市"]
    copy = tmp_path / "office"
    shutil.copytree(office.db.parent, copy)
    minted, minted_id = _mint(tmp_path, "minted")
    with Store(copy / office.db.name) as store:
        victim = next(store.all())
        minted.save(dict(strip_meta(victim.data), achievements="盟市改写的成果"))
        path = tmp_path / "minted.rpu"
        pack(minted, [], path, identity=minted_id,
             recipients=[load_identity(store, PASS).public, _region_public(p)], today=TODAY)
        got = inbox.import_many(store, [path], load_identity(store, PASS)).entries[0]
        from collector.office.replace import replace

        replace(store, victim.data["id_number"], got.file_name, load_identity(store, PASS),
                "以补充材料为准")
        decisions.decide(store, victim.id, decisions.RECOMMEND)
        save_profile(store, role="单位", unit="包头稀土研究院（演示）", channel_name="包头市")
        out = tmp_path / "league-as-unit.rpu"
        pack_office(store, out, identity=load_identity(store, PASS), today=TODAY)
    minted.close()
    entry, cands, held = _import(db, out)
    assert entry.status == inbox.IMPORTED, entry.reason
    prov = provenance_of(next(c for c in cands if c.data["id_number"] == victim.data["id_number"]))
    assert prov.klass == VERIFIED and "中间没有单位报送包" in prov.paper_needed
    assert "包头市人社局（演示）" in prov.path[0]  # the registered name, not the package's word
    from collector.exchange.chain import read_chain

    with Store(db) as store:
        lines = read_chain(out, load_identity(store, PASS), register=register.entries(store)).lines()
    assert any("盟市 包头市人社局（演示）（报送包自称：单位包头稀土研究院（演示））" in x for x in lines), lines
    assert held[victim.name]  # held until the region's own paper check


def test_the_provenance_says_who_vouches_for_the_applicant_key(province_walk):
    """申报人签名已核对 only means what it says: here the unit checked the applicant's paper."""
    p = province_walk.province
    with Store(p.region.db) as store:
        labels = {provenance_of(c).label() for c in store.all()
                  if c.data["channel"]["name"] == "包头市"}
    assert labels == {f"{VERIFIED}（申报人密钥经包头稀土研究院（演示）纸质核对）",
                      f"{VERIFIED}（申报人密钥经内蒙古科技大学包头医学院（演示）纸质核对）"}


def test_a_unit_registered_by_another_league_is_not_taken_from_a_carried_register(province_walk):
    p = province_walk.province
    with Store(p.offices["呼和浩特市"].db) as store:
        carried = register.carried(store)
    assert {e["channel"]["name"] for e in carried} == {"呼和浩特市"}
    assert all(e["level"] == "单位" for e in carried)


def test_registration_checks_what_the_clerk_typed_against_the_qr(province_walk, tmp_path):
    p = province_walk.province
    with Store(p.offices["包头市"].db) as store:
        fp = load_identity(store, PASS).fingerprint
    qr = register.qr_text(fp, "盟市", "包头市")
    with Store(tmp_path / "x.db") as store:
        with pytest.raises(InputError, match="只有自治区"):  # an applicant's install registers none
            register.register_key(store, qr, unit="包头市人社局")
        save_profile(store, role="自治区", unit="自治区人社厅")
        with pytest.raises(InputError, match="不一致"):
            register.register_key(store, qr, unit="包头市人社局", level="厅局")
        with pytest.raises(InputError, match="单位名称"):
            register.register_key(store, qr)
        with pytest.raises(InputError, match="完整的 64 位"):
            register.register_key(store, fp[:32], unit="x", level="盟市", channel_name="包头市")
        entry = register.register_key(store, qr, unit="包头市人社局")
        assert (entry.level, entry.channel["name"], entry.fingerprint) == ("盟市", "包头市", fp)


def test_a_unit_that_re_signs_its_applicant_with_a_minted_key_is_named_as_the_voucher(
        province_walk, tmp_path):
    """A hostile (registered) unit mints a key for its own applicant, re-signs an altered record
    and takes it instead (以此份替换). The region says who vouches for that key (the unit,
    without a paper check), and the applicant's real signed form no longer matches: held."""
    from collector.office import paper
    from collector.office.replace import replace
    from collector.office.year_config import recipients_for

    p = province_walk.province
    unit = p.units["包头稀土研究院（演示）"]
    unit_copy = tmp_path / "unit"
    shutil.copytree(unit.db.parent, unit_copy)
    minted, minted_id = _mint(tmp_path, "minted")
    with Store(unit_copy / unit.db.name) as store:
        identity = load_identity(store, PASS)
        victim = next(store.all())
        minted.save(dict(strip_meta(victim.data), achievements="单位改写的成果"))
        path = tmp_path / "re-signed.rpu"
        pack(minted, [], path, identity=minted_id,
             recipients=[identity.public, _region_public(p)], today=TODAY)
        got = inbox.import_many(store, [path], identity).entries[0]
        replace(store, victim.data["id_number"], got.file_name, identity, "申报人补充")
        assert paper.status_of(store, victim.id) == paper.MISSING  # its earlier match is void
        for c in store.all():
            decisions.decide(store, c.id, decisions.RECOMMEND)
        unit_pkg = tmp_path / "unit.rpu"
        pack_office(store, unit_pkg, identity=identity, recipients=recipients_for(store),
                    today=TODAY)
    minted.close()
    office_copy = tmp_path / "office"
    office = p.offices["包头市"]
    shutil.copytree(office.db.parent, office_copy)
    with Store(office_copy / office.db.name) as store:
        # the 盟市 takes the unit's new package (an honest 盟市, deceived by its unit)
        identity = load_identity(store, PASS)
        got = inbox.import_many(store, [unit_pkg], identity).entries[0]
        for d in open_duplicates(store):
            replace(store, d.id_number, got.file_name, identity, "单位重新报送")
        out = tmp_path / "league.rpu"
        write_level_package(store, [store.id_for_number(victim.data["id_number"])], out,
                            identity=identity, recipients=[_region_public(p)],
                            profile=load_profile(store), warnings=[], today=TODAY)
    entry, cands, held = _import(province_walk.fresh_region(tmp_path / "region"), out)
    assert entry.status == inbox.IMPORTED, entry.reason
    [cand] = cands
    prov = provenance_of(cand)
    assert prov.label() == f"{VERIFIED}（申报人密钥由包头稀土研究院（演示）转报，未注明纸质核对）"
    assert prov.applicant_key == minted_id.fingerprint
    assert held[cand.name]


def _region_store(tmp_path):
    store = Store(tmp_path / "r.db")
    save_profile(store, role="自治区", unit="自治区人社厅")
    return store


def test_one_channel_has_one_office_key_and_every_registration_names_its_channel(tmp_path):
    """A second "呼和浩特市" key (it would read every package of that channel once the
    configuration lists it) is refused; so is an office registered without a channel."""
    with _region_store(tmp_path) as store:
        register.register_key(store, register.qr_text("a" * 64, "盟市", "呼和浩特市"), unit="呼和浩特市人社局")
        with pytest.raises(InputError, match="一个渠道只登记一把"):
            register.register_key(store, register.qr_text("b" * 64, "盟市", "呼和浩特市"),
                                  unit="包头市人社局")
        with pytest.raises(InputError, match="推荐渠道"):
            register.register_key(store, "c" * 64, unit="某局", level="盟市")
        with pytest.raises(InputError, match="推荐渠道"):
            register.register_key(store, f"TCK1:{'D' * 64}:M:", unit="某局")


def test_a_unit_name_keeps_no_control_or_direction_characters(tmp_path):
    with _region_store(tmp_path) as store:
        entry = register.register_key(store, register.qr_text("e" * 64, "盟市", "包头市"),
                                      unit="包头\u202e市人社局\x1b[2J\n（演示）")
    assert entry.unit == "包头市人社局[2J（演示）"


def test_a_unit_cannot_register_a_sub_unit_it_minted(province_walk, tmp_path, cli, monkeypatch):
    """Registration is for the 盟市/厅局 and the region: a unit registering a key of its own
    making is refused, and a carried register counts only from a 盟市/厅局 registered here."""
    p = province_walk.province
    unit = p.units["包头稀土研究院（演示）"]
    with Store(unit.db) as store:
        with pytest.raises(InputError, match="只有自治区"):
            register.register_key(store, register.qr_text("f" * 64, "单位", "包头市"), unit="子单位")
        assert register.carried(store) == []
    from collector.exchange.chain import ChainNode
    from collector.exchange.register_check import apply_register

    sub = ChainNode("sub.rpu", True, signer="f" * 64, role="单位", unit="子单位")
    mid = ChainNode("unit.rpu", True, signer="1" * 64, role="单位", unit="包头稀土研究院",
                    children=[sub], carried_register=[register.Registered(
                        "f" * 64, "单位", "子单位", {"kind": "盟市", "name": "包头市"})])
    top = ChainNode("league.rpu", True, signer="2" * 64, role="盟市", unit="包头市人社局",
                    children=[mid], carried_register=[register.Registered(
                        "1" * 64, "单位", "包头稀土研究院", {"kind": "盟市", "name": "包头市"})])
    apply_register(top, [register.Registered("2" * 64, "盟市", "包头市人社局",
                                             {"kind": "盟市", "name": "包头市"})])
    assert not top.unregistered and not mid.unregistered  # the 盟市's own unit
    assert sub.unregistered  # not laundered through the unit's carried register


def test_a_candidate_of_another_channel_sent_by_a_league_is_held(league_with_stranger):
    prov, held = league_with_stranger
    assert prov.mismatched and "包头市" in prov.mismatched[0] and "呼和浩特市" in prov.mismatched[0]
    assert held.startswith("推荐渠道与报送方登记不符")


@pytest.fixture
def league_with_stranger(province_walk, tmp_path):
    """包头市 enters and sends a candidate whose record names 呼和浩特市 (so it would count
    against another 盟市's quota): the registered channel of the sender decides."""
    p = province_walk.province
    office = p.offices["包头市"]
    shutil.copytree(office.db.parent, tmp_path / "office")
    with Store(tmp_path / "office" / office.db.name) as store:
        cid = store.save(make_record(88, channel={"kind": "盟市", "name": "呼和浩特市"}))
        decisions.decide(store, cid, decisions.RECOMMEND)
        out = tmp_path / "league.rpu"
        write_level_package(store, [cid], out, identity=load_identity(store, PASS),
                            recipients=[_region_public(p)], profile=load_profile(store),
                            warnings=[], today=TODAY)
    entry, cands, held = _import(province_walk.fresh_region(tmp_path / "region"), out)
    assert entry.status == inbox.IMPORTED, entry.reason
    [cand] = cands
    return provenance_of(cand), held[cand.name]


def _league_carrying(entry, channel_name="包头市"):
    """A 盟市 package registered here, carrying ``entry`` in its register, nesting a package
    signed by ``entry``'s key."""
    from collector.exchange.chain import ChainNode

    sub = ChainNode("sub.rpu", True, signer=entry.fingerprint, role="单位", unit=entry.unit)
    top = ChainNode("league.rpu", True, signer="2" * 64, role="盟市", unit="包头市人社局",
                    children=[sub], carried_register=[entry])
    here = [register.Registered("2" * 64, "盟市", "包头市人社局",
                                {"kind": "盟市", "name": channel_name})]
    return top, sub, here


@pytest.mark.parametrize("level, channel, taken", [
    ("单位", "包头市", True),       # the 盟市's own unit, in its own channel
    ("单位", "呼和浩特市", False),  # a unit of another channel: not the 盟市's to vouch for
    ("盟市", "包头市", False),      # a carried register vouches for units only
])
def test_a_carried_register_vouches_only_for_units_of_the_carriers_channel(level, channel,
                                                                           taken):
    from collector.exchange.register_check import apply_register

    entry = register.Registered("f" * 64, level, "子单位", {"kind": "盟市", "name": channel})
    top, sub, here = _league_carrying(entry)
    apply_register(top, here)
    assert not top.unregistered
    assert (sub.registered is not None, bool(sub.unregistered)) == (taken, not taken)
    if taken:
        assert (sub.registered.via, sub.unit, sub.role) == (register.CARRIED, "子单位", "单位")


def test_a_unit_registered_here_carries_no_register():
    """Even a unit this installation registered itself cannot vouch for another unit."""
    from collector.exchange.chain import ChainNode
    from collector.exchange.register_check import apply_register

    sub = ChainNode("sub.rpu", True, signer="f" * 64, role="单位", unit="子单位")
    unit = ChainNode("unit.rpu", True, signer="1" * 64, role="单位", unit="包头稀土研究院",
                     children=[sub], carried_register=[register.Registered(
                         "f" * 64, "单位", "子单位", {"kind": "盟市", "name": "包头市"})])
    apply_register(unit, [register.Registered("1" * 64, "单位", "包头稀土研究院",
                                              {"kind": "盟市", "name": "包头市"})])
    assert not unit.unregistered and unit.claimed == ""
    assert sub.registered is None
    assert sub.unregistered == (f"sub.rpu 的签名密钥 {short('f' * 64)} 未在本机或上级的密钥登记中"
                                "登记（报送包自称：单位 子单位）")


def test_what_a_level_said_of_itself_is_kept_only_when_the_register_says_otherwise():
    from collector.exchange.chain import ChainNode
    from collector.exchange.register_check import apply_register

    here = [register.Registered("2" * 64, "盟市", "包头市人社局", {"kind": "盟市", "name": "包头市"})]
    same = ChainNode("league.rpu", True, signer="2" * 64, role="盟市", unit="包头市人社局")
    apply_register(same, here)
    assert same.registered is not None and same.claimed == ""
    other = ChainNode("league.rpu", True, signer="2" * 64, role="盟市", unit="包头市政府")
    apply_register(other, here)
    assert (other.unit, other.claimed) == ("包头市人社局", "盟市包头市政府")
    stranger = ChainNode("stranger.rpu", True, signer="3" * 64, role="盟市", unit="某市人社局")
    apply_register(stranger, here)
    assert stranger.registered is None and stranger.unregistered == (
        f"stranger.rpu 的签名密钥 {short('3' * 64)} 未在本机的密钥登记中登记（报送包自称：盟市 某市人社局）")
