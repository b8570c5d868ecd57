"""Aggregation: each expert's weighted total, the (trimmed) mean, the ranking with ties, and the
final list within the region's quota and the per-channel quotas, with the reason for each cut.

All arithmetic is exact (fractions), so equal means are really equal and tie as the same rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ..record.year import load_year
from .numbers import fmt
from .rounds import Round, RoundCandidate
from .tiebreak import REGION_SCOPE, StaleTieBreak, Tie, TieBreak, channel_scope

SELECTED, CUT, PENDING = "入选", "未入选", "待定"


@dataclass
class RankedCandidate:
    candidate: RoundCandidate
    totals: dict[str, Fraction]          # expert -> weighted total (out of 100)
    mean: Fraction | None = None
    dropped: tuple[str, str] | None = None  # (expert with the highest, with the lowest) if trimmed
    rank: int | None = None
    tied: bool = False
    industrial: bool = False
    non_public: bool = False
    decision: str = ""
    reason: str = ""

    @property
    def id(self) -> str:
        return self.candidate.id

    def to_dict(self) -> dict:
        kind, name = self.candidate.channel
        return {
            "id": self.id, "position": self.candidate.position, "name": self.candidate.name,
            "employer": self.candidate.info.get("employer", ""),
            "channel": {"kind": kind, "name": name},
            "totals": {e: fmt(t) for e, t in self.totals.items()},
            "mean": fmt(self.mean) if self.mean is not None else None,
            "dropped": list(self.dropped) if self.dropped else None,
            "rank": self.rank, "tied": self.tied,
            "industrial": self.industrial, "non_public": self.non_public,
            "decision": self.decision, "reason": self.reason,
            "fingerprint": self.candidate.info.get("fingerprint", ""),
        }


@dataclass
class Ranking:
    round_id: str
    experts: list[str]             # experts whose complete scores count
    incomplete: dict[str, int]     # expert -> candidates still unscored (not counted)
    trimmed: bool
    quota: int
    channel_quotas: dict[str, int]
    rows: list[RankedCandidate] = field(default_factory=list)  # in rank order
    ties: list[Tie] = field(default_factory=list)        # ties across a cut line, in rank order
    stale: list[StaleTieBreak] = field(default_factory=list)  # decisions that no longer match
    # for a region-wide tie: the seats each channel still had, {scope: {channel: seats}}
    tie_channel_room: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict)
    year: int = 0                  # the program year whose emphases the shares follow

    @property
    def ready(self) -> bool:
        return bool(self.experts)

    @property
    def selected(self) -> list[RankedCandidate]:
        return [r for r in self.rows if r.decision == SELECTED]

    @property
    def pending(self) -> list[RankedCandidate]:
        return [r for r in self.rows if r.decision == PENDING]

    @property
    def pending_ties(self) -> list[Tie]:
        return [t for t in self.ties if t.pending]

    def shares(self) -> dict:
        """产业创新 and 非公 counts and percentages, over all candidates and over the final list."""
        return {"all": _share(self.rows), "final": _share(self.selected)}

    def emphasis(self) -> list:
        """The notice's emphases (产业创新, 非公, 重点领域, 国家战略, 中青年) for the round and the
        final list, from the candidates' snapshots (``collector.office.emphasis``)."""
        from ..office.emphasis import emphasis

        year = load_year(self.year) if self.year else load_year()
        return [emphasis([r.candidate.info for r in self.rows], year, "评审人选"),
                emphasis([r.candidate.info for r in self.selected], year, "推荐名单")]

    def to_dict(self) -> dict:
        return {"round": self.round_id, "experts": self.experts, "incomplete": self.incomplete,
                "trimmed": self.trimmed, "quota": self.quota,
                "channel_quotas": self.channel_quotas, "shares": self.shares(),
                "emphasis": [e.to_dict() for e in self.emphasis()],
                "rows": [r.to_dict() for r in self.rows],
                "ties": [t.to_dict() for t in self.ties],
                "stale_tiebreaks": [s.to_dict() for s in self.stale]}


