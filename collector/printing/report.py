"""推荐报告: the unit's narrative, the list of candidates, and the contacts the notice requires
(联系单位、联系人、办公电话、手机)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from ..model import normalize
from ..year import ProgramYear, load_year
from .common import SHADE, Footer, Ink, PrintResult, build_pdf, paragraph
from .info import ReportInfo, candidate_fingerprints, list_fingerprint
from .summary import CN_NUM
from .tables import BASE_STYLE, date_cn, month

TITLE = "推荐报告"


def default_narrative(year: ProgramYear, info: ReportInfo, count: int) -> str:
    """A plain first draft for units that have not written their own."""
    unit = info.unit or "我单位"
    return (f"按照《关于开展{year.year}年百千万人才工程国家级人选选拔工作的通知》"
            f"（{year.notice_ref}）和{year.authority}的通知要求，{unit}按照“公开、平等、竞争、"
            f"择优”的原则，组织开展了{year.title}工作。经个人申报、单位审核、公示等程序，"
            f"现推荐以下 {count} 名同志为{year.year}年百千万人才工程国家级人选。"
            "\n推荐人选的书面材料与电子数据真实一致，涉密材料已作脱密处理。")


def report_pdf(records: list[dict], out_path: Path, info: ReportInfo | None = None, *,
               signer_fingerprint: str | None = None) -> PrintResult:
    info = info or ReportInfo()
    data = [normalize(r) for r in records]
    year = load_year(data[0].get("program_year") or 2017) if data else load_year()
    fingerprint = list_fingerprint(candidate_fingerprints(data))
    ink = Ink(who=TITLE)
    for label in info.missing_contacts():
        ink.warn(f"推荐报告缺少{label}（通知要求注明），已留空请手写")
    narrative = info.narrative.strip() or default_narrative(year, info, len(data))

    story: list = [
        paragraph(f"关于推荐{year.year}年百千万人才工程国家级人选的报告", "title"),
        Spacer(1, 6 * mm),
        paragraph(ink.markup(f"{year.office}："), "text"),
        Spacer(1, 2 * mm),
    ]
    for part in narrative.splitlines():
        if part.strip():
            story.append(ink.p(part.strip(), "indent", "推荐报告正文", limit=None))
    story += [Spacer(1, 4 * mm), _candidates_table(ink, data), Spacer(1, 6 * mm),
              KeepTogether(_contacts(ink, info)), Spacer(1, 10 * mm),
              KeepTogether([
                  paragraph(ink.markup(f"{info.unit or '＿＿＿＿＿＿＿＿'}（盖章）"), "right"),
                  paragraph(date_cn(info.date_or_today()), "right")])]
    footer = Footer(fingerprint=fingerprint, caption="材料指纹（全部人选）",
                    header=f"{TITLE} · {info.unit}", signer=signer_fingerprint)
    pages = build_pdf(Path(out_path), story, footer, title=TITLE)
    return PrintResult(Path(out_path), pages, ink.warnings, fingerprint)


def _candidates_table(ink: Ink, data: list[dict]) -> Table:
    headers = ["序号", "姓名", "公民身份号码", "工作单位及职务", "专业技术职务", "出生年月", "符合条件"]
    rows: list[list] = [[paragraph("<b>推荐人选名单</b>", "heading")] + [""] * 6,
                        [paragraph(h, "label") for h in headers]]
    for n, r in enumerate(data, 1):
        who = r["name"] or f"第{n}名"
        values = [n, r["name"], r["id_number"],
                  " ".join(x for x in (r["employer"], r["admin_post"]) if x), r["title"],
                  month(r["birth_date"]), "、".join(CN_NUM[c - 1] for c in r["conditions"])]
        rows.append([ink.p(v, "cell" if i == 3 else "cell_c", f"{who}的{headers[i]}")
                     for i, v in enumerate(values)])
    style = list(BASE_STYLE) + [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 1), SHADE)]
    if not data:
        rows.append([paragraph("（无推荐人选）", "cell_c")] + [""] * 6)
        style.append(("SPAN", (0, 2), (-1, 2)))
    return Table(rows, colWidths=[w * mm for w in (10, 20, 38, 50, 22, 18, 16)], style=style,
                 repeatRows=2, hAlign="LEFT")


def _contacts(ink: Ink, info: ReportInfo) -> list:
    def cell(value: str, label: str):
        return ink.p(value or "", "cell", label)

    rows = [
        [paragraph("联系单位", "label"), cell(info.unit, "联系单位"), "", ""],
        [paragraph("联 系 人", "label"), cell(info.contact, "联系人"),
         paragraph("办公电话", "label"), cell(info.office_phone, "办公电话")],
        [paragraph("手　　机", "label"), cell(info.mobile, "手机"), "", ""],
    ]
    style = list(BASE_STYLE) + [("SPAN", (1, 0), (3, 0)), ("SPAN", (1, 2), (3, 2)),
                                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                                ("BACKGROUND", (2, 1), (2, 1), SHADE)]
    return [Table(rows, colWidths=[w * mm for w in (26, 61, 26, 61)], style=style,
                  minRowHeights=[9 * mm] * 3, hAlign="LEFT")]
