"""推荐人选个人登记表: one candidate's ruled form, in the order of the field list's pages."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from ..common.fingerprint import form_qr_text, record_fingerprint
from ..record.model import normalize
from ..record.year import ProgramYear, load_year
from .common import GRID, SHADE, Footer, Ink, PrintResult, build_pdf, paragraph
from .tables import BASE_STYLE, Boxed, date_cn, month, section_table, text_section, title_row

WIDTH = 174  # mm: A4 less 18 mm margins
CN_NUM = "一二三四五六七八九十"
PLEDGE_TEXT = (
    "本人承诺：以上所填内容及所附佐证材料真实、准确、完整，书面材料与电子数据一致；"
    "涉密材料已作脱密处理。如有弄虚作假或书面材料与电子数据不一致，本人愿意接受取消推荐人选"
    "资格等处理，并承担相应责任。"
)


def registration_pdf(record: dict, out_path: Path, *,
                     signer_fingerprint: str | None = None,
                     office_opinion: tuple[str, str] = ("", "")) -> PrintResult:
    """Print one candidate's 推荐人选个人登记表; the footer carries the record's fingerprint.
    ``office_opinion`` is the 盟市/厅局意见 (text, date), kept beside the record, not in it."""
    data = normalize(record)
    year = load_year(data.get("program_year") or 2017)
    fingerprint = record_fingerprint(data)
    ink = Ink(who=data["name"] or "（未填姓名）")
    story = registration_story(data, ink, year, office_opinion)
    footer = Footer(fingerprint=fingerprint, caption="人选数据指纹",
                    header=f"推荐人选个人登记表 · {data['name']}", signer=signer_fingerprint,
                    qr=form_qr_text(fingerprint, signer_fingerprint, data["id_number"]))
    pages = build_pdf(Path(out_path), story, footer,
                      title=f"推荐人选个人登记表 {data['name']}")
    return PrintResult(Path(out_path), pages, ink.warnings, fingerprint)


def _project_dates(p: dict) -> str:
    """起止年月 of a project; one still running also shows the end its contract plans."""
    dates = f"{month(p['start'])}—{month(p['end'], now=True)}"
    planned = p.get("planned_end")
    return f"{dates}\n（计划{month(planned)}完成）" if planned and not p.get("end") else dates


def registration_story(r: dict, ink: Ink, year: ProgramYear,
                       office_opinion: tuple[str, str] = ("", "")) -> list:
    gap = Spacer(1, 3 * mm)
    story = [
        _top_line(r, ink, year),
        paragraph("推荐人选个人登记表", "title"),
        paragraph(ink.markup(year.title), "subtitle"),
        Spacer(1, 4 * mm),
        _basic_grid(r, ink),
        gap,
        section_table(ink, "学习经历", ["起止年月", "毕业（肄业）学校", "所学专业", "学历学位"],
                      [[f"{month(e['start'])}—{month(e['end'])}", e["school"], e["major"],
                        e["degree"]] for e in r["education_history"]],
                      [34, 62, 48, 30], centered=(0, 3)),
        gap,
        section_table(ink, "工作经历", ["起止年月", "工作单位", "职务/职称"],
                      [[f"{month(e['start'])}—{month(e['end'], now=True)}", e["employer"],
                        e["position"]] for e in r["work_history"]],
                      [34, 84, 56], centered=(0,)),
        gap,
        *_conditions(r, ink, year),
        gap,
        *text_section(ink, "主要学术技术成就", r["achievements"], WIDTH, min_height_mm=40),
        gap,
        section_table(ink, "主持或参与的项目",
                      ["序号", "项目名称", "项目来源", "级别", "本人角色", "起止年月", "经费（万元）"],
                      [[i, p["name"], p["source"], p["level"], p["role"],
                        _project_dates(p), p["funding"]]
                       for i, p in enumerate(r["projects"], 1)],
                      [10, 46, 32, 16, 16, 32, 22], centered=(0, 3, 4, 5, 6)),
        gap,
        section_table(ink, "获奖情况", ["序号", "奖励名称及等级", "级别", "本人排名", "获奖年月",
                                      "授奖单位"],
                      [[i, a["name"], a["level"], a["rank"], month(a["date"]), a["issuer"]]
                       for i, a in enumerate(r["awards"], 1)],
                      [10, 62, 18, 18, 20, 46], centered=(0, 2, 3, 4)),
        gap,
        section_table(ink, "论文论著", ["序号", "论文/论著题目", "刊物/出版社", "发表年月",
                                      "作者排名", "收录情况"],
                      [[i, p["title"], p["journal"], month(p["date"]), p["rank"], p["indexed"]]
                       for i, p in enumerate(r["papers"], 1)],
                      [10, 68, 44, 18, 16, 18], centered=(0, 3, 4, 5)),
        gap,
        section_table(ink, "专利", ["序号", "专利名称", "专利号", "类别", "授权年月", "本人排名"],
                      [[i, p["title"], p["number"], p["type"], month(p["date"]), p["rank"]]
                       for i, p in enumerate(r["patents"], 1)],
                      [10, 66, 38, 24, 20, 16], centered=(0, 3, 4, 5)),
        gap,
        section_table(ink, "社会及学术兼职", ["起止年月", "兼职机构", "兼任职务"],
                      [[f"{month(p['start'])}—{month(p['end'], now=True)}", p["organization"],
                        p["post"]] for p in r["part_time_posts"]],
                      [34, 84, 56], centered=(0,)),
        gap,
        section_table(ink, "人才称号/政府特殊津贴", ["序号", "称号或津贴名称", "授予部门", "获得年月"],
                      [[i, h["name"], h["issuer"], month(h["date"])]
                       for i, h in enumerate(r["honors"], 1)],
                      [10, 80, 62, 22], centered=(0, 3)),
        gap,
        section_table(ink, "佐证材料目录", ["序号", "材料名称", "类别", "文件名", "涉密情况",
                                        "校验码（SHA-256前12位）"],
                      [[i, a["title"], a["category"], a["file"], _secrecy(a),
                        (a.get("sha256") or "")[:12].upper()]
                       for i, a in enumerate(r["attachments"], 1)],
                      [10, 52, 22, 42, 20, 28], centered=(0, 2, 4, 5)),
        gap,
        KeepTogether(_pledge(r)),
        gap,
        KeepTogether(_opinion_box(ink, "所在单位意见", r["unit_opinion"]["text"],
                                  r["unit_opinion"]["date"], "单位（盖章）")),
        gap,
        KeepTogether(_opinion_box(ink, "盟市/厅局意见", office_opinion[0], office_opinion[1],
                                  "盟市人力资源社会保障部门或厅局（盖章）")),
    ]
    return story


def _top_line(r: dict, ink: Ink, year: ProgramYear) -> Table:
    code = r.get("candidate_code") or "＿＿＿＿＿＿＿"
    return Table([[paragraph(f"人选代码：{ink.markup(code)}", "small"),
                   paragraph(f"年度：{year.year}", "small")]],
                 colWidths=[WIDTH / 2 * mm, WIDTH / 2 * mm],
                 style=[BASE_STYLE[0], ("ALIGN", (1, 0), (1, 0), "RIGHT"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0)])


def _basic_grid(r: dict, ink: Ink) -> Table:
    contact, channel = r["contact"], r["channel"]

    def L(text: str):  # noqa: N802 (a label cell: plain string unless it breaks lines)
        return paragraph(text, "label") if "<br/>" in text else text

    def V(value: object, label: str, centered: bool = True):  # noqa: N802 (a value cell)
        return ink.p(value, "cell_c" if centered else "cell", label)

    birth = r["birth_date"].replace("-", ".")  # the form asks for the full date
    title_level = r["title_level"]
    rows = [
        [L("姓　　名"), ink.one_line(r["name"], 30 * mm, label="姓名"), L("性　别"), V(r["gender"], "性别"),
         L("民　族"), V(r["ethnicity"], "民族"), paragraph("贴照片处<br/><br/>（近期一寸<br/>免冠正面照片）",
                                                       "small_c")],
        [L("出生日期"), V(birth, "出生日期"), L("政治面貌"), V(r["political_status"], "政治面貌"),
         L("籍　贯"), V(r["native_place"], "籍贯"), ""],
        [L("出 生 地"), V(r["birth_place"], "出生地"), L("公民身份号码"),
         V(r["id_number"], "公民身份号码"), "", "", ""],
        [L("工作单位"), V(r["employer"], "工作单位", False), "", "", L("单位性质"),
         V(r["unit_ownership"], "单位性质"), ""],
        [L("行政职务"), V(r["admin_post"], "行政职务", False), "", "", L("单位类别"),
         V(r["unit_category"], "单位类别"), ""],
        [L("专业技术职务"), V(r["title"], "专业技术职务"), L("职称级别"), V(title_level, "职称级别"),
         L("取得时间"), V(month(r["title_date"]), "取得时间"), ""],
        [L("最高学历"), V(r["education"], "最高学历"), L("最高学位"), V(r["degree"], "最高学位"),
         L("毕业时间"), V(month(r["graduation_date"]), "毕业时间"), ""],
        [L("毕业院校"), V(r["graduate_school"], "毕业院校", False), "", "", L("所学专业"),
         V(r["major"], "所学专业"), ""],
        [L("从事专业/<br/>研究领域"), V(r["discipline"], "从事专业", False), "", "", L("学 科 组"),
         V(r["discipline_group"], "学科组"), ""],
        [L("参加专业技术<br/>工作时间"), V(month(r["work_start"]), "参加专业技术工作时间"),
         L("单位类型"), V(r["employer_type"], "单位类型"), L("推荐渠道"),
         V(" · ".join(x for x in (channel["kind"], channel["name"]) if x), "推荐渠道", False), ""],
        [L("重点领域"), V("、".join(r["focus_areas"]) or "—", "重点领域", False), "", "",
         L("国家战略"), V("、".join(r["strategies"]) or "—", "国家战略", False), ""],
        [L("手　　机"), V(contact["mobile"], "手机"), L("办公电话"), V(contact["office_phone"], "办公电话"),
         L("电子邮箱"), V(contact["email"], "电子邮箱", False), ""],
        [L("通讯地址"), V(contact["address"], "通讯地址", False), "", "", L("邮政编码"),
         V(contact["postcode"], "邮政编码"), ""],
    ]
    style = list(BASE_STYLE) + [
        ("SPAN", (6, 0), (6, 4)),          # photo box
        ("SPAN", (3, 2), (5, 2)),          # ID number
        ("SPAN", (1, 3), (3, 3)), ("SPAN", (1, 4), (3, 4)),
        ("SPAN", (5, 5), (6, 5)), ("SPAN", (5, 6), (6, 6)),
        ("SPAN", (1, 7), (3, 7)), ("SPAN", (5, 7), (6, 7)),
        ("SPAN", (1, 8), (3, 8)), ("SPAN", (5, 8), (6, 8)),
        ("SPAN", (5, 9), (6, 9)),
        ("SPAN", (1, 10), (3, 10)), ("SPAN", (5, 10), (6, 10)),
        ("SPAN", (5, 11), (6, 11)),
        ("SPAN", (1, 12), (3, 12)), ("SPAN", (5, 12), (6, 12)),
        ("ALIGN", (0, 0), (0, -1), "CENTER"), ("ALIGN", (2, 0), (2, -1), "CENTER"),
        ("ALIGN", (4, 0), (4, -1), "CENTER"),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("BACKGROUND", (2, 0), (2, 2), SHADE), ("BACKGROUND", (2, 5), (2, 6), SHADE),
        ("BACKGROUND", (2, 9), (2, 9), SHADE), ("BACKGROUND", (4, 9), (4, 9), SHADE),
        ("BACKGROUND", (2, 11), (2, 11), SHADE),
        ("BACKGROUND", (4, 0), (4, 1), SHADE), ("BACKGROUND", (4, 3), (4, 8), SHADE),
        ("BACKGROUND", (4, 10), (4, 12), SHADE),
    ]
    return Table(rows, colWidths=[w * mm for w in (24, 30, 24, 28, 20, 22, 26)], style=style,
                 minRowHeights=[8.5 * mm] * len(rows), hAlign="LEFT")


def _conditions(r: dict, ink: Ink, year: ProgramYear) -> list:
    """Title and general condition, then each of the four with its box; a chosen one is
    followed by the candidate's statement, boxed, flowing across pages if long."""
    chosen = set(r["conditions"])
    width = WIDTH * mm
    out: list = [
        title_row("符合条件（在所具备的条件前打“■”，并逐条说明）", WIDTH),
        Boxed(ink.p(year.general_condition, "cell", "符合条件", limit=None), width, pad=4),
    ]
    out[1].keepWithNext = True
    for n, text in sorted(year.conditions.items()):
        mark = "■" if n in chosen else "□"
        row = Table([[paragraph(f"{mark} 条件{CN_NUM[n - 1]}", "cell_c"),
                      ink.p(f"（{CN_NUM[n - 1]}）{text}", "cell", "符合条件", limit=None)]],
                    colWidths=[24 * mm, (WIDTH - 24) * mm], style=BASE_STYLE, hAlign="LEFT")
        out.append(row)
        if n in chosen:
            row.keepWithNext = True
            statement = r["condition_statements"].get(str(n), "") or "（未填写说明）"
            out.append(Boxed(ink.p(f"说明：{statement}", "body", f"条件{CN_NUM[n - 1]}说明",
                                   limit=None), width))
    return out


