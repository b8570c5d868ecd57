"""The office's register of received packages: one row per file that came in (``office_inbox``),
with its status, sender, candidates and chain, and how it is said to a person."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable

from ..common.fingerprint import short
from ..common.text import shown
from ..exchange.provenance import REGION_PAPER, VERIFIED, source_text  # noqa: F401 (callers)
from ..storage.store import Store, now_text

IMPORTED, REFUSED, SKIPPED = "imported", "refused", "skipped"
# Verified, but every candidate in it was already here (or twice in it): nothing was imported.
DUPLICATE = "duplicate"
STATUS_LABELS = {IMPORTED: "已导入", REFUSED: "拒收", SKIPPED: "已导入过", DUPLICATE: "重复，未导入"}


@dataclass
class InboxEntry:
    origin: str
    file_name: str
    status: str
    reason: str = ""
    signer: str = ""
    sender_role: str = ""
    sender_unit: str = ""
    sha256: str = ""
    size: int = 0
    candidates: list[dict] = field(default_factory=list)  # {id, name, id_number}
    info: dict = field(default_factory=dict)
    received_at: str = ""
    id: int | None = None

    @property
    def verified(self) -> bool:
        return self.status in (IMPORTED, SKIPPED, DUPLICATE)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def line(self) -> str:
        """One line for a person: file names and sender are someone else's text, so control
        and bidi characters in them are shown escaped."""
        who = f"{self.sender_unit or '—'}（{self.sender_role or '—'}）"
        fp = short(self.signer) if self.signer else "—"
        head = f"[{self.status_label}] {self.origin}  签名 {fp}  报送方 {who}"
        if self.status == IMPORTED:
            names = "、".join(c["name"] for c in self.candidates)
            return shown(head + f"  候选人 {len(self.candidates)} 名" + (f"：{names}" if names else ""))
        return shown(head + (f"  原因：{self.reason}" if self.reason else ""))

    def to_json(self) -> dict:
        return {"id": self.id, "origin": self.origin, "file": self.file_name,
                "status": self.status, "verified": self.verified, "reason": self.reason,
                "signer": self.signer, "sender_role": self.sender_role,
                "sender_unit": self.sender_unit, "sha256": self.sha256, "size": self.size,
                "candidates": self.candidates, "info": self.info,
                "received_at": self.received_at}


def entry_lines(entry: InboxEntry) -> list[str]:
    """The entry's line, then its chain and every candidate that is not traced to its applicant,
    flagged for a paper check, or held: nothing about provenance is left unsaid."""
    out = [entry.line()]
    if entry.status != IMPORTED:
        return out
    return [out[0]] + [shown(line) for line in _chain_lines(entry)]


def _chain_lines(entry: InboxEntry) -> list[str]:
    out = []
    chain = entry.info.get("chain") or {}
    counts: dict[str, int] = {}
    for c in entry.candidates:
        counts[c.get("provenance", "")] = counts.get(c.get("provenance", ""), 0) + 1
    packages = chain.get("packages", 1)
    unregistered = [c for c in entry.candidates if c.get("unregistered")]
    if unregistered:
        out.append(f"    签名链：报送方密钥未登记（{packages} 个报送包），{len(unregistered)} 名暂扣；"
                   "签名有效不等于报送方可信：请核对其密钥登记表")
    elif counts and set(counts) == {VERIFIED}:
        out.append(f"    签名链：通过（{packages} 个报送包）：{VERIFIED} {counts[VERIFIED]} 名")
    else:
        kinds = "，".join(f"{k or '未记录'} {n} 名" for k, n in counts.items() if k != VERIFIED)
        out.append(f"    签名链：未能全部核对到申报人本人（{packages} 个报送包）：{kinds}")
    for c in entry.candidates:
        who = f"{c['name']}（{c['id_number']}）"
        for reason in c.get("unregistered") or ():
            out.append(f"    {who}：报送方密钥未登记——{reason}")
        if c.get("provenance") != VERIFIED:
            out.append(f"    {who}：{c.get('provenance') or '来源未记录'}——{c.get('detail', '')}")
        elif c.get("paper_needed"):
            out.append(f"    {who}：须核对纸质材料——{c['paper_needed']}（collector paper-check）")
        if c.get("hold") and not c["hold"].startswith(REGION_PAPER):
            out.append(f"    {who}：暂扣待定，不能推荐；请核对纸质材料，或核实后接受"
                       "（collector accept 身份证号 --reason 理由）")
    waiting = sum(1 for c in entry.candidates if (c.get("hold") or "").startswith(REGION_PAPER))
    if waiting:
        out.append(f"    待本级核对纸质登记表 {waiting} 名：推荐前须逐一扫描核对（collector paper-check）")
    return out


def record(store: Store, entry: InboxEntry) -> None:
    entry.received_at = now_text()
    with store.transaction():
        cur = store.db.execute(
            "INSERT INTO office_inbox(sha256, file_name, origin, size, received_at, signer, "
            "sender_role, sender_unit, status, reason, candidates, info) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [entry.sha256, entry.file_name, entry.origin, entry.size, entry.received_at,
             entry.signer, entry.sender_role, entry.sender_unit, entry.status, entry.reason,
             json.dumps(entry.candidates, ensure_ascii=False),
             json.dumps(entry.info, ensure_ascii=False)])
        entry.id = cur.lastrowid


def list_inbox(store: Store) -> list[InboxEntry]:
    rows = store.db.execute(
        "SELECT id, sha256, file_name, origin, size, received_at, signer, sender_role, "
        "sender_unit, status, reason, candidates, info FROM office_inbox ORDER BY id").fetchall()
    return [InboxEntry(origin=r[3], file_name=r[2], status=r[9], reason=r[10] or "",
                       signer=r[6] or "", sender_role=r[7] or "", sender_unit=r[8] or "",
                       sha256=r[1], size=r[4], candidates=json.loads(r[11] or "[]"),
                       info=json.loads(r[12] or "{}"), received_at=r[5], id=r[0])
            for r in rows]


def packages_for(store: Store, candidate_ids: Iterable[str]) -> list[InboxEntry]:
    """The received packages that carried any of these candidates (to nest them upward)."""
    wanted = set(candidate_ids)
    out, seen = [], set()
    for entry in list_inbox(store):
        if entry.status != IMPORTED or entry.sha256 in seen:
            continue
        if wanted & {c["id"] for c in entry.candidates}:
            out.append(entry)
            seen.add(entry.sha256)
    return out
