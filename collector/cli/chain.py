"""The chain of trust on the command line (DESIGN §6): ``paper-check`` (纸质材料核对: scanned
registration-form QRs or typed fingerprints against the records) and ``accept`` (the region
accepts a held candidate anyway, with a reason that is audited)."""

from __future__ import annotations

import argparse
import sys

from ..common.errors import UsageError
from .common import open_store, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("paper-check", help="纸质材料核对：扫描登记表二维码（或输入人选数据指纹），"
                                           "与电子数据及申报人密钥比对；--list 列出每名人选的核对情况")
    p.add_argument("scans", nargs="*", metavar="SCAN_TEXT",
                   help="扫码枪读出的二维码文字，或页脚的人选数据指纹（可再加签名密钥指纹）")
    p.add_argument("--list", action="store_true", help="列出每名人选：一致、不一致或未核对")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_paper_check)

    p = sub.add_parser("accept", help="自治区：接受暂扣的人选（无法核对、本级录入或纸质材料未核对），"
                                      "须写明理由，记入审计")
    p.add_argument("id", metavar="ID", help="编号、编号前缀或身份证号")
    p.add_argument("--reason", default="", help="理由（必填），例如“已电话核实并核对纸质登记表”")
    p.set_defaults(func=cmd_accept)


def cmd_paper_check(args: argparse.Namespace) -> int:
    from ..office import paper

    if not args.scans and not args.list:
        raise UsageError("请给出扫描到的二维码文字或指纹，或用 --list 列出核对情况")
    with open_store(args) as store:
        results = [paper.check_scan(store, text) for text in args.scans]
        rows = paper.paper_list(store) if args.list else []
    if args.json:
        print_json([r.to_json() for r in rows] if args.list and not results else
                   {"scans": [r.to_json() for r in results], "list": [r.to_json() for r in rows]})
    else:
        for r in results:
            label = paper.LABELS[r.status]
            # "[一致] 一致：…" said its word twice (issue 24): the bracket carries it.
            print(f"[{label}] {r.message.removeprefix(label + '：')}")
        for row in rows:
            flag = f"  须核对：{row.flagged}" if row.flagged else ""
            below = "；".join(f"{b.get('level', '')}核对{b.get('label', '')}"
                             for b in row.below or [] if b.get("label"))
            print(f"{row.id_number}  {row.name:<6} 纸质材料{paper.LABELS[row.status]}  "
                  f"来源 {row.provenance}" + (f"  下级：{below}" if below else "") + flag)
        if rows:
            counts = {s: sum(r.status == s for r in rows) for s in paper.LABELS}
            print("共 {} 名：一致 {}，不一致 {}，未核对 {}".format(
                len(rows), counts[paper.MATCHED], counts[paper.MISMATCH], counts[paper.MISSING]),
                file=sys.stderr)
    bad = any(not r.ok for r in results) or any(r.status == paper.MISMATCH for r in rows)
    return 1 if bad else 0


def cmd_accept(args: argparse.Namespace) -> int:
    from ..exchange.admission import accept
    from ..exchange.provenance import of

    with open_store(args) as store:
        cand = accept(store, args.id, args.reason)
        prov = of(cand)
    print(f"已接受 {cand.name}（{cand.data['id_number']}，{prov.label()}）：{args.reason.strip()}；"
          "已记入审计")
    return 0
