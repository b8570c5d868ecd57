"""An office cannot send upward a candidate the notice routes elsewhere: a non-public unit's
candidate filed through a 区直单位 (CHANNEL) is named before packing and the package is refused."""

from __future__ import annotations

import json

import pytest

from collector.office import decisions
from collector.office.package import OfficePackRefused, pack_office, preflight
from collector.office.profile import load_profile, save_profile
from tests.conftest import make_record
from tests.office.conftest import TODAY

DEPARTMENT = {"kind": "区直单位", "name": "内蒙古大学"}


def misrouted(i: int = 1) -> dict:
    return make_record(i, channel=dict(DEPARTMENT), employer_type="非公有制企业")


def test_preflight_names_the_misrouted_candidate(store):
    save_profile(store, role="盟市/厅局", unit="内蒙古大学", channel_name="内蒙古大学")
    record = misrouted()
    decisions.decide(store, store.save(record), "推荐")
    public = make_record(2, channel=dict(DEPARTMENT), employer_type="高等院校", unit_ownership="全民")
    decisions.decide(store, store.save(public), "推荐")
    ids, blocking, _ = preflight(store, load_profile(store), TODAY)
    assert len(ids) == 2
    assert [(f.rule, f.field) for f in blocking] == [("CHANNEL", "channel.kind")]
    assert blocking[0].message.startswith(f"{record['name']}：单位性质为“非公有制企业”的人选不能通过")


def test_pack_office_refuses_and_writes_nothing(store, tmp_path):
    save_profile(store, role="盟市/厅局", unit="内蒙古大学", channel_name="内蒙古大学")
    decisions.decide(store, store.save(misrouted()), "推荐")
    out = tmp_path / "office.rpu"
    with pytest.raises(OfficePackRefused, match="CHANNEL") as err:
        pack_office(store, out, identity=None, today=TODAY)  # refused before the key is needed
    assert [f.rule for f in err.value.findings] == ["CHANNEL"]
    assert not out.exists()


def test_cli_pack_office_exits_1_naming_the_rule(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "x-secret")
    assert cli("role", "--set", "盟市/厅局", "--unit", "内蒙古大学", "--channel", "内蒙古大学").code == 0
    assert cli("keys", "generate").code == 0
    src = tmp_path / "r.json"
    src.write_text(json.dumps(misrouted(), ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", src).code == 0
    assert cli("decide", misrouted()["id_number"], "推荐").code == 0
    r = cli("pack-office", "--out", tmp_path / "u.rpu", "--today", "2017-04-20")
    assert r.code == 1 and "CHANNEL" in r.err and "盟市" in r.err
    assert not (tmp_path / "u.rpu").exists()
