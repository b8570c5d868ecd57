"""重复报送 (DUPLICATE) and how the office resolves one: list the open ones with both sources,
keep the record already here (保留原记录), or replace it with the received copy (see
``office/replace.py``). Each resolution is stored with its reason and written to the audit.

File names and senders are chosen by people (an old package renamed "…更正版-最终.rpu"), so each
copy also shows its signed creation time (the manifest's ``created``, under the signature) and
which copy is newer."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from ..common.errors import CollectorError, InputError, NotFoundError
from ..record.model import id_key
from ..rules.findings import ERROR, WARNING, Finding
from ..storage.store import PACKED, Store, default_actor, now_text
from ..common.text import shown
from .received import InboxEntry, list_inbox, source_text

KEEP, REPLACE = "keep", "replace"
ACTION_LABELS = {KEEP: "保留原记录", REPLACE: "以此份替换"}
GONE = "原记录已不在本机（已删除或改了身份证号）"
HOW = "请与两个报送方核实后在收件箱中选择“保留原记录”或“以此份替换”（命令行 collector resolve-duplicate）"


@dataclass
class Duplicate:
    entry_id: int
    id_number: str
    name: str
    first: str             # where the record held here came from
    second: str            # the copy that arrived again (file and sender)
    file_name: str
    origin: str
    sender: str            # the unit that sent the second copy
    candidate_id: str | None
    packed: bool           # the record held here was already sent upward
    resolution: dict | None = None  # {action, reason, actor, at, candidate_id}
    first_created: str = ""   # signed creation time of the package the record here came in
    second_created: str = ""  # signed creation time of the package that arrived again
    first_signer: str = ""
    second_signer: str = ""

    @property
    def is_open(self) -> bool:
        return self.resolution is None

    @property
    def label(self) -> str:
        return f"#{self.entry_id} {self.file_name}"

    @property
    def newer(self) -> str:
        """"first", "second", or "" when the signed times are equal or one is unknown."""
        first, second = _when(self.first_created), _when(self.second_created)
        if first is None or second is None or first == second:
            return ""
        return "second" if second > first else "first"

    @property
    def older_from_same_signer(self) -> bool:
        """The copy that arrived again is an older package of the very signer of the record
        here: replacing would put an old version back."""
        return bool(self.first_signer) and self.first_signer == self.second_signer \
            and self.newer == "first"

    def times(self) -> str:
        if _when(self.first_created) is None or _when(self.second_created) is None:
            newer = "无法比较新旧"
        else:
            newer = {"first": "原记录较新", "second": "又收到的一份较新"}.get(self.newer,
                                                                         "两份签名时间相同")
        return (f"签名时间：原记录 {signed_time(self.first_created)}，"
                f"又收到的一份 {signed_time(self.second_created)}（{newer}）")

    def finding(self) -> Finding:
        return Finding("DUPLICATE", ERROR, "id_number",
                       shown(f"身份证号 {self.id_number}（{self.name}）重复报送：{self.first} 与 "
                             f"{self.second}；{self.times()}；保留了先收到的记录，{HOW}"))

    def line(self) -> str:
        return shown(self._line())

    def _line(self) -> str:
        head = f"{self.id_number}  {self.name}  原记录：{self.first}  又收到：{self.second}（{self.label}）"
        if self.resolution:  # the record here may be the replacing copy now: times are in the audit
            r = self.resolution
            return head + f"  已处理：{ACTION_LABELS[r['action']]}（{r['reason']}，{r['actor']} {r['at'][:16]}）"
        return head + f"  {self.times()}" + ("  注意：原记录已随上报包报送" if self.packed else "")

    def signed_times(self) -> dict:
        """For the audit: both copies' signed times as they were when the office decided."""
        return {"first_created": self.first_created, "second_created": self.second_created}

    def to_json(self) -> dict:
        return {"entry": self.entry_id, "id_number": self.id_number, "name": self.name,
                "first": self.first, "second": self.second, "file": self.file_name,
                "origin": self.origin, "sender": self.sender, "candidate_id": self.candidate_id, "packed": self.packed,
                "open": self.is_open, "resolution": self.resolution,
                "first_created": self.first_created, "second_created": self.second_created,
                "first_signer": self.first_signer, "second_signer": self.second_signer,
                "newer": self.newer}


