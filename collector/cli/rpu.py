"""生成报送 commands: keys, pack, verify, inspect, import-rpu (DESIGN §7)."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..common.errors import UsageError, os_reason
from ..common.fingerprint import short
from ..common.text import shown
from .common import (NEW_PASSPHRASE_ENV, PASSPHRASE_ENV, early_copies, unlock, new_passphrase, open_store, passphrase,
                     print_json, print_warnings, recipients_for, require_file)

if TYPE_CHECKING:
    pass

# = collector.exchange.packing.ROLES, written out so that building the parser needs no crypto
# (tests/core/test_cli_light.py checks they agree).
SENDER_ROLES = ("个人", "单位", "盟市", "厅局", "自治区")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keys", help="本机密钥与接收方公钥")
    ks = p.add_subparsers(dest="keys_command", metavar="ACTION")
    ks.required = True
    g = ks.add_parser("generate", help="生成本机密钥（签名 + 解密），私钥用口令加密保存")
    g.add_argument("--name", default="", help="本机使用者或机构名称")
    g.add_argument("--unit", default="", help="单位")
    g.add_argument("--force", action="store_true", help="替换已有密钥")
    g.set_defaults(func=cmd_keys_generate)
    s = ks.add_parser("show", help="显示本机密钥指纹与接收方")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_keys_show)
    e = ks.add_parser("export-public", help="输出本机公钥（可邮寄或打印）")
    e.add_argument("--out", metavar="FILE", help="写入文件（默认输出到屏幕）")
    e.set_defaults(func=cmd_keys_export)
    i = ks.add_parser("import-recipient", help="导入接收方（上级人社部门）的公钥")
    i.add_argument("file", metavar="FILE")
    i.add_argument("--name", default="", help="接收方名称")
    i.add_argument("--no-default", action="store_true", help="不作为默认接收方")
    i.set_defaults(func=cmd_keys_import)
    c = ks.add_parser("passphrase", help=f"修改本机私钥的口令（脚本中用 {PASSPHRASE_ENV} 和 "
                                         f"{NEW_PASSPHRASE_ENV} 给出原口令和新口令）")
    c.set_defaults(func=cmd_keys_passphrase)
    r = ks.add_parser("remove-recipient", help="删除已导入的接收方公钥（内置的自治区公钥不能删除）")
    r.add_argument("who", metavar="NAME|FINGERPRINT", help="接收方名称、单位或指纹（至少前 16 位）")
    r.set_defaults(func=cmd_keys_remove)

    p = sub.add_parser("pack", help="生成报送文件（.rpu：签名并加密）")
    p.add_argument("--out", required=True, metavar="FILE.rpu")
    p.add_argument("--id", action="append", dest="ids", metavar="ID", help="只报送指定候选人（编号（或至少 4 位前缀）、人选代码或身份证号，可重复）")
    p.add_argument("--to", action="append", dest="to", metavar="KEYFILE",
                   help="再加一个接收方公钥文件（默认接收方：内置的自治区公钥和已导入的默认接收方，"
                        "始终保留）")
    p.add_argument("--only", action="store_true",
                   help="只加密给 --to 给出的接收方（不再加密给自治区：自治区将无法核对申报人签名）")
    p.add_argument("--role", default="个人", choices=SENDER_ROLES, help="报送方角色")
    p.add_argument("--unit", default="", help="报送单位")
    p.add_argument("--today", metavar="YYYY-MM-DD", type=_date, help="按指定日期检查（默认今天）")
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("verify", help="解密并校验报送文件（签名与每个部件的摘要）；"
                                      "给出光盘文件夹或 .iso 时按 MANIFEST.sha256 校验光盘")
    p.add_argument("file", metavar="FILE.rpu|DIR|FILE.iso")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("inspect", help="不解密查看报送文件（版本、报送方指纹、接收方、时间、大小）")
    p.add_argument("file", metavar="FILE.rpu")
    p.add_argument("--json", action="store_true")
    p.add_argument("--chain", action="store_true",
                   help="解密并显示签名链：每一层的签名直至申报人本人（collector.exchange.chain）")
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("import-rpu", help="校验并导入报送文件")
    p.add_argument("files", nargs="+", metavar="FILE.rpu")
    p.set_defaults(func=cmd_import_rpu)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应为 YYYY-MM-DD") from None


def cmd_keys_generate(args: argparse.Namespace) -> int:
    from ..exchange import keyring
    from ..rpu import keys as rk

    with open_store(args) as store:
        if not args.force:
            keyring.refuse_existing(store)  # before asking for a passphrase
        secret = passphrase(confirm=True)
        rk.check_new_passphrase(secret)
        ident = keyring.generate_identity(store, secret, args.name, args.unit, replace=args.force)
    print(f"已生成本机密钥，指纹：{rk.grouped(ident.fingerprint)}")
    print(f"（纸质材料上印的简短指纹：{short(ident.fingerprint)}）")
    return 0


def cmd_keys_show(args: argparse.Namespace) -> int:
    from ..exchange import keyring
    from ..rpu import keys as rk

    with open_store(args) as store:
        own = keyring.stored_public(store) if keyring.has_identity(store) else None
        recipients = keyring.list_recipients(store)
        shipped = rk.shipped_keys()
    if args.json:
        print_json({"identity": own and own.to_json(),
                    "recipients": [r.to_json() for r in recipients],
                    "shipped": [r.to_json() for r in shipped]})
        return 0
    if own:
        print(f"本机：{own.name or '（未命名）'} {own.unit}".rstrip())
        print(f"  指纹 {rk.grouped(own.fingerprint)}")
    else:
        print("本机还没有密钥（collector keys generate）")
    print("接收方：")
    for r in shipped + recipients:
        mark = "默认" if r.default else "    "
        print(f"  [{mark}] {short(r.fingerprint)}  {r.name} {r.unit}  （{r.source or '已导入'}）")
    return 0


def cmd_keys_export(args: argparse.Namespace) -> int:
    from ..exchange import keyring

    with open_store(args, create=False) as store:
        block = keyring.public_key_block(store)
    if args.out:
        from ..common.atomic import atomic_writer

        out = Path(args.out)
        if out.is_dir():
            raise UsageError(f"{out} 是文件夹，请给出公钥文件的文件名")
        try:
            with atomic_writer(out, "w") as fh:
                fh.write(block)
        except OSError as err:
            raise UsageError(f"无法写入 {out}：{os_reason(err)}") from None
        print(f"公钥已写入 {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(block)
    return 0


def cmd_keys_passphrase(args: argparse.Namespace) -> int:
    from ..exchange import keyring

    with open_store(args, create=False) as store:
        keyring.stored_public(store)  # no keys yet: say so before asking anything
        old = passphrase() if os.environ.get(PASSPHRASE_ENV) or not sys.stdin.isatty() \
            else getpass.getpass("原口令：")
        keyring.load_identity(store, old)  # a wrong old passphrase is refused before asking the new one
        ident = keyring.change_passphrase(store, old, new_passphrase())
    print(f"口令已修改（本机密钥指纹不变：{short(ident.fingerprint)}）。以后请使用新口令。")
    return 0


def cmd_keys_remove(args: argparse.Namespace) -> int:
    from ..exchange import keyring

    with open_store(args, create=False) as store:
        key = keyring.remove_recipient(store, args.who)
    print(f"已删除接收方 {key.name or key.unit or key.source}（指纹 {short(key.fingerprint)}）")
    return 0


def cmd_keys_import(args: argparse.Namespace) -> int:
    from ..exchange import keyring
    from ..rpu import keys as rk

    path = require_file(args.file)
    with open_store(args) as store:
        key = keyring.import_recipient(store, path, args.name, default=not args.no_default)
    print(f"已导入接收方 {key.name or key.unit}，指纹：{rk.grouped(key.fingerprint)}")
    print("请与对方电话核对指纹后再报送。")
    return 0


class _Progress:
    """A percentage on stderr for large packs; quiet for small ones or when not a terminal."""

    def __init__(self, label: str):
        self.label, self.last = label, -1

    def __call__(self, done: int, total: int) -> None:
        if total < 8 << 20 or not sys.stderr.isatty():
            return
        pct = done * 100 // max(total, 1)
        if pct != self.last:
            self.last = pct
            print(f"\r{self.label} {pct:3d}%", end="" if pct < 100 else "\n", file=sys.stderr)


def cmd_pack(args: argparse.Namespace) -> int:
    from ..exchange.packing import pack
    from ..rpu import keys as rk
    from ..rpu.errors import PackRefused

    with open_store(args, create=False) as store:
        _no_held_records(store, args.ids)
        identity = unlock(store)
        recipients = recipients_for(store, args.to, args.only)
        try:
            result = pack(store, args.ids, args.out, identity=identity,
                          recipients=recipients, role=args.role, unit=args.unit,
                          progress=_Progress("打包"), today=args.today)
        except PackRefused as err:
            for label, finding in err.findings:
                print(f"{label}：{finding}")
            raise
    print_warnings(result.warnings)
    print(f"已生成 {result.path}（{result.size} 字节）：候选人 {len(result.candidates)} 名，"
          f"附件 {result.attachments} 个，接收方 {len(result.recipients)} 个")
    print(f"签名指纹：{rk.grouped(result.signer_fingerprint)}")
    for c in result.candidates:
        print(f"  {c['name']}  记录指纹 {short(c['fingerprint'])}")
    return 0


def _no_held_records(store, ids: list[str] | None) -> None:
    """An office's candidates leave by the one preflight every export path has (held ones and
    open duplicates stop it): a plain ``pack`` at an office is no way around it."""
    from ..common.errors import InputError
    from ..office.profile import load_profile

    if not load_profile(store).is_office:
        return
    from ..office.package import export_holds  # with printing: 0.4 s an applicant's pack skips

    chosen = [store.find(k).id for k in ids] if ids else [c.id for c in store.all()]
    held = export_holds(store, chosen)
    if held:
        raise InputError("；".join(f.message for f in held) + "。报送文件未生成", field="provenance")


def cmd_verify(args: argparse.Namespace) -> int:
    from ..exchange import keyring
    target = Path(args.file)
    if target.is_dir() or target.suffix.lower() == ".iso":  # a disc (DESIGN §9): the manifest
        from .disc import cmd_verify as verify_disc

        args.path = args.file
        return verify_disc(args)
    from .. import rpu
    from ..rpu import keys as rk
    from ..rpu.errors import NotForThisKey

    path = require_file(args.file)
    with open_store(args, create=False) as store:
        try:
            pkg = rpu.open_package(path, unlock(store), _Progress("校验"))
        except NotForThisKey as err:
            raise keyring.name_recipients(store, err) from None
        known = keyring.known_name(store, pkg.signer_fingerprint)
    if args.json:
        print_json({"ok": True, "signer_fingerprint": pkg.signer_fingerprint,
                    "signer": pkg.signer, "candidates": len(pkg.candidates),
                    "parts": len(pkg.parts), "known_signer": known})
        return 0
    who = " ".join(x for x in (pkg.signer.get("unit"), pkg.signer.get("name")) if x)
    print(shown(f"OK  签名者 {rk.grouped(pkg.signer_fingerprint)}（{who or '未署名'}，"
                f"{pkg.signer.get('role')}）  候选人 {len(pkg.candidates)} 名  部件 {len(pkg.parts)} 个"))
    if not known:
        print("提示：签名者不在本机的接收方名单中，请与报送方核对上面的指纹", file=sys.stderr)
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
    if getattr(args, "chain", False):
        from .office import cmd_inspect_chain

        return cmd_inspect_chain(args)
    from .. import rpu
    from ..rpu import keys as rk

    path = require_file(args.file)
    info = rpu.inspect(path)
    if args.json:
        print_json(info)
        return 0
    print(shown(f"文件：{info['file']}（{info['size']} 字节）"))
    print(f"格式版本：{info['format_version']}  生成时间：{info['created']}")
    print(f"报送方指纹：{rk.grouped(info['sender_fingerprint'])}")
    print("接收方密钥：" + "、".join(short(f) for f in info["recipients"]))
    return 0


def cmd_import_rpu(args: argparse.Namespace) -> int:
    """The inbox's import (``collector.office.inbox``): the same checks of signers, chain and
    duplicates, and the same provenance, whichever command a package comes in by."""
    for name in args.files:  # a missing file is a usage error here as on every command
        require_file(name)
    with open_store(args) as store, early_copies(store, args.files) as copies:
        from ..office import inbox  # loaded while the packages are copied

        result = inbox.import_many(store, args.files, lambda: unlock(store), copies=copies)
    failed = False
    for e in result.entries:
        name = shown(Path(e.origin).name)
        if e.status == inbox.REFUSED:
            print(f"错误：{name}：{shown(e.reason)}（未导入任何数据）", file=sys.stderr)
            failed = True
            continue
        if e.status == inbox.SKIPPED:
            print(f"DUPLICATE：{name} 此前已导入（收件箱 #{e.id}），未重复导入", file=sys.stderr)
            failed = True
            continue
        for d in e.info.get("duplicates", []):
            print(shown(f"DUPLICATE：身份证号 {d['id_number']}（{d['name']}）已在本机数据库中"
                        f"（{d['first']}），未覆盖；处理见 collector duplicates"), file=sys.stderr)
            failed = True
        print(f"{name}：已导入 {len(e.candidates)} 名，重复 {len(e.info.get('duplicates', []))} 名；"
              f"签名者 {short(e.signer)}")
        for line in inbox.entry_lines(e)[1:]:
            print(line)
    return 1 if failed else 0
