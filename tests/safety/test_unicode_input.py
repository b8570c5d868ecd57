"""Full-width and other Unicode digits in identity fields: folded (NFKC) on every input path,
refused as FORMAT when still not ASCII, and never an internal error anywhere they are shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collector.common.errors import InputError
from collector.common.fingerprint import canonical_json
from collector.record.model import normalize
from collector.rpu.keys import read_public_file
from collector.rpu.writer import Part, write_package
from collector.rules import validate
from collector.storage.store import Store
from collector.exchange import keyring
from tests.conftest import make_record

CHANNEL = {"kind": "盟市", "name": "包头市"}
TODAY = "2017-04-20"
FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def full_width(text: str) -> str:
    return text.translate(FULL)


def test_full_width_id_number_is_stored_folded_and_valid():
    rec = make_record(1)
    number = rec["id_number"]
    wide = number[:-2] + full_width(number[-2:])  # 1506021972042410２6
    data = normalize(dict(rec, id_number=wide, birth_date=full_width(rec["birth_date"]),
                          contact=dict(rec["contact"], mobile=full_width(rec["contact"]["mobile"]))))
    assert data["id_number"] == number and data["birth_date"] == rec["birth_date"]
    assert data["contact"]["mobile"] == rec["contact"]["mobile"]
    assert not [f for f in validate(data) if f.rule == "ID_NUMBER"]


@pytest.mark.parametrize("key", ["id_number", "birth_date"])
def test_digits_nfkc_cannot_fold_are_a_format_refusal_naming_the_field(key):
    rec = make_record(1)
    with pytest.raises(InputError) as err:
        normalize(dict(rec, **{key: rec[key][:4].translate(ARABIC) + rec[key][4:]}))
    assert err.value.field == key


def test_arabic_digits_in_phone_and_postcode_are_refused():
    rec = make_record(1)
    for key in ("mobile", "postcode", "office_phone"):
        contact = dict(rec["contact"], **{key: "١٣٩٠٤٧٢٠٠٠٠"})
        with pytest.raises(InputError) as err:
            normalize(dict(rec, contact=contact))
        assert err.value.field == f"contact.{key}"
    office = normalize(dict(rec, contact=dict(rec["contact"], office_phone="0471-6123456转８０")))
    assert office["contact"]["office_phone"] == "0471-6123456转80"


def test_chinese_punctuation_in_free_text_is_kept_as_typed():
    rec = normalize(make_record(1, achievements="（一）成果①：面积１０㎡，温度３℃……ｆｉ"))
    assert rec["achievements"] == "（一）成果①：面积10㎡，温度3℃……fi"


def test_duplicate_compares_folded_id_numbers(cli, tmp_path):
    first = make_record(1)
    second = make_record(2, id_number=first["id_number"][:-2] + full_width(first["id_number"][-2:]))
    src = tmp_path / "two.json"
    src.write_text(json.dumps([first, second], ensure_ascii=False), encoding="utf-8")
    r = cli("import-json", src)
    assert r.code == 1 and "DUPLICATE" in r.err and "程序内部错误" not in r.err
    single = tmp_path / "one.json"
    single.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", single).code == 0
    again = tmp_path / "again.json"
    again.write_text(json.dumps(second, ensure_ascii=False), encoding="utf-8")
    assert cli("import-json", again).code == 0
    listed = json.loads(cli("list", "--json").out)
    assert len(listed) == 1  # the full-width copy matched the stored one: an update


# -- a signed package carrying a crafted record ---------------------------------------------
def _office(cli, root: Path) -> tuple[Path, Path]:
    db = root / "office" / "collector.db"
    db.parent.mkdir()
    for args in (("keys", "generate", "--name", "office"),
                 ("role", "--set", "盟市/厅局", "--unit", "包头市人社局", "--channel", "包头市"),
                 ("keys", "export-public", "--out", root / "office.pub")):
        r = cli(*args, db=db)
        assert r.code == 0, r.err
    return db, root / "office.pub"


def crafted_package(root: Path, recipient: Path, i: int, mutate, raw=None) -> Path:
    """An applicant's real signed, encrypted package whose record was altered after normalize
    (what a hostile or old program could send); ``raw`` may then alter the record's bytes."""
    folder = root / f"applicant{i}"
    folder.mkdir()
    with Store(folder / "collector.db") as store:
        identity = keyring.generate_identity(store, "applicant-pass", f"申报人{i}", "某单位")
    rec = normalize(make_record(i, channel=CHANNEL))
    mutate(rec)
    out = root / f"申报人{i}.rpu"
    data = canonical_json(rec) if raw is None else raw(canonical_json(rec))
    write_package(out, [Part.from_bytes(f"candidates/c{i}.json", "candidate", data)],
                  identity=identity, recipients=[read_public_file(recipient)],
                  program_year=2017, role="个人")
    return out


