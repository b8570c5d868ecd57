"""生成报送: pack stored candidates and their attachments into one package."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..common.fingerprint import canonical_json, record_fingerprint
from ..common.paths import safe_file_name
from ..storage.attachments import in_package, open_attachment, plain_path
from ..rules import validate
from ..rules.findings import Finding
from ..rules.office import check_deadline
from ..storage.store import PACKED, Store
from ..record.year import load_year
from ..rpu.errors import PackageError, PackRefused
from ..rpu.keys import Identity, PublicKey
from ..rpu.writer import Part, Progress, WriteResult, write_package

ROLES = ("个人", "单位", "盟市", "厅局", "自治区")


@dataclass
class PackResult:
    path: Path
    size: int
    signer_fingerprint: str
    recipients: list[str]
    candidates: list[dict] = field(default_factory=list)  # {id, name, fingerprint}
    attachments: int = 0
    warnings: list[Finding] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)


def suggested_file_name(store: Store, candidate_ids: Sequence[str], unit: str = "",
                        day: dt.date | None = None) -> str:
    """A default name for a package: ``张三_1234_20170420.rpu`` for one candidate (name and the
    ID number's last four, so applicants of one unit do not overwrite each other), else
    ``<unit>_<n>人_<date>.rpu``."""
    day = day or dt.date.today()
    if len(candidate_ids) == 1:
        data = store.find(candidate_ids[0]).data
        tail = str(data.get("id_number") or "")[-4:]
        who = "_".join(x for x in (safe_file_name(data.get("name") or "申报人"), tail) if x)
    else:
        who = f"{safe_file_name(unit or '申报', 30)}_{len(candidate_ids)}人"
    return f"{who}_{day:%Y%m%d}.rpu"


def candidate_part_name(candidate_id: str) -> str:
    return f"candidates/{candidate_id}.json"


def attachment_part_name(sha256: str) -> str:
    return f"attachments/{sha256}"


def pack(store: Store, candidate_ids: Iterable[str] | None, out_path: str | os.PathLike, *,
         identity: Identity, recipients: Sequence[PublicKey], extra_parts: Sequence[Part] = (),
         role: str = "个人", unit: str = "", progress: Progress | None = None,
         cancel: Callable[[], bool] | None = None, today: dt.date | None = None,
         **writer_options) -> PackResult:
    """Pack candidates (all when ``candidate_ids`` is empty) for ``recipients`` and the sender.

    Refuses with PackRefused (carrying the findings) while any candidate has an error finding.
    """
    ids = list(candidate_ids or [])
    stored = [store.find(k) for k in ids] if ids else list(store.all())
    if not stored and not extra_parts:
        raise PackageError("没有可报送的候选人，请先录入或导入")
    refused = []
    for c in stored:
        for f in validate(c.data, today=today):
            if f.is_error:
                refused.append((c.name or c.id[:8], f))
    if refused:
        raise PackRefused(refused)
    years = {c.data["program_year"] for c in stored} or {2017}
    if len(years) > 1:
        raise PackageError(f"候选人属于不同年度（{'、'.join(map(str, sorted(years)))}），请分别报送")
    year = years.pop()
    warnings = check_deadline(load_year(year), today)

    parts: list[Part] = []
    seen_files: set[str] = set()
    summary = []
    for c in stored:
        data = canonical_json(c.data)
        parts.append(Part.from_bytes(candidate_part_name(c.id), "candidate", data))
        summary.append({"id": c.id, "name": c.name, "fingerprint": record_fingerprint(c.data)})
    for c in stored:
        for att in c.data.get("attachments", []):
            sha = att.get("sha256") or ""
            if not sha:
                raise PackageError(f"{c.name} 的附件“{att.get('title') or att.get('file')}”"
                                   "尚未存入数据文件夹，请重新添加该附件")
            if sha in seen_files:
                continue
            seen_files.add(sha)
            parts.append(_attachment_part(store, c.name, att, sha))
    parts.extend(extra_parts)
    written: WriteResult = write_package(
        out_path, parts, identity=identity, recipients=recipients, program_year=year,
        role=role, unit=unit, progress=progress, cancel=cancel, **writer_options)
    with store.transaction():
        for c in stored:
            store.set_status(c.id, PACKED)
    return PackResult(written.path, written.size, identity.fingerprint, written.recipients,
                      summary, len(seen_files), warnings, written.manifest)


def _attachment_part(store: Store, who: str, att: dict, sha: str) -> Part:
    """A plain file added here, or a part of a received package kept in the store, streamed
    (and checked) from it as the new package is written (collector.storage.attachments)."""
    title = str(att.get("title") or att.get("file") or "")
    path = plain_path(store, sha)
    if path is not None:
        suffix = Path(str(att.get("file", ""))).suffix.lower()
        return Part.from_file(attachment_part_name(sha), "attachment", path, sha256=sha,
                              compress=_compress_hint(suffix), mappable=not store.on_network)
    held = in_package(store, sha)
    if held is None:
        raise PackageError(f"{who} 的附件“{title}”在数据文件夹中找不到"
                           f"（{store.file_path(sha)}），请重新添加该附件")
    return Part.from_stream(attachment_part_name(sha), "attachment",
                            lambda: open_attachment(store, sha, title),
                            held.location.entry.size, sha)


def _compress_hint(suffix: str) -> bool | None:
    from ..rpu.writer import NO_COMPRESS

    return False if suffix in NO_COMPRESS else None
