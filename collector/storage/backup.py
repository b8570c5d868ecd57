"""Backup and restore of one installation's data: the SQLite database plus its attachment folder.

A backup is a ZIP file::

    manifest.json        format, version, program version, schema version, counts, DB SHA-256,
                         the attachments' names, signed by the installation (backup_proof.py)
    collector.db         a consistent copy made with SQLite's online backup API (deflated)
    files/ab/<sha256>    every attachment file of ``<db>.files/`` (stored, they are named by hash)

It can be taken while the program is running. A restore checks everything first (names, hashes,
``PRAGMA integrity_check``, schema version) in a folder beside the target, then moves the
attachments in and replaces the database with one rename, so a crash leaves either the old
database or the new one, never a mixture. A restore also checks who made the backup (its
signature) and reports what the restored database itself holds, trust-bearing data named.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..common.atomic import atomic_writer
from ..common.crashlog import private_dir
from .backup_proof import Ask, BackupUnverified, Proof, own_fingerprint, sign, trust_lines
from .backup_swap import is_empty, move_attachments, replace_database, upgrade
from .backup_proof import check as check_proof
from ..common.errors import InputError, NotFoundError, StoreError, os_reason
from .lock import InstanceLock
from .migrations import CURRENT_VERSION
from ..common.timefmt import now_text
from ..common.paths import sqlite_uri
from .schema_check import differences

FORMAT = "talent-collector-backup"
FORMAT_VERSION = 2  # 2: signed, with the attachments' names; 1 is still read (unsigned)
DB_MEMBER = "collector.db"
MANIFEST = "manifest.json"
_FILE_MEMBER = re.compile(r"files/([0-9a-f]{2})/([0-9a-f]{64})")
CHUNK = 1 << 20
# A backup is unpacked in full before anything changes: cap what that may take. ZIP readers
# stop at each member's declared size, so the declared sizes bound what is written.
MAX_UNPACKED_BYTES = 64 << 30
MAX_MEMBERS = 500_000
FREE_MARGIN = 64 << 20  # room left on the disk after unpacking


@dataclass
class BackupSummary:
    path: Path
    candidates: int
    files: int
    file_bytes: int
    schema_version: int
    created_at: str
    signer: str = ""  # fingerprint of the key that signed it; "" = not signed (no key here)


@dataclass
class RestoreResult:
    manifest: dict
    proof: Proof
    candidates: int     # counted in the restored database, not taken from the manifest
    files: int          # attachment files the backup brought
    trust: list[str]    # the trust-bearing data the restored database holds


# -- backup ---------------------------------------------------------------------------------
def backup_database(db_path: str | os.PathLike, out: str | os.PathLike, *,
                    passphrase: Ask | None = None) -> BackupSummary:
    """Write a backup ZIP of the database at ``db_path`` and its attachments to ``out``,
    signed by the installation's key (``passphrase`` is asked for it when there is one)."""
    from ..exchange.keyring import has_identity, load_identity
    from .store import Store  # the store imports nothing from here; keep startup light

    db_path, out = Path(db_path), Path(out)
    if not db_path.exists():
        raise NotFoundError(f"数据库 {db_path} 不存在，没有可备份的数据")
    if out.resolve() == db_path.resolve():
        raise InputError("备份文件不能与数据库同名，请换一个文件名")
    with tempfile.TemporaryDirectory(prefix="collector-backup-") as tmp:
        copy = Path(tmp) / DB_MEMBER
        with Store(db_path, create=False) as store:
            identity = None
            if has_identity(store):
                if passphrase is None:
                    raise InputError("本机有密钥：备份须用本机密钥签名，请输入口令")
                identity = load_identity(store, passphrase())
            try:
                _online_copy(store.db.conn, copy)
            except (sqlite3.Error, OSError) as err:
                raise StoreError(f"无法复制数据库 {db_path}：{err}") from None
            files_dir = store.files_dir
        return _write_zip(out, copy, files_dir, identity)


def _write_zip(out: Path, copy: Path, files_dir: Path, identity=None) -> BackupSummary:
    schema, candidates = _check_database(copy, "数据库")
    created = now_text()
    attachments = sorted(_attachment_files(files_dir))
    file_bytes = 0
    try:
        with atomic_writer(out) as fh, zipfile.ZipFile(fh, "w", allowZip64=True) as zf:
            db_sha = _add_member(zf, DB_MEMBER, copy, zipfile.ZIP_DEFLATED)
            for rel, path in attachments:
                _add_member(zf, rel, path, zipfile.ZIP_STORED)
                file_bytes += path.stat().st_size
            manifest = {
                "format": FORMAT, "version": FORMAT_VERSION, "app_version": _app_version(),
                "created_at": created, "schema_version": schema, "candidates": candidates,
                "db_sha256": db_sha, "files": len(attachments), "file_bytes": file_bytes,
                "files_sha256": _names_digest(rel for rel, _ in attachments),
            }
            if identity is not None:
                manifest = sign(manifest, identity)
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    except OSError as err:
        raise StoreError(f"无法写入备份文件 {out}：{os_reason(err)}") from None
    return BackupSummary(out, candidates, len(attachments), file_bytes, schema, created,
                         identity.fingerprint if identity is not None else "")


