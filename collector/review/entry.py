"""Direct entry of scores (CLI ``review score`` and the UI's score table)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ..common.errors import InputError
from ..storage.store import Store
from .rounds import Round, parse_score, record_scores


def enter_scores(store: Store, rnd: Round, expert: str,
                 entries: Mapping[str, Mapping[str, object]], *, replace: bool = False,
                 source: str = "直接录入") -> int:
    """``entries`` maps a candidate (id, id prefix or 人选代码) to {criterion id: score}.

    Everything is checked first; then all scores are written in one transaction.
    """
    rules = rnd.rules
    values: dict[str, dict[str, Decimal]] = {}
    problems: list[str] = []
    for key, row in entries.items():
        cand = rnd.candidate(key)
        clean: dict[str, Decimal] = {}
        for crit_id, raw in row.items():
            try:
                crit = rules.criterion(crit_id)
            except KeyError:
                problems.append(f"没有评分项“{crit_id}”（可用：{'、'.join(rules.criterion_ids)}）")
                continue
            try:
                clean[crit_id] = parse_score(raw, rules)
            except ValueError as err:
                problems.append(f"{cand.name}“{crit.name}”：{err}")
        values.setdefault(cand.id, {}).update(clean)
    if problems:
        raise InputError("评分未保存：" + "；".join(problems[:12]))
    if not values:
        raise InputError("没有要保存的评分")
    return record_scores(store, rnd, expert, values, replace=replace, whole_sheet=False,
                         source=source)
