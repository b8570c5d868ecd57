"""One matching function for paper (issue 24, 25): ``paper-check`` and ``verify-print`` agree on
the same sheet at the region, an office-printed form is recognised for what it is, and a paper
result is bound to the data and key it matched."""

from __future__ import annotations

import shutil

import pytest

from collector.common.errors import InputError
from collector.common.fingerprint import form_qr_text, record_fingerprint
from collector.record.model import normalize
from collector.office import paper
from collector.exchange.keyring import load_identity
from collector.storage.store import Store, strip_meta
from tests.office.conftest import PASS


@pytest.fixture
def region(province_walk, tmp_path, monkeypatch):
    """A copy of the walked region (every candidate imported and paper-checked)."""
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    p = province_walk.province
    shutil.copytree(p.region.db.parent, tmp_path / "region")
    return p, tmp_path / "region" / p.region.db.name


def _disc_rpu(p):
    """The 包头市 package on its disc (the folder the image was made from)."""
    return next((p.offices["包头市"].db.parent / "disc" / "RPU").glob("*.rpu"))


def _first_of_baotou(p):
    with Store(p.offices["包头市"].db) as store:
        cand = next(store.all())
        key = load_identity(store, PASS).fingerprint
        office_form = form_qr_text(record_fingerprint(normalize(cand.data)), key,
                                   cand.data["id_number"])
    return cand, office_form


def test_the_applicants_form_is_the_same_verdict_in_paper_check_and_verify_print(region, cli):
    p, db = region
    cand, _ = _first_of_baotou(p)
    qr = p.forms[cand.data["id_number"]]
    checked = cli("paper-check", qr, db=db)
    printed = cli("verify-print", qr, _disc_rpu(p), db=db)
    assert checked.code == 0 and printed.code == 0, (checked.out, printed.out)
    for out in (checked.out, printed.out):
        assert "一致" in out and "不一致" not in out and cand.name in out
        assert "申报人密钥相符" in out


def test_an_office_printed_form_is_recognised_as_the_offices_in_both(region, cli):
    p, db = region
    cand, office_form = _first_of_baotou(p)
    checked = cli("paper-check", office_form, db=db)
    printed = cli("verify-print", office_form, _disc_rpu(p), db=db)
    for r in (checked, printed):
        assert r.code == 0, r.out
        assert "包头市人社局（演示）打印" in r.out and "不是申报人本人签字的登记表" in r.out


def test_a_form_of_another_version_is_a_mismatch_in_both(region, cli):
    p, db = region
    cand, _ = _first_of_baotou(p)
    old = dict(strip_meta(cand.data), discipline="打印后改过的专业")
    with Store(p.applicants[0].db) as store:
        key = load_identity(store, PASS).fingerprint
    qr = form_qr_text(record_fingerprint(normalize(old)), key, cand.data["id_number"])
    for r in (cli("paper-check", qr, db=db), cli("verify-print", qr, _disc_rpu(p), db=db)):
        assert r.code == 1 and "不一致" in r.out and cand.name in r.out


def test_the_qr_id_number_is_compared_too(region, cli):
    p, db = region
    cand, _ = _first_of_baotou(p)
    head, number = p.forms[cand.data["id_number"]].rsplit(":", 1)
    other = next(n for n in p.forms if n != number)
    r = cli("paper-check", f"{head}:{other}", db=db)
    assert r.code == 1 and "公民身份号码" in r.out and "不一致" in r.out


def test_control_characters_of_a_scan_are_never_stored(region):
    p, db = region
    cand, _ = _first_of_baotou(p)
    with Store(db) as store:
        result = paper.check_scan(store, "\x07" + p.forms[cand.data["id_number"]] + "\u202e\x1b")
        assert result.ok
        with pytest.raises(InputError) as refused:
            paper.check_scan(store, "\x1b[2J\u202eTCF1:nonsense")
        assert "\x1b" not in str(refused.value) and "\u202e" not in str(refused.value)
        scanned = store.db.execute("SELECT scanned FROM paper_checks WHERE candidate_id=?",
                                   [result.candidate_id]).fetchone()[0]
    assert "\x1b" not in scanned and "\u202e" not in scanned and "\x07" not in scanned


def test_a_paper_match_is_void_after_the_record_changes_here(region):
    """Bound to the data it matched: a local edit (or 以此份替换, or a re-import) makes the
    same paper 未核对 again, never a match that lifts a hold."""
    p, db = region
    with Store(db) as store:
        cand = next(store.all())
        assert paper.status_of(store, cand.id) == paper.MATCHED
        store.save(dict(strip_meta(cand.data), discipline="在自治区改过"), candidate_id=cand.id)
        assert paper.status_of(store, cand.id) == paper.MISSING
        row = next(r for r in paper.paper_list(store) if r.candidate_id == cand.id)
        assert row.status == paper.MISSING and "须重新核对" in row.message


def test_the_record_fingerprint_alone_does_not_vouch_for_the_key(region, cli):
    """Identical data re-signed by a key an office minted has the same record fingerprint: a
    typed record fingerprint (or a QR with its key field emptied) is not a paper match."""
    p, db = region
    with Store(db) as store:
        cand = next(store.all())
        store.db.execute("DELETE FROM paper_checks")
    head, signer, number = p.forms[cand.data["id_number"]].split(":")[1:]
    for scan in (head, f"TCF1:{head}::{number}"):
        r = cli("paper-check", scan, db=db)
        assert r.code == 1 and "签名密钥指纹" in r.out, r.out
    with Store(db) as store:
        assert paper.status_of(store, cand.id) == paper.MISSING
    r = cli("paper-check", f"{head} {signer}", db=db)  # both, typed: a match
    assert r.code == 0 and "申报人密钥相符" in r.out
