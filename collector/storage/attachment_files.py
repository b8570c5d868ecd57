"""Attachment files beside interchange JSON (issue 14).

On import, ``attachments[].file`` is a path relative to the JSON file's folder: the file is
copied into the store and the entry gets its ``sha256`` and ``size`` (the entry keeps only the
file's name). On export with a files folder, each stored file is written out under
``<folder>/<编号前 8 位>/<name>`` and ``file`` becomes that path relative to the JSON file, so
the exported pair imports again as it is.
"""

from __future__ import annotations

import copy
import os
import unicodedata
from pathlib import Path, PureWindowsPath

from ..common.crashlog import private_dir
from ..common.errors import InputError, UsageError
from .store import Store


def bring_in(store: Store, items: list[dict], base_dir: Path, source_label: str = "") -> list[dict]:
    """Copy every attachment file the records name into the store; returns updated copies."""
    base = base_dir.resolve()
    out = []
    for i, raw in enumerate(items):
        atts = raw.get("attachments") if isinstance(raw, dict) else None
        if not isinstance(atts, list) or not atts:
            out.append(raw)
            continue
        raw = copy.copy(raw)
        raw["attachments"] = [_bring_one(store, att, base, _where(raw, i, len(items), source_label, k))
                              if isinstance(att, dict) else att
                              for k, att in enumerate(atts, start=1)]
        out.append(raw)
    return out


def _where(raw: dict, i: int, count: int, source_label: str, k: int) -> str:
    who = raw.get("name") if isinstance(raw.get("name"), str) and raw.get("name") else ""
    record = f"第{i + 1}条记录" if count > 1 else ""
    return "".join(x for x in (source_label, record, f"（{who}）" if who else "",
                               f"佐证材料第{k}项") if x)


def _bring_one(store: Store, att: dict, base: Path, where: str) -> dict:
    name = att.get("file")
    sha = att.get("sha256") if isinstance(att.get("sha256"), str) else ""
    if sha and _stored(store, sha):
        return att  # already in this store (e.g. exported from it without files)
    if not isinstance(name, str) or not name.strip():
        if sha:
            raise InputError(f"{where}：数据文件夹中没有 SHA-256 为 {sha[:12]}… 的文件，"
                             "且未给出文件路径（file）", field="attachments")
        return att
    path = _inside(base, name, where)
    new_sha, size = store.add_file(path)
    if sha and sha.lower() != new_sha:
        raise InputError(f"{where}：文件 {name} 的内容与记录中的 SHA-256 不符，"
                         "请核对文件是否被替换", field="attachments")
    att = dict(att)
    att.update(file=path.name, sha256=new_sha, size=size)
    if not att.get("title"):
        att["title"] = path.stem
    return att


def _stored(store: Store, sha: str) -> bool:
    from .attachments import is_stored

    return is_stored(store, sha.lower())


def _inside(base: Path, name: str, where: str) -> Path:
    """The file ``name`` names, which must lie inside the JSON file's folder: a hostile JSON
    must not pull other files of this computer (keys, documents) into a package."""
    rel = Path(unicodedata.normalize("NFC", name.strip()).replace("\\", "/"))
    # Absolute on either system: C:\x, \\server\x and a rooted \x (no drive) on Windows, /x here.
    if rel.is_absolute() or PureWindowsPath(rel).anchor:
        raise InputError(f"{where}：文件路径 {name} 应写成相对于 JSON 文件所在文件夹的路径",
                         field="attachments")
    path = (base / rel).resolve()
    if path != base and base not in path.parents:
        raise InputError(f"{where}：文件 {name} 不在 JSON 文件所在文件夹 {base} 之内，"
                         "请把附件放进该文件夹", field="attachments")
    if not path.is_file():
        raise InputError(f"{where}：找不到附件文件 {name}（按 JSON 文件所在文件夹 {base} 查找），"
                         "请把文件放在该处，或从记录中删去这一项", field="attachments")
    return path


def write_out(store: Store, records: list[dict], files_dir: Path, json_dir: Path) -> int:
    """Write each record's stored files under ``files_dir`` and point ``file`` at them
    (relative to ``json_dir``, where the JSON goes); returns the number of files written."""
    files_dir, json_dir = files_dir.resolve(), json_dir.resolve()
    if files_dir != json_dir and json_dir not in files_dir.parents:
        raise UsageError(f"附件文件夹 {files_dir} 应在 JSON 文件所在文件夹 {json_dir} 之内，"
                         "这样导出的文件才能再次导入（例如 --out 导出/候选人.json "
                         "--with-files 导出/附件）")
    written = 0
    for rec in records:
        folder = files_dir / str(rec.get("id", "record"))[:8]
        used: set[str] = set()
        for att in rec.get("attachments") or []:
            sha = att.get("sha256") or ""
            if not sha:
                continue
            name = _unique(safe_name(str(att.get("file") or ""), sha), used)
            private_dir(folder)
            dest = folder / name
            store.export_file(sha, dest, str(att.get("title") or att.get("file") or ""))
            att["file"] = dest.relative_to(json_dir).as_posix()
            written += 1
    return written


def safe_name(name: str, sha: str) -> str:
    """A file name safe on every system: no folders, no control or bidi characters, no device
    names or NTFS streams (``collector.common.opening.disk_name``)."""
    from ..common.opening import disk_name

    base = Path(name.replace("\\", "/")).name
    return disk_name(base, default=f"{sha[:12]}{Path(name).suffix}")


def _unique(name: str, used: set[str]) -> str:
    stem, suffix = os.path.splitext(name)
    candidate, n = name, 2
    while candidate.lower() in used:
        candidate, n = f"{stem} ({n}){suffix}", n + 1
    used.add(candidate.lower())
    return candidate
