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
from typing import TYPE_CHECKING, Iterable

from ..errors import CollectorError, InputError, NotFoundError
from ..store import Store, default_actor, now_text
from .rounds import Round

if TYPE_CHECKING:  # pragma: no cover
    from .ranking import Ranking

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
        from .ranking import fmt

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


def _ranking_with(store: Store, rnd: Round, decisions: Iterable[TieBreak]) -> "Ranking":
    from . import experts, scores
    from .ranking import rank_round

    return rank_round(rnd, scores(store, rnd), [e.name for e in experts(store, rnd)],
                      tiebreaks=list(decisions))


def record_tiebreak(store: Store, rnd: Round, order: Iterable[str], reason: str, *,
                    actor: str | None = None) -> TieBreak:
    """Record the panel's order for one pending (or already decided) tie.

    ``order`` lists candidates (id, id prefix or 人选代码) of ONE tie, first = first to take a
    seat; it must name enough of them to fill the seats left. Everything is checked before
    anything is written; a refused decision changes nothing.
    """
    keys = [k.strip() for k in order if k and k.strip()]
    if not keys:
        raise InputError("请按专家组商议的先后顺序列出并列人选（--order 编号1,编号2,…）",
                         field="order")
    reason = " ".join((reason or "").split())
    if not reason:
        raise InputError("请填写专家组商议的理由（--reason），例如商议经过和表决结果", field="reason")
    if len(reason) > REASON_LIMIT:
        raise InputError(f"商议理由共{len(reason)}字，超过{REASON_LIMIT}字的上限，请精简",
                         field="reason")
    actor = " ".join((actor or "").split()) or default_actor()
    try:
        cands = [rnd.candidate(k) for k in keys]
    except NotFoundError as err:
        raise InputError(f"{err}；请使用 review final 列出的并列人选编号", field="order") from None
    ids = [c.id for c in cands]
    dup = sorted({c.name for c in cands if ids.count(c.id) > 1})
    if dup:
        raise InputError(f"{'、'.join(dup)} 在商议顺序中重复出现，每名人选只能列一次", field="order")

    existing = load_tiebreaks(store, rnd)
    ranking = _ranking_with(store, rnd, existing)
    if not ranking.ready:
        raise CollectorError("尚无专家提交完整评分，还没有排名，无需专家组商议")
    if not ranking.ties:
        raise CollectorError("本轮当前没有跨名额线的并列人选，无需专家组商议定序")
    tie = next((t for t in ranking.ties if ids[0] in t.ids), None)
    if tie is None:
        tie = max(ranking.ties, key=lambda t: len(t.ids & set(ids)))
    outside = [c.name for c in cands if c.id not in tie.ids]
    if outside:
        listing = "；".join(t.describe() for t in ranking.ties)
        raise InputError(f"{'、'.join(outside)} 不在需专家组商议的并列人选之中，不能列入商议顺序。"
                         f"当前并列：{listing}。请只列出同一组并列人选", field="order")
    if tie.decision is not None and not rnd.is_open:
        raise CollectorError(f"评审轮次 {rnd.id} 已结束，{tie.scope} 的专家组商议结果已确定，不能再修改")
    filled = _seats_filled(tie, ids, ranking)
    if filled < tie.seats:
        raise InputError(f"商议顺序只列出了 {len(ids)} 名，按此顺序只能确定 {filled} 个名额，"
                         f"而{tie.describe()}；请继续按顺序列出人选，直到 {tie.seats} 个名额都能确定",
                         field="order")
    decision = TieBreak(rnd.id, tie.scope, tie.ids, tie.seats, tie.rank, _fmt(tie.mean),
                        tuple(ids), reason, actor, now_text())
    with store.transaction():
        store.db.execute(
            "INSERT OR REPLACE INTO review_tiebreaks(round_id, scope, members, seats, rank, mean, "
            "ordering, reason, actor, at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [rnd.id, decision.scope, json.dumps(sorted(decision.members)), decision.seats,
             decision.rank, decision.mean, json.dumps(list(decision.order)), decision.reason,
             decision.actor, decision.at])
    return decision


def clear_stale(store: Store, rnd: Round) -> list[StaleTieBreak]:
    """Delete the round's stale decisions (those no longer matching any tie); returns them."""
    ranking = _ranking_with(store, rnd, load_tiebreaks(store, rnd))
    with store.transaction():
        for s in ranking.stale:
            store.db.execute("DELETE FROM review_tiebreaks WHERE round_id=? AND scope=?",
                             [rnd.id, s.decision.scope])
    return ranking.stale


def _seats_filled(tie: Tie, ids: list[str], ranking: "Ranking") -> int:
    """How many of the tie's seats the given order decides (channel limits respected)."""
    if tie.channel is not None:
        return min(len(ids), tie.seats)
    room = dict(ranking.tie_channel_room.get(tie.scope, {}))
    rows = {r.id: r for r in tie.members}
    filled = 0
    for cid in ids:
        ch = rows[cid].candidate.channel
        if filled < tie.seats and room.get(ch, 0) > 0:
            room[ch] -= 1
            filled += 1
    return filled


def _fmt(value: Fraction) -> str:
    from .ranking import fmt

    return fmt(value)
