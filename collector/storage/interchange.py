"""Import and export of interchange JSON (DESIGN §4) between files and the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..common.errors import InputError
from ..common.jsonio import candidates_in, read_json_file
from ..record.model import META_KEYS, id_key, normalize
from ..record.record_notes import Lookalikes, notes_after_save, status_of
from .store import Store, default_actor


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # collector.record.record_notes: outdated, look-alike


def load_candidates_file(path: Path, *, normalize_records: bool = True) -> list[dict]:
    """Read a file of one candidate or a list; with normalize, type errors name record and field."""
    items = candidates_in(read_json_file(path), str(path))
    if not normalize_records:
        return items
    for i, raw in enumerate(items):
        try:
            normalize(raw)
        except InputError as err:
            where = f"{path.name} 第{i + 1}条记录" if len(items) > 1 else path.name
            raise InputError(err.message, field=err.field, source=where) from None
    return items


def import_records(store: Store, items: list[dict], *, source_label: str = "",
                   actor: str | None = None, base_dir: Path | None = None) -> ImportResult:
    """Create or update each record in one transaction; the same ID number twice is refused.

    With ``base_dir`` (the JSON file's folder), ``attachments[].file`` names a file there that
    is copied into the store first (``collector.storage.attachment_files``)."""
    seen: dict[str, int] = {}
    for i, raw in enumerate(items):
        number = id_key(raw.get("id_number"))
        if number and number in seen:
            raise InputError(f"DUPLICATE：第{seen[number] + 1}条与第{i + 1}条记录的身份证号相同（{number}）",
                             field="id_number", source=source_label or None)
        if number:
            seen[number] = i
    if base_dir is not None:
        from .attachment_files import bring_in

        items = bring_in(store, items, base_dir, source_label)
    result = ImportResult()
    actor = actor or default_actor()
    with store.transaction():
        lookalikes = Lookalikes(store)
        for raw in items:
            data = normalize(raw)
            cid = raw.get("id") if isinstance(raw.get("id"), str) and raw.get("id") else None
            existing = bool(cid) and store.exists(cid)
            if not existing and data["id_number"]:
                match = store.id_for_number(data["id_number"])
                if match:
                    cid, existing = match, True
            before = status_of(store, cid) if existing else None
            if existing:
                data = updated_record(store.get(cid).data, raw)
            status = raw.get("status") if isinstance(raw.get("status"), str) else None
            new_id = store.save(data, candidate_id=cid, actor=actor,
                                status=None if existing else status, action="import")
            result.notes.extend(notes_after_save(store, new_id, before, lookalikes=lookalikes))
            if existing:
                result.updated.append(new_id)
                continue
            if isinstance(raw.get("audit"), list):
                store.add_audit_entries(new_id, raw["audit"])
            result.created.append(new_id)
    return result


def updated_record(stored: dict, raw: dict) -> dict:
    """What an import makes of a stored record: the JSON replaces the keys it gives (null or
    empty included); keys it leaves out keep their stored values; attachments it lists are added
    or replace the stored entry for the same file (same SHA-256, else same name), and stored
    attachments it does not list are kept (docs/data-format.md)."""
    merged = dict(stored)
    merged.update({k: v for k, v in raw.items() if k not in META_KEYS})
    data = normalize(merged)
    given = data["attachments"]
    keys = {_file_key(a) for a in given}
    kept = [a for a in stored.get("attachments") or [] if _file_key(a) not in keys]
    data["attachments"] = [*given, *kept]
    return data


def _file_key(att: dict) -> str:
    sha = att.get("sha256") if isinstance(att.get("sha256"), str) else ""
    return f"sha:{sha.lower()}" if sha else f"file:{att.get('file') or att.get('title') or ''}"


def export_records(store: Store, keys: Iterable[str] | None) -> list[dict]:
    stored = [store.find(k) for k in keys] if keys else list(store.all())
    return [store.get(c.id, with_audit=True).to_export() for c in stored]
