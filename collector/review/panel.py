"""Recording the panel's tie-break decision (``tiebreak.TieBreak``) and clearing stale ones:
both re-rank the round (``ranking.rank_round``) with the decisions stored so far."""

from __future__ import annotations

import json
from typing import Iterable

from ..common.errors import CollectorError, InputError, NotFoundError
from ..storage.store import Store, default_actor, now_text
from .numbers import fmt
from .ranking import Ranking, rank_round
from .rounds import Round, experts, scores
from .tiebreak import REASON_LIMIT, StaleTieBreak, Tie, TieBreak, load_tiebreaks


def _ranking_with(store: Store, rnd: Round, decisions: Iterable[TieBreak]) -> "Ranking":
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
    decision = TieBreak(rnd.id, tie.scope, tie.ids, tie.seats, tie.rank, fmt(tie.mean),
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
