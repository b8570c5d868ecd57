"""The intake pipeline: a received package from its file into the store. Each stage runs once and
hands its typed result to the next:

    open_verified → read_levels → classify → decide → keep
    (Opened)        (Levels)      (Classified) (Decision) (Kept)

``receive`` runs them all for one file; the office inbox (``office.inbox.import_many``: the CLI's
``inbox`` and ``import-rpu``, the GUI inbox, the demo) calls it for each file it gathers.
``examine`` runs the first four for 以此份替换 (``office.replace``), which stores one record its
own way. A stage that refuses raises ``Refused`` with the reason and what was opened so far.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from ..common.errors import CollectorError
from ..common.fingerprint import file_sha256
from ..record.model import normalize
from ..rpu.errors import NotForThisKey
from ..rpu.keys import Identity
from ..rpu.reader import Package, open_package
from ..storage.files import FileStore
from ..storage.store import Store
from .admission import active_register
from .chain import ChainReport, read_tree
from .early_copy import EarlyCopy
from .importer import ImportReport, import_package
from .keyring import name_recipients
from .provenance import (Provenance, classify_all, own_fingerprint, record_name, record_number,
                         source_text)
from .staging import Staging
from .untrusted import list_untrusted, untrusted_in

ADMIT, SKIP = "admit", "skip"


@dataclass(frozen=True)
class Opened:
    """Stage 1: the package decrypted and verified in one pass, its file hashed in the same pass."""

    path: Path
    origin: str
    package: Package
    sha256: str
    staging: Staging


@dataclass(frozen=True)
class Levels:
    """Stage 2: every nested package opened and checked, each level looked up in the register."""

    opened: Opened
    chain: ChainReport  # its provenance is not filled in yet


@dataclass(frozen=True)
class Classified:
    """Stage 3: each candidate's provenance, by ID number, and as stored, by part name."""

    levels: Levels
    chain: ChainReport  # the same chain with its provenance
    by_part: dict[str, dict]

    @property
    def provenance(self) -> dict[str, Provenance]:
        return self.chain.provenance


@dataclass(frozen=True)
class Decision:
    """Stage 4: admit (with the ID numbers that are here already) or skip a file taken before."""

    classified: Classified
    verdict: str
    previous: int | None = None  # the inbox row that took the same file (SKIP)
    clashes: list[dict] = field(default_factory=list)

    @property
    def opened(self) -> Opened:
        return self.classified.levels.opened


@dataclass(frozen=True)
class Kept:
    """Stage 5: the candidates stored in one transaction, and the package file kept once."""

    decision: Decision
    report: ImportReport


class Refused(CollectorError):
    """The package is not imported; the message says why. ``opened`` is what stage 1 verified
    (None when the file itself did not verify), for the inbox's line about the sender."""

    def __init__(self, message: str, opened: Opened | None = None):
        super().__init__(message)
        self.opened = opened


# -- the stages -------------------------------------------------------------------------------
def open_verified(store: Store, path: Path, identity: Identity, staging: Staging,
                  origin: str = "") -> Opened:
    try:
        pkg = open_package(path, identity, staging=staging)
    except NotForThisKey as err:
        raise Refused(str(name_recipients(store, err))) from None
    except CollectorError as err:
        raise Refused(str(err)) from None
    return Opened(path, origin or str(path), pkg, staging.package_sha256 or file_sha256(path),
                  staging)


def read_levels(store: Store, opened: Opened, identity: Identity) -> Levels:
    try:
        chain = read_tree(opened.path, identity, opened.package, register=active_register(store))
    except CollectorError as err:
        raise Refused(str(err), opened) from None
    return Levels(opened, chain)


def classify(levels: Levels) -> Classified:
    chain = replace(levels.chain, provenance=classify_all(levels.chain.root))
    by_part = {name: _with_own(chain.provenance[record_number(raw)], raw)
               for name, raw in levels.opened.package.candidate_parts}
    return Classified(levels, chain, by_part)