def _no_crash(r) -> None:
    assert "程序内部错误" not in r.err + r.out, r.err


def test_full_width_birth_date_in_a_signed_package_is_folded_everywhere(cli, tmp_path,
                                                                       monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "hostile-office-pass")
    db, pub = _office(cli, tmp_path)

    def wide_birth(rec):
        rec["birth_date"] = full_width(rec["birth_date"])

    path = crafted_package(tmp_path, pub, 3, wide_birth)
    r = cli("inbox", path, db=db)
    _no_crash(r)
    assert r.code == 0 and "导入 1 个" in r.out
    number, name = make_record(3)["id_number"], make_record(3)["name"]
    for args in (("list",), ("validate", "--all"), ("decisions",)):
        r = cli(*args, db=db)
        _no_crash(r)
        assert r.code == 0 and name in r.out, (args, r.out)
    stored = json.loads(cli("list", "--json", db=db).out)[0]
    assert stored["birth_date"] == make_record(3)["birth_date"]
    for args in (("decide", number, "推荐", "--reason", "符合条件"),
                 ("report-info", "--contact", "李科长", "--office-phone", "0472-5199999",
                  "--mobile", "13804720000")):
        assert cli(*args, db=db).code == 0
    r = cli("pack-office", "--out", tmp_path / "up.rpu", "--today", TODAY, db=db)
    _no_crash(r)
    assert r.code == 0, r.err


def test_unfoldable_birth_date_in_a_package_is_refused_and_the_batch_goes_on(cli, tmp_path,
                                                                            monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "hostile-office-pass")
    db, pub = _office(cli, tmp_path)

    def arabic_birth(rec):
        rec["birth_date"] = rec["birth_date"].translate(ARABIC)

    bad = crafted_package(tmp_path, pub, 4, arabic_birth)
    good = crafted_package(tmp_path, pub, 5, lambda rec: None)
    r = cli("inbox", bad, good, db=db)
    _no_crash(r)
    assert "导入 1 个，拒收 1 个" in r.out
    line = next(x for x in r.out.splitlines() if bad.name in x)
    assert "拒收" in line and "birth_date" in line
    r = cli("import-rpu", bad, db=db)
    _no_crash(r)
    assert r.code == 1 and "birth_date" in r.err


def _plant(store: Store, cid: str, **values) -> None:
    """Write values into a stored record behind normalize (a database from an older version)."""
    data = dict(store.get(cid).data, **values)
    with store.transaction():
        store.db.execute("UPDATE candidates SET data=? WHERE id=?",
                         [json.dumps(data, ensure_ascii=False), cid])


def test_a_stored_record_with_unreadable_dates_is_a_format_finding_not_a_crash(cli, db_path,
                                                                               qtbot):
    from ui.office import OfficeReviewPage

    with Store(db_path) as store:
        cid = store.save(make_record(6, channel=CHANNEL))
        other = store.save(make_record(7, channel=CHANNEL))
        _plant(store, cid, birth_date=make_record(6)["birth_date"].translate(ARABIC))
        _plant(store, other, birth_date=full_width(make_record(7)["birth_date"]))
        findings = validate(store.get(cid).data)
        assert [f.rule for f in findings] == ["FORMAT"] and findings[0].field == "birth_date"
        page = OfficeReviewPage(store)
        qtbot.addWidget(page)
        assert page.table.rowCount() == 2
    for args in (("list",), ("validate", "--all"), ("decisions",)):
        r = cli(*args)
        _no_crash(r)
        assert "FORMAT" in r.out or "错误" in r.out, (args, r.out)
