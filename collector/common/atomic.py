"""Atomic writes: a temp file in the same folder, flushed, then renamed over the real name."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
import time
from pathlib import Path
from typing import IO, Any, Iterator

from .errors import FileInUseError

# Windows refuses to replace a file another program holds open (WinError 32/5). A virus scanner
# lets go within a second or so; Excel or Acrobat do not, and then the user must close them.
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.8)


@contextlib.contextmanager
def atomic_writer(path: Path, mode: str = "wb") -> Iterator[IO]:
    """Yield a file to write; on success it replaces ``path``, on error nothing is left.

    The temp file's name carries the writer's PID, so the next writer of the same name can
    remove what a killed writer (``kill -9``, power cut) left behind.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part",
                               dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        replace_retrying(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def replace_retrying(src: str | os.PathLike, dst: str | os.PathLike) -> None:
    """``os.replace``, retried for about two seconds while the target is held open; then a
    FileInUseError naming ``dst`` (the real file, never the hidden temp file)."""
    for delay in (*RETRY_DELAYS, None):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if os.path.isdir(dst):  # Windows: a folder in the way is PermissionError too
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR),
                                        os.fspath(dst)) from None
            if delay is None:
                raise FileInUseError(
                    f"无法写入 {os.fspath(dst)}：该文件正被其他程序占用或没有写入权限。"
                    "请先关闭打开该文件的程序（如 Excel、WPS、Acrobat），或换一个位置保存，"
                    "然后重试") from None
            time.sleep(delay)


def remove_stale_parts(path: Path) -> list[Path]:
    """Delete ``.NAME.<pid>.*.part`` files beside ``path`` whose writing process has ended."""
    removed = []
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(".part")):
                continue
            pid = name[len(prefix):].split(".", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        return _alive_windows(pid, ctypes.windll.kernel32)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
STILL_ACTIVE = 259


def _alive_windows(pid: int, kernel32: Any) -> bool:
    """Windows keeps an ended process openable while anyone holds a handle to it (its parent,
    for one), so only its exit code tells: STILL_ACTIVE while it runs."""
    import ctypes

    handle = kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True  # cannot tell: keep its file
        return code.value == STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def write_json_atomic(path: Path, value: Any) -> None:
    with atomic_writer(path, "w") as fh:
        json.dump(value, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