def decide(store: Store, classified: Classified) -> Decision:
    """Refuse a package signed at any level by a key marked untrusted, or whose chain fails;
    skip a file this inbox took before (its chain is checked again all the same: 以此份替换
    relies on it); otherwise admit it."""
    opened, chain = classified.levels.opened, classified.chain
    marked = list_untrusted(store)  # read once for every level of the chain
    for node in chain.root.walk():
        why = node.signer and untrusted_in(marked, node.signer)
        if why:
            inner = "" if node is chain.root else f"内层报送包 {Path(node.name).name}："
            raise Refused(inner + why, opened)
    if not chain.ok:
        raise Refused("签名链校验未通过：" + "；".join(chain.problems), opened)
    previous = store.db.execute(
        "SELECT id FROM office_inbox WHERE sha256=? AND status='imported'", [opened.sha256]
    ).fetchone()
    if previous:
        return Decision(classified, SKIP, previous=previous[0])
    return Decision(classified, ADMIT, clashes=_clashes(store, opened))


def keep(store: Store, decision: Decision) -> Kept:
    opened = decision.opened
    try:
        report = import_package(store, opened.path, None, package=opened.package,
                                provenance=decision.classified.by_part)
    except CollectorError as err:
        raise Refused(str(err), opened) from None
    # The package itself is kept so the office package can carry it upward byte for byte.
    if opened.staging.keep_package() is None:
        store.add_file(opened.path)
    return Kept(decision, report)


# -- the whole pipeline ----------------------------------------------------------------------
@contextlib.contextmanager
def staged(store: Store, *, copy_package: bool = True,
           early: EarlyCopy | None = None) -> Iterator[Staging]:
    """What one verification pass keeps in the store; whatever is not kept is removed.
    ``copy_package=False`` when the package is already stored (以此份替换 re-reads it there);
    ``early``: the copy the inbox started before the key was unlocked (``early_copy``)."""
    staging = Staging(FileStore(store.path), copy_package=copy_package, early=early)
    try:
        yield staging
    finally:
        staging.discard()


def examine(store: Store, path: Path, identity: Identity, staging: Staging,
            origin: str = "") -> Decision:
    """Stages 1–4: everything but storing."""
    opened = open_verified(store, path, identity, staging, origin)
    return decide(store, classify(read_levels(store, opened, identity)))


def receive(store: Store, path: Path, identity: Identity, origin: str = "",
            early: EarlyCopy | None = None) -> Kept | Decision:
    """One file through every stage: ``Kept``, or the ``Decision`` to skip a file taken before;
    raises ``Refused``."""
    with staged(store, early=early) as staging:
        decision = examine(store, path, identity, staging, origin)
        if decision.verdict == ADMIT:
            return keep(store, decision)
        staging.put_back()  # the kept copy, as verified now: its attachments are read from it
        return decision


# -- helpers ------------------------------------------------------------------------------------
def _with_own(prov: Provenance, raw: dict) -> dict:
    """The provenance to store, with the fingerprint of the applicant's fields as they arrive
    (a later local edit of them shows as 本级录入, see provenance.of)."""
    out = prov.to_json()
    try:
        out["own"] = own_fingerprint(normalize(raw))
    except CollectorError:
        pass  # the importer refuses the record with the reason
    return out


def _clashes(store: Store, opened: Opened) -> list[dict]:
    """Candidates whose ID number is already stored, with where the first came from."""
    pkg, out = opened.package, []
    unit = pkg.signer.get("unit", "") or pkg.signer.get("name", "")
    for rec in pkg.candidates:
        number = record_number(rec)
        cid = store.id_for_number(number) if number else None
        if cid:
            out.append({"id_number": number, "name": record_name(rec), "existing_id": cid,
                        "first": source_text(store.get(cid).source),
                        "second": f"{opened.origin}（{unit}）",
                        "second_created": pkg.manifest["created"],
                        "second_signer": pkg.signer_fingerprint})
    return out
