"""The notice's selection emphases (一、遴选推荐重点) as shares of a list of candidates: 产业创新
人才 (明显提高产业创新人才推荐比例), 非公有制单位 (特别是非公领域人才), the focus areas and
national strategies, and 中青年 (对有潜力的中青年领军人才，要努力支持、积极推荐).

Offices see them for everyone they hold and for those marked 推荐 (``quota``, ``decisions``, the
审核与名额 page); the region sees them for a review round and its final list (``review rank``,
``review final``, the 专家评审 page). What counts is the year's data (``[statistics]``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Iterable

from ..record.year import ProgramYear

CN_NUM = "一二三四五六七八九十"


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    count: int
    total: int

    @property
    def percent(self) -> float:
        return round(100 * self.count / self.total, 1) if self.total else 0.0

    def text(self) -> str:
        return f"{self.label} {self.count} 名（{self.percent}%）"

    def to_dict(self) -> dict:
        return asdict(self) | {"percent": self.percent}


@dataclass(frozen=True)
class Emphasis:
    title: str          # whose list: 全部候选人, 已推荐, 评审人选, 推荐名单
    total: int
    shares: tuple[Share, ...]

    def get(self, key: str) -> Share:
        return next(s for s in self.shares if s.key == key)

    def line(self) -> str:
        """One line: the headline shares; per-area counts follow in brackets when any."""
        head = [s for s in self.shares if not s.key.startswith("area:")]
        areas = [f"{s.label} {s.count}" for s in self.shares if s.key.startswith("area:") and s.count]
        text = f"{self.title} {self.total} 名：" + "，".join(s.text() for s in head)
        return text + (f"（{'、'.join(areas)}）" if areas else "")

    def to_dict(self) -> dict:
        return {"title": self.title, "total": self.total,
                "shares": [s.to_dict() for s in self.shares]}


def young_label(year: ProgramYear) -> str:
    d = year.young_born_on_or_after
    return f"中青年（{d.year}年{d.month}月{d.day}日以后出生）" if d else "中青年"


def emphasis(records: Iterable[dict], year: ProgramYear, title: str) -> Emphasis:
    """The shares of ``records`` (stored records or a review round's snapshots)."""
    rows = list(records)
    n = len(rows)

    def share(key: str, label: str, test) -> Share:
        return Share(key, label, sum(1 for r in rows if test(r)), n)

    industrial = "、".join(f"条件{CN_NUM[c - 1]}" for c in year.industrial_conditions)
    shares = [
        share("industrial", f"产业创新人才（{industrial}）",
              lambda r: any(c in year.industrial_conditions for c in r.get("conditions") or ())),
        share("non_public", "非公有制单位", year.is_non_public),
        share("focus", "重点领域", lambda r: bool(set(r.get("focus_areas") or ()) & set(year.focus_areas))),
        share("strategy", "国家战略", lambda r: bool(set(r.get("strategies") or ()) & set(year.strategies))),
    ]
    research = [r for r in rows if r.get("employer_type") in year.research_employer_types]
    if research and year.original_conditions:
        # （二）高等院校、科研院所 … 重点关注学术技术重大原始创新: a share of their own candidates
        original = "、".join(f"条件{CN_NUM[c - 1]}" for c in year.original_conditions)
        shares.append(Share("original", f"高校院所人选 {len(research)} 名中原始创新（{original}）",
                            sum(1 for r in research if set(r.get("conditions") or ())
                                & set(year.original_conditions)), len(research)))
    if year.young_born_on_or_after:
        shares.append(share("young", young_label(year),
                            lambda r: _born_on_or_after(r.get("birth_date"), year.young_born_on_or_after)))
    shares += [share(f"area:{a}", a, lambda r, a=a: a in (r.get("focus_areas") or ()))
               for a in year.focus_areas]
    return Emphasis(title, n, tuple(shares))


def _born_on_or_after(text: str | None, cutoff: dt.date) -> bool:
    try:
        return bool(text) and dt.date.fromisoformat(text) >= cutoff
    except ValueError:
        return False  # an unreadable date is reported by the rules, not counted here
