"""Importing a verified package into the local store: one transaction, duplicates reported."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..common.errors import InputError
from ..storage.attachments import is_stored, record_parts
from ..storage.files import FileStore
from ..common.fingerprint import file_sha256
from ..record.model import normalize
from ..rules.findings import ERROR, Finding
from ..storage.store import IMPORTED, Store, default_actor, now_text
from ..rpu.errors import PackageError
from ..rpu.keys import Identity
from .packing import attachment_part_name
from ..rpu.reader import Package, iter_located_part, open_package
from .staging import Staging


@dataclass
class ImportReport:
    path: Path
    signer_fingerprint: str
    signer: dict
    imported: list[str] = field(default_factory=list)  # new candidate ids
    duplicates: list[Finding] = field(default_factory=list)
    attachments_copied: int = 0  # attachments new to the store (read from the kept package)
    package_sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.duplicates


_file_sha256 = file_sha256


def import_package(store: Store, path: str | os.PathLike, identity: Identity | None,
                   progress: Callable[[int, int], None] | None = None,
                   package: Package | None = None,
                   provenance: dict[str, dict] | None = None) -> ImportReport:
    """Verify ``path`` completely, then import its candidates in one transaction.

    A candidate whose ID number is already in the store (or twice in the package) is not
    imported and is reported as a DUPLICATE finding. ``provenance`` (part name -> the office
    chain check's finding, ``collector.exchange.provenance``) is stored in each record's source.
    Offices import through ``collector.office.inbox``, which checks the signers and the chain
    first; this function alone checks neither.
    """
    path = Path(path)
    if package is not None:
        return _import(store, path, package, provenance)
    # One pass verifies the package and writes its bytes once (exchange.staging): they are
    # kept when attachments new to the store are to be read from them.
    staging = Staging(FileStore(store.path))
    try:
        return _import(store, path, open_package(path, identity, progress, staging=staging),
                       provenance)
    finally:
        staging.discard()


def _import(store: Store, path: Path, pkg: Package,
            provenance: dict[str, dict] | None) -> ImportReport:
    staged = pkg.staging if isinstance(pkg.staging, Staging) else None  # the inbox's pass
    report = ImportReport(path, pkg.signer_fingerprint, dict(pkg.signer),
                          package_sha256=(staged and staged.package_sha256)
                          or _file_sha256(path))
    records = []
    for name, raw in pkg.candidate_parts:
        try:
            records.append((name, normalize(raw)))
        except InputError as err:
            raise PackageError(f"{path.name}：候选人部件 {name} 的数据无效（{err}）") from None
    needed = {a["sha256"] for _, r in records for a in r.get("attachments", []) if a.get("sha256")}
    for sha in needed:
        if attachment_part_name(sha) not in pkg.parts:
            raise PackageError(f"{path.name}：缺少附件 {sha[:12]}…，报送文件不完整")

    seen: dict[str, str] = {}
    to_save = []
    for name, rec in records:
        number = rec["id_number"]
        where = store.id_for_number(number) if number else None
        if number and (where or number in seen):
            report.duplicates.append(Finding(
                "DUPLICATE", ERROR, "id_number",
                f"身份证号 {number}（{rec['name']}）已在本机数据库中，未覆盖；"
                f"如需替换请先删除原记录（{path.name}）"))
            continue
        seen[number] = name
        to_save.append((name, rec))

    # Attachments stay in the package, kept once in the files folder before the transaction
    # that records where they are (content-addressed: an interruption leaves an unused file).
    new = [sha for sha in sorted({a["sha256"] for _, r in to_save
                                  for a in r.get("attachments", []) if a.get("sha256")})
           if not is_stored(store, sha)]
    for sha in new:
        if pkg.parts[attachment_part_name(sha)].sha256 != sha:
            raise PackageError(f"{path.name}：附件 {sha[:12]}… 复制后校验不符")
    kept = _keep_package(store, path, pkg, staged, new) if new else ""
    report.attachments_copied = len(new)

    source = {"file": path.name, "package_sha256": report.package_sha256,
              "signer": pkg.signer_fingerprint, "signer_name": pkg.signer.get("name", ""),
              "signer_unit": pkg.signer.get("unit", ""), "signer_role": pkg.signer.get("role", ""),
              "created": pkg.manifest["created"], "imported_at": now_text()}
    actor = default_actor()
    with store.transaction():
        record_parts(store, kept, [pkg.part_location(attachment_part_name(sha)) for sha in new])
        for name, rec in to_save:
            original = Path(name).stem  # the sender's id, kept when it is free here
            extra = {"part": name}
            if provenance and name in provenance:
                extra["provenance"] = provenance[name]
            new_id = store.save(rec, candidate_id=None if store.exists(original) else original,
                                actor=actor, status=IMPORTED, source=dict(source, **extra),
                                action="import")
            report.imported.append(new_id)
    return report


def _keep_package(store: Store, path: Path, pkg: Package, staged: Staging | None,
                  shas: list[str]) -> str:
    """The package kept in the files folder (its SHA-256), to read ``shas`` from. Staged, it
    is the very bytes the verification read; otherwise it is copied now and those parts are
    read back from the copy, so a file changed since it was verified imports nothing."""
    kept = staged.keep_package() if staged is not None else None
    if kept is not None:
        return kept[0]
    sha, _ = store.add_file(path)
    copy = store.file_path(sha)
    try:
        for part in shas:
            for _ in iter_located_part(copy, pkg.part_location(attachment_part_name(part))):
                pass
    except PackageError as err:
        raise PackageError(f"{path.name}：{err}，未导入任何数据") from None
    return sha
