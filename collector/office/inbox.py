"""The office inbox: import many ``.rpu`` files at once (files, folders, disc folders, ISO images).

Each package is verified completely and imported in its own transaction, or refused with the
reason; the package file itself is kept (content-addressed in the store's files) so the office
package can carry it upward unchanged, and its attachments are read from it (stored once,
collector.attachment_store). The same ID number arriving from two sources is flagged
DUPLICATE naming both (resolved in ``office/duplicates.py``).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .. import disc
from ..attachment_convert import Conversion, convert_received
from ..errors import CollectorError
from ..files import FileStore
from ..fingerprint import file_sha256, short
from ..jsonio import parse_json_bytes
from ..rpu.errors import Cancelled, NotForThisKey
from ..rpu.importer import import_package
from ..rpu.keys import Identity, name_recipients
from ..rpu.reader import Package, open_package
from ..rpu.staging import Staging
from ..rules.findings import Finding
from ..store import Store, now_text
from ..text import shown
from .provenance import REGION_PAPER, VERIFIED, record_name, record_number
from .provenance import of as provenance_of
from .untrusted import untrusted_reason

Progress = Callable[[int, int, str], None]
IMPORTED, REFUSED, SKIPPED = "imported", "refused", "skipped"
# Verified, but every candidate in it was already here (or twice in it): nothing was imported.
DUPLICATE = "duplicate"
STATUS_LABELS = {IMPORTED: "已导入", REFUSED: "拒收", SKIPPED: "已导入过", DUPLICATE: "重复，未导入"}
# Documents an office package carries besides candidates (see office/package.py).
REPORT_DOC, DECISIONS_DOC = "documents/report.json", "documents/decisions.json"
# Where each candidate of a level's package was taken from: ID number -> {"package": the nested
# part name, or null when this level entered the record itself; "sha256"; "file"}. The region's
# chain check matches every candidate against that package only (office/chain.py).
SOURCES_DOC = "documents/sources.json"


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


@dataclass
class InboxResult:
    entries: list[InboxEntry]
    duplicates: list[Finding]
    converted: Conversion | None = None  # a store of the previous release, converted first

    @property
    def imported(self) -> list[InboxEntry]:
        return [e for e in self.entries if e.status == IMPORTED]

    @property
    def refused(self) -> list[InboxEntry]:
        return [e for e in self.entries if e.status == REFUSED]

    @property
    def duplicate_only(self) -> list[InboxEntry]:
        return [e for e in self.entries if e.status == DUPLICATE]


# -- gathering the files ------------------------------------------------------------------
@contextlib.contextmanager
def gather(paths: Iterable[str | Path]) -> Iterator[list[tuple[Path | None, str, str]]]:
    """(local path or None, where it came from, refusal reason or "") for every input.

    Folders are searched for ``*.rpu``; a disc folder or ISO image is verified against its
    MANIFEST first and refused whole when a file is missing or altered.
    """
    with contextlib.ExitStack() as stack:
        out: list[tuple[Path | None, str, str]] = []
        for raw in paths:
            path = Path(raw)
            if not path.exists():
                out.append((None, str(path), f"文件或文件夹 {path} 不存在"))
            elif disc.is_disc_folder(path) or (path.is_file() and disc.is_iso(path)):
                try:
                    files = stack.enter_context(disc.rpu_files_on(path))
                except CollectorError as err:
                    out.append((None, str(path), str(err)))
                    continue
                if not files:
                    out.append((None, str(path), "光盘中没有 .rpu 报送文件"))
                out += [(p, origin, "") for p, origin in files]
            elif path.is_dir():
                found = sorted(p for p in path.rglob("*") if p.is_file()
                               and p.suffix.lower() == ".rpu")
                if not found:
                    out.append((None, str(path), "文件夹中没有 .rpu 报送文件"))
                out += [(p, str(p), "") for p in found]
            elif path.suffix.lower() != ".rpu":
                out.append((None, str(path), f"{path.name} 不是 .rpu 报送文件，请选择扩展名为 .rpu 的文件"))
            else:
                out.append((path, str(path), ""))
        yield out


# -- importing ------------------------------------------------------------------------------
def import_many(store: Store, paths: Iterable[str | Path], identity: Identity, *,
                progress: Progress | None = None,
                cancel: Callable[[], bool] | None = None) -> InboxResult:
    entries: list[InboxEntry] = []
    converted = convert_received(store, identity)  # the identity is unlocked: see its module
    with gather(paths) as items:
        for n, (path, origin, reason) in enumerate(items, start=1):
            if cancel and cancel():
                raise Cancelled(f"已取消导入；已完成的 {len(entries)} 个文件保留在收件箱中")
            if progress:
                progress(n - 1, len(items), Path(origin).name)
            if path is None:
                entry = InboxEntry(origin, Path(origin).name, REFUSED, reason)
            else:
                entry = _import_guarded(store, path, identity, origin)
            if entry.status != SKIPPED or entry.id is None:
                _record(store, entry)
            entries.append(entry)
        if progress:
            progress(len(items), len(items), "完成")
    return InboxResult(entries, duplicates(store), converted)


def _import_guarded(store: Store, path: Path, identity: Identity, origin: str) -> InboxEntry:
    # A package that trips an error no check foresaw is refused with that error's name; the
    # rest of the batch goes on (each package is its own transaction, so nothing is half-done).
    try:
        return import_one(store, path, identity, origin=origin)
    except (ValueError, UnicodeError, RecursionError, OverflowError, KeyError, TypeError) as err:
        return InboxEntry(origin, path.name, REFUSED,
                          f"报送文件内容无法读取（{type(err).__name__}），未导入任何数据")


def refusal(message: str, file_name: str) -> str:
    """Why a package was refused, without its file name: every list shows the name beside the
    reason (the CLI's ``错误：名.rpu：…``, the inbox's 文件 column), so it is said once."""
    return message.removeprefix(f"{file_name}：")


def import_one(store: Store, path: Path, identity: Identity, *, origin: str = "") -> InboxEntry:
    """Verify and import one package; never raises for a bad package (the entry says why).

    One pass over the file verifies it and stores the package (rpu.staging), whose attachments
    are then read from it; a package not imported is removed again.
    """
    staging = Staging(FileStore(store.path))
    try:
        return _import_one(store, path, identity, origin or str(path), staging)
    finally:
        staging.discard()


def _import_one(store: Store, path: Path, identity: Identity, origin: str,
                staging: Staging) -> InboxEntry:
    entry = InboxEntry(origin, path.name, REFUSED, size=path.stat().st_size)
    try:
        pkg = open_package(path, identity, staging=staging)
    except NotForThisKey as err:
        entry.reason = refusal(str(name_recipients(store, err)), path.name)
        return entry
    except CollectorError as err:
        entry.reason = refusal(str(err), path.name)
        return entry
    entry.sha256 = staging.package_sha256 or file_sha256(path)
    previous = store.db.execute(
        "SELECT id FROM office_inbox WHERE sha256=? AND status=?", [entry.sha256, IMPORTED]
    ).fetchone()
    entry.signer = pkg.signer_fingerprint
    entry.sender_role = pkg.signer.get("role", "")
    entry.sender_unit = pkg.signer.get("unit", "") or pkg.signer.get("name", "")
    if previous and not untrusted_reason(store, pkg.signer_fingerprint):
        entry.status, entry.id, entry.reason = SKIPPED, previous[0], "同一文件此前已导入"
        return entry
    try:
        from .admission import admit, hold_reason, is_top_level

        entry.info = _documents(pkg)
        chain = admit(store, path, identity, pkg)
        entry.info["chain"] = {"ok": chain.ok, "passed": chain.passed, "problems": chain.problems,
                               "notes": chain.notes,
                               "packages": sum(1 for _ in chain.root.walk())}
        by_part = {name: _with_own(chain.provenance[record_number(raw)], raw)
                   for name, raw in pkg.candidate_parts}
        clash = _clashes(store, pkg, origin, entry.sender_unit)
        report = import_package(store, path, identity, package=pkg, provenance=by_part)
    except CollectorError as err:
        entry.reason = refusal(str(err), path.name)
        return entry
    # The package itself is kept so the office package can carry it upward byte for byte.
    if staging.keep_package() is None:
        store.add_file(path)
    entry.status = IMPORTED
    top = is_top_level(store)
    for cid in report.imported:
        cand = store.get(cid)
        prov = provenance_of(cand)
        entry.candidates.append({"id": cid, "name": cand.data["name"],
                                 "id_number": cand.data["id_number"],
                                 "provenance": prov.klass, "detail": prov.detail,
                                 "paper_needed": prov.paper_needed,
                                 "unregistered": prov.unregistered,
                                 "hold": hold_reason(store, cand, prov, top=top)})
    if clash:
        entry.info["duplicates"] = clash
    if report.duplicates and not report.imported:
        entry.status = DUPLICATE
        # Nothing imported and some duplicates: each was stored before, so each is in clash.
        names = "、".join(f"{d['name']}（{d['id_number']}）" for d in clash)
        entry.reason = f"候选人 {names}已在本机数据库中，本文件未导入任何人；请与报送方核实是否重复报送"
    return entry


def _with_own(prov, raw: dict) -> dict:
    """The provenance to store, with the fingerprint of the applicant's fields as they arrive
    (a later local edit of them shows as 本级录入, see provenance.of)."""
    from ..model import normalize
    from .provenance import own_fingerprint

    out = prov.to_json()
    try:
        out["own"] = own_fingerprint(normalize(raw))
    except CollectorError:
        pass  # the importer refuses the record with the reason
    return out



def _clashes(store: Store, pkg: Package, origin: str, unit: str) -> list[dict]:
    """Candidates in ``pkg`` whose ID number is already stored, with where the first came from."""
    out = []
    for rec in pkg.candidates:
        number = record_number(rec)
        cid = store.id_for_number(number) if number else None
        if cid:
            out.append({"id_number": number, "name": record_name(rec), "existing_id": cid,
                        "first": source_text(store.get(cid).source),
                        "second": f"{origin}（{unit}）",
                        "second_created": pkg.manifest["created"],
                        "second_signer": pkg.signer_fingerprint})
    return out


def source_text(source: dict | None) -> str:
    """Where a stored record came from, for messages: file name and sending unit."""
    src = source or {}
    return f"{src.get('file', '本机录入')}（{src.get('signer_unit', '') or '本机'}）"


def _documents(pkg: Package) -> dict:
    info = {}
    for key, name in (("report", REPORT_DOC), ("decisions", DECISIONS_DOC)):
        if name in pkg.parts:
            try:
                info[key] = parse_json_bytes(pkg.read_part(name), name)
            except CollectorError:
                info[key] = None
    return info


def _record(store: Store, entry: InboxEntry) -> None:
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


# -- reading the inbox ------------------------------------------------------------------------
def list_inbox(store: Store) -> list[InboxEntry]:
    rows = store.db.execute(
        "SELECT id, sha256, file_name, origin, size, received_at, signer, sender_role, "
        "sender_unit, status, reason, candidates, info FROM office_inbox ORDER BY id").fetchall()
    return [InboxEntry(origin=r[3], file_name=r[2], status=r[9], reason=r[10] or "",
                       signer=r[6] or "", sender_role=r[7] or "", sender_unit=r[8] or "",
                       sha256=r[1], size=r[4], candidates=json.loads(r[11] or "[]"),
                       info=json.loads(r[12] or "{}"), received_at=r[5], id=r[0])
            for r in rows]


def duplicates(store: Store) -> list[Finding]:
    """DUPLICATE findings for the open (unresolved) duplicates: the same ID number from two
    sources. Resolving one is ``office/duplicates.py``."""
    from .duplicates import open_duplicates

    return [d.finding() for d in open_duplicates(store)]


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
