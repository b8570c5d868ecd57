"""Packing marks the packed candidates 已报送 (status ``packed``) with an audit entry."""

from __future__ import annotations

from collector.exchange.packing import pack
from collector.exchange.keyring import default_recipients, generate_identity
from collector.storage.store import PACKED
from tests.conftest import make_record


def test_packed_candidates_are_marked(store, tmp_path):
    ids = [store.save(make_record(i)) for i in range(2)]
    identity = generate_identity(store, "pw")
    pack(store, [ids[0]], tmp_path / "a.rpu", identity=identity,
         recipients=default_recipients(store))
    assert store.get(ids[0]).status == PACKED
    assert store.get(ids[1]).status == "draft"
    assert store.audit(ids[0])[-1]["new"] == PACKED
