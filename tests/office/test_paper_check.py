"""纸质材料核对: the registration form's QR, what a scanner or a clerk types, and the stored
result (DESIGN §6 "Paper is the root of trust")."""

from __future__ import annotations

import json

import pytest

from collector.common.errors import InputError
from collector.common.fingerprint import form_qr_text, parse_form_qr, record_fingerprint
from collector.record.model import normalize
from collector.office import inbox, paper
from tests.conftest import make_record
from tests.office.conftest import PASS, applicant_package


def test_the_registration_form_qr_holds_record_signer_and_id(tmp_path, monkeypatch):
    from collector.printing import common, registration_pdf

    drawn = []
    real = common.draw_qr
    monkeypatch.setattr(common, "draw_qr", lambda c, data, *a: (drawn.append(data),
                                                                  real(c, data, *a)))
    rec = normalize(make_record(3))
    signer = "ab" * 32
    registration_pdf(rec, tmp_path / "form.pdf", signer_fingerprint=signer)
    assert drawn == [form_qr_text(record_fingerprint(rec), signer, rec["id_number"])]
    assert parse_form_qr(drawn[0]) == (record_fingerprint(rec)[:32], signer[:32],
                                       rec["id_number"])
    import segno  # the text fits the footer's 17 mm code as today's fingerprint-only code did

    assert segno.make(drawn[0], error="m", micro=False).version <= 4


@pytest.mark.parametrize("typed", [
    "TCF1：{r}：{s}：{n}",          # an input method typed full-width colons
    "tcf1:{r}:{s}:{n}\n",
])
def test_a_scan_is_read_whatever_the_keyboard_did(typed):
    r, s, n = "0123456789abcdef" * 2, "fedcba9876543210" * 2, "15040219841113004X"
    assert paper.parse(typed.format(r=r.upper(), s=s.upper(), n=n.lower())) == (r, s, n)


def test_a_typed_fingerprint_is_read_and_garbage_is_refused():
    assert paper.parse("3F2A-91C0-AB12-CD34-EF56") == ("3f2a91c0ab12cd34ef56", "", "")
    assert paper.parse("3f2a91c0ab12cd34 0011223344556677")[1] == "0011223344556677"
    for bad in ("", "hello", "3F2A-91C0", "TCF1:xyz:00:1"):
        with pytest.raises(InputError):
            paper.parse(bad)


def test_scans_at_the_unit_match_mismatch_and_miss(make_installation, tmp_path, cli,
                                                   monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    unit = make_installation("unit", "单位", "包头稀土研究院", "包头市")
    a, b = make_installation("a"), make_installation("b")
    paths = [applicant_package(a, tmp_path / "a.rpu", [unit.public], 1),
             applicant_package(b, tmp_path / "b.rpu", [unit.public], 2)]
    inbox.import_many(unit.store, paths, unit.identity)
    ra, rb = next(a.store.all()).data, next(b.store.all()).data
    db = unit.store.path
    unit.store.close()

    good = form_qr_text(record_fingerprint(ra), a.identity.fingerprint, ra["id_number"])
    r = cli("paper-check", good, db=db)
    assert r.code == 0 and r.out.startswith("[一致]") and ra["name"] in r.out
    # b's form printed before b changed a field: same person, different data
    old = dict(rb, achievements="打印时的旧版成果")
    stale = form_qr_text(record_fingerprint(old), b.identity.fingerprint, rb["id_number"])
    r = cli("paper-check", stale, db=db)
    assert r.code == 1 and "[不一致]" in r.out and "签名密钥相同" in r.out
    stranger = form_qr_text("9" * 64, "8" * 64, "150102198001010011")
    r = cli("paper-check", stranger, db=db)
    assert r.code == 1 and "本机没有与该登记表对应的人选" in r.out

    rows = {x["id_number"]: x for x in json.loads(cli("paper-check", "--list", "--json",
                                                       db=db).out)}
    assert rows[ra["id_number"]]["status"] == "matched" and not rows[ra["id_number"]]["flagged"]
    assert rows[rb["id_number"]]["status"] == "mismatch" and rows[rb["id_number"]]["flagged"]
    audit = json.loads(cli("list", "--json", db=db).out)[0]["audit"]
    assert any(e["action"] == "paper_check" for e in audit)
    assert cli("paper-check", db=db).code == 2


def test_verify_print_reads_a_scanned_form_qr(make_installation, tmp_path, cli, monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    unit = make_installation("unit", "单位", "U", "包头市")
    a = make_installation("a")
    path = applicant_package(a, tmp_path / "a.rpu", [unit.public], 4)
    rec = next(a.store.all()).data
    db = unit.store.path
    unit.store.close()
    qr = form_qr_text(record_fingerprint(rec), a.identity.fingerprint, rec["id_number"])
    r = cli("verify-print", qr, path, db=db)
    assert r.code == 0 and "一致" in r.out and rec["name"] in r.out
