"""Nothing lost, nothing silently doubled (issue 24): re-running ``import-json`` keeps what the
JSON does not mention, a change to a packed record makes it a draft again with a note, and a new
record that looks like a stored person (same name and birth date, or same mobile) is warned."""

from __future__ import annotations

import json
from pathlib import Path

from collector.record.record_notes import lookalike_notes
from collector.storage.store import DRAFT, PACKED, Store
from tests.conftest import make_record

PASS = "import-update passphrase 2017"


def _write(folder: Path, records: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "candidates.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def _only(cli) -> dict:
    [stored] = json.loads(cli("list", "--json").out)
    return stored


def _packed_with_a_later_attachment(cli, tmp_path, monkeypatch) -> tuple[Path, dict]:
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASS)
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "职称证书.pdf").write_bytes(b"%PDF-1.4 title")
    (tmp_path / "获奖证书.jpg").write_bytes(b"JPEG award")
    rec = make_record(1, attachments=[{"file": "scans/职称证书.pdf", "title": "职称证书",
                                       "category": "职称证书"}])
    path = _write(tmp_path, [rec])
    assert cli("import-json", path).code == 0
    number = rec["id_number"]
    assert cli("attach", number, tmp_path / "获奖证书.jpg", "--title", "获奖证书").code == 0
    assert cli("keys", "generate").code == 0
    r = cli("pack", "--out", tmp_path / "a.rpu", "--today", "2017-04-20")
    assert r.code == 0, r.err
    assert _only(cli)["status"] == PACKED
    return path, rec


def test_reimport_keeps_an_attachment_added_later_and_a_packed_record_stays_packed(
        cli, tmp_path, monkeypatch):
    path, _ = _packed_with_a_later_attachment(cli, tmp_path, monkeypatch)
    r = cli("import-json", path)
    assert r.code == 0, r.err
    assert "更新 1 名" in r.out and "警告" not in r.out
    stored = _only(cli)
    assert sorted(a["file"] for a in stored["attachments"]) == ["职称证书.pdf", "获奖证书.jpg"]
    assert stored["status"] == PACKED  # nothing changed: the .rpu still matches


def test_reimport_that_changes_a_packed_record_makes_it_a_draft_with_a_note(
        cli, tmp_path, monkeypatch):
    path, rec = _packed_with_a_later_attachment(cli, tmp_path, monkeypatch)
    _write(tmp_path, [dict(rec, discipline="荒漠化防治")])
    r = cli("import-json", path)
    assert r.code == 0, r.err
    assert "已报送的 .rpu 已过时，状态改回草稿" in r.out
    assert rec["name"] in r.out
    stored = _only(cli)
    assert stored["status"] == DRAFT and stored["discipline"] == "荒漠化防治"
    assert len(stored["attachments"]) == 2
    assert any(e["action"] == "报送后修改" and e["old"] == PACKED and e["new"] == DRAFT
               for e in stored["audit"])
    assert "草稿" in cli("list").out


def test_attach_to_a_packed_record_makes_it_a_draft_with_a_note(cli, tmp_path, monkeypatch):
    _, rec = _packed_with_a_later_attachment(cli, tmp_path, monkeypatch)
    (tmp_path / "论文.pdf").write_bytes(b"%PDF-1.4 paper")
    r = cli("attach", rec["id_number"], tmp_path / "论文.pdf")
    assert r.code == 0, r.err
    assert "警告：" in r.out and "已报送的 .rpu 已过时" in r.out
    assert _only(cli)["status"] == DRAFT


def test_an_edit_of_a_packed_record_in_the_store_makes_it_a_draft(store):
    cid = store.save(make_record(2))
    store.set_status(cid, PACKED)
    store.save(store.get(cid).data, candidate_id=cid)  # unchanged: still packed
    assert store.get(cid).status == PACKED
    data = dict(store.get(cid).data, admin_post="副院长")
    store.save(data, candidate_id=cid)
    assert store.get(cid).status == DRAFT


def test_reimport_keeps_fields_the_json_leaves_out_and_replaces_those_it_gives(cli, tmp_path):
    rec = make_record(3)
    assert cli("import-json", _write(tmp_path / "a", [rec])).code == 0
    partial = {"id_number": rec["id_number"], "name": rec["name"], "admin_post": ""}
    r = cli("import-json", _write(tmp_path / "b", [partial]))
    assert r.code == 0, r.err
    stored = _only(cli)
    assert stored["discipline"] == rec["discipline"] and stored["employer"] == rec["employer"]
    assert stored["admin_post"] == ""


def test_a_typo_in_the_id_number_is_warned_as_a_second_person(cli, tmp_path):
    rec = make_record(4)
    assert cli("import-json", _write(tmp_path / "a", [rec])).code == 0
    typo = rec["id_number"][:-3] + str((int(rec["id_number"][-3]) + 1) % 10) + rec["id_number"][-2:]
    other = dict(rec, id_number=typo, contact=dict(rec["contact"], mobile="13900000001"))
    r = cli("import-json", _write(tmp_path / "b", [other]))
    assert r.code == 0, r.err
    assert "已导入 1 名" in r.out
    [line] = [ln for ln in r.out.splitlines() if ln.startswith("警告：可能重复")]
    assert typo in line and rec["id_number"] in line and "姓名和出生日期" in line


def test_the_same_mobile_under_another_name_is_warned(cli, tmp_path):
    first, second = make_record(5), make_record(6)
    second["contact"] = dict(second["contact"], mobile=first["contact"]["mobile"])
    r = cli("import-json", _write(tmp_path, [first, second]))
    assert r.code == 0, r.err
    [line] = [ln for ln in r.out.splitlines() if ln.startswith("警告：可能重复")]
    assert "手机号" in line and first["name"] in line and second["name"] in line


def test_different_people_are_not_warned(cli, tmp_path):
    r = cli("import-json", _write(tmp_path, [make_record(i) for i in range(7, 12)]))
    assert r.code == 0 and "警告" not in r.out


def test_the_core_check_the_form_uses_names_the_stored_lookalike(db_path):
    rec = make_record(12)
    with Store(db_path) as store:
        first = store.save(rec)
        draft = {"name": rec["name"], "birth_date": rec["birth_date"], "id_number": "",
                 "contact": {"mobile": ""}}
        [note] = lookalike_notes(store, draft)
        assert first[:8] in note and rec["id_number"] in note
        assert lookalike_notes(store, store.get(first).data, first) == []


def test_the_batch_index_and_the_single_query_find_the_same(db_path):
    """import-json reads the store once (Lookalikes); the form asks per save: same answers."""
    from collector.record.record_notes import Lookalikes

    base = make_record(13)
    people = [base, dict(base, id_number=make_record(14)["id_number"]),
              dict(make_record(15), contact=dict(base["contact"])), make_record(16)]
    with Store(db_path) as store:
        ids = [store.save(p) for p in people]
        index = Lookalikes(store)
        for cid in ids:
            data = store.get(cid).data
            assert index.notes(cid, data) == lookalike_notes(store, data, cid)
        assert [len(lookalike_notes(store, store.get(c).data, c)) for c in ids] == [2, 2, 2, 0]
