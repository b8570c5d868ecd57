"""``collector schema``: the record format as JSON Schema (or the Markdown table of the docs)."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="输出候选人记录格式的 JSON Schema（由字段表与年度规则生成）")
    p.add_argument("--markdown", action="store_true", help="改为输出 docs/data-format.md 中的字段表")
    p.add_argument("--year", type=int, help="规则年度（默认 2017）")
    p.set_defaults(func=cmd_schema)


def cmd_schema(args: argparse.Namespace) -> int:
    from ..record.schema import data_format_table, schema_text
    from ..record.year import load_year

    year = load_year(args.year) if args.year else None
    sys.stdout.write(data_format_table(year) if args.markdown else schema_text(year))
    return 0
