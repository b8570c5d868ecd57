"""推荐人选情况汇总表 as PDF (landscape A4, header row on every page); rows shared with the XLSX."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from ..model import normalize
from ..year import load_year
from .common import SHADE, Footer, Ink, PrintResult, build_pdf, paragraph
from .info import ReportInfo, candidate_fingerprints, list_fingerprint
from .tables import BASE_STYLE, date_cn, month

CN_NUM = "一二三四五六七八九十"
COLUMNS = ("序号", "姓名", "性别", "出生年月", "民族", "工作单位及职务", "专业技术职务", "从事专业",
           "推荐渠道", "符合条件", "重点领域", "备注")
WIDTHS_MM = (10, 18, 10, 17, 17, 42, 24, 24, 26, 17, 24, 32)  # 261 mm: landscape A4 less margins
CENTERED = (0, 1, 2, 3, 4, 6, 9)
TITLE = "推荐人选情况汇总表"


def summary_rows(records: list[dict]) -> list[list[str]]:
    """One row of plain text per candidate, in the order of COLUMNS. 备注 starts with the
    公民身份号码 (on its own line) so paper and file can be matched person by person."""
    rows = []
    for n, raw in enumerate(records, 1):
        r = normalize(raw)
        year = load_year(r.get("program_year") or 2017)
        channel = r["channel"]
        notes = list(r["strategies"])
        if r["employer_type"] in year.non_public_employer_types:
            notes.insert(0, "非公有制")
        title = r["title"] + (f"（{r['title_level']}）" if r["title_level"] else "")
        rows.append([
            str(n), r["name"], r["gender"], month(r["birth_date"]), r["ethnicity"],
            " ".join(x for x in (r["employer"], r["admin_post"]) if x), title, r["discipline"],
            " · ".join(x for x in (channel["kind"], channel["name"]) if x),
            "、".join(f"条件{CN_NUM[c - 1]}" for c in r["conditions"]),
            "、".join(r["focus_areas"]), "\n".join(x for x in (r["id_number"], "、".join(notes)) if x),
        ])
    return rows


def header_line(info: ReportInfo) -> str:
    parts = [f"推荐单位（盖章）：{info.unit or '＿＿＿＿＿＿＿＿'}"]
    if info.channel:
        parts.append(f"推荐渠道：{info.channel}")
    parts += [f"联系人：{info.contact or '＿＿＿＿'}", f"办公电话：{info.office_phone or '＿＿＿＿'}",
              f"手机：{info.mobile or '＿＿＿＿'}", f"填报日期：{date_cn(info.date_or_today())}"]
    return "　　".join(parts)


def summary_pdf(records: list[dict], out_path: Path, info: ReportInfo | None = None, *,
                signer_fingerprint: str | None = None) -> PrintResult:
    info = info or ReportInfo()
    year = load_year(normalize(records[0]).get("program_year") or 2017) if records else load_year()
    fingerprint = list_fingerprint(candidate_fingerprints(records))
    ink = Ink(who=TITLE)
    style = list(BASE_STYLE) + [("BACKGROUND", (0, 0), (-1, 0), SHADE)]
    style += [("ALIGN", (i, 1), (i, -1), "CENTER") for i in CENTERED]
    data: list[list] = [[paragraph(c, "label") for c in COLUMNS]]
    for row in summary_rows(records):
        who = row[1] or f"第{row[0]}行"
        cells = [ink.cell(v, WIDTHS_MM[i] * mm, centered=i in CENTERED,
                          label=f"{who}的{COLUMNS[i]}") for i, v in enumerate(row[:-1])]
        id_number, _, notes = row[-1].partition("\n")
        cells.append(paragraph(f'<font size="7.5">{ink.markup(id_number, "公民身份号码")}</font>'
                               + (f"<br/>{ink.markup(notes, f'{who}的备注')}" if notes else ""),
                               "cell"))
        data.append(cells)
    if not records:
        data.append([paragraph("（无推荐人选）", "cell_c")] + [""] * (len(COLUMNS) - 1))
        style.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(data, colWidths=[w * mm for w in WIDTHS_MM], style=style, repeatRows=1,
                  hAlign="CENTER")
    story = [
        paragraph(TITLE, "title"),
        paragraph(ink.markup(f"{year.title}（共 {len(records)} 人）"), "subtitle"),
        Spacer(1, 3 * mm),
        paragraph(ink.markup(header_line(info), "汇总表表头"), "cell"),
        Spacer(1, 2 * mm),
        table,
    ]
    footer = Footer(fingerprint=fingerprint, caption="材料指纹（全部人选）",
                    header=f"{TITLE} · {info.unit}", signer=signer_fingerprint)
    pages = build_pdf(Path(out_path), story, footer, landscape_page=True, title=TITLE)
    return PrintResult(Path(out_path), pages, ink.warnings, fingerprint)
