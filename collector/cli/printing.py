"""Printing commands: ``print registration|summary|report|all`` and ``verify-print``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..common.errors import CollectorError, UsageError
from ..common.textfile import read_user_text
from .common import open_store, require_file

if TYPE_CHECKING:
    from ..printing import ReportInfo
    from ..storage.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("print", help="打印推荐人选个人登记表、情况汇总表（PDF、XLSX）、推荐报告")
    p.add_argument("kind", choices=("registration", "summary", "report", "evidence", "all"),
                   help="registration 登记表（每人一份）；summary 汇总表；report 推荐报告；"
                        "evidence 佐证材料封面及目录（每人一份）；all 全部")
    p.add_argument("--id", action="append", dest="ids", metavar="ID",
                   help="只打印指定候选人（编号（或至少 4 位前缀）、人选代码或身份证号，可重复；默认全部）")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    p.add_argument("--unit", help="联系单位（推荐单位）")
    p.add_argument("--contact", help="联系人")
    p.add_argument("--office-phone", help="办公电话")
    p.add_argument("--mobile", help="手机")
    p.add_argument("--narrative-file", metavar="FILE", help="推荐报告正文（文本文件：UTF-8、UTF-16 或 GBK）")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="填报日期（默认今天）")
    p.add_argument("--channel", help="推荐渠道，如“盟市 · 呼和浩特市”")
    p.add_argument("--publicized", action="store_true", default=None,
                   help="已公示：推荐报告默认正文写明经公示（默认取推荐报告信息中的设置）")
    p.add_argument("--declassified", action="store_true", default=None,
                   help="涉密材料已作脱密处理：推荐报告默认正文写明（默认取推荐报告信息中的设置）")
    p.add_argument("--signer-fingerprint", metavar="HEX",
                   help="签名密钥指纹（默认取本机密钥的指纹，如已生成）")
    p.set_defaults(func=cmd_print)

    p = sub.add_parser("verify-print", help="核对纸质材料上的指纹与 .rpu 电子数据是否一致")
    p.add_argument("fingerprint", help="纸质材料页脚上的指纹（可只写前 16 位以上，大小写、连字符均可）")
    p.add_argument("file", metavar="FILE.rpu")
    p.set_defaults(func=cmd_verify_print)


def report_info(args: argparse.Namespace, store: Store) -> ReportInfo:
    """Command-line options first, then the saved setting ``report``, then this installation's
    role and unit (联系单位/推荐单位, 推荐渠道): the same report ``disc`` prints."""
    from ..office.package import report_info as saved_report_info
    from ..office.profile import load_profile
    from ..printing import ReportInfo

    narrative = ""
    if args.narrative_file:
        path = require_file(args.narrative_file)
        narrative = read_user_text(path, f"推荐报告正文文件 {path}", max_bytes=1 << 20)
    given = ReportInfo(unit=args.unit or "", contact=args.contact or "",
                       office_phone=args.office_phone or "", mobile=args.mobile or "",
                       narrative=narrative, date=args.date or "", channel=args.channel or "",
                       publicized=bool(args.publicized), declassified=bool(args.declassified))
    return given.merged(saved_report_info(store, load_profile(store)))


def own_signer_fingerprint(store: Store) -> str | None:
    """This installation's signing key fingerprint, if it has keys (no passphrase needed)."""
    from ..exchange.keyring import has_identity, stored_public

    try:
        return stored_public(store).fingerprint if has_identity(store) else None
    except CollectorError:
        return None


def cmd_print(args: argparse.Namespace) -> int:
    from ..printing import print_all
    from ..printing.batch import KINDS

    kinds = KINDS if args.kind == "all" else (args.kind,)
    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"输出位置 {out_dir} 是文件，请给出一个文件夹")
    with open_store(args) as store:
        info = report_info(args, store)
        signer = args.signer_fingerprint or own_signer_fingerprint(store)
        results = print_all(store, args.ids, out_dir, info, kinds=kinds,
                            signer_fingerprint=signer)
    warned = 0
    for result in results:
        pages = f"（{result.pages} 页）" if result.pages else ""
        print(f"已生成 {result.path}{pages}")
        for warning in result.warnings:
            print(f"  警告：{warning}", file=sys.stderr)
            warned += 1
    print(f"共 {len(results)} 个文件，警告 {warned} 条。")
    return 0


def cmd_verify_print(args: argparse.Namespace) -> int:
    from ..printing.verify import check_printed
    from ..rpu import open_package
    from .common import unlock

    from ..exchange.chain import read_chain
    from ..office.paper_match import forms_in_chain, match_form

    path = require_file(args.file)
    with open_store(args, create=False) as store:
        identity = unlock(store)
        package = open_package(path, identity)
    # Every level's copy in the package, down to the applicant's own: the same forms, and the
    # same matching, as paper-check.
    forms = forms_in_chain(read_chain(path, identity, package).root)
    outcome = check_printed(args.fingerprint, package,
                            lambda text: match_form(text, forms, f"{path.name} 中",
                                                    need_key=False))
    print(outcome.message)
    return 0 if outcome.ok else 1
