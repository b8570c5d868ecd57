"""佐证材料封面及目录: one candidate's cover and index for the bound copies of the supporting
evidence (notice 四（一）3: 佐证材料的复印件各一份（请装订成册）).

Software cannot bind paper; this page is what goes on top of the bound copies: who they belong
to, the numbered list of materials with a blank page column to fill in by hand, the checklist
of evidence the record calls for (``rules.evidence``), and the record fingerprint that the
registration form and the ``.rpu`` carry, so the bundle can be matched to both.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from ..common.fingerprint import record_fingerprint
from ..record.model import normalize
from ..rules.evidence import evidence_checklist
from ..record.year import load_year
from .common import SHADE, Footer, Ink, PrintResult, build_pdf, paragraph
from .tables import BASE_STYLE

TITLE = "佐证材料封面及目录"
BINDING_NOTE = ("本册为推荐人选佐证材料复印件各一份，请按下列序号顺序装订成册，本页为封面。"
                "页脚指纹与该人选的推荐人选个人登记表和电子数据（.rpu）一致。"
                "涉密材料须脱密处理后方可装订报送。")


def evidence_name(n: int, name: str) -> str:
    from ..common.paths import safe_file_name

    return f"{n:03d}-{safe_file_name(name)}-{TITLE}.pdf"


def evidence_pdf(record: dict, out_path: Path, *,
                 signer_fingerprint: str | None = None) -> PrintResult:
    """Print one candidate's 佐证材料 cover and index; the footer carries the record fingerprint."""
    data = normalize(record)
    year = load_year(data.get("program_year") or 2017)
    fingerprint = record_fingerprint(data)
    who = data["name"] or "（未填姓名）"
    ink = Ink(who=who)
    channel = data["channel"]
    story: list = [
        paragraph("佐 证 材 料", "title"),
        paragraph(ink.markup(year.title), "subtitle"),
        Spacer(1, 6 * mm),
        _grid(ink, [("姓　　名", data["name"]), ("工作单位", data["employer"]),
                    ("专业技术职务", data["title"]),
                    ("推荐渠道", " · ".join(v for v in (channel.get("kind"), channel.get("name")) if v)),
                    ("人选代码", data["candidate_code"])]),
        Spacer(1, 4 * mm),
        paragraph(ink.markup(BINDING_NOTE), "body"),
        Spacer(1, 4 * mm),
        _index(ink, data["attachments"]),
        Spacer(1, 4 * mm),
        KeepTogether(_checklist(ink, data, year)),
        Spacer(1, 10 * mm),
        paragraph("单位审核人（签字）：＿＿＿＿＿＿＿＿　　审核日期：＿＿＿＿年＿＿月＿＿日", "text"),
    ]
    for i, item in enumerate(data["attachments"], 1):
        if item.get("classified") and not item.get("declassified"):
            ink.warn(f"{who}：第{i}项佐证材料“{item.get('title') or item.get('file')}”涉密且未脱密处理，"
                     "不得装订报送")
    for line in evidence_checklist(data, year):
        if line.missing:
            ink.warn(f"{who}：表中填有{line.category}对应的内容，但佐证材料中没有{line.category}，"
                     + line.advice)
    footer = Footer(fingerprint=fingerprint, caption="人选数据指纹",
                    header=f"{TITLE} · {data['name']}", signer=signer_fingerprint)
    pages = build_pdf(Path(out_path), story, footer, title=f"{TITLE} {data['name']}")
    return PrintResult(Path(out_path), pages, ink.warnings, fingerprint)


def _grid(ink: Ink, pairs: list[tuple[str, str]]) -> Table:
    rows = [[paragraph(label, "label"), ink.p(value, "cell", label)] for label, value in pairs]
    style = list(BASE_STYLE) + [("BACKGROUND", (0, 0), (0, -1), SHADE)]
    return Table(rows, colWidths=[32 * mm, 142 * mm], style=style,
                 minRowHeights=[8 * mm] * len(rows), hAlign="LEFT")


def _index(ink: Ink, attachments: list[dict]) -> Table:
    headers = ["序号", "材料名称", "类别", "文件名", "涉密情况", "页码"]
    rows: list[list] = [[paragraph("<b>佐证材料目录</b>", "heading")] + [""] * 5,
                        [paragraph(h, "label") for h in headers]]
    for n, a in enumerate(attachments, 1):
        secret = ("已脱密处理" if a.get("declassified") else "涉密，未脱密") if a.get("classified") else "非涉密"
        values = [n, a.get("title", ""), a.get("category", ""), a.get("file", ""), secret, ""]
        rows.append([ink.p(v, "cell" if k in (1, 3) else "cell_c", headers[k])
                     for k, v in enumerate(values)])
    style = list(BASE_STYLE) + [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 1), SHADE)]
    if not attachments:
        rows.append([paragraph("（电子数据中没有附佐证材料；请按纸质复印件逐项手填）", "cell_c")]
                    + [""] * 5)
        style.append(("SPAN", (0, 2), (-1, 2)))
        rows += [[""] * 6 for _ in range(8)]  # blank lines to fill in by hand
    return Table(rows, colWidths=[w * mm for w in (12, 50, 22, 42, 32, 16)], style=style,
                 repeatRows=2, hAlign="LEFT", minRowHeights=[8 * mm] * len(rows))


def _checklist(ink: Ink, data: dict, year) -> list:
    headers = ["材料类别", "表中所列", "已附材料", "核对"]
    rows: list[list] = [[paragraph("<b>核查确认证明材料（证书、获奖、论文等）</b>", "heading")] + [""] * 3,
                        [paragraph(h, "label") for h in headers]]
    for line in evidence_checklist(data, year):
        state = f"缺少，{line.advice}" if line.missing else ("齐全" if line.listed else "—")
        rows.append([paragraph(ink.markup(line.category), "cell_c"),
                     paragraph(str(line.listed), "cell_c"), paragraph(str(line.attached), "cell_c"),
                     paragraph(ink.markup(state), "cell_c")])
    style = list(BASE_STYLE) + [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 1), SHADE)]
    return [Table(rows, colWidths=[w * mm for w in (50, 36, 36, 52)], style=style, hAlign="LEFT")]
