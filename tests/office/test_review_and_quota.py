"""Roles, decisions and opinions, quotas (QUOTA blocks the office package), DEADLINE warns."""

from __future__ import annotations

import datetime as dt

import pytest

from collector.common.errors import InputError
from collector.office import decisions, inbox
from collector.office.package import OfficePackRefused, pack_office, preflight
from collector.office.profile import load_profile, role_key, save_profile
from collector.office.quota import quota_view
from collector.record.year import load_year
from tests.conftest import make_record
from tests.office.conftest import TODAY

# The year's values, read from the rules (a copy with others runs these tests too, issue 24).
YEAR = load_year()
LEAGUE, DEPT, REGION = YEAR.quotas["盟市"], YEAR.quotas["区直单位"], YEAR.region_quota
DEADLINE, DAY = YEAR.deadline, dt.timedelta(days=1)


def _recommend(store, records):
    for rec in records:
        cid = store.save(rec)
        decisions.decide(store, cid, "推荐")


def test_role_spellings_and_profile_round_trip(store):
    assert role_key("盟市/厅局") == role_key("office") == "office"
    assert role_key("个人") == "applicant"
    with pytest.raises(InputError, match="角色"):
        role_key("校长")
    save_profile(store, role="盟市/厅局", unit="包头市人社局", channel_name="包头市")
    p = load_profile(store)
    assert (p.role, p.unit, p.channel) == ("office", "包头市人社局", {"kind": "盟市", "name": "包头市"})
    assert store.get_setting("profile")["role"] == "office"  # as ui.profile writes it
    with pytest.raises(InputError, match="名单"):
        save_profile(store, channel_name="火星市")


def test_decisions_need_a_reason_to_reject(store):
    cid = store.save(make_record(1))
    with pytest.raises(InputError, match="理由"):
        decisions.decide(store, cid, "不推荐")
    with pytest.raises(InputError, match="推荐 或 不推荐"):
        decisions.decide(store, cid, "待定")
    d = decisions.decide(store, cid, "不推荐", "年龄超限")
    assert d.reason == "年龄超限" and decisions.selected_ids(store) == []
    decisions.decide(store, cid, "推荐")
    assert decisions.selected_ids(store) == [cid]
    assert any(a["action"] == "decision" for a in store.audit(cid))


def test_unit_opinion_goes_into_the_record_office_opinion_beside_it(store):
    cid = store.save(make_record(1))
    save_profile(store, role="单位", unit="U", channel_name="包头市")
    decisions.set_opinion(store, cid, "同意推荐。", load_profile(store), today=TODAY)
    assert store.get(cid).data["unit_opinion"] == {"text": "同意推荐。", "date": "2017-04-20"}
    save_profile(store, role="盟市/厅局")
    decisions.set_opinion(store, cid, "经研究同意。", load_profile(store))
    assert decisions.get_decision(store, cid).opinion == "经研究同意。"
    with pytest.raises(InputError, match="上限"):
        decisions.set_opinion(store, cid, "长" * 501, load_profile(store))


def test_league_over_quota_blocks_the_office_package(store, tmp_path):
    save_profile(store, role="盟市/厅局", unit="包头市人社局", channel_name="包头市")
    _recommend(store, [make_record(i, channel={"kind": "盟市", "name": "包头市"})
                       for i in range(LEAGUE + 1)])
    view = quota_view(store, load_profile(store))
    assert view.blocked and view.rows[0].recommended == LEAGUE + 1
    assert view.rows[0].quota == LEAGUE
    assert f"超过盟市名额上限{LEAGUE}人" in view.findings[0].message
    out = tmp_path / "office.rpu"
    with pytest.raises(OfficePackRefused, match="QUOTA") as err:
        pack_office(store, out, identity=None, today=TODAY)
    assert err.value.findings[0].rule == "QUOTA"
    assert not out.exists()


def test_department_quota_blocks_one_over(store):
    save_profile(store, role="盟市/厅局", unit="内蒙古大学", channel_name="内蒙古大学")
    _recommend(store, [make_record(i, channel={"kind": "区直单位", "name": "内蒙古大学"})
                       for i in range(DEPT + 1)])
    view = quota_view(store, load_profile(store))
    assert view.blocked and f"区直单位名额上限{DEPT}人" in view.findings[0].message


def test_region_sees_the_region_total(store):
    save_profile(store, role="自治区", unit="自治区")
    names = YEAR.channels["盟市"]
    _recommend(store, [make_record(i, channel={"kind": "盟市", "name": names[i % len(names)]})
                       for i in range(REGION + 1)])
    view = quota_view(store, load_profile(store))
    assert view.region_quota == REGION and view.total == REGION + 1
    assert f"全区合计：推荐 {REGION + 1} / 名额 {REGION}" in view.lines()
    assert any(f"全区名额{REGION}人" in f.message for f in view.findings)


