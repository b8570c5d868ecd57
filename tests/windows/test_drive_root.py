"""A drive's top (``E:\\``, a USB stick's root) as the disc folder gets a clear message."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from collector import disc
from collector.common.errors import UsageError
from collector.common.paths import is_drive_root


@pytest.mark.parametrize("path, root", [
    ("E:\\", True), ("E:", True), ("e:/", True), ("\\\\server\\share", True),
    ("\\\\server\\share\\", True), ("E:\\报送光盘", False), ("\\\\server\\share\\光盘", False),
    ("C:\\Users\\张 三\\Documents\\光盘", False), ("光盘", False),
])
def test_windows_drive_roots(path, root):
    assert is_drive_root(path, windows=True) is root


@pytest.mark.parametrize("path, root", [("/", True), ("//", True), ("/media/u/DISK/光盘", False),
                                        ("E:\\", False)])
def test_posix_roots_by_name(path, root):
    assert is_drive_root(path, windows=False) is root


def test_a_mount_point_on_this_machine_is_a_root(tmp_path):
    assert is_drive_root("/") and not is_drive_root(tmp_path)


def test_cli_disc_to_a_drive_root_says_a_subfolder_is_needed(cli, monkeypatch):
    monkeypatch.setattr("collector.disc.folder.is_drive_root", partial(is_drive_root, windows=True))
    r = cli("disc", "--out", "E:\\")
    assert r.code == 2 and "根目录" in r.err and "子文件夹" in r.err, r.err


def test_build_folder_at_a_root_is_refused_before_anything_is_written(tmp_path):
    rpu = tmp_path / "a.rpu"
    rpu.write_bytes(b"x")
    label = disc.DiscLabel("包头市", dt.date(2017, 4, 20))
    with pytest.raises(UsageError, match="根目录"):
        disc.build_folder("/", rpu_files=[rpu], label=label)
