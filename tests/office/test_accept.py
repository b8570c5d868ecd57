"""accept: an operator takes a held candidate anyway. The refusals say exactly what is wrong,
and an acceptance is kept whole: in the record's provenance and in its audit trail."""

from __future__ import annotations

import pytest

from collector.common.errors import InputError
from collector.exchange.admission import accept, hold_reason
from collector.office.profile import save_profile
from collector.exchange.provenance import UNVERIFIABLE, Provenance, of
from collector.storage.store import Store
from tests.review.helpers import candidate

HELD_DETAIL = "数据取自内层报送包 001-x.rpu，未加密给本机，本机无法打开核对"
SOURCE = {"file": "盟市.rpu", "signer": "ab" * 32, "signer_role": "盟市"}


@pytest.fixture
def region(tmp_path):
    store = Store(tmp_path / "collector.db")
    save_profile(store, role="region", unit="自治区人力资源和社会保障厅")
    held = store.save(candidate(0, "人选甲", "盟市", "包头市"))
    store.save(store.get(held).data, candidate_id=held,
               source=dict(SOURCE, provenance=Provenance(UNVERIFIABLE, HELD_DETAIL).to_json()))
    free = store.save(candidate(1, "人选乙", "盟市", "包头市"))
    yield store, held, free
    store.close()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_an_acceptance_without_a_reason_is_refused_naming_the_field(region, reason):
    store, held, _ = region
    with pytest.raises(InputError) as err:
        accept(store, held, reason)
    assert err.value.field == "reason"
    assert str(err.value) == ("理由（reason）：接受无法核对的人选时请写明理由（--reason），"
                              "例如“已电话核实并核对纸质登记表”")
    assert hold_reason(store, store.get(held))
    assert store.audit(held)[-1]["action"] != "provenance_accept"


def test_accepting_a_candidate_that_is_not_held_is_refused_naming_them(region):
    store, _, free = region
    number = store.get(free).data["id_number"]
    with pytest.raises(InputError) as err:
        accept(store, free, "已核实")
    assert err.value.field == "provenance"
    assert err.value.message == f"人选乙（{number}）没有被暂扣，无需接受"


def test_an_acceptance_is_stored_with_the_provenance_and_audited(region):
    store, held, _ = region
    reason_held = hold_reason(store, store.get(held))
    assert reason_held
    accepted = accept(store, held, "  已调取纸质登记表并电话核实  ", actor="专技处")
    assert not hold_reason(store, accepted)
    prov = of(accepted)
    assert prov.klass == UNVERIFIABLE and prov.detail == HELD_DETAIL  # what it is stays true
    assert set(prov.accepted) == {"reason", "actor", "at", "held"}
    assert prov.accepted["reason"] == "已调取纸质登记表并电话核实"
    assert prov.accepted["actor"] == "专技处"
    assert prov.accepted["held"] == reason_held
    assert prov.accepted["at"]
    # the rest of where the record came from is kept beside the new provenance
    assert {k: accepted.source[k] for k in SOURCE} == SOURCE
    entry = store.audit(held)[-1]
    assert entry == {"at": prov.accepted["at"], "actor": "专技处", "action": "provenance_accept",
                     "field": "provenance", "old": reason_held,
                     "new": {"reason": "已调取纸质登记表并电话核实", "class": UNVERIFIABLE}}


def test_the_actor_defaults_to_this_installation(region, monkeypatch):
    store, held, _ = region
    import collector.exchange.admission as admission

    monkeypatch.setattr(admission, "default_actor", lambda: "本机操作员")
    accepted = accept(store, held, "已核实")
    assert of(accepted).accepted["actor"] == "本机操作员"
    assert store.audit(held)[-1]["actor"] == "本机操作员"
