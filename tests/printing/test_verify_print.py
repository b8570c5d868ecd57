"""verify-print against a real .rpu written by collector.rpu (paper ↔ file)."""

import pytest
from collector.exchange import keyring
from collector.exchange.packing import pack

from collector.common.fingerprint import short
from collector.printing import list_fingerprint, registration_pdf, summary_pdf
from tests.conftest import make_record

rpu = pytest.importorskip("collector.rpu")


@pytest.fixture
def packed(tmp_path, store, db_path, monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "test-pass")
    identity = keyring.generate_identity(store, "test-pass", "测试", "测试单位")
    ids = [store.save(make_record(i)) for i in range(3)]
    out = tmp_path / "p.rpu"
    pack(store, ids, out, identity=identity, recipients=[], today=None)
    records = [store.get(i).data for i in ids]
    return out, records, identity


def test_registration_form_fingerprint_matches_its_candidate(packed, cli, tmp_path):
    path, records, _ = packed
    result = registration_pdf(records[1], tmp_path / "f.pdf")
    res = cli("verify-print", short(result.fingerprint), str(path))
    assert res.code == 0, res.err
    assert "一致" in res.out and records[1]["name"] in res.out


def test_summary_fingerprint_matches_all_candidates(packed, cli, tmp_path):
    path, records, _ = packed
    result = summary_pdf(list(reversed(records)), tmp_path / "s.pdf")
    assert result.fingerprint == list_fingerprint([registration_pdf(
        r, tmp_path / f"{n}.pdf").fingerprint for n, r in enumerate(records)])
    res = cli("verify-print", result.fingerprint, str(path))
    assert res.code == 0 and "3 名人选" in res.out


def test_changed_record_does_not_match(packed, cli, tmp_path):
    path, records, _ = packed
    changed = dict(records[0], discipline="改过的专业")
    result = registration_pdf(changed, tmp_path / "c.pdf")
    res = cli("verify-print", short(result.fingerprint), str(path))
    assert res.code == 1 and "不一致" in res.out


def test_too_short_fingerprint_is_refused(packed, cli):
    path, _, _ = packed
    res = cli("verify-print", "ABCD-1234", str(path))
    assert res.code == 1 and "太短" in res.out
