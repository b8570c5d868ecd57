"""A Chinese Windows console, redirect or pipe is code page 936 (GBK): run the commands as
separate processes with ``PYTHONIOENCODING=gbk`` (strict, as Windows' cp936 is) and check
that none crashes, JSON stays whole and lossless, and the self-test reports without traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_record

RARE = "刘䶮"  # U+4DAE is not in GBK


def run(*args, db: Path | None = None, stdout=subprocess.PIPE, env: dict | None = None):
    full_env = {**os.environ, "PYTHONIOENCODING": "gbk", "COLLECTOR_PASSPHRASE": "gbk-tests",
                **(env or {})}
    full_env.pop("COLLECTOR_DB", None)
    full_env.pop("COLLECTOR_DEBUG", None)
    argv = [sys.executable, "-m", "collector", *(["--db", str(db)] if db else []), *map(str, args)]
    done = subprocess.run(argv, stdout=stdout, stderr=subprocess.PIPE, env=full_env, timeout=300)
    out = done.stdout.decode("gbk") if isinstance(done.stdout, bytes) else ""
    return done.returncode, out, done.stderr.decode("gbk", "replace")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gbk")
    path = folder / "collector.db"
    src = folder / "r.json"
    bad = make_record(2, title_level="中级")  # a finding, so validate prints ✘
    src.write_text(json.dumps([make_record(1, name=RARE), bad], ensure_ascii=False),
                   encoding="utf-8")
    assert run("import-json", src, db=path)[0] == 0
    return path


def no_crash(err: str) -> None:
    assert "Traceback" not in err and "UnicodeEncodeError" not in err, err
    assert "程序内部错误" not in err, err


def test_list_shows_a_name_outside_gbk(db):
    code, out, err = run("list", db=db)
    no_crash(err)
    assert code == 0 and "刘?" in out


def test_validate_prints_its_marks_in_gbk(db):
    code, out, err = run("validate", db=db)
    no_crash(err)
    assert code == 1 and "√" in out and "×" in out and "TITLE" in out


def test_check_db_prints_its_verdict(db):
    code, out, err = run("check-db", db=db)
    no_crash(err)
    assert code == 0 and "√ 数据库完好" in out


@pytest.mark.parametrize("command", [["export-json"], ["list", "--json"]])
def test_json_on_a_gbk_stdout_is_whole_and_lossless(db, tmp_path, command):
    target = tmp_path / "out.json"
    with open(target, "wb") as fh:  # ``collector export-json > out.json``
        code, _, err = run(*command, db=db, stdout=fh)
    no_crash(err)
    assert code == 0
    records = json.loads(target.read_bytes().decode("ascii"))
    assert [r["name"] for r in records][0] == RARE


def test_export_json_out_writes_utf8(db, tmp_path):
    code, _, err = run("export-json", "--out", tmp_path / "e.json", db=db)
    no_crash(err)
    assert code == 0
    assert RARE in (tmp_path / "e.json").read_text(encoding="utf-8")


def test_demo_and_inspect_chain(tmp_path):
    env = {"COLLECTOR_PASSPHRASE": "demo-passphrase"}  # the demo's keys use its own
    code, out, err = run("demo", "--out", tmp_path / "demo", "--count", "2", env=env)
    no_crash(err)
    assert code == 0, out + err
    province = tmp_path / "demo" / "province"
    package = next((province / "office-包头市" / "disc" / "RPU").glob("*.rpu"))
    code, out, err = run("inspect", "--chain", package, db=province / "region" / "collector.db",
                         env=env)
    no_crash(err)
    assert code == 0 and out.startswith("√ ") and "签名链校验通过" in out, out + err


def test_selftest_reports_in_gbk_without_traceback():
    code, out, err = run("--selftest")
    no_crash(err)
    assert "Traceback" not in out
    assert code == 0 and "√" in out and "自检通过" in out, out + err
