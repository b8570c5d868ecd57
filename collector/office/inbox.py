"""The office inbox: import many ``.rpu`` files at once (files, folders, disc folders, ISO images).

Each package is verified completely and imported in its own transaction, or refused with the
reason; the package file itself is kept (content-addressed in the store's files) so the office
package can carry it upward unchanged, and its attachments are read from it (stored once,
``storage.attachments``). The same ID number arriving from two sources is flagged
DUPLICATE naming both (resolved in ``office/duplicates.py``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .. import disc
from ..common.errors import CollectorError
from ..common.jsonio import parse_json_bytes
from ..rpu.errors import Cancelled
from ..rpu.keys import Identity
from ..rpu.reader import Package
from ..rules.findings import Finding
from ..storage.files import FileStore
from ..storage.store import Store
from .duplicates import open_duplicates
from .received import (DUPLICATE, IMPORTED, REFUSED, SKIPPED, STATUS_LABELS,  # noqa: F401
                       InboxEntry, entry_lines, list_inbox, packages_for, record, source_text)
from ..exchange import intake
from ..exchange.early_copy import CopyQueue, EarlyCopy
from ..exchange.convert_store import Conversion, convert_received
from ..exchange.convert_store import pending as conversion_pending
from ..exchange.admission import hold_reason, is_top_level
from ..exchange.documents import DECISIONS_DOC, REPORT_DOC, SOURCES_DOC  # noqa: F401 (used by callers)
from ..exchange.provenance import of as provenance_of

Progress = Callable[[int, int, str], None]


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
def import_many(store: Store, paths: Iterable[str | Path],
                identity: Identity | Callable[[], Identity] | None, *,
                progress: Progress | None = None,
                cancel: Callable[[], bool] | None = None,
                copies: CopyQueue | None = None) -> InboxResult:
    """Import every package the paths name, each in its own transaction. ``identity`` may be a
    function that unlocks it (the command line asks for the passphrase): the packages are then
    copied into the store while it does (``exchange.early_copy``). ``copies`` may have begun
    already (the command line starts it for its files before it loads the rest of the program);
    what the paths hold beyond it joins it, and it is closed here."""
    entries: list[InboxEntry] = []
    with gather(paths) as items, copies or CopyQueue(FileStore(store.path), []) as copies:
        packages = [p for p, _, _ in items if p is not None]
        copies.extend(packages)
        if callable(identity) and not isinstance(identity, Identity):
            # Asked only when there is a package to open (a refused disc needs no passphrase)
            # or a previous release's store to convert.
            identity = identity() if packages or conversion_pending(store) else None
        # The identity is unlocked: the store is converted now if it must be (see the module).
        converted = convert_received(store, identity) if identity is not None else None
        for n, (path, origin, reason) in enumerate(items, start=1):
            if cancel and cancel():
                raise Cancelled(f"已取消导入；已完成的 {len(entries)} 个文件保留在收件箱中")
            if progress:
                progress(n - 1, len(items), Path(origin).name)
            if path is None:
                entry = InboxEntry(origin, Path(origin).name, REFUSED, reason)
            else:
                entry = _import_guarded(store, path, identity, origin, copies.take(path))
            if entry.status != SKIPPED or entry.id is None:
                record(store, entry)
            entries.append(entry)
        if progress:
            progress(len(items), len(items), "完成")
    return InboxResult(entries, duplicates(store), converted)


def _import_guarded(store: Store, path: Path, identity: Identity, origin: str,
                    early: EarlyCopy | None) -> InboxEntry:
    # A package that trips an error no check foresaw is refused with that error's name; the
    # rest of the batch goes on (each package is its own transaction, so nothing is half-done).
    try:
        return import_one(store, path, identity, origin=origin, early=early)
    except (ValueError, UnicodeError, RecursionError, OverflowError, KeyError, TypeError) as err:
        return InboxEntry(origin, path.name, REFUSED,
                          f"报送文件内容无法读取（{type(err).__name__}），未导入任何数据")


def refusal(message: str, file_name: str) -> str:
    """Why a package was refused, without its file name: every list shows the name beside the
    reason (the CLI's ``错误：名.rpu：…``, the inbox's 文件 column), so it is said once."""
    return message.removeprefix(f"{file_name}：")


def import_one(store: Store, path: Path, identity: Identity, *, origin: str = "",
               early: EarlyCopy | None = None) -> InboxEntry:
    """Verify and import one package through the intake pipeline (``exchange.intake``); never
    raises for a bad package (the entry says why)."""
    origin = origin or str(path)
    entry = InboxEntry(origin, path.name, REFUSED, size=_size(path))
    try:
        result = intake.receive(store, path, identity, origin, early)
    except intake.Refused as err:
        if err.opened is not None:
            _describe(entry, err.opened)
        entry.reason = refusal(str(err), path.name)
        return entry
    if isinstance(result, intake.Decision):  # the same file came in before
        _describe(entry, result.opened)
        entry.status, entry.id, entry.reason = SKIPPED, result.previous, "同一文件此前已导入"
        return entry
    decision = result.decision
    _describe(entry, decision.opened)
    chain = decision.classified.chain
    entry.info["chain"] = {"ok": chain.ok, "passed": chain.passed, "problems": chain.problems,
                           "notes": chain.notes, "packages": sum(1 for _ in chain.root.walk())}
    entry.status = IMPORTED
    top = is_top_level(store)
    for cid in result.report.imported:
        cand = store.get(cid)
        prov = provenance_of(cand)
        entry.candidates.append({"id": cid, "name": cand.data["name"],
                                 "id_number": cand.data["id_number"],
                                 "provenance": prov.klass, "detail": prov.detail,
                                 "paper_needed": prov.paper_needed,
                                 "unregistered": prov.unregistered,
                                 "hold": hold_reason(store, cand, prov, top=top)})
    clash = decision.clashes
    if clash:
        entry.info["duplicates"] = clash
    if result.report.duplicates and not result.report.imported:
        entry.status = DUPLICATE
        # Nothing imported and some duplicates: each was stored before, so each is in clash.
        names = "、".join(f"{d['name']}（{d['id_number']}）" for d in clash)
        entry.reason = f"候选人 {names}已在本机数据库中，本文件未导入任何人；请与报送方核实是否重复报送"
    return entry


def _size(path: Path) -> int:
    """The file's size for the inbox line; a file gone since it was listed is refused by the
    verification with the reason, not by this."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _describe(entry: InboxEntry, opened: intake.Opened) -> None:
    """What the verified file says of itself: its hash, signer, sender and documents."""
    pkg = opened.package
    entry.sha256 = opened.sha256
    entry.signer = pkg.signer_fingerprint
    entry.sender_role = pkg.signer.get("role", "")
    entry.sender_unit = pkg.signer.get("unit", "") or pkg.signer.get("name", "")
    entry.info = _documents(pkg)


def _documents(pkg: Package) -> dict:
    info = {}
    for key, name in (("report", REPORT_DOC), ("decisions", DECISIONS_DOC)):
        if name in pkg.parts:
            try:
                info[key] = parse_json_bytes(pkg.read_part(name), name)
            except CollectorError:
                info[key] = None
    return info


# -- reading the inbox ------------------------------------------------------------------------


def duplicates(store: Store) -> list[Finding]:
    """DUPLICATE findings for the open (unresolved) duplicates: the same ID number from two
    sources. Resolving one is ``office/duplicates.py``."""
    return [d.finding() for d in open_duplicates(store)]


