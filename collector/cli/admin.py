"""Administration commands: backup, restore, check-db; and the global ``--selftest`` flag."""

from __future__ import annotations

import argparse
import sqlite3
import sys

from ..common.errors import StoreError
from ..common.fingerprint import short
from .common import db_path, open_store, require_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="备份数据库和附件到一个 ZIP 文件（程序运行时也可备份）")
    p.add_argument("--out", required=True, metavar="FILE", help="备份文件，例如 备份-20170420.zip")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="从备份文件恢复数据库（先完整检查备份）")
    p.add_argument("file", metavar="FILE", help="collector backup 生成的备份文件")
    p.add_argument("--force", action="store_true", help="数据库已有数据时仍然覆盖")
    p.add_argument("--check", action="store_true", help="只检查备份文件（含是否由本机签名），不恢复")
    p.add_argument("--unverified", action="store_true",
                   help="备份没有签名或无法核实由本机制作时仍然恢复（结果中注明未核实）")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check-db", help="检查数据库完整性和附件是否齐全")
    p.set_defaults(func=cmd_check_db)


def cmd_backup(args: argparse.Namespace) -> int:
    from ..storage.backup import backup_database
    from .rpu import passphrase

    summary = backup_database(db_path(args), args.out, passphrase=passphrase)
    size = summary.file_bytes / 1048576
    print(f"已备份：{summary.candidates} 名候选人，{summary.files} 个附件（{size:.1f} MB）"
          f" → {summary.path}")
    if summary.signer:
        print(f"备份已用本机密钥签名（{short(summary.signer)}）；恢复时核对签名")
    else:
        print("警告：本机还没有密钥，备份未签名，恢复时无法证明它未被改动"
              "（须加 --unverified）；请先生成密钥（collector keys generate）再备份", file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..storage.backup import check_backup, restore_database
    from ..storage.backup_proof import own_fingerprint
    from .rpu import passphrase

    path = require_file(args.file)
    target = db_path(args)
    if args.check:
        manifest, proof = check_backup(path, own=own_fingerprint(target), ask=passphrase)
        print(f"备份完好：清单记有 {manifest['candidates']} 名候选人，{manifest['files']} 个附件，"
              f"备份于 {manifest['created_at']}")
        print(proof.text(), file=sys.stdout if proof.verified else sys.stderr)
        return 0 if proof.verified else 1
    result = restore_database(path, target, force=args.force, ask=passphrase,
                              unverified=args.unverified)
    print(f"已恢复 {result.candidates} 名候选人、{result.files} 个附件"
          f"（备份于 {result.manifest['created_at']}）到 {target}")
    if result.proof.verified:
        print(result.proof.text())
    else:
        print(f"警告：{result.proof.text()}。按 --unverified 恢复，请逐项核对下列信任数据",
              file=sys.stderr)
    print("恢复的数据库带来的信任数据：" + "；".join(result.trust))
    return 0


def cmd_check_db(args: argparse.Namespace) -> int:
    from ..storage.attachments import is_stored  # one kept in a received package counts too

    problems: list[str] = []
    with open_store(args, create=False) as store:
        conn = store.db.conn
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"数据库 {store.path} 已损坏：{err}") from None
        if rows != [("ok",)]:
            problems += [f"完整性：{r[0]}" for r in rows[:10]]
        if fk:
            problems.append(f"有 {len(fk)} 条记录引用了不存在的数据")
        missing = 0
        for candidate in store.all():
            for entry in candidate.data.get("attachments", []):
                sha = entry.get("sha256")
                if sha and not is_stored(store, sha):
                    missing += 1
        if missing:
            problems.append(f"有 {missing} 个附件文件不在 {store.files_dir} 中")
        count = store.count()
        if store.on_network:
            print(f"提示：数据库 {store.path} 位于网络驱动器，已改用 DELETE 日志模式（WAL 在网络共享上"
                  "不安全）；请勿在多台电脑上同时打开它，最好把数据库放在本机磁盘上")
        orphans = store.orphans_removed
        pending = len(list(store.files_dir.glob(".incoming-*")))
    if orphans:  # copies from an import that was killed: not a problem once removed
        print(f"已清理 {orphans} 个中断导入留下的临时文件（.incoming-*）")
    if pending:
        print(f"另有 {pending} 个临时文件（.incoming-*）正在写入或刚中断，15 分钟后打开数据库时清理")
    if problems:
        for p in problems:
            print(f"✘ {p}")
        return 1
    print(f"✔ 数据库完好：{count} 名候选人，附件齐全")
    return 0


class SelftestAction(argparse.Action):
    """``collector --selftest``: run the demo pipeline headless, check its outputs, exit."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from ..demo.selftest import run_selftest

        parser.exit(run_selftest())
