"""A file open in Excel/WPS/Acrobat or held by a virus scanner: Windows refuses to replace it
(``PermissionError``, WinError 32). Writes retry briefly, then name the real file."""

from __future__ import annotations

import json

import pytest

from collector.common import atomic
from collector.common.atomic import write_json_atomic
from collector.common.errors import FileInUseError
from collector.storage.store import Store
from tests.conftest import make_record

from .simulate import sharing_violation


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(atomic.time, "sleep", slept.append)
    return slept


def test_a_scanner_that_lets_go_after_a_moment_is_waited_for(tmp_path, monkeypatch, no_waiting):
    target = tmp_path / "汇总.json"
    target.write_text("old", encoding="utf-8")
    calls = sharing_violation(monkeypatch, times=3)
    write_json_atomic(target, {"名": "新"})
    assert json.loads(target.read_text(encoding="utf-8")) == {"名": "新"}
    assert len(calls) == 4 and len(no_waiting) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.json"]


def test_a_file_held_open_names_the_real_file_and_keeps_it(tmp_path, monkeypatch):
    target = tmp_path / "候选人.json"
    target.write_text("old", encoding="utf-8")
    sharing_violation(monkeypatch, times=None)
    with pytest.raises(FileInUseError) as caught:
        write_json_atomic(target, [1, 2])
    message = str(caught.value)
    assert "请先关闭打开该文件的程序" in message and str(target) in message
    assert ".part" not in message
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["候选人.json"]  # the temp file is gone


def test_cli_export_to_a_file_open_in_excel_says_close_it(cli, db_path, tmp_path, monkeypatch):
    with Store(db_path) as store:
        store.save(make_record(0))
    out = tmp_path / "导出.json"
    sharing_violation(monkeypatch, times=None)
    r = cli("export-json", "--out", out)
    assert r.code == 1
    assert "请先关闭打开该文件的程序" in r.err and "导出.json" in r.err
    assert ".part" not in r.err and "程序内部错误" not in r.err
