"""The printable score sheet (A4 landscape PDF): one row per candidate, one blank column per
criterion, the criteria explained, the expert's signature line, and on every page the round,
the expert and the sheet's check code (as text and QR) so a paper sheet matches its XLSX twin.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from ..printing.common import Footer, Ink, build_pdf, paragraph, styles
from ..storage.store import Store
from .checksum import sheet_code, short_code
from .rounds import Round, require_expert

PAGE = landscape(A4)
MARGIN = 18 * mm  # as build_pdf lays out the frame


def export_pdf(store: Store, rnd: Round, expert: str, out: Path) -> int:
    """Write the printable sheet; returns the number of pages."""
    expert = require_expert(store, rnd, expert)
    code = sheet_code(rnd, expert)
    ink = Ink(expert)
    rules = rnd.rules
    st = styles()
    story = [
        paragraph(f"{ink.markup(rnd.title)}<br/>专家评分表", "title"),
        Spacer(1, 3 * mm),
        paragraph(f"评审轮次：{rnd.id}　　评审专家：{ink.markup(expert)}　　"
                  f"校验码：{short_code(code)}", "subtitle"),
        Spacer(1, 3 * mm),
        _criteria_table(rnd, ink),
        Spacer(1, 2 * mm),
        paragraph(f"每项分值 {rules.range_text()}（最多 {rules.score_decimals} 位小数）。"
                  f"加权合计 = Σ(分数 ÷ {rules.score_max} × 权重)，满分 100。"
                  f"{rules.trim_threshold} 位及以上专家评审时，去掉一个最高分和一个最低分后取平均分。"
                  "请逐项填写，涂改处请签名。", "small"),
        Spacer(1, 3 * mm),
        _scores_table(rnd, ink),
        Spacer(1, 8 * mm),
        paragraph("专家签名：＿＿＿＿＿＿＿＿＿＿＿＿　　　　日期：＿＿＿＿年＿＿月＿＿日", "text"),
    ]
    del st
    footer = Footer(fingerprint=code, caption="评分表校验码",
                    header=f"评审轮次 {rnd.id}　专家 {expert}",
                    hint=f"评审轮次 {rnd.id}　评审专家 {expert}　（与 Excel 评分表的校验码一致）")
    return build_pdf(Path(out), story, footer, landscape_page=True, title=f"专家评分表 {expert}")


def _criteria_table(rnd: Round, ink: Ink) -> Table:
    rows = [[paragraph("评分项", "label"), paragraph("权重", "label"), paragraph("评价要点", "label")]]
    for c in rnd.rules.criteria:
        rows.append([ink.p(c.name, "small"), paragraph(f"{c.weight}%", "small_c"),
                     ink.p(c.hint, "small")])
    width = PAGE[0] - 2 * MARGIN
    t = Table(rows, colWidths=[50 * mm, 16 * mm, width - 66 * mm])
    t.setStyle(_grid())
    return t


def _scores_table(rnd: Round, ink: Ink) -> Table:
    crits = rnd.rules.criteria
    head = [paragraph(h, "label") for h in ("序号", "姓名", "工作单位", "推荐渠道", "条件")]
    head += [paragraph(f"{ink.markup(c.name)}<br/>{c.weight}%", "small_c") for c in crits]
    head.append(paragraph("加权<br/>合计", "label"))
    rows = [head]
    for cand in rnd.candidates:
        kind, name = cand.channel
        conds = "、".join(str(c) for c in cand.info.get("conditions") or [])
        rows.append([paragraph(str(cand.position), "cell_c"), ink.p(cand.name, "small"),
                     ink.p(cand.info.get("employer", ""), "small", limit=40),
                     ink.p(name, "small", limit=30), paragraph(conds, "small_c")]
                    + [""] * (len(crits) + 1))
    width = PAGE[0] - 2 * MARGIN
    fixed = [10 * mm, 20 * mm, 44 * mm, 34 * mm, 12 * mm]
    rest = (width - sum(fixed)) / (len(crits) + 1)
    t = Table(rows, colWidths=fixed + [rest] * (len(crits) + 1), repeatRows=1)
    style = _grid()
    style.add("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9))
    style.add("ROWHEIGHT", (0, 1), (-1, -1), 9 * mm)
    t.setStyle(style)
    return t


def _grid() -> TableStyle:
    return TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ])
