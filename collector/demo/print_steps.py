"""The printing part of ``collector demo``: the applicant installation prints its forms and
checks one printed fingerprint against the package it sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..common.fingerprint import short
from ..storage.store import Store
from ..printing.batch import print_all
from ..printing.info import ReportInfo

if TYPE_CHECKING:
    from .pipeline import DemoContext

DEMO_INFO = ReportInfo(unit="呼和浩特市人力资源和社会保障局（演示）", contact="演示联系人",
                       office_phone="0471-0000000", mobile="13800000000",
                       date="2017-04-20", channel="盟市 · 呼和浩特市")


def step_print(ctx: "DemoContext") -> None:
    out = ctx.root / "print"
    with Store(ctx.db("applicant")) as store:
        signer = _own_fingerprint(store)
        results = print_all(store, None, out, DEMO_INFO, signer_fingerprint=signer)
    pages = sum(r.pages for r in results)
    ctx.files["print_dir"] = out
    ctx.say(f"打印 {len(results)} 个文件（PDF 共 {pages} 页，另有汇总表 XLSX）：{out}")
    for r in results:
        for w in r.warnings:
            ctx.say(f"警告：{w}")
    first = results[0]
    ctx.say(f"{first.path.name} 页脚指纹 {short(first.fingerprint)}")
    rpu_path = ctx.files.get("applicant_rpu")
    if rpu_path is None:
        return
    from ..exchange.keyring import load_identity
    from ..rpu import open_package
    from ..printing.verify import check_printed

    with Store(ctx.db("applicant")) as store:
        identity = load_identity(store, ctx.passphrase)
    outcome = check_printed(short(first.fingerprint), open_package(rpu_path, identity))
    if not outcome.ok:
        raise RuntimeError(outcome.message)
    ctx.say(f"纸质登记表与报送文件核对：{outcome.message}")


def _own_fingerprint(store: Store) -> str | None:
    from ..exchange.keyring import has_identity, stored_public

    return stored_public(store).fingerprint if has_identity(store) else None


PRINT_STEPS = [("打印登记表、汇总表、推荐报告", step_print)]
