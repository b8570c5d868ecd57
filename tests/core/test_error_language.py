"""Error lines are Chinese through and through: the operating system's English reason
("No such file or directory") and a field's JSON key alone never reach a user."""

from __future__ import annotations

import errno
import json

import pytest

from collector.common.errors import InputError, os_reason
from tests.conftest import make_record


@pytest.mark.parametrize("code, reason", [
    (errno.ENOENT, "文件或文件夹不存在"), (errno.EACCES, "没有访问权限"),
    (errno.ENOSPC, "磁盘空间不足"), (errno.EROFS, "磁盘或光盘是只读的"),
    (errno.EIO, "读写出错（磁盘、U盘或光盘可能损坏）"), (errno.ENAMETOOLONG, "文件名或路径太长"),
])
def test_the_c_library_reason_is_said_in_chinese(code, reason):
    assert os_reason(OSError(code, "English text")) == reason


def test_an_unlisted_reason_keeps_its_number_for_support():
    assert os_reason(OSError(errno.ENOLINK, "Link has been severed")) == \
        f"Link has been severed（错误码 {errno.ENOLINK}）"


def test_windows_own_message_is_kept():
    err = OSError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。")
    err.winerror = 32  # what Windows sets; its text is in the system's language already
    assert os_reason(err) == "另一个程序正在使用此文件，进程无法访问。"


def test_a_missing_file_on_the_command_line_is_chinese(cli, tmp_path):
    r = cli("import-json", tmp_path / "无此文件.json")
    assert r.code == 2 and "不存在" in r.err
    r = cli("verify", tmp_path / "无此文件.rpu")
    assert "No such file" not in r.err and "不存在" in r.err


def test_a_field_is_named_by_its_label_and_its_key(cli, tmp_path):
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(make_record(1, birth_date="1975-02-30"), ensure_ascii=False),
                   encoding="utf-8")
    r = cli("import-json", src)
    assert r.code != 0 and "出生日期（birth_date）：" in r.err, r.err
    assert str(InputError("请指定", field="recipient")) == "接收方（recipient）：请指定"
    assert str(InputError("x", field="work_history[1].end")) == "工作经历·第2行·终止年月（work_history[1].end）：x"


def test_every_field_the_program_names_in_an_error_has_a_chinese_label():
    """Every ``field="…"`` written in the program reads as a label, never as ``字段 key``."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    named = {m for path in [*root.joinpath("collector").rglob("*.py"),
                            *root.joinpath("ui").rglob("*.py")]
             for m in re.findall(r'field="([A-Za-z_][\w.]*)"', path.read_text(encoding="utf-8"))}
    assert {"provenance", "reason", "recipient"} <= named
    unlabelled = {f for f in named if str(InputError("x", field=f)).startswith("字段 ")}
    assert not unlabelled, unlabelled
