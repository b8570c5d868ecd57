"""The core command line: init, import-json, export-json, list, validate, demo — and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from collector.storage.store import Store
from tests.conftest import make_record


def write(path: Path, value) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_list_export_round_trip_keeps_data_and_audit(cli, tmp_path):
    src = write(tmp_path / "in.json", [make_record(1), make_record(2)])
    assert cli("init").code == 0
    res = cli("import-json", src)
    assert res.code == 0 and "已导入 2 名" in res.out
    listed = json.loads(cli("list", "--json").out)
    assert [c["name"] for c in listed] == [make_record(1)["name"], make_record(2)["name"]]
    out = tmp_path / "out.json"
    assert cli("export-json", "--out", out).code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported[0]["audit"][0]["action"] == "import"
    # Into a second installation: same data, same ids, the audit trail carried over.
    other = tmp_path / "other.db"
    assert cli("import-json", out, db=other).code == 0
    again = json.loads(cli("export-json", db=other).out)
    assert [c["id"] for c in again] == [c["id"] for c in exported]

    def strip(c: dict) -> dict:
        return {k: v for k, v in c.items() if k not in ("audit", "created_at", "updated_at")}

    assert [strip(c) for c in again] == [strip(c) for c in exported]
    assert len(again[0]["audit"]) == len(exported[0]["audit"]) + 1


def test_reimport_updates_by_id_number(cli, tmp_path):
    cli("import-json", write(tmp_path / "a.json", make_record(1)))
    changed = make_record(1, title="研究员")
    res = cli("import-json", write(tmp_path / "b.json", changed))
    assert "更新 1 名" in res.out
    listed = json.loads(cli("list", "--json").out)
    assert len(listed) == 1 and listed[0]["title"] == "研究员"


def test_validate_file_without_importing(cli, tmp_path, db_path):
    good = write(tmp_path / "good.json", make_record(1))
    res = cli("validate", good, "--json")
    assert res.code == 0, res.err
    report = json.loads(res.out)
    assert report[0]["findings"] == [] and report[0]["eligible"] is True
    old = write(tmp_path / "old.json", [make_record(1), make_record(2, birth_date="1966-12-31")])
    res = cli("validate", old, "--json")
    assert res.code == 1
    report = json.loads(res.out)
    assert [r["candidate"] for r in report] == [make_record(1)["name"], make_record(2)["name"]]
    rules = {f["rule"] for f in report[1]["findings"]}
    assert "AGE" in rules
    assert {"rule", "severity", "field", "message"} <= set(report[1]["findings"][0])
    assert not db_path.exists()  # nothing was imported, not even a database created


def test_validate_stored_candidates_by_id_and_all(cli, tmp_path):
    cli("import-json", write(tmp_path / "a.json", [make_record(1), make_record(2, pledge=False)]))
    listed = json.loads(cli("list", "--json").out)
    assert cli("validate", "--id", listed[0]["id"]).code == 0
    res = cli("validate", "--all")
    assert res.code == 1 and "PLEDGE" in res.out and "诚信承诺" in res.out


def test_warnings_alone_do_not_fail(cli, tmp_path):
    f = write(tmp_path / "w.json", make_record(1, employer="内蒙古自治区某某某某某某某研究院有限公司"))
    res = cli("validate", f)
    assert res.code == 0 and "LENGTH" in res.out


BAD_INPUTS = [
    ("malformed.json", '{"name": "张三",', "JSON 格式错误", None),
    ("empty.json", "", "文件是空的", None),
    ("wrongtype.json", json.dumps(make_record(1, name=123)), "应为文本", "name"),
    ("enum.json", json.dumps(make_record(1, gender="M")), "不是有效的性别", "gender"),
    ("date.json", json.dumps(make_record(1, birth_date="1975-02-30")), "1975-02-30 不存在",
     "birth_date"),
    ("list.json", json.dumps([make_record(1), "x"]), "第2条记录", None),
    ("nested.json", json.dumps(make_record(1, work_history=[{"start": "2001-13"}])),
     "YYYY-MM", "work_history[0].start"),
]


@pytest.mark.parametrize("name, content, message, field", BAD_INPUTS)
def test_bad_json_is_one_clear_line_and_changes_nothing(cli, tmp_path, db_path, name, content,
                                                        message, field):
    cli("import-json", write(tmp_path / "seed.json", make_record(9)))
    before = cli("export-json").out
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    res = cli("import-json", path)
    assert res.code == 1
    lines = res.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in res.err
    if field:
        assert field in lines[0]
    assert cli("export-json").out == before


def test_fifty_megabyte_file_is_refused(cli, tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    res = cli("import-json", path)
    assert res.code == 1 and "文件过大" in res.err and "50.0 MB" in res.err


def test_database_that_is_not_sqlite(cli, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    res = cli("list", db=bad)
    assert res.code == 1 and "不是有效的数据库文件" in res.err
    assert bad.read_text() == "not a database"


def test_database_from_a_newer_version(cli, tmp_path, db_path):
    with Store(db_path) as store:
        store.db.execute("UPDATE meta SET value='999' WHERE key='schema_version'")
    res = cli("list")
    assert res.code == 1 and "请升级程序" in res.err


def test_usage_errors_exit_2(cli, tmp_path):
    assert cli("validate", "--today", "2017-02-30").code == 2
    assert cli("import-json", tmp_path / "missing.json").code == 2
    assert cli("no-such-command").code == 2


def test_list_on_missing_database_says_run_init(cli):
    res = cli("list")
    assert res.code == 1 and "collector init" in res.err


def test_demo_runs_headless(tmp_path):
    """`python -m collector demo` as a user runs it, in a fresh process."""
    res = subprocess.run([sys.executable, "-m", "collector", "demo", "--out", str(tmp_path / "d")],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    assert "演示完成" in res.stdout


def test_db_may_follow_the_command(cli, tmp_path):
    other = tmp_path / "after.db"
    cli("import-json", write(tmp_path / "a.json", make_record(1)), db=other)
    from collector.cli import main

    import io
    from contextlib import redirect_stdout
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["list", "--json", "--db", str(other)]) == 0
    assert json.loads(out.getvalue())[0]["name"] == make_record(1)["name"]


def test_an_unexpected_error_is_one_line_not_a_traceback(cli, tmp_path, monkeypatch):
    import collector.storage.interchange as interchange  # the command imports it when it runs

    def boom(*_a, **_k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.delenv("COLLECTOR_DEBUG", raising=False)
    monkeypatch.setattr(interchange, "export_records", boom)
    cli("init")
    res = cli("export-json")
    assert res.code == 1 and "Traceback" not in res.err
    assert res.err.count("\n") == 1 and "程序内部错误" in res.err
