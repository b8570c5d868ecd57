"""Where Windows says PermissionError for a folder (open, os.replace onto it) and keeps an ended
process openable: the messages and the clean-up must be the same as on Linux.

Each behaviour is simulated here and met for real in the Wine run (packaging/windows/wine_ci.sh),
where tests/rpu/test_payload_edges.py and tests/core/test_atomic.py run on Windows' own calls.
"""

from __future__ import annotations

import builtins
import ctypes
import errno
import os

import pytest

from collector.common import atomic

from collector import rpu
from collector.common.atomic import atomic_writer
from collector.rpu import reader


def _windows_open(monkeypatch) -> None:
    real = builtins.open

    def open_(path, *args, **kwargs):
        if os.path.isdir(path):  # what CreateFileW gives a folder on Windows
            raise PermissionError(errno.EACCES, "拒绝访问。", os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(reader, "open", open_, raising=False)


def test_a_folder_opened_as_a_package_is_named_a_folder_not_a_permission_problem(
        tmp_path, monkeypatch):
    _windows_open(monkeypatch)
    with pytest.raises(rpu.PackageError) as err:
        rpu.inspect(tmp_path)
    assert str(err.value) == f"{tmp_path} 是文件夹，不是报送文件"


def test_a_file_without_permission_still_says_so(tmp_path, monkeypatch):
    target = tmp_path / "a.rpu"
    target.write_bytes(b"x")

    def refuse(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))

    monkeypatch.setattr(reader, "open", refuse, raising=False)
    with pytest.raises(rpu.PackageError) as err:
        rpu.inspect(target)
    assert str(err.value).startswith(f"无法打开 {target}：")
    assert "文件夹" not in str(err.value)


def _windows_replace(monkeypatch) -> list[str]:
    real = os.replace
    calls: list[str] = []

    def replace(src, dst, *args, **kwargs):
        calls.append(os.fspath(dst))
        if os.path.isdir(dst):  # MoveFileEx onto a folder: ERROR_ACCESS_DENIED
            err = PermissionError(errno.EACCES, "拒绝访问。", os.fspath(src), None, os.fspath(dst))
            err.winerror = 5
            raise err
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return calls


@pytest.mark.parametrize("windows", [False, True], ids=["this-os", "windows"])
def test_writing_over_a_folder_is_refused_at_once_and_leaves_nothing(tmp_path, monkeypatch,
                                                                     windows):
    slept: list[float] = []
    monkeypatch.setattr(atomic.time, "sleep", slept.append)
    calls = _windows_replace(monkeypatch) if windows else []
    target = tmp_path / "汇总表.xlsx"
    (target / "里面").mkdir(parents=True)
    with pytest.raises(IsADirectoryError):
        with atomic_writer(target) as fh:
            fh.write(b"new")
    assert slept == [] and len(calls) == (1 if windows else 0)  # no 2 s of retries
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总表.xlsx"]
    assert target.is_dir() and [p.name for p in target.iterdir()] == ["里面"]


class FakeKernel32:
    """OpenProcess succeeds for an ended process while a handle to it is open (Windows)."""

    def __init__(self, exit_code: int | None, opens: bool = True) -> None:
        self.exit_code, self.opens, self.closed = exit_code, opens, []

    def OpenProcess(self, access, inherit, pid):  # noqa: N802 - the Win32 name
        return 1234 if self.opens else 0

    def GetExitCodeProcess(self, handle, ref):  # noqa: N802
        if self.exit_code is None:
            return 0
        ctypes.cast(ref, ctypes.POINTER(ctypes.c_ulong)).contents.value = self.exit_code
        return 1

    def CloseHandle(self, handle):  # noqa: N802
        self.closed.append(handle)
        return 1


@pytest.mark.parametrize("kernel, alive", [
    (FakeKernel32(exit_code=atomic.STILL_ACTIVE), True),
    (FakeKernel32(exit_code=1), False),        # killed (TerminateProcess gives 1)
    (FakeKernel32(exit_code=0), False),        # ended normally
    (FakeKernel32(exit_code=None), True),      # cannot tell: its file is kept
    (FakeKernel32(exit_code=0, opens=False), False),  # gone entirely
], ids=["running", "killed", "ended", "unknown", "gone"])
def test_a_writer_counts_as_alive_only_while_it_still_runs(kernel, alive):
    assert atomic._alive_windows(4242, kernel) is alive
    assert kernel.closed == ([1234] if kernel.opens else [])