def _names_digest(names) -> str:
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()


def _online_copy(conn: sqlite3.Connection, dest: Path) -> None:
    """A consistent snapshot even while other processes write (SQLite online backup API)."""
    target = sqlite3.connect(dest)
    try:
        conn.backup(target)
        # A self-contained file: no -wal companion needed to read it.
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()


def _attachment_files(files_dir: Path):
    if not files_dir.is_dir():
        return
    for sub in files_dir.iterdir():
        if not sub.is_dir():
            continue  # ".incoming-*" temp files of an unfinished copy are not attachments
        for path in sub.iterdir():
            rel = f"files/{sub.name}/{path.name}"
            if _FILE_MEMBER.fullmatch(rel) and path.is_file():
                yield rel, path


def _add_member(zf: zipfile.ZipFile, name: str, path: Path, method: int) -> str:
    info = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
    info.compress_type = method
    digest = hashlib.sha256()
    with open(path, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


# -- verification ---------------------------------------------------------------------------
def verify_backup(path: str | os.PathLike) -> dict:
    """Check a backup completely (into a temp folder); returns its manifest or raises."""
    with tempfile.TemporaryDirectory(prefix="collector-verify-") as tmp:
        return _unpack(Path(path), Path(tmp))


def check_backup(path: str | os.PathLike, *, own: str = "",
                 ask: Ask | None = None) -> tuple[dict, Proof]:
    """Check a backup completely, and who made it (``own``: this installation's fingerprint;
    ``ask``: the passphrase, asked only when the signer is not ``own``)."""
    with tempfile.TemporaryDirectory(prefix="collector-verify-") as tmp:
        manifest = _unpack(Path(path), Path(tmp))
        return manifest, check_proof(manifest, Path(tmp) / DB_MEMBER, f"备份文件 {Path(path).name}",
                                     own=own, ask=ask)


def _unpack(path: Path, dest: Path) -> dict:
    """Extract and check every member into ``dest``; raises InputError naming the problem."""
    label = f"备份文件 {path.name}"
    if not path.is_file():
        raise NotFoundError(f"{label} 不存在")
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = _read_manifest(zf, label)
            _check_room(zf, dest, label)
            names = [i.filename for i in zf.infolist()]
            if len(names) != len(set(names)):
                raise InputError(f"{label} 含重复的条目，可能已被篡改")
            files, members = 0, []
            for info in zf.infolist():
                name = info.filename
                if name == MANIFEST:
                    continue
                if name == DB_MEMBER:
                    sha = _extract(zf, info, dest / DB_MEMBER)
                    if sha != manifest.get("db_sha256"):
                        raise InputError(f"{label} 中的数据库与清单不符（摘要不同），文件已损坏")
                    continue
                match = _FILE_MEMBER.fullmatch(name)
                if not match or match.group(2)[:2] != match.group(1):
                    raise InputError(f"{label} 含不属于备份的条目“{name[:80]}”")
                if _extract(zf, info, dest / name) != match.group(2):
                    raise InputError(f"{label} 中的附件 {match.group(2)[:12]}… 已损坏")
                files += 1
                members.append(name)
    except zipfile.BadZipFile:
        raise InputError(f"{label} 不是有效的备份文件（ZIP 结构损坏或被截断）") from None
    except (zipfile.LargeZipFile, EOFError, zlib.error):
        raise InputError(f"{label} 已损坏（压缩数据无法解开或不完整）") from None
    if not (dest / DB_MEMBER).exists():
        raise InputError(f"{label} 中没有数据库")
    if files != manifest.get("files"):
        raise InputError(f"{label} 缺少附件：清单记有 {manifest.get('files')} 个，实有 {files} 个")
    if "files_sha256" in manifest and manifest["files_sha256"] != _names_digest(members):
        raise InputError(f"{label} 的附件与清单所列的不同，可能已被篡改")
    schema, _ = _check_database(dest / DB_MEMBER, label + " 中的数据库")
    if schema != manifest.get("schema_version"):
        raise InputError(f"{label} 的清单与数据库版本不符")
    return manifest


def _check_room(zf: zipfile.ZipFile, dest: Path, label: str) -> None:
    """Refuse before unpacking when the members would not fit the caps or the disk."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{label} 含 {len(infos)} 个条目，超过上限 {MAX_MEMBERS}，不是正常的备份")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise InputError(f"{label} 解压后共 {total / 2**30:.1f} GB，超过上限 "
                         f"{MAX_UNPACKED_BYTES / 2**30:.0f} GB，不是正常的备份")
    free = shutil.disk_usage(dest).free
    if total + FREE_MARGIN > free:
        raise StoreError(f"磁盘空间不足：恢复 {label} 需要约 {(total + FREE_MARGIN) / 2**20:.0f} MB，"
                         f"{dest.parent} 所在磁盘只有 {free / 2**20:.0f} MB 可用；请清理磁盘后重试")


def _read_manifest(zf: zipfile.ZipFile, label: str) -> dict:
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except KeyError:
        raise InputError(f"{label} 不是人才信息采集的备份（缺少 {MANIFEST}）") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(f"{label} 的清单 {MANIFEST} 已损坏") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"{label} 不是人才信息采集的备份")
    version = manifest.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise InputError(f"{label} 的格式版本 {version} 过新，请升级程序后再恢复")
    return manifest


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> str:
    private_dir(target.parent)  # a restore moves these in: as private as the store they join
    digest = hashlib.sha256()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with zf.open(info) as src, os.fdopen(fd, "wb") as dst:  # CRC is checked at the end
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return digest.hexdigest()


def _check_database(path: Path, label: str) -> tuple[int, int]:
    """integrity_check, our meta table, a schema we can read; returns (schema, candidates)."""
    try:
        conn = sqlite3.connect(sqlite_uri(path), uri=True)
        try:
            conn.execute("PRAGMA trusted_schema = OFF")  # nothing in its schema runs for us
            result = conn.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                raise InputError(f"{label} 未通过完整性检查：{result[0][0]}")
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is None or not str(row[0]).isdigit():
                raise InputError(f"{label} 缺少数据库版本信息")
            schema = int(row[0])
            if schema > CURRENT_VERSION:
                raise InputError(f"{label} 的版本为 {schema}，本程序只支持到 {CURRENT_VERSION}，"
                                 "请升级程序")
            foreign = differences(conn, schema)
            if foreign:
                raise InputError(f"{label} 的结构与本程序的不符（{'、'.join(foreign[:5])}），"
                                 "可能已被篡改，不能使用")
            candidates = conn.execute("SELECT count(*) FROM candidates").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise InputError(f"{label} 不是人才信息采集的数据库（{err}）") from None
    return schema, candidates


# -- restore --------------------------------------------------------------------------------
def restore_database(backup: str | os.PathLike, db_path: str | os.PathLike, *,
                     force: bool = False, ask: Ask | None = None,
                     unverified: bool = False) -> RestoreResult:
    """Replace the database at ``db_path`` with the backup's.

    Refuses to overwrite a database that holds data unless ``force``, and a backup not shown
    to be this installation's (see ``backup_proof``) unless ``unverified``. Nothing is changed
    unless the whole backup checks out.
    """
    backup, db_path = Path(backup), Path(db_path)
    private_dir(db_path.parent)
    with InstanceLock(db_path):  # no GUI may have it open while the file is swapped
        if db_path.exists() and not force and not is_empty(db_path):
            raise StoreError(
                f"数据库 {db_path} 中已有数据，恢复会覆盖它们。"
                "请先备份当前数据，确认后加 --force 再恢复")
        prefix = f".{db_path.name}.restore-"
        for stale in db_path.parent.glob(prefix + "*"):  # left by a restore that was killed
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=db_path.parent))
        try:
            manifest = _unpack(backup, staging)
            proof = check_proof(manifest, staging / DB_MEMBER, f"备份文件 {backup.name}",
                                own=own_fingerprint(db_path), ask=ask)
            if not proof.verified and not unverified:
                raise BackupUnverified(
                    f"备份文件 {backup.name} {proof.text()}。恢复已取消，数据库保持原样；"
                    "确认备份来源可靠后，可加 --unverified 恢复（结果中会注明未核实）")
            upgrade(staging / DB_MEMBER)
            _, candidates = _check_database(staging / DB_MEMBER, "升级后的备份数据库")  # ours, whole
            trust = trust_lines(staging / DB_MEMBER)
            files = len(list((staging / "files").glob("*/*")))
            move_attachments(staging / "files", db_path.with_name(db_path.name + ".files"))
            replace_database(staging / DB_MEMBER, db_path)
        except OSError as err:  # disk full, or the file held open by another program (Windows)
            raise StoreError(f"恢复失败，数据库 {db_path} 保持原样：{os_reason(err)}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(manifest, proof, candidates, files, trust)


def _app_version() -> str:
    from .. import __version__

    return __version__


__all__ = ["backup_database", "restore_database", "verify_backup", "check_backup", "BackupSummary",
           "BackupUnverified", "RestoreResult"]
