"""专家组商议定序: the expert panel's decision on a tie across a quota cut line.

When candidates with the same aggregated score straddle the region's quota (全区) or a channel's
quota (one 盟市 / 区直单位), ``rank_round`` leaves them 待定. The panel then decides an order
among the tied candidates; the first ones in that order take the seats that are left.

A decision is stored per round and per *scope* (``全区`` or ``盟市：包头市``) together with the tie
it was made for (the tied candidates and the number of seats). It is applied only while the
ranking still has exactly that tie; when the scores change so that the tie is different (another
candidate joins or leaves it, the seats differ, or the tie is gone) the decision is *stale*: it is
reported and not applied, and the panel has to decide again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from ..storage.store import Store
from .numbers import fmt
from .rounds import Round

if TYPE_CHECKING:  # pragma: no cover
    pass

REGION_SCOPE = "全区"
REASON_LIMIT = 300


def channel_scope(channel: tuple[str, str]) -> str:
    return f"{channel[0]}：{channel[1]}"


@dataclass(frozen=True)
class TieBreak:
    """A recorded decision. ``members`` is the tie it was made for; ``order`` names the tied
    candidates in the panel's order (at least enough of them to fill the seats)."""

    round_id: str
    scope: str
    members: frozenset[str]
    seats: int
    rank: int
    mean: str
    order: tuple[str, ...]
    reason: str
    actor: str
    at: str

    def to_dict(self) -> dict:
        return {"scope": self.scope, "members": sorted(self.members), "seats": self.seats,
                "rank": self.rank, "mean": self.mean, "order": list(self.order),
                "reason": self.reason, "actor": self.actor, "at": self.at}


@dataclass
class Tie:
    """A tie across a cut line as found in the current ranking."""

    scope: str
    channel: tuple[str, str] | None   # None for the region's quota
    rank: int
    mean: Fraction
    seats: int                        # seats left for the tied candidates
    members: list                     # RankedCandidate rows, in ranking order
    decision: TieBreak | None = None  # the panel's decision, when it matches this tie

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.members)

    @property
    def pending(self) -> bool:
        return self.decision is None

    def matches(self, d: TieBreak) -> bool:
        return d.scope == self.scope and d.members == self.ids and d.seats == self.seats

    def describe(self) -> str:
        where = "全区" if self.channel is None else self.channel[1]
        return (f"{len(self.members)}人并列第{self.rank}名，{where}剩余名额{self.seats}个"
                f"（{'、'.join(r.candidate.name for r in self.members)}）")

    def to_dict(self) -> dict:
        return {"scope": self.scope, "rank": self.rank, "mean": fmt(self.mean),
                "seats": self.seats, "pending": self.pending,
                "candidates": [{"id": r.id, "name": r.candidate.name,
                                "channel": {"kind": r.candidate.channel[0],
                                            "name": r.candidate.channel[1]}}
                               for r in self.members],
                "decision": self.decision.to_dict() if self.decision else None}


@dataclass
class StaleTieBreak:
    decision: TieBreak
    explanation: str
    names: dict[str, str] = field(default_factory=dict)  # id -> name, for messages

    @property
    def message(self) -> str:
        d = self.decision
        who = "、".join(self.names.get(i, i) for i in sorted(
            d.members, key=lambda i: (i not in d.order, d.order.index(i) if i in d.order else 0, i)))
        return (f"专家组商议定序已失效（{d.scope}，{d.at} 由 {d.actor} 记录；当时 {len(d.members)}人"
                f"并列第{d.rank}名、剩余名额{d.seats}个：{who}）：评分变化后{self.explanation}，"
                "该商议结果不再使用，请专家组重新商议")

    def to_dict(self) -> dict:
        return {**self.decision.to_dict(), "message": self.message}


# -- storage -----------------------------------------------------------------------------------
def load_tiebreaks(store: Store, rnd: Round) -> list[TieBreak]:
    cur = store.db.execute(
        "SELECT scope, members, seats, rank, mean, ordering, reason, actor, at "
        "FROM review_tiebreaks WHERE round_id=? ORDER BY at, rowid", [rnd.id])
    return [TieBreak(rnd.id, scope, frozenset(json.loads(members)), seats, rank, mean,
                     tuple(json.loads(ordering)), reason, actor, at)
            for scope, members, seats, rank, mean, ordering, reason, actor, at in cur.fetchall()]
