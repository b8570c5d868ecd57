"""The SQLite store: migrations, transactions, audit trail, refusal of foreign or newer files."""

from __future__ import annotations

import json
import sqlite3

import pytest

from collector.common.errors import InputError, StoreError
from collector.storage.migrations import CURRENT_VERSION, MIGRATIONS
from collector.storage.store import Store
from tests.conftest import make_record


def make_v1_database(path) -> None:
    """A database as version 1 of the program left it, with one candidate."""
    import sqlite_utils

    db = sqlite_utils.Database(path)
    MIGRATIONS[0](db)
    db["meta"].insert({"key": "schema_version", "value": "1"})
    db["candidates"].insert({"id": "old1", "data": json.dumps(make_record(3), ensure_ascii=False),
                             "created_at": "2017-03-01T10:00:00+08:00",
                             "updated_at": "2017-03-01T10:00:00+08:00"})
    db.conn.close()


def test_migrates_version_1_to_current(tmp_path):
    path = tmp_path / "old.db"
    make_v1_database(path)
    with Store(path) as store:
        assert store.schema_version == CURRENT_VERSION
        old = store.get("old1")
        assert old.data["name"] == make_record(3)["name"]
        assert store.rows()[0]["id_number"] == make_record(3)["id_number"]
        store.save(old.data | {"discipline": "新方向"}, candidate_id="old1")
        assert store.audit("old1")[-1]["field"] == "discipline"


def test_wal_and_foreign_keys_are_on(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_audit_records_who_changed_which_field(store):
    cid = store.save(make_record(), actor="张干事")
    record = store.get(cid).data
    record["title"] = "研究员"
    record["contact"]["mobile"] = "13811112222"
    store.save(record, candidate_id=cid, actor="李干事")
    trail = store.audit(cid)
    assert trail[0]["action"] == "create" and trail[0]["actor"] == "张干事"
    changed = {(e["field"], e["actor"]) for e in trail[1:]}
    assert changed == {("title", "李干事"), ("contact", "李干事")}
    assert next(e for e in trail if e["field"] == "title")["new"] == "研究员"


def test_bad_record_changes_nothing(store):
    cid = store.save(make_record())
    before = store.get(cid).data
    with pytest.raises(InputError) as err:
        store.save(make_record(birth_date="1975-02-30"), candidate_id=cid)
    assert err.value.field == "birth_date"
    assert store.get(cid).data == before
    assert len(store.audit(cid)) == 1


def test_save_many_is_all_or_nothing(store):
    with pytest.raises(InputError):
        store.save_many([(make_record(1), None), (make_record(2, gender="M"), None)])
    assert store.count() == 0


def test_failure_inside_a_transaction_rolls_back(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.save(make_record(1))
            raise RuntimeError("boom")
    assert store.count() == 0


def test_newer_schema_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "new.db"
    with Store(path) as store:
        store.db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="99"):
        Store(path)
    assert path.read_bytes() == before


def test_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a text file, not a database" * 10)
    with pytest.raises(StoreError, match="不是有效的数据库文件"):
        Store(path)
    assert path.read_bytes() == b"this is a text file, not a database" * 10


def test_another_programs_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="其他程序"):
        Store(path)


def test_attachment_files_are_content_addressed(store, tmp_path):
    src = tmp_path / "证书.pdf"
    src.write_bytes(b"%PDF-1.4 demo" * 1000)
    cid = store.save(make_record())
    entry = store.attach(cid, src, title="职称证书", category="职称证书")
    assert entry["size"] == src.stat().st_size
    assert store.file_path(entry["sha256"]).read_bytes() == src.read_bytes()
    assert store.get(cid).data["attachments"][0]["sha256"] == entry["sha256"]


def test_find_by_id_prefix_or_id_number(store):
    rec = make_record()
    cid = store.save(rec)
    assert store.find(cid[:6]).id == cid
    assert store.find(rec["id_number"].lower()).id == cid


def test_a_failing_stream_leaves_no_temp_file(store):
    class Broken:
        def __init__(self):
            self.calls = 0

        def read(self, _n):
            self.calls += 1
            if self.calls > 2:
                raise ValueError("stream changed")
            return b"x" * 1000

    with pytest.raises(ValueError):
        store.add_file(Broken())
    assert [p.name for p in store.files_dir.rglob("*") if p.is_file()] == []
