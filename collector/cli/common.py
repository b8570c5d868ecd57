"""Helpers shared by the command modules: opening the store, reading input files, printing."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..common.errors import UsageError

if TYPE_CHECKING:
    from ..exchange.early_copy import CopyQueue
    from ..rpu.keys import Identity
    from ..rules import Finding
    from ..storage.store import Store


def db_path(args: argparse.Namespace) -> Path:
    if getattr(args, "db", None):
        return Path(args.db)
    from ..common.paths import default_db_path

    return default_db_path()


def open_store(args: argparse.Namespace, *, create: bool = True) -> Store:
    """Open the database holding the single-instance lock for the command's duration, so a
    command run while the desktop program has the same database open gets a clear message."""
    from ..storage.store import Store

    return Store(db_path(args), create=create, exclusive=True)


def print_json(value: Any) -> None:
    """JSON on stdout, built whole first (a failure prints nothing, never half a file) and
    escaped to ASCII when stdout is not UTF-8 (a GBK console or ``> file`` on Windows)."""
    from ..common.console import json_ascii

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


# -- the key: passphrase, unlocking, recipients (every command that signs or opens packages) --
PASSPHRASE_ENV = "COLLECTOR_PASSPHRASE"
NEW_PASSPHRASE_ENV = "COLLECTOR_NEW_PASSPHRASE"


def passphrase(confirm: bool = False) -> str:
    return _ask(PASSPHRASE_ENV, "口令", confirm, "两次输入的口令不一致")


def new_passphrase() -> str:
    return _ask(NEW_PASSPHRASE_ENV, "新口令", True, "两次输入的新口令不一致，口令未修改")


def _ask(env: str, what: str, confirm: bool, mismatch: str) -> str:
    """From ``env`` for scripts, else typed at the terminal (twice when ``confirm``)."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UsageError(f"需要{what}：请在终端中运行，或设置环境变量 {env}")
    value = getpass.getpass(f"{what}：")
    if confirm and getpass.getpass(f"再输入一次{what}：") != value:
        raise UsageError(mismatch)
    return value


def unlock(store) -> "Identity":
    """The unlocked key: a passphrase typed at the terminal is asked again after a wrong one
    (``PASSPHRASE_TRIES`` in all), so the command and the files it was given are not lost."""
    from ..exchange import keyring  # here, not above: light commands load no cryptography
    from ..rpu import keys as rk
    from ..rpu.errors import PassphraseError

    keyring.stored_public(store)  # says "run keys generate" before asking for a passphrase
    scripted = bool(os.environ.get(PASSPHRASE_ENV))
    for left in range(rk.PASSPHRASE_TRIES - 1, -1, -1):
        try:
            return keyring.load_identity(store, passphrase())
        except PassphraseError:
            if scripted:
                raise
            if not left:
                raise PassphraseError(f"口令连续 {rk.PASSPHRASE_TRIES} 次不正确，本次操作已取消，"
                                      "没有做任何改动；请确认口令后再运行") from None
            print(f"口令不正确，请重新输入（还可再试 {left} 次）", file=sys.stderr)
    raise AssertionError("unreachable")


def early_copies(store, paths) -> "CopyQueue":
    """The received packages among ``paths`` copied into the store from now on, while the rest
    of the program loads and the passphrase is asked (``exchange.early_copy``); the inbox adds
    what folders and discs hold. Plain ``.rpu`` files only: a folder is searched, a disc checked,
    by the inbox first."""
    from ..exchange.early_copy import CopyQueue
    from ..storage.files import FileStore

    files = [Path(p) for p in paths if Path(p).suffix.lower() == ".rpu" and Path(p).is_file()]
    return CopyQueue(FileStore(store.path), files)


def recipients_for(store, files: list[str] | None, only: bool) -> list:
    """The default recipients (the region first) plus the keys in ``files``; only those keys
    with ``only`` — leaving the region out is a choice the sender makes, never a side effect."""
    from ..rpu import keys as rk

    if only and not files:
        raise UsageError("--only 须与 --to 公钥文件 一起使用")
    from ..office.year_config import recipients_for as defaults

    given = [rk.read_public_file(require_file(f)) for f in files or []]
    # With a 年度配置包: also every registered office above the sender in its channel.
    chosen = given if only else defaults(store, [c.data for c in store.all()]) + given
    unique: dict[str, rk.PublicKey] = {}
    for key in chosen:
        unique.setdefault(key.fingerprint, key)
    return list(unique.values())


def recipients_from(files: list[str] | None):
    from ..rpu import keys as rk

    if not files:
        return None
    return [rk.read_public_file(require_file(f)) for f in files]


def optional_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期 {text} 格式不对，请写成 YYYY-MM-DD") from None
