"""argparse's own texts (用法、错误、帮助选项、缺少参数、无效选择、分组标题) print in Chinese (issue 12),
checked on the real ``python -m collector`` process."""

from __future__ import annotations

import subprocess
import sys

import pytest

ENGLISH = ("usage:", "error:", "show this help message", "the following arguments are required",
           "invalid choice", "unrecognized arguments", "positional arguments", "options:",
           "expected one argument", "invalid int value", "show program's version")


def collector(*args: str, db=None) -> subprocess.CompletedProcess:
    db_args = ("--db", str(db)) if db else ()
    return subprocess.run([sys.executable, "-m", "collector", *db_args, *args],
                          capture_output=True, text=True, timeout=120)


def assert_no_english(text: str) -> None:
    found = [e for e in ENGLISH if e in text]
    assert not found, f"English argparse text {found} in:\n{text}"


def test_help_is_chinese():
    res = collector("--help")
    assert res.returncode == 0
    assert res.stdout.startswith("用法：collector")
    for text in ("选项", "显示本帮助并退出", "显示版本号并退出"):
        assert text in res.stdout
    assert_no_english(res.stdout)


def test_subcommand_help_has_chinese_group_titles():
    res = collector("import-json", "--help")
    assert res.returncode == 0
    assert "位置参数" in res.stdout and "选项" in res.stdout
    assert_no_english(res.stdout)


@pytest.mark.parametrize("args, expected", [
    ((), "缺少必需的参数：COMMAND"),
    (("backup",), "缺少必需的参数：--out"),
    (("print", "everything", "--out", "x"), "无效的选择 'everything'"),
    (("list", "--bogus"), "无法识别的参数：--bogus"),
    (("export-json", "--out"), "参数 --out：需要一个值"),
    (("demo", "--count", "many"), "无效的值 'many'"),
    (("no-such-command",), "无效的选择 'no-such-command'"),
])
def test_usage_errors_are_chinese(args, expected, tmp_path):
    res = collector(*args, db=tmp_path / "t.db")
    assert res.returncode == 2
    assert res.stderr.startswith("用法：collector"), res.stderr
    assert "collector" in res.stderr and "：错误：" in res.stderr
    assert expected in res.stderr
    assert_no_english(res.stderr)
