"""重复报送 commands: ``duplicates`` (the open ones with both sources) and ``resolve-duplicate``
(保留原记录, or 以此份替换 from a received package)."""

from __future__ import annotations

import argparse
import sys

from ..common.errors import UsageError
from .common import open_store, print_json
from .common import unlock


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("duplicates", help="列出收件箱中未处理的重复报送（同一身份证号的两个来源）")
    p.add_argument("--all", action="store_true", help="同时列出已处理的重复及处理方式")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_duplicates)

    p = sub.add_parser("resolve-duplicate",
                       help="处理重复报送：保留原记录，或以收件箱中再次收到的那份替换原记录")
    p.add_argument("id_number", metavar="ID_NUMBER", help="重复人选的身份证号")
    p.add_argument("--keep", nargs="?", const="", default=None, metavar="ENTRY",
                   help="保留原记录；可写收件箱编号（如 #7）或文件名只处理那一份，"
                        "不写则处理该身份证号全部未处理的重复")
    p.add_argument("--replace-with", metavar="FILE_OR_ENTRY",
                   help="以这份替换原记录：收件箱编号（如 #7）、文件名，或该 .rpu 文件本身")
    p.add_argument("--confirm-older", action="store_true",
                   help="确认以同一签名者较旧的一份（签名时间更早）替换较新的原记录；审计记录写明")
    p.add_argument("--reason", default="", help="处理理由（必填，写入审计记录）")
    p.set_defaults(func=cmd_resolve)


def cmd_duplicates(args: argparse.Namespace) -> int:
    from ..office import duplicates as dup

    with open_store(args, create=False) as store:
        found = dup.list_duplicates(store, include_resolved=args.all)
    open_ones = [d for d in found if d.is_open]
    if args.json:
        print_json([d.to_json() for d in found])
    else:
        if not found:
            print("没有未处理的重复报送")
        for d in found:
            print(("[未处理] " if d.is_open else "[已处理] ") + d.line())
        if open_ones:
            print(f"未处理 {len(open_ones)} 条：collector resolve-duplicate 身份证号 --keep 或 "
                  "--replace-with 收件箱编号 --reason 理由", file=sys.stderr)
    return 1 if open_ones else 0


def cmd_resolve(args: argparse.Namespace) -> int:
    from ..office import duplicates as dup
    from ..office.replace import replace

    keeping, with_file = args.keep is not None, args.replace_with
    if keeping == bool(with_file):
        raise UsageError("请只选一种处理方式：--keep（保留原记录）或 --replace-with 收件箱编号"
                         "（以此份替换）")
    with open_store(args, create=False) as store:
        if keeping:
            done = dup.keep(store, args.id_number, args.reason, entry=args.keep or None)
            for d in done:
                print(f"已保留原记录：{d.name}（{d.id_number}）来源 {d.first}；"
                      f"不导入 {d.label}（{d.second}）")
            return 0
        result = replace(store, args.id_number, with_file, unlock(store), args.reason,
                         confirm_older=args.confirm_older)
    d = result.duplicate
    for w in result.warnings:
        print(f"警告：{w.rule}：{w.message}", file=sys.stderr)
    print(f"已以 {d.label}（{d.second}）替换 {result.name}（{d.id_number}）的原记录（{d.first}）；"
          f"复制附件 {result.attachments_copied} 个，上报包将携带该文件")
    return 0