def signed_time(created: str) -> str:
    return created[:19].replace("T", " ") if created else "未记录（本机录入或无签名）"


def _when(created: str) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(created)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo else when.astimezone()


def list_duplicates(store: Store, *, include_resolved: bool = False) -> list[Duplicate]:
    """Every ID number that arrived again, per received package; open ones only by default."""
    resolved = _resolutions(store)
    out = []
    for entry in list_inbox(store):
        for d in entry.info.get("duplicates", []):
            number = id_key(d["id_number"])
            res = resolved.get((entry.id, number))
            if res is None or include_resolved:
                out.append(_duplicate(store, entry, d, res))
    return out


def open_duplicates(store: Store) -> list[Duplicate]:
    return list_duplicates(store)


def preflight_warnings(store: Store) -> list[Finding]:
    """Open duplicates as warnings before the office packs upward (they do not block it)."""
    return [Finding("DUPLICATE", WARNING, "id_number", d.finding().message)
            for d in open_duplicates(store)]


def keep(store: Store, id_number: str, reason: str, *, entry: str | None = None,
         actor: str | None = None) -> list[Duplicate]:
    """保留原记录: mark the open duplicates of ``id_number`` (or only ``entry``'s) resolved."""
    number, reason = clean_number(id_number), require_reason(reason)
    chosen = open_for(store, number)
    if entry is not None:
        chosen = [pick(store, chosen, number, entry)]
    actor = actor or default_actor()
    with store.transaction():
        for dup in chosen:
            record(store, dup, KEEP, reason, actor)
            if dup.candidate_id:
                store._audit(dup.candidate_id, now_text(), actor, "duplicate_keep", "source",
                             dup.first, {"source": dup.second, "reason": reason,
                                         **dup.signed_times()})
            note_on_entry(store, dup.entry_id, f"{dup.name}：已处理，保留原记录（{reason}）")
    return chosen


# -- shared with office/replace.py ------------------------------------------------------------
def clean_number(id_number: str) -> str:
    number = id_key(id_number)
    if not number:
        raise InputError("请给出重复报送人选的身份证号", field="id_number")
    return number


def require_reason(reason: str) -> str:
    reason = str(reason or "").strip()
    if not reason:
        raise InputError("请填写处理理由（例如“已与两个报送方核实”）", field="reason")
    return reason


def open_for(store: Store, number: str) -> list[Duplicate]:
    """The open duplicates of one ID number, or a NotFoundError saying why there are none."""
    every = [d for d in list_duplicates(store, include_resolved=True) if d.id_number == number]
    found = [d for d in every if d.is_open]
    if found:
        return found
    if every:
        done = "；".join(f"{d.label} {ACTION_LABELS[d.resolution['action']]}" for d in every)
        raise NotFoundError(f"身份证号 {number} 的重复报送已处理过（{done}），没有未处理的重复")
    if store.id_for_number(number):
        name = store.get(store.id_for_number(number)).name
        raise NotFoundError(f"身份证号 {number}（{name}）没有重复报送，无需处理")
    raise NotFoundError(f"没有身份证号为 {number} 的候选人或重复报送，请核对身份证号"
                        "（collector duplicates 列出未处理的重复）")


def pick(store: Store, found: list[Duplicate], number: str, which: str) -> Duplicate:
    """One of ``found`` by inbox number (7 or #7), file name, original path, or a file on disk
    with the same content."""
    text = str(which).strip()
    digits = text.lstrip("#")
    for dup in found:
        if digits.isdigit() and int(digits) == dup.entry_id:
            return dup
        if text in (dup.file_name, dup.origin):
            return dup
    path = Path(text)
    if path.is_file():
        from ..common.fingerprint import file_sha256

        sha = file_sha256(path)
        shas = {e.id: e.sha256 for e in list_inbox(store)}
        for dup in found:
            if shas.get(dup.entry_id) == sha:
                return dup
    choices = "；".join(f"{d.label}（{d.second}）" for d in found)
    raise NotFoundError(f"身份证号 {number} 的未处理重复中没有“{text}”；可以选择：{choices}")


