"""``collector attach``: add a 佐证材料 file to a candidate from the command line."""

from __future__ import annotations

import argparse

from .common import open_store, require_file

CANDIDATE_HELP = "候选人：编号（或至少 4 位前缀）、人选代码或身份证号"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("attach", help="为候选人添加佐证材料文件（复制进数据文件夹）")
    p.add_argument("candidate", metavar="ID", help=CANDIDATE_HELP)
    p.add_argument("file", metavar="FILE", help="附件文件（PDF、图片等）")
    p.add_argument("--title", default="", help="材料名称（默认：文件名）")
    p.add_argument("--category", default="其他", help="类别，如 职称证书、获奖证书（默认：其他）")
    p.add_argument("--classified", action="store_true", help="涉密")
    p.add_argument("--declassified", action="store_true", help="已脱密处理")
    p.set_defaults(func=cmd_attach)


def cmd_attach(args: argparse.Namespace) -> int:
    from ..record.record_notes import notes_after_save, status_of

    path = require_file(args.file)
    with open_store(args, create=False) as store:
        cand = store.find(args.candidate)
        before = status_of(store, cand.id)
        entry = store.attach(cand.id, path, title=args.title.strip(),
                             category=args.category.strip() or "其他",
                             classified=args.classified, declassified=args.declassified)
        notes = notes_after_save(store, cand.id, before, check_lookalikes=False)
    print(f"已为 {cand.name}（{cand.id[:8]}）添加佐证材料“{entry['title']}”："
          f"{entry['file']}，{entry['size']} 字节")
    for note in notes:
        print(f"警告：{note}")
    return 0
