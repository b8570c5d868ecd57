"""Where the program writes about its own failures, and what it may write there.

Logs sit in the user's data folder (beside the database when ``--db`` names one), private to
the user (folder 0700, file 0600), never in a shared ``/tmp``. A log holds where the code
failed, never what it was working on: an exception's message often quotes a record value (an
ID number, a birth date), so only the exception's type is kept.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path

CRASH_LOG = "collector-error.log"


def private_dir(folder: Path) -> Path:
    """Create ``folder`` (and parents) if needed; every folder created here is 0700 (mkdir
    gives parents the default mode, and filters ``mode`` by the umask)."""
    missing = []
    current = Path(folder)
    while not current.is_dir() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)
    return folder


def private_file(path: Path) -> Path:
    """Make sure ``path`` exists as a file only its owner can read (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    return path


def log_folder(db: str | os.PathLike | None = None) -> Path:
    """The folder of the database in use: ``--db``'s folder, else the user data folder."""
    from .paths import default_db_path

    return Path(db).parent if db else default_db_path().parent


def redacted_traceback(err: BaseException) -> str:
    """The traceback's frames (files, lines, code), each exception named by type only."""
    out: list[str] = []
    te: traceback.TracebackException | None = traceback.TracebackException.from_exception(err)
    while te is not None:
        out.append("Traceback (most recent call last):\n")
        out.extend(te.stack.format())
        out.append(f"{te.exc_type.__module__}.{te.exc_type.__qualname__}"
                   "（消息已省略：可能含有候选人数据）\n")
        te = te.__cause__ or (None if te.__suppress_context__ else te.__context__)
    return "".join(out)


def write_crash(err: BaseException, db: str | os.PathLike | None = None) -> Path | None:
    """Write the redacted traceback to the crash log; its path, or None if it cannot be written."""
    try:
        path = private_file(private_dir(log_folder(db)) / CRASH_LOG)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(redacted_traceback(err))
        return path
    except OSError:
        return None
