"""推荐报告: the unit's narrative, the list of candidates, and the contacts the notice requires
(联系单位、联系人、办公电话、手机). ``report_content`` is what the PDF here and the editable
DOCX (``report_docx``) both print, so the two never differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from ..record.model import normalize
from ..record.year import ProgramYear, load_year
from .common import SHADE, Footer, Ink, PrintResult, build_pdf, paragraph
from .info import ReportInfo, candidate_fingerprints, list_fingerprint
from .summary import CN_NUM
from .tables import BASE_STYLE, date_cn, month

TITLE = "推荐报告"
TABLE_HEADERS = ("序号", "姓名", "公民身份号码", "工作单位及职务", "专业技术职务", "出生年月",
                 "符合条件")
TABLE_WIDTHS_MM = (10, 26, 36, 46, 22, 18, 16)  # 174 mm: A4 less margins
ONE_LINE = (2,)  # 公民身份号码 shrinks rather than breaks; 姓名 breaks after its middle dot
BLANK_UNIT = "＿＿＿＿＿＿＿＿"


@dataclass
class ReportContent:
    heading: str
    salutation: str
    paragraphs: list[str]
    rows: list[list[str]]            # the candidates, in TABLE_HEADERS order
    contacts: list[tuple[str, str]]  # (label, value) for 联系单位, 联系人, 办公电话, 手机
    seal: str
    date: str
    fingerprint: str
    warnings: list[str] = field(default_factory=list)


def default_narrative(year: ProgramYear, info: ReportInfo, count: int) -> str:
    """A plain first draft for units that have not written their own. It says 公示 was held
    and classified material declassified only when the clerk has ticked that they were."""
    unit = info.unit or "我单位"
    steps = "个人申报、单位审核" + ("、公示" if info.publicized else "")
    closing = "推荐人选的书面材料与电子数据真实一致" + (
        "，涉密材料已作脱密处理" if info.declassified else "")
    return (f"按照《关于开展{year.year}年百千万人才工程国家级人选选拔工作的通知》"
            f"（{year.notice_ref}）和{year.authority}的通知要求，{unit}按照“公开、平等、竞争、"
            f"择优”的原则，组织开展了{year.title}工作。经{steps}等程序，"
            f"现推荐以下 {count} 名同志为{year.year}年百千万人才工程国家级人选。"
            f"\n{closing}。")


def report_content(records: list[dict], info: ReportInfo | None = None) -> ReportContent:
    info = info or ReportInfo()
    data = [normalize(r) for r in records]
    year = load_year(data[0].get("program_year") or 2017) if data else load_year()
    warnings = [f"推荐报告缺少{label}（通知要求注明），已留空请手写"
                for label in info.missing_contacts()]
    narrative = info.narrative.strip()
    if not narrative:
        narrative = default_narrative(year, info, len(data))
        if not info.publicized:
            warnings.append("推荐报告正文未写“公示”：公示后请在推荐报告信息中勾选“已公示”"
                            "（collector report-info --publicized），或自拟正文")
        if not info.declassified:
            warnings.append("推荐报告正文未写“涉密材料已作脱密处理”：处理后请勾选“已脱密处理”"
                            "（collector report-info --declassified），或自拟正文")
    rows = [[str(n), r["name"], r["id_number"],
             " ".join(x for x in (r["employer"], r["admin_post"]) if x), r["title"],
             month(r["birth_date"]), "、".join(CN_NUM[c - 1] for c in r["conditions"])]
            for n, r in enumerate(data, 1)]
    return ReportContent(
        heading=f"关于推荐{year.year}年百千万人才工程国家级人选的报告",
        salutation=f"{year.office}：",
        paragraphs=[part.strip() for part in narrative.splitlines() if part.strip()],
        rows=rows,
        contacts=[("联系单位", info.unit), ("联系人", info.contact),
                  ("办公电话", info.office_phone), ("手机", info.mobile)],
        seal=f"{info.unit or BLANK_UNIT}（盖章）",
        date=date_cn(info.date_or_today()),
        fingerprint=list_fingerprint(candidate_fingerprints(data)),
        warnings=warnings,
    )


def report_pdf(records: list[dict], out_path: Path, info: ReportInfo | None = None, *,
               signer_fingerprint: str | None = None) -> PrintResult:
    info = info or ReportInfo()
    content = report_content(records, info)
    ink = Ink(who=TITLE)
    for warning in content.warnings:
        ink.warn(warning)
    story: list = [
        paragraph(content.heading, "title"),
        Spacer(1, 6 * mm),
        paragraph(ink.markup(content.salutation), "text"),
        Spacer(1, 2 * mm),
    ]
    story += [ink.p(part, "indent", "推荐报告正文", limit=None) for part in content.paragraphs]
    story += [Spacer(1, 4 * mm), _candidates_table(ink, content.rows), Spacer(1, 6 * mm),
              KeepTogether(_contacts(ink, dict(content.contacts))), Spacer(1, 10 * mm),
              KeepTogether([paragraph(ink.markup(content.seal), "right"),
                            paragraph(content.date, "right")])]
    footer = Footer(fingerprint=content.fingerprint, caption="材料指纹（全部人选）",
                    header=f"{TITLE} · {info.unit}", signer=signer_fingerprint)
    pages = build_pdf(Path(out_path), story, footer, title=TITLE)
    return PrintResult(Path(out_path), pages, ink.warnings, content.fingerprint)


def _candidates_table(ink: Ink, rows: list[list[str]]) -> Table:
    data: list[list] = [[paragraph("<b>推荐人选名单</b>", "heading")] + [""] * 6,
                        [paragraph(h, "label") for h in TABLE_HEADERS]]
    for row in rows:
        who = row[1] or f"第{row[0]}名"
        data.append([
            ink.name_cell(v, TABLE_WIDTHS_MM[i] * mm, label=f"{who}的{TABLE_HEADERS[i]}")
            if i == 1 else
            ink.one_line(v, TABLE_WIDTHS_MM[i] * mm, label=f"{who}的{TABLE_HEADERS[i]}")
            if i in ONE_LINE else
            ink.p(v, "cell" if i == 3 else "cell_c", f"{who}的{TABLE_HEADERS[i]}")
            for i, v in enumerate(row)])
    style = list(BASE_STYLE) + [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 1), SHADE)]
    if not rows:
        data.append([paragraph("（无推荐人选）", "cell_c")] + [""] * 6)
        style.append(("SPAN", (0, 2), (-1, 2)))
    return Table(data, colWidths=[w * mm for w in TABLE_WIDTHS_MM], style=style,
                 repeatRows=2, hAlign="LEFT")


def _contacts(ink: Ink, values: dict[str, str]) -> list:
    def cell(label: str):
        return ink.p(values.get(label) or "", "cell", label)

    rows = [
        [paragraph("联系单位", "label"), cell("联系单位"), "", ""],
        [paragraph("联 系 人", "label"), cell("联系人"),
         paragraph("办公电话", "label"), cell("办公电话")],
        [paragraph("手　　机", "label"), cell("手机"), "", ""],
    ]
    style = list(BASE_STYLE) + [("SPAN", (1, 0), (3, 0)), ("SPAN", (1, 2), (3, 2)),
                                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                                ("BACKGROUND", (2, 1), (2, 1), SHADE)]
    return [Table(rows, colWidths=[w * mm for w in (26, 61, 26, 61)], style=style,
                  minRowHeights=[9 * mm] * 3, hAlign="LEFT")]
