"""`collector demo`: the whole pipeline on invented data, headless, in a folder of its own.

Each step is a function taking the DemoContext; later parts of the pipeline (keys, .rpu,
printing, office package, disc) add their steps to STEPS.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..common.atomic import write_json_atomic
from ..storage.interchange import export_records, import_records, load_candidates_file
from ..rules import has_errors, validate
from .office_steps import OFFICE_STEPS
from .applicant_steps import RPU_STEPS
from .print_steps import PRINT_STEPS
from ..record.sample import make_candidate
from ..storage.store import Store


@dataclass
class DemoContext:
    root: Path
    count: int
    passphrase: str = "demo-passphrase"
    # One database per installation taking part: "applicant", "unit", "office", "region" …
    dbs: dict[str, Path] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    today: dt.date = dt.date(2017, 4, 20)

    def db(self, role: str) -> Path:
        return self.dbs.setdefault(role, self.root / role / "collector.db")

    def say(self, text: str) -> None:
        print(f"  {text}")


def step_candidates(ctx: DemoContext) -> None:
    records = [make_candidate(i) for i in range(ctx.count)]
    path = ctx.root / "candidates.json"
    write_json_atomic(path, records)
    ctx.files["candidates_json"] = path
    ctx.say(f"生成 {ctx.count} 名虚构申报人：{path}")


def step_import(ctx: DemoContext) -> None:
    with Store(ctx.db("applicant")) as store:
        result = import_records(store, load_candidates_file(ctx.files["candidates_json"]),
                                source_label="demo")
    ctx.say(f"申报人数据库导入 {len(result.created)} 名：{ctx.db('applicant')}")


def step_validate(ctx: DemoContext) -> None:
    with Store(ctx.db("applicant")) as store:
        stored = list(store.all())
    failing = [c.name for c in stored if has_errors(validate(c.data, today=ctx.today))]
    if failing:
        raise RuntimeError(f"演示数据未通过检查：{'、'.join(failing)}")
    ctx.say(f"检查通过：{len(stored)} 名均符合申报条件")


def step_export(ctx: DemoContext) -> None:
    with Store(ctx.db("applicant")) as store:
        records = export_records(store, None)
    path = ctx.root / "export.json"
    write_json_atomic(path, records)
    ctx.say(f"导出 JSON（含审计记录）：{path}")


STEPS: list[tuple[str, Callable[[DemoContext], None]]] = [
    ("生成虚构数据", step_candidates),
    ("导入", step_import),
    ("检查", step_validate),
    ("导出", step_export),
    *RPU_STEPS,
    *PRINT_STEPS,
    *OFFICE_STEPS,
]


def run_demo(out: Path | None, count: int = 6) -> int:
    root = Path(out) if out else Path(tempfile.mkdtemp(prefix="collector-demo-"))
    root.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("COLLECTOR_PASSPHRASE", "demo-passphrase")
    ctx = DemoContext(root=root, count=count)
    print(f"演示文件夹：{root}")
    for n, (title, step) in enumerate(STEPS, start=1):
        print(f"[{n}/{len(STEPS)}] {title}")
        step(ctx)
    print("演示完成。")
    return 0
