"""The year's configuration package (issue 25): signed by the region, taken once after checking
its fingerprint, replaced only by a newer one from the same key; it tells every installation
whom to encrypt to, so each level can verify its own applicants."""

from __future__ import annotations

import json

import pytest

from collector.office import year_config
from collector.exchange.provenance import VERIFIED
from collector.exchange.provenance import of as provenance_of
from collector.exchange.keyring import generate_identity, load_identity
from collector.storage.store import Store
from tests.office.conftest import PASS


@pytest.fixture
def fresh(tmp_path):
    with Store(tmp_path / "fresh.db") as store:
        yield store


def test_the_first_import_needs_the_fingerprint_from_the_notice(province_walk, fresh):
    p = province_walk.province
    with pytest.raises(year_config.ConfigRefused, match="请输入通知或函件中印发的自治区密钥指纹"):
        year_config.import_config(fresh, p.config)
    with pytest.raises(year_config.ConfigRefused, match="不符"):
        year_config.import_config(fresh, p.config, "ABCD-ABCD-ABCD-ABCD-ABCD")
    assert year_config.current_config(fresh) is None  # nothing taken on a refusal
    got = year_config.import_config(fresh, p.config, p.region_fingerprint[:20])
    assert got.serial == 1 and len(got.offices) == 3
    assert {e.unit for e in got.offices} == {o.name for o in p.offices.values()}


def test_a_changed_configuration_is_refused(province_walk, fresh, tmp_path):
    p = province_walk.province
    raw = json.loads(p.config.read_text(encoding="utf-8"))
    raw["payload"]["register"][0]["unit"] = "冒名的盟市"
    bad = tmp_path / "bad.tcy"
    bad.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(year_config.ConfigRefused, match="签名无效"):
        year_config.import_config(fresh, bad, p.region_fingerprint)


def test_only_a_newer_configuration_from_the_same_region_key_replaces_it(province_walk, fresh,
                                                                         tmp_path):
    p = province_walk.province
    year_config.import_config(fresh, p.config, p.region_fingerprint)
    with pytest.raises(year_config.ConfigRefused, match="不比它新"):
        year_config.import_config(fresh, p.config)
    with Store(province_walk.fresh_region(tmp_path / "region")) as region:
        newer = tmp_path / "newer.tcy"
        year_config.make_config(region, load_identity(region, PASS), newer)
    assert year_config.import_config(fresh, newer).serial == 2
    # A stranger's "region" with a higher serial is not the region this installation trusts.
    with Store(tmp_path / "stranger.db") as stranger:
        identity = generate_identity(stranger, PASS, "自治区", "自治区")
        from collector.office.profile import save_profile

        save_profile(stranger, role="自治区", unit="自治区人社厅")
        forged = tmp_path / "forged.tcy"
        year_config.make_config(stranger, identity, forged, serial=99)
    with pytest.raises(year_config.ConfigRefused, match="不是本机已认可的自治区密钥"):
        year_config.import_config(fresh, forged)
    assert year_config.current_config(fresh).serial == 2


def test_each_level_can_open_and_verify_its_applicants(province_walk):
    """Encrypted by default to every office above the sender: the 盟市 sees 申报人签名已核对 for
    the applicants of its units (before, 无法核对 for all of them)."""
    p = province_walk.province
    for office in ("包头市", "呼和浩特市", "自治区农牧业厅"):
        with Store(p.offices[office].db) as store:
            assert {provenance_of(c).klass for c in store.all()} == {VERIFIED}, office


def test_a_configuration_edited_in_the_database_is_not_used(province_walk, fresh):
    """Re-checked on every read: a register entry slipped into the stored configuration (an
    edited database, a restored backup) is no configuration at all."""
    p = province_walk.province
    year_config.import_config(fresh, p.config, p.region_fingerprint)
    raw = fresh.get_setting(year_config.SETTING)
    raw["payload"]["register"][0]["unit"] = "冒名的盟市"
    fresh.set_setting(year_config.SETTING, raw)
    assert year_config.current_config(fresh) is None
