"""Helpers shared by the command modules: opening the store, reading input files, printing."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
    from ..rules import Finding
    from ..store import Store


def db_path(args: argparse.Namespace) -> Path:
    if getattr(args, "db", None):
        return Path(args.db)
    from ..paths import default_db_path

    return default_db_path()


def open_store(args: argparse.Namespace, *, create: bool = True) -> Store:
    """Open the database holding the single-instance lock for the command's duration, so a
    command run while the desktop program has the same database open gets a clear message."""
    from ..store import Store

    return Store(db_path(args), create=create, exclusive=True)


def print_json(value: Any) -> None:
    """JSON on stdout, built whole first (a failure prints nothing, never half a file) and
    escaped to ASCII when stdout is not UTF-8 (a GBK console or ``> file`` on Windows)."""
    from ..console import json_ascii

    text = json.dumps(value, ensure_ascii=json_ascii(), indent=2)
    sys.stdout.write(text + "\n")


def require_file(path: str) -> Path:
    p = Path(path)
    if not p.exists():
        raise UsageError(f"文件 {path} 不存在")
    if p.is_dir():
        raise UsageError(f"{path} 是文件夹，不是文件")
    return p


def print_warnings(findings: "list[Finding]") -> None:
    """Warning findings on stderr, one wording for every command (``警告：RULE：message``),
    each message once however many steps found it (the DEADLINE of pack, pack-office, disc)."""
    from ..rules.findings import warning_lines

    for text in warning_lines(findings):
        print(text, file=sys.stderr)
