"""推荐 / 不推荐 per candidate with a reason, and the office's opinion (单位推荐意见 for a unit,
盟市/厅局意见 for an office), kept in the ``office_decisions`` table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..common.errors import InputError
from ..storage.store import Store, default_actor, now_text
from ..record.year import load_year
from .profile import UNIT, Profile

RECOMMEND, REJECT = "推荐", "不推荐"
DECISIONS = (RECOMMEND, REJECT)


@dataclass
class Decision:
    candidate_id: str
    decision: str
    reason: str
    opinion: str
    at: str
    actor: str

    def to_json(self) -> dict:
        return {"decision": self.decision, "reason": self.reason, "opinion": self.opinion,
                "at": self.at, "actor": self.actor}


def decide(store: Store, key: str, decision: str, reason: str = "", *,
           actor: str | None = None) -> Decision:
    """Mark one candidate (id, id prefix or ID number) 推荐 or 不推荐."""
    decision = decision.strip()
    if decision not in DECISIONS:
        raise InputError(f"决定“{decision}”无效，请填写 推荐 或 不推荐", field="decision")
    reason = reason.strip()
    if decision == REJECT and not reason:
        raise InputError("不推荐时请写明理由（--reason）", field="reason")
    cand = store.find(key)
    if decision == RECOMMEND:
        from ..exchange.admission import require_not_held

        require_not_held(store, cand)  # the region holds what it cannot trace (DESIGN §6)
    old = get_decision(store, cand.id)
    row = Decision(cand.id, decision, reason, old.opinion if old else "", now_text(),
                   actor or default_actor())
    with store.transaction():
        _write(store, row)
        store._audit(cand.id, row.at, row.actor, "decision", "decision",
                     old.decision if old else None, decision)
    return row


def set_opinion(store: Store, key: str, text: str, profile: Profile, *,
                today: dt.date | None = None, actor: str | None = None) -> str:
    """A unit writes the record's 单位推荐意见; 盟市/厅局 and region keep theirs beside it."""
    text = text.strip()
    limit = load_year().limit("unit_opinion")
    if limit and len(text) > limit.max:
        raise InputError(f"意见共{len(text)}字，超过{limit.max}字的上限，请精简", field="opinion")
    cand = store.find(key)
    if profile.role == UNIT:
        data = dict(cand.data)
        data["unit_opinion"] = {"text": text, "date": (today or dt.date.today()).isoformat()}
        store.save(data, candidate_id=cand.id, actor=actor, action="opinion")
        return cand.id
    old = get_decision(store, cand.id)
    row = Decision(cand.id, old.decision if old else "", old.reason if old else "", text,
                   now_text(), actor or default_actor())
    with store.transaction():
        _write(store, row)
    return cand.id


def _write(store: Store, row: Decision) -> None:
    store.db.execute(
        "INSERT OR REPLACE INTO office_decisions(candidate_id, decision, reason, opinion, at, actor)"
        " VALUES (?,?,?,?,?,?)",
        [row.candidate_id, row.decision, row.reason, row.opinion, row.at, row.actor])


def get_decision(store: Store, candidate_id: str) -> Decision | None:
    r = store.db.execute(
        "SELECT candidate_id, decision, reason, opinion, at, actor FROM office_decisions "
        "WHERE candidate_id=?", [candidate_id]).fetchone()
    return Decision(*r) if r else None


def all_decisions(store: Store) -> dict[str, Decision]:
    rows = store.db.execute(
        "SELECT candidate_id, decision, reason, opinion, at, actor FROM office_decisions").fetchall()
    return {r[0]: Decision(*r) for r in rows}


def selected_ids(store: Store) -> list[str]:
    """Candidates marked 推荐, in the store's order."""
    chosen = {cid for cid, d in all_decisions(store).items() if d.decision == RECOMMEND}
    return [r["id"] for r in store.rows() if r["id"] in chosen]


# What a 盟市/厅局 calls itself in the decisions it sends up (``Profile.level_label``).
OFFICE_LEVEL_NAMES = ("盟市", "厅局", "盟市/厅局")


def office_opinion(store: Store, candidate_id: str) -> tuple[str, str]:
    """(text, YYYY-MM-DD) of the 盟市/厅局意见 printed in the registration form's box: this
    installation's own when it is the 盟市/厅局; at the region, the one the 盟市/厅局's package
    carried for this ID number (the newest); ("", "") when none was written."""
    from .inbox import IMPORTED, list_inbox
    from .profile import OFFICE, load_profile

    if load_profile(store).role == OFFICE:
        own = get_decision(store, candidate_id)
        return (own.opinion, own.at[:10]) if own and own.opinion else ("", "")
    number = str(store.get(candidate_id).data.get("id_number", "")).upper()
    for entry in reversed(list_inbox(store)):
        decided = (entry.info or {}).get("decisions")
        row = decided.get(number) if isinstance(decided, dict) and number else None
        if (entry.status == IMPORTED and isinstance(row, dict)
                and row.get("level") in OFFICE_LEVEL_NAMES and str(row.get("opinion") or "").strip()):
            return str(row["opinion"]).strip(), str(row.get("at") or "")[:10]
    return "", ""
