"""Core commands: init, import-json, export-json, list, validate, demo."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..common.errors import InputError, UsageError
from .common import db_path, open_store, print_json, require_file

if TYPE_CHECKING:
    from ..rules import Finding


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="创建（或升级）数据库")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("import-json", help="从 JSON 文件导入候选人（一个对象或对象列表）；"
                       "attachments[].file 为相对于该 JSON 文件所在文件夹的附件路径，一并存入")
    p.add_argument("file")
    p.set_defaults(func=cmd_import_json)

    p = sub.add_parser("export-json", help="导出候选人为 JSON（含审计记录）")
    p.add_argument("--out", metavar="FILE", help="写入文件（默认输出到屏幕）")
    p.add_argument("--id", action="append", dest="ids", metavar="ID",
                   help="只导出指定候选人（编号或前缀、人选代码或身份证号，可重复）")
    p.add_argument("--with-files", metavar="DIR",
                   help="同时把佐证材料文件写入此文件夹（须在 JSON 文件所在文件夹内），"
                        "记录中的 file 改为相对路径，可再次导入")
    p.set_defaults(func=cmd_export_json)

    p = sub.add_parser("list", help="列出候选人")
    p.add_argument("--json", action="store_true", help="以 JSON 输出完整记录")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("validate", help="检查候选人是否符合条件、信息是否完整")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--all", action="store_true", help="检查数据库中全部候选人（默认）")
    group.add_argument("--id", action="append", dest="ids", metavar="ID",
                       help="只检查指定候选人（编号或前缀、人选代码或身份证号，可重复）")
    p.add_argument("file", nargs="?", metavar="FILE.json", help="检查 JSON 文件而不导入")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="按指定日期检查（默认今天）")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("demo", help="用虚构数据演示全流程（无需界面）")
    p.add_argument("--out", metavar="DIR", help="演示数据文件夹（默认临时文件夹）")
    p.add_argument("--count", type=int, default=6, help="虚构申报人数（默认 6）")
    p.set_defaults(func=cmd_demo)


def cmd_init(args: argparse.Namespace) -> int:
    from ..storage.store import Store

    path = db_path(args)
    with Store(path) as store:
        print(f"数据库已就绪：{path}（版本 {store.schema_version}，候选人 {store.count()} 名）")
    return 0


def cmd_import_json(args: argparse.Namespace) -> int:
    from ..storage.interchange import import_records, load_candidates_file

    path = require_file(args.file)
    records = load_candidates_file(path)
    with open_store(args) as store:
        result = import_records(store, records, source_label=path.name,
                                base_dir=path.parent)
    print(f"已导入 {len(result.created)} 名，更新 {len(result.updated)} 名（{path.name}）")
    for note in result.notes:
        print(f"警告：{note}")
    return 0


def cmd_export_json(args: argparse.Namespace) -> int:
    from ..storage.interchange import export_records

    with open_store(args, create=False) as store:
        records = export_records(store, args.ids)
        if args.with_files:
            from ..storage.attachment_files import write_out

            json_dir = Path(args.out).parent if args.out else Path.cwd()
            n = write_out(store, records, Path(args.with_files), json_dir)
            print(f"已写出 {n} 个附件文件到 {args.with_files}", file=sys.stderr)
    if args.out:
        from ..common.atomic import write_json_atomic

        write_json_atomic(Path(args.out), records)
        print(f"已导出 {len(records)} 名候选人到 {args.out}", file=sys.stderr)
    else:
        print_json(records)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        if args.json:
            from ..storage.interchange import export_records
            from ..exchange.provenance import of

            records = export_records(store, None)
            for rec in records:  # where each record's data can be traced to (DESIGN §6)
                rec["provenance"] = of(store.get(rec["id"])).to_json()
            print_json(records)
            return 0
        rows = list(store.all())
    if not rows:
        print("（没有候选人）")
        return 0
    from ..rules import validate
    from ..storage.store import STATUS_LABELS

    print(f"{'编号':<10}{'姓名':<8}{'身份证号':<20}{'状态':<6}{'检查':<10}工作单位")
    for c in rows:
        findings = validate(c.data)
        errors = sum(f.is_error for f in findings)
        verdict = "通过" if not errors else f"{errors}处错误"
        status = STATUS_LABELS.get(c.status, c.status)
        print(f"{c.id[:8]:<10}{c.name:<8}{c.data['id_number']:<20}{status:<6}{verdict:<10}"
              f"{c.data['employer']}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from ..storage.interchange import load_candidates_file
    from ..record.model import normalize
    from ..rules import Finding, validate

    today = _today(args.today)
    results: list[dict] = []
    if args.file:
        if args.ids or args.all:
            raise UsageError("检查 JSON 文件时不能同时使用 --all 或 --id")
        path = require_file(args.file)
        for i, raw in enumerate(load_candidates_file(path, normalize_records=False), start=1):
            label = raw.get("name") if isinstance(raw.get("name"), str) and raw.get("name") else f"#{i}"
            try:
                record = normalize(raw)
                findings = validate(record, today=today)
            except InputError as err:
                findings = [Finding("FORMAT", "error", err.field or "", err.message)]
                record = _identity_of(raw)
            results.append(_result(label, "", record, findings, i))
    else:
        with open_store(args, create=False) as store:
            stored = [store.find(k) for k in args.ids] if args.ids else list(store.all())
        for i, c in enumerate(stored, start=1):
            results.append(_result(c.id, c.id, c.data, validate(c.data, today=today), i))
    failed = any(r["errors"] for r in results)
    if args.json:
        print_json(results)
    else:
        _print_results(results)
    return 1 if failed else 0


def _identity_of(raw: dict) -> dict:
    """Name and ID number of a record that cannot be read, so its FORMAT finding still says
    whose it is (only plain one-line text is shown)."""
    out = {}
    for key in ("name", "id_number"):
        value = raw.get(key)
        if isinstance(value, str) and value.isprintable() and len(value) <= 40:
            out[key] = value.strip()
    return out


def _result(label: str, cid: str, record: dict, findings: list[Finding], index: int) -> dict:
    from ..rules import is_eligible

    errors = sum(f.is_error for f in findings)
    # One verdict: any error-severity finding (not only AGE/TITLE/CONDITION) means 不符合.
    return {
        "candidate": label, "id": cid, "index": index,
        "name": record.get("name", ""), "id_number": record.get("id_number", ""),
        "eligible": bool(record) and is_eligible(findings) and not errors,
        "errors": errors,
        "findings": [f.to_dict() for f in findings],
    }


def _print_results(results: list[dict]) -> None:
    from ..record import fields as fl

    if not results:
        print("（没有候选人）")
    for r in results:
        who = f"{r['name'] or r['candidate']}（{r['id_number'] or '无身份证号'}）"
        if not r["findings"]:
            print(f"✔ {who}：符合条件，信息完整")
            continue
        head = "✔" if r["eligible"] else "✘"
        verdict = "符合申报条件" if r["eligible"] else "不符合申报条件"
        print(f"{head} {who}：{verdict}，{r['errors']} 处错误，"
              f"{len(r['findings']) - r['errors']} 处提示")
        for f in r["findings"]:
            mark = "错误" if f["severity"] == "error" else "提示"
            place = fl.label_of(f["field"]) or f["field"]
            print(f"    [{mark}] {f['rule']} {place}（{f['field']}）：{f['message']}")


def _today(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--today 的日期“{text}”应为 YYYY-MM-DD") from None


def cmd_demo(args: argparse.Namespace) -> int:
    from ..demo.pipeline import run_demo

    if args.count < 1 or args.count > 1000:
        raise UsageError("--count 应在 1 到 1000 之间")
    return run_demo(Path(args.out) if args.out else None, count=args.count)
