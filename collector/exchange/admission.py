"""Holds on admitted candidates, and accepting one anyway. At every level that keeps a key
register, a candidate that passed a level signed by an unregistered key is held; at the top
level (自治区) also a candidate that cannot be traced to its applicant's own signed package, or
whose applicant key no one has checked on paper: it cannot be recommended until its paper
matches or an operator accepts it with a reason (audited). Which packages are admitted at all
is the intake pipeline's decision (``intake.decide``)."""

from __future__ import annotations


from ..common.errors import InputError
from ..storage.store import Store, StoredCandidate, default_actor, now_text
from ..office.profile import REGION, load_profile
from .provenance import ENTERED, REGION_PAPER, UNVERIFIABLE, Provenance, of


def is_top_level(store: Store) -> bool:
    return load_profile(store).role == REGION


def active_register(store: Store) -> list | None:
    """This installation's key register when it keeps one (the region always does: it is the
    root of trust), else None: a 盟市 that has registered none of its units yet checks no keys."""
    from ..office.register import entries

    register = entries(store)
    return register if register or is_top_level(store) else None


def hold_reason(store: Store, cand: StoredCandidate, prov: Provenance | None = None, *,
                top: bool | None = None) -> str:
    """Why this candidate is held from a decision and from every export, or "". At every level
    that keeps a key register: a level on its way signed by an unregistered key. At the top
    (自治区) also: anything not traced to its applicant, and any candidate whose paper the region
    has not matched itself (the notice sends every signed form to the region)."""
    top = is_top_level(store) if top is None else top
    prov = prov or of(cand)
    if prov.accepted or (prov.local and not prov.edited_here):
        return ""
    if prov.unregistered:
        return f"报送方密钥未登记：{'；'.join(prov.unregistered)}"
    if prov.mismatched:
        return f"推荐渠道与报送方登记不符：{'；'.join(prov.mismatched)}"
    if not top:
        return ""
    if prov.klass == UNVERIFIABLE:
        return f"无法核对：{prov.detail}"
    if prov.klass == ENTERED:
        return f"本级录入：{prov.detail}"
    from ..office.paper import MATCHED, LABELS, status_of

    status = status_of(store, cand.id)
    if status != MATCHED:
        why = prov.paper_needed or REGION_PAPER
        return f"{why}；纸质材料{LABELS[status]}"
    return ""


HOW_TO_ACCEPT = ("请核对纸质材料（审核与名额 → 纸质材料核对…，或 collector paper-check），"
                 "或核实后写明理由接受（审核与名额 → 接受暂扣人选…，"
                 "或 collector accept 身份证号 --reason 理由）")


def require_not_held(store: Store, cand: StoredCandidate) -> None:
    reason = hold_reason(store, cand)
    if reason:
        raise InputError(f"{cand.name}（{cand.data.get('id_number', '')}）暂扣待定：{reason}。"
                         f"{HOW_TO_ACCEPT}", field="provenance")


def accept(store: Store, key: str, reason: str, *, actor: str | None = None) -> StoredCandidate:
    """Accept a held candidate anyway: the reason is stored with its provenance and audited."""
    reason = str(reason or "").strip()
    if not reason:
        raise InputError("接受无法核对的人选时请写明理由（--reason），例如“已电话核实并核对纸质登记表”",
                         field="reason")
    cand = store.find(key)
    held = hold_reason(store, cand)
    if not held:
        raise InputError(f"{cand.name}（{cand.data.get('id_number', '')}）没有被暂扣，无需接受",
                         field="provenance")
    prov = of(cand)
    actor = actor or default_actor()
    at = now_text()
    prov.accepted = {"reason": reason, "actor": actor, "at": at, "held": held}
    source = dict(cand.source or {}, provenance=prov.to_json())
    import json

    with store.transaction():
        store.db.execute("UPDATE candidates SET source=? WHERE id=?",
                         [json.dumps(source, ensure_ascii=False), cand.id])
        store._audit(cand.id, at, actor, "provenance_accept", "provenance", held,
                     {"reason": reason, "class": prov.klass})
    return store.get(cand.id)
