"""Building review rounds in tests: candidates per channel, and filling a sheet as an expert would."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from collector.review.sheet_xlsx import FIRST_ROW, FIRST_SCORE_COL, ID_COL, SHEET
from tests.conftest import make_record


def candidate(i: int, name: str, kind: str, channel: str, *, conditions=(1,),
              employer_type: str = "高等院校") -> dict:
    conds = list(conditions)
    return make_record(i, name=name, channel={"kind": kind, "name": channel}, conditions=conds,
                       condition_statements={str(c): f"条件{c}说明（测试）" for c in conds},
                       employer_type=employer_type)


def fill_sheet(path: Path, scores: dict[str, object], *, per_criterion=None) -> None:
    """Type scores into the sheet as an expert does: ``scores[candidate_id]`` is one value for
    every criterion, or a list with one value per criterion."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    r = FIRST_ROW
    while ws.cell(r, ID_COL).value:
        value = scores[ws.cell(r, ID_COL).value]
        values = value if isinstance(value, (list, tuple)) else [value] * 8
        for k, v in enumerate(values):
            ws.cell(r, FIRST_SCORE_COL + k, v)
        r += 1
    wb.save(path)


def score_rows(store) -> int:
    return store.db.execute("SELECT count(*) FROM review_scores").fetchone()[0]