def _share(rows: list[RankedCandidate]) -> dict:
    n = len(rows)
    out = {"count": n}
    for key in ("industrial", "non_public"):
        k = sum(1 for r in rows if getattr(r, key))
        out[key] = k
        out[f"{key}_percent"] = round(100 * k / n, 1) if n else 0.0
    return out


def rank_round(rnd: Round, all_scores: dict[str, dict[str, dict[str, Fraction]]],
               expert_order: list[str], tiebreaks: list[TieBreak] | None = None) -> Ranking:
    """The ranking and the final list from the round's scores.

    Only experts who scored every criterion of every candidate count; the others are listed
    in ``incomplete``. ``tiebreaks``: the expert panel's recorded decisions (专家组商议定序);
    each is applied to the tie it was made for, or reported in ``stale`` if that tie is gone.
    """
    rules = rnd.rules
    year = load_year(rnd.year)
    crits = rules.criterion_ids
    complete, incomplete = [], {}
    for expert in expert_order:
        given = all_scores.get(expert, {})
        missing = sum(1 for c in rnd.candidates
                      if any(k not in given.get(c.id, {}) for k in crits))
        if missing:
            incomplete[expert] = missing
        else:
            complete.append(expert)
    trimmed = len(complete) >= rules.trim_threshold
    ranking = Ranking(rnd.id, complete, incomplete, trimmed, rules.region_quota,
                      dict(rules.channel_quotas), year=rnd.year)
    for cand in rnd.candidates:
        totals = {e: rules.weighted_total(all_scores[e][cand.id]) for e in complete}
        row = RankedCandidate(cand, totals)
        conds = cand.info.get("conditions") or []
        row.industrial = any(c in year.industrial_conditions for c in conds)
        row.non_public = year.is_non_public(cand.info)  # the same test as CHANNEL routing
        row.mean, row.dropped = _mean(totals, trimmed)
        ranking.rows.append(row)
    if not complete:
        for row in ranking.rows:
            row.decision, row.reason = PENDING, "尚无专家提交完整评分"
        return ranking
    ranking.rows.sort(key=lambda r: (-r.mean, r.candidate.position))
    for row in ranking.rows:
        row.rank = 1 + sum(1 for o in ranking.rows if o.mean > row.mean)
        row.tied = sum(1 for o in ranking.rows if o.mean == row.mean) > 1
    _decide(ranking, {d.scope: d for d in tiebreaks or ()})
    return ranking


def _mean(totals: dict[str, Fraction], trimmed: bool):
    if not totals:
        return None, None
    if not trimmed:
        return sum(totals.values(), Fraction(0)) / len(totals), None
    # 去掉一个最高分和一个最低分: one of each, even when several experts gave the same total
    ordered = sorted(totals.items(), key=lambda kv: kv[1])
    low, high = ordered[0][0], ordered[-1][0]
    kept = [t for _e, t in ordered[1:-1]]
    return sum(kept, Fraction(0)) / len(kept), (high, low)


