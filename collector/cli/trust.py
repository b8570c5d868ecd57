"""The root of trust on the command line (DESIGN §6): ``register`` (密钥登记: print this
installation's 密钥登记表, register the keys of the offices or units below from theirs) and
``year-config`` (年度配置包: the region makes it, every installation imports it once)."""

from __future__ import annotations

import argparse

from ..common.errors import UsageError
from .common import open_store, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("register", help="密钥登记：打印本机的密钥登记表，或登记下级（盟市/厅局、单位）的密钥")
    rs = p.add_subparsers(dest="register_command", metavar="ACTION")
    rs.required = True
    q = rs.add_parser("form", help="打印本机的密钥登记表（PDF），盖章后交上级登记")
    q.add_argument("--out", required=True, help="PDF 文件")
    q.add_argument("--person", default="", help="经办人")
    q.set_defaults(func=cmd_form)
    q = rs.add_parser("add", help="登记一把密钥：扫描密钥登记表二维码，或输入完整指纹")
    q.add_argument("scan", metavar="SCAN_OR_FINGERPRINT")
    q.add_argument("--unit", default="", help="登记表上的单位名称（已导入其公钥时可省略）")
    q.add_argument("--level", default="", help="盟市、厅局 或 单位（二维码中已含时可省略）")
    q.add_argument("--channel", default="", help="推荐渠道名称（二维码中已含时可省略）")
    q.set_defaults(func=cmd_add)
    q = rs.add_parser("list", help="列出已登记的密钥")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_list)
    q = rs.add_parser("remove", help="撤销一把密钥的登记")
    q.add_argument("fingerprint")
    q.set_defaults(func=cmd_remove)

    p = sub.add_parser("year-config", help="年度配置包：自治区生成；各级导入一次（核对自治区密钥指纹）")
    ys = p.add_subparsers(dest="year_command", metavar="ACTION")
    ys.required = True
    q = ys.add_parser("make", help="自治区：生成并签名年度配置包（自治区公钥、盟市/厅局密钥登记、年度规则）")
    q.add_argument("--out", required=True, help="输出文件（.tcy）")
    q.add_argument("--serial", type=int, default=None, help="版本号（默认在上一版上加 1）")
    q.set_defaults(func=cmd_make)
    q = ys.add_parser("import", help="导入年度配置包；首次导入须核对通知中印发的自治区密钥指纹")
    q.add_argument("file")
    q.add_argument("--region-fingerprint", default="",
                   help="通知或函件中印发的自治区密钥指纹（首次导入必填，至少前 5 组）")
    q.set_defaults(func=cmd_import)
    q = ys.add_parser("show", help="显示本机正在使用的年度配置包")
    q.set_defaults(func=cmd_show)


def cmd_form(args: argparse.Namespace) -> int:
    from ..office.register import print_own_form

    with open_store(args, create=False) as store:
        result = print_own_form(store, args.out, person=args.person)
    print(f"已生成密钥登记表：{result.path}（指纹 {result.fingerprint}）；请核对、盖章后交上级登记")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from ..office.register import register_key

    with open_store(args) as store:
        entry = register_key(store, args.scan, unit=args.unit, level=args.level,
                             channel_name=args.channel)
    print(f"已登记：{entry.label()}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from ..office.register import entries

    with open_store(args) as store:
        rows = entries(store)
    if args.json:
        print_json([e.to_json() for e in rows])
        return 0
    if not rows:
        print("尚未登记任何密钥")
    for e in rows:
        print(f"{e.fingerprint}  {e.level}  {e.unit}  {e.channel.get('name', '')}  来源：{e.via}  {e.at}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from ..office.register import unregister

    with open_store(args) as store:
        entry = unregister(store, args.fingerprint)
    print(f"已撤销登记：{entry.label()}")
    return 0


def cmd_make(args: argparse.Namespace) -> int:
    from ..office.year_config import make_config
    from ..exchange.keyring import load_identity
    from ..exchange.keyring import stored_public
    from .rpu import passphrase

    with open_store(args) as store:
        stored_public(store)
        config = make_config(store, load_identity(store, passphrase()), args.out,
                             serial=args.serial)
    print(f"已生成 {args.out}：{config.line()}")
    print(f"请在通知或函件中印发自治区密钥指纹：{config.fingerprint}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..office.year_config import import_config
    from .common import require_file

    with open_store(args) as store:
        config = import_config(store, require_file(args.file), args.region_fingerprint)
    print(f"已导入：{config.line()}")
    for note in config.notes:
        print(f"提示：{note}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from ..office.year_config import current_config

    with open_store(args) as store:
        config = current_config(store)
    if config is None:
        raise UsageError("本机尚未导入年度配置包（collector year-config import 文件 --region-fingerprint 指纹）")
    print(config.line())
    print(f"自治区密钥指纹：{config.fingerprint}")
    for e in config.offices:
        print(f"  {e.label()}")
    return 0
