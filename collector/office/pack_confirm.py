"""What a level must not send upward without a written reason: a candidate outside this
installation's channel (包头市 recommending a 呼和浩特市 candidate into its own disc) and a
candidate whose paper check says 不一致. The office table shows them; ``require_confirmed`` stops
the package until each is confirmed with a reason (stored, audited). CLI and GUI share it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..common.errors import CollectorError, InputError
from ..storage.store import StoredCandidate, Store, default_actor, now_text
from . import paper
from .profile import REGION, Profile, load_profile

SETTING_KEY = "pack_confirmations"  # {"<candidate id>:<kind>": {"reason", "actor", "at", "about"}}
OUT_OF_CHANNEL, PAPER_MISMATCH = "channel", "paper"
KIND_LABELS = {OUT_OF_CHANNEL: "非本渠道人选", PAPER_MISMATCH: "纸质材料不一致"}


@dataclass(frozen=True)
class Concern:
    candidate_id: str
    name: str
    kind: str        # OUT_OF_CHANNEL or PAPER_MISMATCH
    message: str     # what is wrong, in Chinese, naming the candidate
    about: str       # what the concern is about (the record's channel, the paper message)
    reason: str = ""  # the confirmation's reason; "" while unconfirmed

    @property
    def key(self) -> str:
        return f"{self.candidate_id}:{self.kind}"

    @property
    def confirmed(self) -> bool:
        return bool(self.reason)

    def to_json(self) -> dict:
        return {"id": self.candidate_id, "name": self.name, "kind": self.kind,
                "label": KIND_LABELS[self.kind], "message": self.message,
                "confirmed": self.confirmed, "reason": self.reason}


class PackNotConfirmed(CollectorError):
    """Some chosen candidates have concerns nobody has confirmed: the package is not written."""

    def __init__(self, concerns: list[Concern]):
        self.concerns = concerns
        lines = "；".join(c.message for c in concerns)
        super().__init__(f"{lines}。这些人选须写明理由确认后才能报送"
                         "（审核与名额 → 确认报送…，或 collector pack-confirm ID --reason 理由）；"
                         "上报包未生成")


def _channel_of(cand: StoredCandidate) -> str:
    return str((cand.data.get("channel") or {}).get("name") or "").strip()


def concerns_of(store: Store, cand: StoredCandidate, profile: Profile,
                confirmations: dict | None = None) -> list[Concern]:
    """The concerns one candidate raises here, each with its stored reason if confirmed."""
    confirmations = store.get_setting(SETTING_KEY, {}) if confirmations is None else confirmations
    found: list[tuple[str, str, str]] = []
    own = str(profile.channel.get("name") or "").strip()
    theirs = _channel_of(cand)
    if profile.role != REGION and own and theirs and theirs != own:
        found.append((OUT_OF_CHANNEL, theirs,
                      f"{cand.name} 的推荐渠道是“{theirs}”，不是本机的“{own}”"))
    if paper.status_of(store, cand.id) == paper.MISMATCH:
        got = paper.paper_of(store, cand.id) or {}
        found.append((PAPER_MISMATCH, got.get("at", ""),
                      f"{cand.name} 的纸质登记表与电子数据核对不一致"))
    out = []
    for kind, about, message in found:
        stored = confirmations.get(f"{cand.id}:{kind}") or {}
        # A confirmation holds for what it was about: a new channel or a new scan asks again.
        reason = stored.get("reason", "") if stored.get("about") == about else ""
        out.append(Concern(cand.id, cand.name, kind, message, about, reason))
    return out


def concerns(store: Store, ids: Iterable[str] | None = None,
             profile: Profile | None = None) -> list[Concern]:
    """Every concern of the given candidates (all when ``ids`` is None), confirmed or not."""
    profile = profile or load_profile(store)
    confirmations = store.get_setting(SETTING_KEY, {})
    cands = store.all() if ids is None else (store.get(i) for i in ids)
    return [c for cand in cands for c in concerns_of(store, cand, profile, confirmations)]


def confirm(store: Store, concern: Concern, reason: str, *, actor: str | None = None) -> Concern:
    """Record why this candidate is sent despite the concern (a reason is required)."""
    reason = " ".join(str(reason or "").split())
    if len(reason) < 2:
        raise InputError(f"{concern.message}：请写明确认报送的理由", field="reason")
    actor = actor or default_actor()
    at = now_text()
    with store.transaction():
        confirmations = store.get_setting(SETTING_KEY, {})
        confirmations[concern.key] = {"reason": reason, "actor": actor, "at": at,
                                      "about": concern.about}
        store.set_setting(SETTING_KEY, confirmations)
        store._audit(concern.candidate_id, at, actor, "pack_confirm", concern.kind, None, reason)
    return Concern(concern.candidate_id, concern.name, concern.kind, concern.message,
                   concern.about, reason)


def confirm_candidate(store: Store, key: str, reason: str, *,
                      actor: str | None = None) -> list[Concern]:
    """Confirm every concern of one candidate (编号, 人选代码 or 身份证号): the CLI's way."""
    cand = store.find(key)
    found = concerns_of(store, cand, load_profile(store))
    if not found:
        raise InputError(f"{cand.name} 没有须确认的问题（推荐渠道与本机一致，纸质材料未见不一致）")
    return [confirm(store, c, reason, actor=actor) for c in found]


def require_confirmed(store: Store, ids: Iterable[str], profile: Profile | None = None) -> None:
    """Raise ``PackNotConfirmed`` when a chosen candidate has an unconfirmed concern."""
    open_ = [c for c in concerns(store, ids, profile) if not c.confirmed]
    if open_:
        raise PackNotConfirmed(open_)