def _decide(ranking: Ranking, decisions: dict[str, TieBreak]) -> None:
    """Walk the ranking group by group (a group = candidates with the same mean)."""
    quota = ranking.quota
    region_left = quota
    channel_left: dict[tuple[str, str], int] = {}
    groups: list[list[RankedCandidate]] = []
    for row in ranking.rows:
        if groups and groups[-1][0].mean == row.mean:
            groups[-1].append(row)
        else:
            groups.append([row])
    for group in groups:
        by_channel: dict[tuple[str, str], list[RankedCandidate]] = {}
        for row in group:
            by_channel.setdefault(row.candidate.channel, []).append(row)
        fit, channel_tied, reserve = [], [], 0
        for ch, members in by_channel.items():
            limit = ranking.channel_quotas.get(ch[0])
            left = channel_left.setdefault(ch, limit if limit is not None else quota)
            if left == 0:
                for row in members:
                    row.decision = CUT
                    row.reason = (f"超过本渠道名额（{ch[1]}已入选{limit}人，"
                                  f"每个{ch[0]}最多{limit}人）")
            elif len(members) <= left:
                fit.extend(members)
            else:
                channel_tied.append((ch, members, left))
                reserve += left
        waiting = fit + [r for _ch, ms, _l in channel_tied for r in ms]
        if not waiting:
            continue
        if region_left == 0:
            for row in waiting:
                row.decision = CUT
                row.reason = f"名额已满（全区推荐名额{quota}人）"
            continue
        if len(fit) + reserve <= region_left:
            for row in fit:
                row.decision, row.reason = SELECTED, ""
                channel_left[row.candidate.channel] -= 1
            for ch, members, left in channel_tied:
                tie = Tie(channel_scope(ch), ch, members[0].rank, members[0].mean, left, members)
                ranking.ties.append(tie)
                if not _apply(tie, decisions, {ch: left}, group):
                    for row in members:
                        row.decision = PENDING
                        row.reason = (f"{len(members)}人并列第{row.rank}名，{ch[1]}剩余名额{left}个，"
                                      "需专家组商议确定")
                channel_left[ch] = 0
            region_left -= len(fit) + reserve
        else:
            tie = Tie(REGION_SCOPE, None, waiting[0].rank, waiting[0].mean, region_left,
                      sorted(waiting, key=lambda r: r.candidate.position))
            ranking.ties.append(tie)
            room = {ch: channel_left[ch] for ch in by_channel if channel_left[ch] > 0}
            ranking.tie_channel_room[tie.scope] = dict(room)
            if not _apply(tie, decisions, room, group):
                for row in waiting:
                    row.decision = PENDING
                    row.reason = (f"{len(waiting)}人并列第{row.rank}名，全区剩余名额{region_left}个，"
                                  "需专家组商议确定")
            region_left = 0
    ranking.rows = [row for group in groups for row in group]
    used = {t.decision.scope for t in ranking.ties if t.decision}
    names = {r.id: r.candidate.name for r in ranking.rows}
    for scope, d in decisions.items():
        if scope in used:
            continue
        now = next((t for t in ranking.ties if t.scope == scope), None)
        if now is None:
            why = f"{scope}已没有跨名额线的并列"
        else:
            why = f"现在是{now.describe()}"
        ranking.stale.append(StaleTieBreak(d, why, names))


def _apply(tie: Tie, decisions: dict[str, TieBreak], room: dict[tuple[str, str], int],
           group: list[RankedCandidate]) -> bool:
    """Apply the panel's decision if it was made for exactly this tie: the first in its order
    take the seats (respecting each channel's remaining room); the rest are cut. The tied rows
    are shown in the decided order (their rank stays the same)."""
    d = decisions.get(tie.scope)
    if d is None or not tie.matches(d):
        return False
    tie.decision = d
    by_id = {r.id: r for r in tie.members}
    ordered = [by_id[i] for i in d.order if i in by_id]
    ordered += [r for r in tie.members if r.id not in d.order]
    room = dict(room)
    seats = tie.seats
    n = len(tie.members)
    where = "全区" if tie.channel is None else tie.channel[1]
    head = f"{n}人并列第{tie.rank}名，{where}剩余名额{tie.seats}个"
    for place, row in enumerate(ordered, 1):
        ch = row.candidate.channel
        step = f"商议顺序第{place}位" if row.id in d.order else "未列入商议顺序"
        if seats and room.get(ch, 0) > 0:
            room[ch] -= 1
            seats -= 1
            row.decision = SELECTED
            row.reason = f"专家组商议：{d.reason}（{head}，{step}，入选）"
        elif seats:
            row.decision = CUT
            row.reason = (f"专家组商议：{d.reason}（{head}，{step}，"
                          f"但{ch[1]}的名额已满，未入选）")
        else:
            row.decision = CUT
            row.reason = f"专家组商议：{d.reason}（{head}，{step}，未入选）"
    slots = [k for k, r in enumerate(group) if r.id in by_id]
    for k, row in zip(slots, ordered):
        group[k] = row
    return True
