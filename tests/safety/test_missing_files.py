"""A missing input file is one line and the same exit code (2, a usage error) on every command."""

from __future__ import annotations

import pytest

COMMANDS = [
    ("import-json",), ("validate",), ("verify",), ("inspect",), ("import-rpu",), ("inbox",),
    ("restore",), ("review", "sheet", "import"), ("keys", "import-recipient"), ("disc", "verify"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_missing_input_file_exits_2_with_one_line(command, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", "missing-files")
    assert cli("init").code == 0
    assert cli("keys", "generate").code == 0
    missing = tmp_path / "没有这个文件.dat"
    r = cli(*command, missing)
    assert r.code == 2, (command, r.out, r.err)
    assert r.err == f"错误：文件 {missing} 不存在\n"
    assert "程序内部错误" not in r.out + r.err
