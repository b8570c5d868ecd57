"""A level does not send upward, without a written reason, a candidate of another channel
(包头市 recommending a 呼和浩特市 candidate) or one whose paper check says 不一致 (issue 26)."""

from __future__ import annotations

import json

import pytest

from collector.common.errors import InputError
from collector.common.fingerprint import form_qr_text, record_fingerprint
from collector.office import decisions, inbox, paper
from collector.office import pack_confirm as pc
from collector.office.package import pack_office
from tests.conftest import make_record
from tests.office.conftest import TODAY, applicant_package

BAOTOU = {"kind": "盟市", "name": "包头市"}
HOHHOT = {"kind": "盟市", "name": "呼和浩特市"}


@pytest.fixture
def baotou(make_installation):
    return make_installation("baotou", "盟市/厅局", "包头市人力资源和社会保障局", "包头市")


def test_an_out_of_channel_candidate_blocks_the_package_until_confirmed(baotou, tmp_path):
    store = baotou.store
    own = store.save(make_record(1, channel=dict(BAOTOU)))
    other = store.save(make_record(2, channel=dict(HOHHOT)))
    for cid in (own, other):
        decisions.decide(store, cid, "推荐")
    found = pc.concerns(store)
    assert [(c.candidate_id, c.kind, c.confirmed) for c in found] == [(other, pc.OUT_OF_CHANNEL,
                                                                      False)]
    assert "呼和浩特市" in found[0].message and "包头市" in found[0].message
    out = tmp_path / "baotou.rpu"
    with pytest.raises(pc.PackNotConfirmed, match="呼和浩特市") as err:
        pack_office(store, out, identity=baotou.identity, today=TODAY)
    assert [c.candidate_id for c in err.value.concerns] == [other] and not out.exists()
    with pytest.raises(InputError, match="理由"):
        pc.confirm(store, found[0], "  ")
    pc.confirm(store, found[0], "该同志已调入包头市，经两市人社局协商由包头市推荐")
    result = pack_office(store, out, identity=baotou.identity, today=TODAY)
    assert out.is_file() and len(result.pack.candidates) == 2
    audit = store.db.execute("SELECT new FROM audit WHERE action='pack_confirm'").fetchall()
    assert len(audit) == 1 and "调入包头市" in audit[0][0]

    # A confirmation holds for what it was about: a changed channel asks again.
    rec = store.get(other).data
    store.save(dict(rec, channel={"kind": "盟市", "name": "赤峰市"}), candidate_id=other)
    assert not pc.concerns(store)[0].confirmed


@pytest.fixture
def unit_with_mismatch(make_installation, tmp_path):
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    a = make_installation("a")
    path = applicant_package(a, tmp_path / "a.rpu", [unit.public], 1, channel=dict(BAOTOU))
    inbox.import_many(unit.store, [path], unit.identity)
    rec = next(a.store.all()).data
    wrong = form_qr_text(record_fingerprint(dict(rec, discipline="改过")), a.identity.fingerprint,
                         rec["id_number"])
    assert paper.check_scan(unit.store, wrong).status == paper.MISMATCH
    cid = next(unit.store.all()).id
    decisions.decide(unit.store, cid, "推荐")
    return unit, a, rec, cid


def test_a_paper_mismatch_blocks_the_unit_package_and_a_matching_scan_clears_it(
        unit_with_mismatch, tmp_path):
    unit, a, rec, cid = unit_with_mismatch
    with pytest.raises(pc.PackNotConfirmed, match="纸质登记表与电子数据核对不一致"):
        pack_office(unit.store, tmp_path / "u.rpu", identity=unit.identity, today=TODAY)
    right = form_qr_text(record_fingerprint(rec), a.identity.fingerprint, rec["id_number"])
    assert paper.check_scan(unit.store, right).ok
    assert pc.concerns(unit.store) == []
    pack_office(unit.store, tmp_path / "u.rpu", identity=unit.identity, today=TODAY)


def test_the_command_line_names_and_confirms_them(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "x-secret")
    assert cli("role", "--set", "盟市/厅局", "--unit", "包头市人社局", "--channel", "包头市").code == 0
    assert cli("keys", "generate").code == 0
    rec = make_record(3, channel=dict(HOHHOT))
    src = tmp_path / "r.json"
    src.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", src).code == 0
    assert cli("decide", rec["id_number"], "推荐").code == 0
    r = cli("pack-office", "--out", tmp_path / "o.rpu", "--today", "2017-04-20")
    assert r.code == 1 and "呼和浩特市" in r.err and "pack-confirm" in r.err
    assert not (tmp_path / "o.rpu").exists()
    r = cli("pack-confirm")
    assert r.code == 1 and "未确认" in r.out and rec["name"] in r.out
    assert cli("pack-confirm", rec["id_number"]).code != 0  # no reason, no confirmation
    r = cli("pack-confirm", rec["id_number"], "--reason", "已调入包头市")
    assert r.code == 0 and "已确认" in r.out
    r = cli("pack-office", "--out", tmp_path / "o.rpu", "--today", "2017-04-20")
    assert r.code == 0, r.err
