"""Score sheets as XLSX to fill offline, and their import with validation.

Layout: sheet 评分表 (protected, only the score cells unlocked; one row per candidate, one
column per criterion, a hidden column with the candidate id) and a very hidden sheet ``_meta``
holding the round id, the expert and the HMAC of the fixed part (``checksum.py``).
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..common.atomic import atomic_writer
from ..printing.cells import put_text, row_height, wrapped_lines
from ..common.errors import InputError
from ..storage.store import Store
from .checksum import SHEET_FORMAT, code_matches, sheet_code, short_code
from .rounds import Round, ScoreError, clean_expert_name, get_round, parse_score, record_scores, \
    require_expert, require_open

SHEET, META = "评分表", "_meta"
HEADER_ROW, FIRST_ROW = 4, 5
FIXED_COLS = ("序号", "人选编号", "姓名", "工作单位", "推荐渠道", "申报条件")
ID_COL, NAME_COL = 2, 3
FIRST_SCORE_COL = len(FIXED_COLS) + 1
MAX_REPORTED = 12
CELLS_NAMED = 6
BLANK = "blank"  # _read_rows: not one score filled in  # cells named for a problem repeated over many cells

_thin = Side(style="thin", color="808080")
_border = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_input_fill = PatternFill("solid", fgColor="FFFFFF")
_fixed_fill = PatternFill("solid", fgColor="EEEEEE")


def export_xlsx(store: Store, rnd: Round, expert: str, out: Path) -> Path:
    """Write the expert's sheet for the round to ``out`` (atomically)."""
    expert = require_expert(store, rnd, expert)
    rules = rnd.rules
    code = sheet_code(rnd, expert)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ncols = len(FIXED_COLS) + len(rules.criteria) + 1
    last = get_column_letter(ncols)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = f"{rnd.title} 专家评分表"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = "轮次："
    ws["A2"].alignment = Alignment(shrink_to_fit=True)
    put_text(ws, 2, 3, rnd.id).alignment = Alignment(shrink_to_fit=True)
    ws["D2"] = "评审专家："
    put_text(ws, 2, 5, expert)  # a name may start with "=": text, never a formula
    ws["F2"] = f"校验码：{short_code(code)}"
    ws.merge_cells(f"A3:{last}3")
    ws["A3"] = (f"请在白色单元格内为每位人选的每个评分项打分，分值 {rules.range_text()}，"
                f"最多 {rules.score_decimals} 位小数；不要增删行、不要改动灰色单元格。"
                f"加权合计 = Σ(分数 ÷ {rules.score_max} × 权重)，满分 100（仅供参考，以系统计算为准）。")
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[3].height = row_height(wrapped_lines(ws["A3"].value, 120, 11), 11)
    # Printed columns (B is hidden) add up to ~132 units: fitted to landscape A4 at ≥ 83 %, so
    # 11 pt text prints at ≥ 9 pt in any office suite (see printing/summary_xlsx.py).
    widths = [5, 34, 9, 22, 17, 7] + [8] * len(rules.criteria) + [8]
    headers = list(FIXED_COLS) + [f"{c.name}\n（权重{c.weight}%）" for c in rules.criteria] + \
        ["加权合计"]
    for col, text in enumerate(headers, 1):
        cell = ws.cell(HEADER_ROW, col, text)
        cell.font = Font(bold=True, size=10)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border, cell.fill = _border, _fixed_fill
    ws.row_dimensions[HEADER_ROW].height = row_height(
        max(wrapped_lines(h, w, 10) for h, w in zip(headers, widths)), 10)
    score_letters = [get_column_letter(FIRST_SCORE_COL + i) for i in range(len(rules.criteria))]
    dv = DataValidation(type="decimal", operator="between", formula1=str(rules.score_min),
                        formula2=str(rules.score_max), allow_blank=True, showErrorMessage=True,
                        errorTitle="分数超出范围", error=f"请输入 {rules.range_text()} 之间的分数")
    ws.add_data_validation(dv)
    for i, cand in enumerate(rnd.candidates):
        r = FIRST_ROW + i
        kind, chname = cand.channel
        conds = "、".join(str(c) for c in cand.info.get("conditions") or [])
        values = [cand.position, cand.id, cand.name, cand.info.get("employer", ""),
                  f"{chname}（{kind}）" if kind else chname, conds]
        for col, v in enumerate(values, 1):
            cell = ws.cell(r, col, v) if col == 1 else put_text(ws, r, col, v)
            cell.border, cell.fill = _border, _fixed_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.row_dimensions[r].height = row_height(
            max(wrapped_lines(str(v), widths[col - 1], 11) for col, v in enumerate(values, 1)
                if col != ID_COL), 11)
        for letter in score_letters:
            cell = ws[f"{letter}{r}"]
            cell.protection = Protection(locked=False)
            cell.border, cell.fill = _border, _input_fill
            cell.number_format = "0.0" if rules.score_decimals else "0"
            cell.alignment = Alignment(vertical="center")
        dv.add(f"{score_letters[0]}{r}:{score_letters[-1]}{r}")
        terms = "+".join(f"N({letter}{r})*{c.weight}"
                         for letter, c in zip(score_letters, rules.criteria))
        total = ws.cell(r, ncols, f"=ROUND(({terms})/{rules.score_max},2)")
        total.border, total.fill = _border, _fixed_fill
        total.alignment = Alignment(vertical="center")
    sign_row = FIRST_ROW + len(rnd.candidates) + 1
    ws.cell(sign_row, 3, "专家签名：")
    ws.cell(sign_row, 6, "日期：")
    ws.row_dimensions[sign_row - 1].height = 6  # the gap that ends the rows import reads
    ws.row_dimensions[sign_row].height = 24
    for col, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.column_dimensions[get_column_letter(ID_COL)].hidden = True
    ws.freeze_panes = ws.cell(FIRST_ROW, FIRST_SCORE_COL)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.7
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.print_area = f"A1:{last}{sign_row}"
    ws.oddFooter.left.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.text = f"评审轮次 {rnd.id}"
    ws.oddFooter.right.text = f"校验码：{short_code(code)}"
    ws.protection.sheet = True
    ws.protection.password = code[:12]
    ws.protection.formatColumns = False  # experts may widen columns
    meta = wb.create_sheet(META)
    for r, (key, value) in enumerate((("format", SHEET_FORMAT), ("round", rnd.id),
                                      ("expert", expert), ("candidates", len(rnd.candidates)),
                                      ("criteria", ",".join(rules.criterion_ids)),
                                      ("hmac", code)), 1):
        put_text(meta, r, 1, key)
        put_text(meta, r, 2, value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    meta.protection.password = code[:12]
    out = Path(out)
    with atomic_writer(out) as fh:
        wb.save(fh)
    return out


@dataclass
class SheetImport:
    round_id: str
    expert: str
    candidates: int
    scores: int
    replaced: bool


def read_meta(path: Path) -> tuple[dict, object]:
    """The workbook's hidden meta values and its score sheet; InputError if not our sheet."""
    from defusedxml import DefusedXmlException  # openpyxl parses through it when installed

    try:
        _refuse_doctype(path)
        wb = load_workbook(path, data_only=True)
    except SyntaxError as err:  # ElementTree's ParseError and lxml's XMLSyntaxError
        raise InputError(f"Excel 文件中的 XML 已损坏（{type(err).__name__}），无法读取；"
                         "请使用 review sheet export 导出的评分表", source=path.name) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        # openpyxl wraps what the parser raised in a ValueError of its own
        cause = err if isinstance(err, DefusedXmlException) else err.__cause__
        if isinstance(cause, DefusedXmlException):  # an entity bomb or an outside file
            raise InputError(f"Excel 文件含有 XML 实体声明或外部引用（{type(cause).__name__}），"
                             "不是正常的评分表，已拒绝读取；请使用 review sheet export 导出的评分表",
                             source=path.name) from None
        raise InputError(f"无法读取 Excel 文件（{type(err).__name__}），请确认是 .xlsx 评分表",
                         source=path.name) from None
    if META not in wb.sheetnames or SHEET not in wb.sheetnames:
        raise InputError("不是本程序导出的评分表（缺少“评分表”或校验信息），"
                         "请使用 review sheet export 导出的评分表", source=path.name)
    meta = {}
    for row in wb[META].iter_rows(min_row=1, max_col=2, values_only=True):
        if row[0] is not None:
            meta[str(row[0])] = "" if row[1] is None else str(row[1])
    if meta.get("format") != SHEET_FORMAT:
        raise InputError(f"评分表格式“{meta.get('format')}”不受支持，请重新导出评分表",
                         source=path.name)
    return meta, wb[SHEET]


_DTD = tuple(w.encode(c) for w in ("<!DOCTYPE", "<!ENTITY") for c in ("utf-8", "utf-16-le",
                                                                       "utf-16-be"))


def _refuse_doctype(path: Path) -> None:
    """No part of a spreadsheet needs a DTD; one declares entities (a bomb, an outside file).
    The prolog is read (the DTD must stand before the root element); lxml and defusedxml
    guard whatever lies further."""
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.filename.endswith((".xml", ".rels")):
                with zf.open(info) as fh:
                    head = fh.read(1 << 16)
                if any(mark in head for mark in _DTD):
                    raise InputError(f"Excel 文件的 {info.filename[:60]} 含有 XML 实体声明（DOCTYPE），"
                                     "不是正常的评分表，已拒绝读取；请使用 review sheet export "
                                     "导出的评分表", source=path.name)


def import_xlsx(store: Store, path: Path, *, expert: str | None = None,
                round_id: str | None = None, replace: bool = False) -> SheetImport:
    """Validate a filled sheet completely, then record all its scores in one transaction."""
    path = Path(path)
    src = path.name
    meta, ws = read_meta(path)
    sheet_round = meta.get("round", "")
    if round_id and sheet_round != round_id:
        raise InputError(f"评分表属于评审轮次 {sheet_round}，不是当前轮次 {round_id}，未导入",
                         source=src)
    try:
        rnd = get_round(store, sheet_round)
    except Exception:
        raise InputError(f"评分表属于评审轮次 {sheet_round}，本数据库中没有该轮次"
                         "（是否为其他评审的评分表？），未导入", source=src) from None
    require_open(rnd)
    sheet_expert = meta.get("expert", "")
    if expert is not None and clean_expert_name(expert) != sheet_expert:
        raise InputError(f"评分表是专家“{sheet_expert}”的，不是“{clean_expert_name(expert)}”的，"
                         "未导入", source=src)
    if not code_matches(rnd, sheet_expert, meta.get("hmac", "")):
        raise InputError("校验失败：评分表的评审轮次、专家或人选名单在导出后被改动过，未导入；"
                         "请重新导出评分表交专家填写", source=src)
    require_expert(store, rnd, sheet_expert)
    if (ws["C2"].value or "") != rnd.id or (ws["E2"].value or "") != sheet_expert:
        raise InputError("校验失败：表头的评审轮次或专家姓名被改动过，未导入", source=src)
    values, problems = _read_rows(ws, rnd)
    if problems == [BLANK]:
        raise InputError("评分表还没有填写任何分数，未导入；请专家填写后再导入", source=src)
    if problems:
        more = f"……共 {len(problems)} 处" if len(problems) > MAX_REPORTED else ""
        raise InputError(f"评分表有 {len(problems)} 处问题，未导入：" +
                         "；".join(problems[:MAX_REPORTED]) + more, source=src)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    n = record_scores(store, rnd, sheet_expert, values, replace=replace, whole_sheet=True,
                      source=f"评分表 {src}（{digest}）")
    return SheetImport(rnd.id, sheet_expert, len(values), n, replace)


def _once(kind: str, found: list[tuple[str, ScoreError]]) -> str:
    """One line for a problem however many cells have it, naming the cells (the first few)."""
    if len(found) == 1:
        return f"{found[0][0]}：{found[0][1]}"
    shown = "、".join(where + ("" if err.value is None else f"（{err.value}）")
                     for where, err in found[:CELLS_NAMED])
    more = f"等，共 {len(found)} 格" if len(found) > CELLS_NAMED else ""
    return f"{len(found)} 格{kind}：{shown}{more}"


def _read_rows(ws, rnd: Round) -> tuple[dict[str, dict[str, Decimal]], list[str]]:
    rules = rnd.rules
    by_id = {c.id: c for c in rnd.candidates}
    values: dict[str, dict[str, Decimal]] = {}
    problems: list[str] = []
    cells: dict[str, list[tuple[str, ScoreError]]] = {}  # a problem's kind -> its cells
    header = [ws.cell(HEADER_ROW, FIRST_SCORE_COL + i).value or ""
              for i in range(len(rules.criteria))]
    for text, crit in zip(header, rules.criteria):
        if not str(text).startswith(crit.name):
            problems.append(f"表头“{crit.name}”一列被改动或移动过")
    if problems:
        return values, problems
    r = FIRST_ROW
    while True:
        cid = ws.cell(r, ID_COL).value
        name = ws.cell(r, NAME_COL).value
        if cid is None and name is None:
            break
        where = f"第{r}行"
        cand = by_id.get(str(cid or ""))
        if cand is None:
            problems.append(f"{where}（{name or '无姓名'}）不在本轮评审名单中，评分表被改动过")
        elif cand.id in values:
            problems.append(f"{where}（{cand.name}）重复出现")
        elif str(name or "") != cand.name:
            problems.append(f"{where} 姓名“{name}”与评审名单中的“{cand.name}”不符")
        else:
            row = {}
            for i, crit in enumerate(rules.criteria):
                try:
                    row[crit.id] = parse_score(ws.cell(r, FIRST_SCORE_COL + i).value, rules)
                except ScoreError as err:
                    cells.setdefault(err.kind, []).append(
                        (f"{where}（{cand.name}）“{crit.name}”", err))
            values[cand.id] = row
        r += 1
    if not problems and list(cells) == ["未填写"] and \
            len(cells["未填写"]) == rnd.cells_per_expert:
        return values, [BLANK]
    problems += [_once(kind, found) for kind, found in cells.items()]
    missing = [c for c in rnd.candidates if c.id not in values]
    if missing:
        names = "、".join(f"{c.position}号{c.name}" for c in missing[:8])
        problems.append(f"缺少 {len(missing)} 名人选的评分行：{names}"
                        f"{'等' if len(missing) > 8 else ''}")
    return values, problems