def _secrecy(a: dict) -> str:
    if not a.get("classified"):
        return "非涉密"
    return "已脱密" if a.get("declassified") else "涉密（未脱密）"


def _pledge(r: dict) -> list:
    mark = "■" if r["pledge"] else "□"
    rows = [
        [paragraph("<b>诚信承诺</b>", "heading")],
        [paragraph(PLEDGE_TEXT, "body")],
        [paragraph(f"{mark} 本人已在电子数据中确认上述承诺", "body")],
        [paragraph("本人签字：＿＿＿＿＿＿＿＿＿＿　　　　　　　　年　　月　　日", "right")],
    ]
    style = _box_style() + [("TOPPADDING", (0, 3), (0, 3), 10),
                            ("BOTTOMPADDING", (0, 3), (0, 3), 8)]
    return [Table(rows, colWidths=[WIDTH * mm], style=style, hAlign="LEFT")]


def _opinion_box(ink: Ink, title: str, text: str, date: str, seal: str) -> list:
    body = ink.p(text, "body", title, limit=None) if text.strip() else paragraph("", "body")
    rows = [
        [paragraph(f"<b>{title}</b>", "heading")],
        [body],
        [paragraph(f"{seal}", "right")],
        [paragraph(date_cn(date) if date else "年　　月　　日", "right")],
    ]
    style = _box_style() + [("VALIGN", (0, 1), (0, 1), "TOP")]
    return [Table(rows, colWidths=[WIDTH * mm], style=style, hAlign="LEFT",
                  minRowHeights=[0, 28 * mm, 10 * mm, 8 * mm])]


def _box_style() -> list:
    """A box with a shaded, ruled title row and no inner lines (text and signature space)."""
    return [style for style in BASE_STYLE if style[0] != "GRID"] + [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, GRID),
    ]
