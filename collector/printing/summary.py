"""推荐人选情况汇总表 as PDF (landscape A4, header row on every page); rows shared with the XLSX."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from ..record.model import normalize
from ..record.year import ProgramYear, load_year
from .common import SHADE, Footer, Ink, PrintResult, build_pdf, paragraph
from .info import ReportInfo, candidate_fingerprints, list_fingerprint
from .tables import BASE_STYLE, date_cn, month

CN_NUM = "一二三四五六七八九十"
COLUMNS = ("序号", "姓名", "性别", "出生年月", "民族", "公民身份号码", "工作单位及职务", "专业技术职务",
           "从事专业", "推荐渠道", "符合条件", "重点领域", "备注")
# 261 mm: landscape A4 less margins. 公民身份号码 never breaks (the font shrinks); 姓名 takes
# 7 characters on a line and a longer one breaks after its middle dot or in halves.
WIDTHS_MM = (9, 28, 9, 16, 16, 31, 36, 25, 20, 24, 16, 16, 15)
CENTERED = (0, 1, 2, 3, 4, 5, 7, 10)
NAME, ONE_LINE = 1, (5,)
TITLE = "推荐人选情况汇总表"


def summary_rows(records: list[dict]) -> list[list[str]]:
    """One row of plain text per candidate, in the order of COLUMNS."""
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
            str(n), r["name"], r["gender"], month(r["birth_date"]), r["ethnicity"], r["id_number"],
            " ".join(x for x in (r["employer"], r["admin_post"]) if x), title, r["discipline"],
            " · ".join(x for x in (channel["kind"], channel["name"]) if x),
            "、".join(f"条件{CN_NUM[c - 1]}" for c in r["conditions"]),
            "、".join(r["focus_areas"]), "、".join(notes),
        ])
    return rows


def header_cells(info: ReportInfo) -> tuple[list[str], list[str]]:
    """The block above the table, on two lines: who recommends, then whom to call and when."""
    first = [f"推荐单位（盖章）：{info.unit or '＿＿＿＿＿＿＿＿'}",
             f"推荐渠道：{info.channel}" if info.channel else ""]
    second = [f"联系人：{info.contact or '＿＿＿＿'}", f"办公电话：{info.office_phone or '＿＿＿＿'}",
              f"手机：{info.mobile or '＿＿＿＿'}", f"填报日期：{date_cn(info.date_or_today())}"]
    return first, second


def header_lines(info: ReportInfo) -> tuple[str, str]:
    first, second = header_cells(info)
    return "　　".join(x for x in first if x), "　　".join(second)


def quota_warnings(info: ReportInfo, count: int, year: ProgramYear) -> list[str]:
    """An office's table that lists more people than its channel's quota (盟市 5, 区直单位 2)."""
    kind = next((k for k in year.quotas if info.channel.split("·")[0].strip() == k), "")
    if not kind:
        kind = next((k for k, names in year.channels.items()
                     if info.channel.strip() in names or info.unit in names), "")
    quota = year.quotas.get(kind)
    if quota is None or count <= quota:
        return []
    return [f"{TITLE}列出 {count} 人，超过{kind}推荐名额 {quota} 人"
            f"（{year.year}年通知：每个{kind}最多推荐 {quota} 人），请在审核中减少推荐人选"]


def summary_pdf(records: list[dict], out_path: Path, info: ReportInfo | None = None, *,
                signer_fingerprint: str | None = None) -> PrintResult:
    info = info or ReportInfo()
    year = load_year(normalize(records[0]).get("program_year") or 2017) if records else load_year()
    fingerprint = list_fingerprint(candidate_fingerprints(records))
    ink = Ink(who=TITLE)
    for warning in quota_warnings(info, len(records), year):
        ink.warn(warning)
    style = list(BASE_STYLE) + [("BACKGROUND", (0, 0), (-1, 0), SHADE)]
    style += [("ALIGN", (i, 1), (i, -1), "CENTER") for i in CENTERED]
    data: list[list] = [[paragraph(c, "label") for c in COLUMNS]]
    for row in summary_rows(records):
        who = row[1] or f"第{row[0]}行"
        data.append([
            ink.name_cell(v, WIDTHS_MM[i] * mm, label=f"{who}的{COLUMNS[i]}") if i == NAME
            else ink.one_line(v, WIDTHS_MM[i] * mm, label=f"{who}的{COLUMNS[i]}") if i in ONE_LINE
            else ink.cell(v, WIDTHS_MM[i] * mm, centered=i in CENTERED, label=f"{who}的{COLUMNS[i]}")
            for i, v in enumerate(row)])
    if not records:
        data.append([paragraph("（无推荐人选）", "cell_c")] + [""] * (len(COLUMNS) - 1))
        style.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(data, colWidths=[w * mm for w in WIDTHS_MM], style=style, repeatRows=1,
                  hAlign="CENTER")
    story = [
        paragraph(TITLE, "title"),
        paragraph(ink.markup(f"{year.title}（共 {len(records)} 人）"), "subtitle"),
        Spacer(1, 3 * mm),
        _header_block(ink, info),
        Spacer(1, 2 * mm),
        table,
    ]
    footer = Footer(fingerprint=fingerprint, caption="材料指纹（全部人选）",
                    header=f"{TITLE} · {info.unit}", signer=signer_fingerprint)
    pages = build_pdf(Path(out_path), story, footer, landscape_page=True, title=TITLE)
    return PrintResult(Path(out_path), pages, ink.warnings, fingerprint)


def _header_block(ink: Ink, info: ReportInfo) -> Table:
    """Two tidy lines: unit and channel, then contact, phones and date, in fixed columns."""
    first, second = header_cells(info)
    rows = [[ink.p(first[0], "cell", "推荐单位"), "", ink.p(first[1], "cell", "推荐渠道"), ""],
            [ink.p(text, "cell", "汇总表表头") for text in second]]
    style = [("SPAN", (0, 0), (1, 0)), ("SPAN", (2, 0), (3, 0)),
             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    return Table(rows, colWidths=[w * mm for w in (70, 60, 70, 61)], style=style, hAlign="CENTER")
