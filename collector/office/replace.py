"""以此份替换: replace the record held here with a duplicate's copy from a received package.

The package kept in the store is verified again (signature, every part, the signer not marked
untrusted, the chain when it nests others); then the record, its attachments, the candidate's
source and the inbox's note of which package carries whom change in one transaction, with an
audit entry naming both sources and the reason. The candidate keeps its id (decisions stay).

An older package of the same signer as the record here is the replay case (an old genuine copy
put back over the newer one): it replaces only with ``confirm_older``, and the audit says so."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..common.errors import CollectorError, InputError
from ..common.fingerprint import short
from ..record.model import id_key, normalize
from ..storage.attachments import is_stored, record_parts
from ..rpu.keys import Identity
from ..exchange.packing import attachment_part_name
from ..rpu.reader import Package
from ..rules.findings import WARNING, Finding
from ..storage.store import IMPORTED as CANDIDATE_IMPORTED
from ..storage.store import Store, default_actor, now_text
from .duplicates import (REPLACE, Duplicate, clean_number, entry_candidates, note_on_entry,
                         open_for, pick, record, require_reason, signed_time)
from .inbox import IMPORTED, InboxEntry, list_inbox
from ..exchange import intake
from ..exchange.chain import ChainReport


class ReplaceRefused(CollectorError):
    """The chosen copy cannot replace the record (its package no longer verifies, …)."""


class OlderCopy(ReplaceRefused):
    """The chosen copy is an older package of the same signer: it needs an explicit yes."""


@dataclass
class ReplaceResult:
    candidate_id: str
    name: str
    duplicate: Duplicate
    attachments_copied: int = 0
    warnings: list[Finding] = field(default_factory=list)


def replace(store: Store, id_number: str, incoming: str, identity: Identity, reason: str, *,
            actor: str | None = None, confirm_older: bool = False) -> ReplaceResult:
    """Replace the record of ``id_number`` with the copy in the received package ``incoming``
    (inbox number, file name, original path, or the file itself)."""
    number, reason = clean_number(id_number), require_reason(reason)
    dup = pick(store, open_for(store, number), number, incoming)
    if dup.older_from_same_signer and not confirm_older:
        raise OlderCopy(older_copy_text(dup) + "。确需以旧版替换，请明确确认（命令行加 "
                        "--confirm-older）；原记录未改动")
    entry = next(e for e in list_inbox(store) if e.id == dup.entry_id)
    pkg, chain = _verify_again(store, entry, identity)
    part, rec = _record_in(pkg, number, entry)
    prov = chain.provenance.get(number)
    warnings = []
    if dup.packed:
        warnings.append(Finding(
            "DUPLICATE", WARNING, "status",
            f"{dup.name}（{number}）的原记录已随上报包报送；替换后请重新生成上报包并告知上级"))
    copied = _copy_attachments(store, pkg, rec, entry)
    actor = actor or default_actor()
    source = {"file": entry.file_name, "package_sha256": entry.sha256,
              "signer": pkg.signer_fingerprint, "signer_name": pkg.signer.get("name", ""),
              "signer_unit": pkg.signer.get("unit", ""), "signer_role": pkg.signer.get("role", ""),
              "created": pkg.manifest["created"], "imported_at": now_text(), "part": part}
    if prov is not None:  # the same provenance the inbox stores (office/provenance.py)
        source["provenance"] = prov.to_json()
    with store.transaction():
        cid = dup.candidate_id
        if cid is None:  # the record held here is gone: the copy comes in as it would have
            stem = Path(part).stem
            cid = stem if not store.exists(stem) else None
        cid = store._save(rec, cid, actor, CANDIDATE_IMPORTED, source, "replace")
        new = {"source": dup.second, "reason": reason, **dup.signed_times()}
        if dup.older_from_same_signer:
            new["older_confirmed"] = older_copy_text(dup) + "；已明确确认以旧版替换"
        store._audit(cid, now_text(), actor, "duplicate_replace", "source", dup.first, new)
        # A decision was made on the old copy: the new one is decided anew (a 推荐 must not
        # carry over to data no one has reviewed), and its paper is checked anew (paper.py).
        old = store.db.execute("SELECT decision FROM office_decisions WHERE candidate_id=?",
                               [cid]).fetchone()
        if old and old[0]:
            store.db.execute("UPDATE office_decisions SET decision='' WHERE candidate_id=?", [cid])
            store._audit(cid, now_text(), actor, "decision", "decision", old[0], None)
        _carried_by(store, cid, entry, rec)
        record(store, dup, REPLACE, reason, actor, candidate_id=cid)
        note_on_entry(store, entry.id, f"{rec['name']}：已以本文件替换原记录（{reason}）",
                      status=IMPORTED)
    return ReplaceResult(cid, rec["name"], dup, copied, warnings)


def older_copy_text(dup: Duplicate) -> str:
    """Says which copy is older, by the signed times, for the refusal, the audit and the GUI."""
    return (f"收件箱 #{dup.entry_id} {dup.file_name} 的签名时间 {signed_time(dup.second_created)} "
            f"早于本机原记录的 {signed_time(dup.first_created)}，两份由同一签名者"
            f"（{short(dup.first_signer)}）签名：这是较旧的一份，替换会以旧版覆盖新版")


def _verify_again(store: Store, entry: InboxEntry,
                  identity: Identity) -> tuple[Package, ChainReport]:
    what = f"收件箱 #{entry.id} {entry.file_name}"
    refuse = "，不能用它替换；原记录未改动"
    if not entry.sha256:
        raise ReplaceRefused(f"{what} 没有通过校验，不能用它替换；原记录未改动")
    path = store.file_path(entry.sha256)
    if not path.is_file():
        raise ReplaceRefused(f"{what} 已不在数据文件夹中，请重新导入该文件{refuse}")
    with intake.staged(store, copy_package=False) as staging:
        try:  # the inbox's own stages: verify, signers at every level, the chain, provenance
            decision = intake.examine(store, path, identity, staging)
        except intake.Refused as err:
            if err.opened is None:
                raise ReplaceRefused(f"{what} 重新校验未通过（{err}）{refuse}") from None
            raise ReplaceRefused(f"{what}：{err}{refuse}") from None
    # Hashed in the pass that verified it: the bytes used are the file the inbox took, even if
    # the copy is swapped while it is read (a separate hash first would leave that gap).
    if decision.opened.sha256 != entry.sha256:
        raise ReplaceRefused(f"{what} 在数据文件夹中的副本已被改动，重新校验未通过；"
                             f"请重新导入原文件{refuse}")
    return decision.opened.package, decision.classified.chain


def _record_in(pkg: Package, number: str, entry: InboxEntry) -> tuple[str, dict]:
    for name, raw in pkg.candidate_parts:
        if id_key(raw.get("id_number")) == number:
            try:
                return name, normalize(raw)
            except InputError as err:
                raise ReplaceRefused(f"收件箱 #{entry.id} {entry.file_name} 中身份证号 {number} "
                                     f"的数据无效（{err}），不能用它替换；原记录未改动") from None
    raise ReplaceRefused(f"收件箱 #{entry.id} {entry.file_name} 中没有身份证号 {number} 的候选人，"
                         "不能用它替换；原记录未改动")


def _copy_attachments(store: Store, pkg: Package, rec: dict, entry: InboxEntry) -> int:
    """The attachments new to the store are read from the kept package just verified again
    (``pkg`` is that copy): their places are recorded, nothing is copied out of it."""
    new = []
    for sha in sorted({a["sha256"] for a in rec.get("attachments", []) if a.get("sha256")}):
        part = pkg.parts.get(attachment_part_name(sha))
        if part is None:
            raise ReplaceRefused(f"收件箱 #{entry.id} {entry.file_name} 缺少附件 {sha[:12]}…，"
                                 "报送文件不完整，不能用它替换；原记录未改动")
        if part.sha256 != sha:
            raise ReplaceRefused(f"附件 {sha[:12]}… 复制后校验不符，不能替换；原记录未改动")
        if not is_stored(store, sha):
            new.append(pkg.part_location(attachment_part_name(sha)))
    with store.transaction():
        return record_parts(store, entry.sha256, new)


def _carried_by(store: Store, cid: str, entry: InboxEntry, rec: dict) -> None:
    """The office package nests the packages that carry its candidates (inbox.packages_for):
    from now on that is ``entry``'s package, no longer the one the old record came from."""
    for other in list_inbox(store):
        if other.id != entry.id and any(c["id"] == cid for c in other.candidates):
            kept = [c for c in other.candidates if c["id"] != cid]
            store.db.execute("UPDATE office_inbox SET candidates=? WHERE id=?",
                             [json.dumps(kept, ensure_ascii=False), other.id])
            note_on_entry(store, other.id, f"{rec['name']} 已被 #{entry.id} {entry.file_name} 替换")
    mine = [c for c in entry_candidates(store, entry.id) if c["id"] != cid]
    mine.append({"id": cid, "name": rec["name"], "id_number": rec["id_number"]})
    store.db.execute("UPDATE office_inbox SET candidates=? WHERE id=?",
                     [json.dumps(mine, ensure_ascii=False), entry.id])
