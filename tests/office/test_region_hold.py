"""The region holds what it cannot trace (DESIGN §6): nothing untraced reaches the ministry's
package without an operator's recorded decision; the provenance travels with each record."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from collector import review as rv
from collector.office import inbox
from collector.exchange.admission import accept
from collector.office.profile import save_profile
from collector.exchange.provenance import UNVERIFIABLE, Provenance
from collector.review.package import RegionPackRefused, pack_region
from collector.exchange.keyring import generate_identity
from collector.rpu import open_package
from collector.storage.store import Store
from tests.review.helpers import candidate

PASS = "region-hold"
TODAY = dt.date(2017, 4, 25)
CRITERIA = ("c1", "c2", "c3", "c4", "original", "industry", "team", "young")


@pytest.fixture
def region(tmp_path):
    store = Store(tmp_path / "region" / "collector.db")
    identity = generate_identity(store, PASS, "自治区", "自治区人力资源和社会保障厅")
    save_profile(store, role="region", unit="自治区人力资源和社会保障厅")
    ids = [store.save(candidate(i, f"人选{i}", "盟市", "包头市")) for i in range(3)]
    # the first as if imported from a 盟市 package whose applicant package was sealed to us
    first = store.get(ids[0])
    prov = Provenance(UNVERIFIABLE, "数据取自内层报送包 001-x.rpu，未加密给本机，本机无法打开核对")
    store.save(first.data, candidate_id=ids[0],
               source={"file": "盟市.rpu", "signer": "ab" * 32, "signer_role": "盟市",
                       "provenance": prov.to_json()})
    rnd = rv.create_round(store)
    rv.add_expert(store, rnd, "甲")
    rv.enter_scores(store, rnd, "甲", {cid: {k: 9 - i for k in CRITERIA}
                                      for i, cid in enumerate(ids)})
    yield store, identity, ids
    store.close()


def test_the_ministry_package_waits_for_a_decision_on_a_held_candidate(region, tmp_path):
    store, identity, ids = region
    with pytest.raises(RegionPackRefused, match="暂扣待定.*人选0.*无法核对"):
        pack_region(store, tmp_path / "x.rpu", identity=identity, today=TODAY)
    assert not (tmp_path / "x.rpu").exists()

    accept(store, ids[0], "已调取纸质登记表并电话核实", actor="专技处")
    out = tmp_path / "报部.rpu"
    pack_region(store, out, identity=identity, recipients=[identity.public], today=TODAY)
    sources = json.loads(open_package(out, identity).read_part(inbox.SOURCES_DOC))
    number = store.get(ids[0]).data["id_number"]
    assert sources[number]["provenance"] == UNVERIFIABLE
    assert sources[number]["accepted"]["reason"] == "已调取纸质登记表并电话核实"
    others = [v["provenance"] for k, v in sources.items() if k != number]
    assert others == ["本级录入", "本级录入"]  # entered at the region itself: not held


def test_recommending_a_held_candidate_is_refused_naming_who_why_and_what_to_do(region):
    from collector.common.errors import InputError
    from collector.office import decisions
    from collector.exchange.admission import HOW_TO_ACCEPT

    store, _, ids = region
    held = store.get(ids[0])
    with pytest.raises(InputError) as err:
        decisions.decide(store, ids[0], "推荐")
    assert str(err.value) == (f"数据来源（provenance）：人选0（{held.data['id_number']}）暂扣待定：无法核对：数据取自内层"
                              f"报送包 001-x.rpu，未加密给本机，本机无法打开核对。{HOW_TO_ACCEPT}")
    assert err.value.field == "provenance"
    assert decisions.get_decision(store, ids[0]) is None
    decisions.decide(store, ids[1], "推荐")  # entered here: not held

