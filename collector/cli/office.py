"""Office commands: role, inbox, decisions, decide, opinion, report-info, quota, signers,
pack-office, and ``inspect --chain`` (DESIGN §2, §6)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..common.errors import UsageError
from ..common.fingerprint import short
from ..common.text import shown
from .common import (PASSPHRASE_ENV, early_copies, unlock, open_store, optional_date, print_json, print_warnings,
                     recipients_for, require_file)

# = collector.office.decisions.DECISIONS, written out so that building the parser imports no
# store (tests/core/test_cli_light.py checks they agree).
DECISIONS = ("推荐", "不推荐")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("role", help="查看或设置本机角色（个人、单位、盟市/厅局、自治区）与单位")
    p.add_argument("--set", dest="role", metavar="ROLE", help="个人 | 单位 | 盟市/厅局 | 自治区")
    p.add_argument("--unit", help="本单位名称")
    p.add_argument("--channel", metavar="NAME", help="所属推荐渠道：盟市名或区直单位名")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_role)

    p = sub.add_parser("inbox", help="收件箱：批量导入 .rpu（文件、文件夹、光盘文件夹或 ISO），或列出已收到的")
    p.add_argument("paths", nargs="*", metavar="PATH", help="要导入的 .rpu 文件、文件夹、光盘文件夹或 .iso")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_inbox)

    p = sub.add_parser("decisions", help="审核列表：每名候选人的检查结果、来源、推荐决定和意见")
    p.add_argument("--json", action="store_true")
    p.add_argument("--today", metavar="YYYY-MM-DD")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("decide", help="标记候选人 推荐 或 不推荐（附理由）")
    p.add_argument("id", metavar="ID", help="候选人：编号（或至少 4 位前缀）、人选代码或身份证号")
    p.add_argument("decision", choices=DECISIONS)
    p.add_argument("--reason", default="", help="理由（不推荐时必填）")
    p.set_defaults(func=cmd_decide)

    p = sub.add_parser("opinion", help="填写意见：单位填单位推荐意见，盟市/厅局填盟市厅局意见")
    p.add_argument("id", metavar="ID", help="候选人：编号（或至少 4 位前缀）、人选代码或身份证号")
    p.add_argument("text")
    p.add_argument("--today", metavar="YYYY-MM-DD")
    p.set_defaults(func=cmd_opinion)

    p = sub.add_parser("report-info", help="查看或填写推荐报告信息（联系单位、联系人、电话、正文）")
    for opt, help_text in (("--unit", "联系单位"), ("--contact", "联系人"),
                           ("--office-phone", "办公电话"), ("--mobile", "手机"),
                           ("--narrative", "推荐报告正文"), ("--date", "日期 YYYY-MM-DD")):
        p.add_argument(opt, help=help_text)
    p.add_argument("--publicized", action=argparse.BooleanOptionalAction, default=None,
                   help="推荐人选已公示（推荐报告默认正文才写“经……公示等程序”）")
    p.add_argument("--declassified", action=argparse.BooleanOptionalAction, default=None,
                   help="涉密材料已作脱密处理（推荐报告默认正文才写明）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_report_info)

    p = sub.add_parser("quota", help="名额：各盟市、区直单位推荐人数与上限；自治区显示全区合计")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_quota)

    p = sub.add_parser("signers", help="列出或标记不可信的签名密钥（被标记者的报送包拒收）")
    p.add_argument("--untrust", metavar="FINGERPRINT")
    p.add_argument("--note", default="", help="标记原因")
    p.add_argument("--trust", metavar="FINGERPRINT", help="取消不可信标记")
    p.set_defaults(func=cmd_signers)

    p = sub.add_parser("pack-confirm", help="列出或确认须写明理由才能报送的人选（非本渠道、纸质材料不一致）")
    p.add_argument("id", nargs="?", metavar="ID", help="要确认的候选人：编号、人选代码或身份证号")
    p.add_argument("--reason", default="", help="确认报送的理由（确认时必填）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_pack_confirm)

    p = sub.add_parser("pack-office", help="生成本级上报包：推荐报告、汇总表、推荐人选及下级报送包")
    p.add_argument("--out", required=True, metavar="FILE.rpu")
    p.add_argument("--to", action="append", metavar="KEYFILE",
                   help="再加一个上级接收方公钥文件（内置自治区公钥和已导入的默认接收方始终保留）")
    p.add_argument("--only", action="store_true", help="只加密给 --to 给出的接收方")
    p.add_argument("--today", metavar="YYYY-MM-DD")
    p.set_defaults(func=cmd_pack_office)


def cmd_role(args: argparse.Namespace) -> int:
    from ..office import profile as prof
    from ..record.year import load_year

    with open_store(args) as store:
        if args.role or args.unit is not None or args.channel:
            p = prof.save_profile(store, role=args.role, unit=args.unit, channel_name=args.channel)
        else:
            p = prof.load_profile(store)
    if args.json:
        print_json({"role": p.role, "role_label": p.role_label, "unit": p.unit,
                    "channel": p.channel})
        return 0
    channel = " · ".join(v for v in p.channel.values() if v) or "未设置"
    print(f"角色：{p.role_label}  单位：{p.unit or '未设置'}  推荐渠道：{channel}")
    year = load_year()
    print(f"{year.year}年度材料报送截止日期：{year.deadline.isoformat()}")
    return 0


def cmd_inbox(args: argparse.Namespace) -> int:
    # A path that does not exist is a usage error (exit 2), as a missing file is on every
    # command; checked before anything is imported so the run is all or none of its inputs.
    missing = [str(p) for p in args.paths or () if not Path(p).exists()]
    if missing:
        raise UsageError(f"文件 {'、'.join(missing)} 不存在")
    with open_store(args) as store:
        if not args.paths:
            from ..office import inbox

            entries, dups = inbox.list_inbox(store), inbox.duplicates(store)
            result = None
        else:
            # The packages are copied into the store while the rest of the program loads and
            # the passphrase is asked and checked.
            with early_copies(store, args.paths) as copies:
                from ..office import inbox

                result = inbox.import_many(store, args.paths, lambda: unlock(store),
                                           progress=_progress, copies=copies)
            entries, dups = result.entries, result.duplicates
    if args.json:
        print_json({"entries": [e.to_json() for e in entries],
                    "duplicates": [f.to_dict() for f in dups]})
    else:
        for e in entries:
            for line in inbox.entry_lines(e):
                print(line)
        for f in dups:
            print(f"{f.rule}：{f.message}")
        if result is not None and result.converted is not None:
            print(result.converted.line())
        if result is not None:
            dup_only = f"，均为重复未导入 {len(result.duplicate_only)} 个" if result.duplicate_only else ""
            print(f"共 {len(entries)} 个：导入 {len(result.imported)} 个{dup_only}，"
                  f"拒收 {len(result.refused)} 个，重复 {len(dups)} 条")
    refused = result is not None and bool(result.refused)
    return 1 if refused or dups else 0


def _progress(done: int, total: int, what: str) -> None:
    if sys.stderr.isatty():
        print(f"\r导入 {done}/{total} {what[:40]:<40}", end="" if done < total else "\n",
              file=sys.stderr)


def cmd_review(args: argparse.Namespace) -> int:
    from ..office import decisions as dec
    from ..office import profile as prof
    from ..office.quota import quota_view
    from ..rules import validate

    today = optional_date(args.today)
    from ..office import paper
    from ..exchange.admission import hold_reason, is_top_level
    from ..exchange.provenance import of

    with open_store(args) as store:
        decided = dec.all_decisions(store)
        top = is_top_level(store)
        own = prof.load_profile(store).display_unit
        rows = []
        for c in store.all():
            findings = validate(c.data, today=today)
            d = decided.get(c.id)
            src = c.source or {}
            prov = of(c, own)
            rows.append({"id": c.id, "name": c.name, "id_number": c.data["id_number"],
                         "provenance": prov.klass, "provenance_detail": prov.detail,
                         "paper": paper.LABELS[paper.status_of(store, c.id)],
                         "paper_needed": prov.paper_needed,
                         "hold": hold_reason(store, c, prov, top=top),
                         "channel": c.data.get("channel", {}),
                         "errors": sum(f.is_error for f in findings),
                         "warnings": sum(not f.is_error for f in findings),
                         "source": src.get("file", "本机录入"),
                         "signer": src.get("signer", ""),
                         "decision": d.decision if d else "", "reason": d.reason if d else "",
                         "opinion": (d.opinion if d else "") or
                                    (c.data.get("unit_opinion") or {}).get("text", "")})
        shares = quota_view(store, prof.load_profile(store)).emphasis_lines()
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        ch = (r["channel"] or {}).get("name", "")
        flag = "  须核对纸质材料" if r["paper_needed"] and r["paper"] != "一致" else ""
        print(shown(f"{r['id'][:8]}  {r['name']:<6} {ch:<10} 错误 {r['errors']} 警告 {r['warnings']}  "
                    f"来源 {r['source']}（{r['provenance']}，纸质材料{r['paper']}）{flag}  "
                    f"{r['decision'] or '未决定'} {r['reason']}"
                    + (f"  暂扣：{r['hold']}" if r["hold"] else "")))
    for line in shares:
        print(line)
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    from ..office import decisions as dec

    with open_store(args) as store:
        d = dec.decide(store, args.id, args.decision, args.reason)
        name = store.get(d.candidate_id).name
    print(f"{name}：{d.decision}" + (f"（{d.reason}）" if d.reason else ""))
    return 0


def cmd_opinion(args: argparse.Namespace) -> int:
    from ..office import decisions as dec
    from ..office import profile as prof

    with open_store(args) as store:
        p = prof.load_profile(store)
        cid = dec.set_opinion(store, args.id, args.text, p, today=optional_date(args.today))
        name = store.get(cid).name
    kind = "单位推荐意见" if p.role == prof.UNIT else f"{p.role_label}意见"
    print(f"已保存 {name} 的{kind}")
    return 0


def cmd_report_info(args: argparse.Namespace) -> int:
    from ..office import profile as prof
    from ..office.package import report_info
    from ..printing import SETTING_KEY as REPORT_KEY

    keys = ("unit", "contact", "office_phone", "mobile", "narrative", "date", "publicized",
            "declassified")
    with open_store(args) as store:
        current = dict(store.get_setting(REPORT_KEY) or {})
        changes = {k: getattr(args, k) for k in keys if getattr(args, k) is not None}
        if changes.get("date"):
            optional_date(changes["date"])
        if changes:
            current.update(changes)
            store.set_setting(REPORT_KEY, current)
        info = report_info(store, prof.load_profile(store))
    if args.json:
        print_json(info.to_dict())
        return 0
    labels = {"unit": "联系单位", "contact": "联系人", "office_phone": "办公电话",
              "mobile": "手机", "date": "日期", "narrative": "正文"}
    for k, label in labels.items():
        value = getattr(info, k)
        print(f"{label}：{(value[:60] + '…') if len(value) > 60 else value or '（未填）'}")
    print(f"已公示：{'是' if info.publicized else '否'}  "
          f"涉密材料已脱密处理：{'是' if info.declassified else '否'}")
    missing = info.missing_contacts()
    if missing:
        print(f"提示：推荐报告还缺少 {'、'.join(missing)}", file=sys.stderr)
    return 0


def cmd_quota(args: argparse.Namespace) -> int:
    from ..office import profile as prof
    from ..office.quota import quota_view

    with open_store(args) as store:
        view = quota_view(store, prof.load_profile(store))
    if args.json:
        print_json({"rows": [vars(r) | {"over": r.over} for r in view.rows], "total": view.total,
                    "region_quota": view.region_quota,
                    "findings": [{"rule": f.rule, "severity": f.severity, "message": f.message}
                                 for f in view.findings],
                    "emphasis": [e.to_dict() for e in view.emphasis]})
    else:
        for line in view.lines() + view.emphasis_lines():
            print(line)
        for f in view.findings:
            print(f"{f.rule}：{f.message}")
    return 1 if view.blocked else 0


def cmd_signers(args: argparse.Namespace) -> int:
    from ..exchange import untrusted

    with open_store(args) as store:
        if args.untrust:
            fp = untrusted.mark_untrusted(store, args.untrust, args.note)
            print(f"已标记 {short(fp.ljust(20, '0'))} 为不可信，其报送包将被拒收")
        if args.trust:
            found = untrusted.mark_trusted(store, args.trust)
            print("已取消不可信标记" if found else "该指纹不在不可信名单中")
        marked = untrusted.list_untrusted(store)
    if not (args.untrust or args.trust):
        if not marked:
            print("没有被标记为不可信的签名密钥")
        for v in marked:
            print(f"不可信：{v['fingerprint']}  {v.get('note', '')}  （{v.get('at', '')}）")
    return 0


def cmd_pack_office(args: argparse.Namespace) -> int:
    from ..office.package import OfficePackRefused, pack_office, preflight
    from ..rpu import keys as rk

    today = optional_date(args.today)
    with open_store(args, create=False) as store:
        ids, blocking, warnings = preflight(store, today=today)
        print_warnings(warnings)
        identity = unlock(store)
        try:
            result = pack_office(store, args.out, identity=identity,
                                 recipients=recipients_for(store, args.to, args.only),
                                 today=today)
        except OfficePackRefused as err:
            for f in err.findings:
                print(f"{f.rule}：{f.message}")
            raise
    r = result.pack
    print(f"已生成上报包 {r.path}（{r.size} 字节）：推荐人选 {len(r.candidates)} 名，"
          f"内含下级报送包 {len(result.nested)} 个，接收方 {len(r.recipients)} 个")
    print(f"签名指纹：{rk.grouped(r.signer_fingerprint)}")
    return 0


def cmd_pack_confirm(args: argparse.Namespace) -> int:
    from ..office import pack_confirm as pc

    with open_store(args, create=False) as store:
        if args.id:
            done = pc.confirm_candidate(store, args.id, args.reason)
            for c in done:
                print(f"已确认：{c.message}；理由：{c.reason}")
            return 0
        found = pc.concerns(store)
    if args.json:
        print_json([c.to_json() for c in found])
    elif not found:
        print("没有须确认的人选")
    for c in found if not args.json else ():
        print(f"{c.message}：" + (f"已确认（{c.reason}）" if c.confirmed else "未确认"))
    return 1 if any(not c.confirmed for c in found) else 0


def cmd_inspect_chain(args: argparse.Namespace) -> int:
    """``collector inspect --chain FILE.rpu``: every level's signature down to the applicants."""
    from ..exchange.chain import read_chain

    path = require_file(args.file)
    with open_store(args, create=False) as store:
        if not os.environ.get(PASSPHRASE_ENV):
            print("inspect --chain 要解密每一层报送包来核对签名，需要本机口令"
                  "（不加 --chain 时不解密，也不需要口令）", file=sys.stderr)
        report = read_chain(path, unlock(store))
    if getattr(args, "json", False):
        print_json(report.to_json())
    else:
        for line in report.lines():  # nested packages' names are the senders' choice
            print(shown(line))
    return 0 if report.ok else 1