def record(store: Store, dup: Duplicate, action: str, reason: str, actor: str,
           candidate_id: str | None = None) -> None:
    store.db.execute(
        "INSERT INTO office_duplicate_resolutions(entry_id, id_number, action, reason, "
        "first_source, second_source, candidate_id, actor, at) VALUES (?,?,?,?,?,?,?,?,?)",
        [dup.entry_id, dup.id_number, action, reason, dup.first, dup.second,
         candidate_id or dup.candidate_id, actor, now_text()])


def note_on_entry(store: Store, entry_id: int, note: str, *, status: str | None = None) -> None:
    row = store.db.execute("SELECT reason FROM office_inbox WHERE id=?", [entry_id]).fetchone()
    reason = "；".join(x for x in ((row[0] if row else "") or "", note) if x)
    store.db.execute("UPDATE office_inbox SET reason=?, status=COALESCE(?, status) WHERE id=?",
                     [reason, status, entry_id])


# -- reading --------------------------------------------------------------------------------
def _resolutions(store: Store) -> dict[tuple[int, str], dict]:
    rows = store.db.execute(
        "SELECT entry_id, id_number, action, reason, first_source, second_source, candidate_id, "
        "actor, at FROM office_duplicate_resolutions").fetchall()
    return {(r[0], r[1]): {"action": r[2], "reason": r[3], "first": r[4], "second": r[5],
                           "candidate_id": r[6], "actor": r[7], "at": r[8]} for r in rows}


def _duplicate(store: Store, entry: InboxEntry, d: dict, res: dict | None) -> Duplicate:
    number = id_key(d["id_number"])
    cid = store.id_for_number(number)
    held = store.get(cid) if cid else None
    first = source_text(held.source) if held else GONE
    second = d.get("second") or f"{entry.origin}（{entry.sender_unit}）"
    if res:  # as they were when the office decided
        first, second = res["first"], res["second"]
    return Duplicate(entry_id=entry.id, id_number=number, name=d.get("name", ""), first=first,
                     second=second, file_name=entry.file_name, origin=entry.origin,
                     sender=entry.sender_unit, candidate_id=cid, packed=bool(held and held.status == PACKED),
                     resolution=res, **_signed_copies(store, entry, d, held, res))


def _signed_copies(store: Store, entry: InboxEntry, d: dict, held, res: dict | None) -> dict:
    """Both copies' signed times and signers, for an open duplicate (a resolved one's record
    here may since be the replacing copy: its times are in the audit)."""
    if res:
        return {}
    source = (held.source or {}) if held else {}
    second_created, second_signer = _second_signed(store, entry, d)
    return {"first_created": str(source.get("created") or ""), "second_created": second_created,
            "first_signer": str(source.get("signer") or ""), "second_signer": second_signer}


def _second_signed(store: Store, entry: InboxEntry, d: dict) -> tuple[str, str]:
    """The signed time and signer of the copy that arrived again: recorded from the verified
    manifest when it arrived; for duplicates recorded before that, from the kept package's
    header (signed too, and equal to the manifest's, checked when it was verified)."""
    if d.get("second_created"):
        return str(d["second_created"]), str(d.get("second_signer") or entry.signer)
    path = store.file_path(entry.sha256) if entry.sha256 else None
    if path is None or not path.is_file():
        return "", entry.signer
    from ..rpu.reader import inspect

    try:
        return str(inspect(path)["created"]), entry.signer
    except CollectorError:
        return "", entry.signer


def entry_candidates(store: Store, entry_id: int) -> list[dict]:
    row = store.db.execute("SELECT candidates FROM office_inbox WHERE id=?", [entry_id]).fetchone()
    return json.loads(row[0] or "[]") if row else []