def test_nothing_recommended_is_refused(store, tmp_path):
    save_profile(store, role="单位", unit="U", channel_name="包头市")
    store.save(make_record(1))
    with pytest.raises(OfficePackRefused, match="还没有标记"):
        pack_office(store, tmp_path / "x.rpu", identity=None, today=TODAY)


def test_applicant_role_cannot_pack_an_office_package(store, tmp_path):
    with pytest.raises(InputError, match="角色"):
        pack_office(store, tmp_path / "x.rpu", identity=None)


def test_packing_after_the_deadline_warns(store):
    save_profile(store, role="单位", unit="U", channel_name="包头市")
    _, blocking, warnings = preflight(store, today=DEADLINE + DAY)
    assert not blocking and [w.rule for w in warnings] == ["DEADLINE"]
    assert DEADLINE.isoformat() in warnings[0].message
    assert preflight(store, today=DEADLINE)[2] == []


def test_cli_role_shows_the_deadline_and_pack_office_warns(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "x-secret")
    r = cli("role", "--set", "单位", "--unit", "包头稀土研究院", "--channel", "包头市")
    assert r.code == 0 and DEADLINE.isoformat() in r.out
    assert cli("keys", "generate").code == 0
    src = tmp_path / "r.json"
    import json

    src.write_text(json.dumps(make_record(1, channel={"kind": "盟市", "name": "包头市"}),
                              ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", src).code == 0
    r = cli("decide", make_record(1)["id_number"], "推荐")
    assert r.code == 0
    r = cli("pack-office", "--out", tmp_path / "u.rpu", "--today", str(DEADLINE + 2 * DAY))
    assert r.code == 0, r.err
    assert "DEADLINE" in r.err and (tmp_path / "u.rpu").is_file()
    r = cli("quota", "--json")
    assert r.code == 0 and '"recommended": 1' in r.out
    r = cli("inbox", tmp_path / "nothing.txt")
    assert r.code == 2 and "不存在" in r.err  # as every command says of a missing file


def test_inbox_lists_received_packages(store):
    assert inbox.list_inbox(store) == [] and inbox.duplicates(store) == []


def test_disc_over_quota_is_refused_and_writes_nothing(cli, monkeypatch, tmp_path):
    import json

    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "x-secret")
    assert cli("role", "--set", "盟市/厅局", "--unit", "包头市人社局", "--channel", "包头市").code == 0
    assert cli("keys", "generate").code == 0
    records = [make_record(i, channel={"kind": "盟市", "name": "包头市"}) for i in range(LEAGUE + 1)]
    src = tmp_path / "r.json"
    src.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", src).code == 0
    for rec in records:
        assert cli("decide", rec["id_number"], "推荐").code == 0
    r = cli("disc", "--out", tmp_path / "disc", "--iso", tmp_path / "d.iso")
    assert r.code == 1 and "QUOTA" in r.out + r.err and f"超过盟市名额上限{LEAGUE}人" in r.out + r.err
    assert not (tmp_path / "disc").exists() and not (tmp_path / "d.iso").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_office_level_follows_the_channel_kind(store, tmp_path):
    from collector.office.package import sender_role

    save_profile(store, role="盟市/厅局", unit="自治区教育厅", channel_name="自治区教育厅")
    assert load_profile(store).level_label() == sender_role(load_profile(store)) == "厅局"
    save_profile(store, role="盟市/厅局", unit="赤峰市人社局", channel_name="赤峰市")
    assert sender_role(load_profile(store)) == "盟市"
    # A channel typed without its kind (the settings' name box is editable): found in the lists.
    store.set_setting("profile", {"role": "office", "unit": "X",
                                  "channel": {"kind": "", "name": "内蒙古大学"}})
    assert sender_role(load_profile(store)) == "厅局"
    # Nothing says which: the package is refused with what to do, not labelled 盟市.
    store.set_setting("profile", {"role": "office", "unit": "某局", "channel": {}})
    with pytest.raises(InputError, match="推荐渠道"):
        sender_role(load_profile(store))
    _recommend(store, [make_record(1, channel={"kind": "盟市", "name": "包头市"})])
    _ids, blocking, _warnings = preflight(store)
    assert [f.rule for f in blocking] == ["CHANNEL"]
    with pytest.raises(OfficePackRefused, match="推荐渠道"):
        pack_office(store, tmp_path / "x.rpu", identity=None, today=TODAY)
    assert not (tmp_path / "x.rpu").exists()
    save_profile(store, role="单位", unit="U")
    assert sender_role(load_profile(store)) == "单位"
