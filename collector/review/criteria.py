"""The ``[review]`` section of the year's rules TOML: criteria, weights, score range, trimming.

A round copies these rules when it is created (``ReviewRules.to_dict``), so a later edit of the
TOML never changes how an open round is scored.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..common.errors import RulesError
from ..record.year import load_year, rules_path


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    weight: int  # percent; all weights add up to 100
    hint: str = ""


@dataclass(frozen=True)
class ReviewRules:
    year: int
    criteria: tuple[Criterion, ...]
    score_min: Decimal
    score_max: Decimal
    score_decimals: int
    trim_threshold: int
    region_quota: int
    channel_quotas: dict[str, int]

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    def criterion(self, cid: str) -> Criterion:
        for c in self.criteria:
            if c.id == cid:
                return c
        raise KeyError(cid)

    def weighted_total(self, scores: dict[str, Fraction]) -> Fraction:
        """One expert's total for one candidate, out of 100: sum(score * weight) / score_max."""
        return sum((scores[c.id] * c.weight for c in self.criteria), Fraction(0)) / Fraction(
            self.score_max)

    def range_text(self) -> str:
        return f"{_plain(self.score_min)}–{_plain(self.score_max)}"

    def to_dict(self) -> dict:
        return {
            "year": self.year,
            "criteria": [{"id": c.id, "name": c.name, "weight": c.weight, "hint": c.hint}
                         for c in self.criteria],
            "score_min": str(self.score_min), "score_max": str(self.score_max),
            "score_decimals": self.score_decimals, "trim_threshold": self.trim_threshold,
            "region_quota": self.region_quota, "channel_quotas": dict(self.channel_quotas),
        }

    @classmethod
    def from_dict(cls, d: dict) -> "ReviewRules":
        return cls(
            year=int(d["year"]),
            criteria=tuple(Criterion(c["id"], c["name"], int(c["weight"]), c.get("hint", ""))
                           for c in d["criteria"]),
            score_min=Decimal(str(d["score_min"])), score_max=Decimal(str(d["score_max"])),
            score_decimals=int(d["score_decimals"]), trim_threshold=int(d["trim_threshold"]),
            region_quota=int(d["region_quota"]),
            channel_quotas={k: int(v) for k, v in d["channel_quotas"].items()},
        )


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def load_review_rules(year: int = 2017) -> ReviewRules:
    """Read ``[review]`` of ``resources/rules/<year>.toml`` and check it is usable."""
    program = load_year(year)
    path = rules_path(year)
    try:
        section = tomllib.loads(path.read_text(encoding="utf-8"))["review"]
    except KeyError:
        raise RulesError(f"{year}年度规则文件 {path.name} 缺少 [review]（专家评审）一节") from None
    try:
        criteria = tuple(
            Criterion(str(c["id"]), str(c["name"]), int(c["weight"]), str(c.get("hint", "")))
            for c in section["criteria"])
        rules = ReviewRules(
            year=year, criteria=criteria,
            score_min=Decimal(str(section["score_min"])),
            score_max=Decimal(str(section["score_max"])),
            score_decimals=int(section.get("score_decimals", 0)),
            trim_threshold=int(section.get("trim_threshold", 5)),
            region_quota=program.region_quota,
            channel_quotas=dict(program.quotas),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError) as err:
        raise RulesError(f"{year}年度规则文件 [review] 一节有误：{err}") from None
    _check(rules, path.name)
    return rules


def _check(rules: ReviewRules, filename: str) -> None:
    where = f"{filename} [review]"
    ids = rules.criterion_ids
    if not ids:
        raise RulesError(f"{where} 没有评分项（[[review.criteria]]）")
    if len(set(ids)) != len(ids):
        raise RulesError(f"{where} 评分项 id 重复")
    if sum(c.weight for c in rules.criteria) != 100:
        raise RulesError(f"{where} 各评分项权重之和应为 100，现为 "
                         f"{sum(c.weight for c in rules.criteria)}")
    if any(c.weight <= 0 for c in rules.criteria):
        raise RulesError(f"{where} 评分项权重应为正数")
    if not rules.score_min < rules.score_max:
        raise RulesError(f"{where} score_min 应小于 score_max")
    if rules.trim_threshold < 3:
        raise RulesError(f"{where} trim_threshold 至少为 3（去掉最高分和最低分后还需有分数）")
