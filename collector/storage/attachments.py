"""Reading an attachment wherever the store keeps it: a plain file in ``<db>.files/`` (added
here), or a part of a received package kept there (``package_parts``: the package's SHA-256 and
what opens that part without the passphrase). Viewing, export, packing and checks go through
``open_attachment`` / ``export_attachment`` / ``is_stored``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Iterable, Iterator

from ..common.atomic import atomic_writer
from ..common.errors import InputError, NotFoundError, StoreError
from ..rpu.errors import PackageError
from ..rpu.format import PartEntry
from ..rpu.reader import PartLocation, as_stream, iter_located_part

if TYPE_CHECKING:
    from .store import Store

CHUNK = 1 << 20
_HEX64 = re.compile(r"[0-9a-f]{64}")
COLUMNS = ("sha256, package_sha256, name, payload_key, payload_start, payload_len, offset, "
           "stored, compression, size")


@dataclass(frozen=True)
class InPackage:
    """An attachment held as one part of a kept package."""

    package_sha256: str
    location: PartLocation


def plain_path(store: "Store", sha256: str) -> Path | None:
    """The attachment's own file in the files folder, if there is one."""
    try:
        path = store.file_path(sha256)
    except InputError:
        return None
    return path if path.is_file() else None


def in_package(store: "Store", sha256: str) -> InPackage | None:
    """Where a kept package holds this attachment, if one does."""
    row = store.db.execute(f"SELECT {COLUMNS} FROM package_parts WHERE sha256=?",
                           [sha256]).fetchone()
    if row is None:
        return None
    sha, package, name, key, start, length, offset, stored, compression, size = row
    numbers = (start, length, offset, stored, size)
    if not (isinstance(key, str) and _HEX64.fullmatch(key) and compression in (None, "zlib")
            and isinstance(package, str) and _HEX64.fullmatch(package)
            and all(isinstance(n, int) and n >= 0 for n in numbers)):
        # only an edited database (or a backup restored --unverified) holds such a row
        raise StoreError(f"{_shown(sha256, '')}在数据库中的位置记录无效（package_parts 被改动过），"
                         "请重新导入带来它的报送文件")
    entry = PartEntry(name, "attachment", size, sha, compression, stored)
    return InPackage(package, PartLocation(bytes.fromhex(key), start, length, offset, entry))


def is_stored(store: "Store", sha256: str) -> bool:
    """Whether the store can give this attachment's bytes (it does not read them): a plain file,
    or a part of a kept package whose file is there (a row alone is no attachment)."""
    if plain_path(store, sha256) is not None:
        return True
    held = in_package(store, sha256)
    return held is not None and store.file_path(held.package_sha256).is_file()


def attachment_size(store: "Store", sha256: str) -> int | None:
    path = plain_path(store, sha256)
    if path is not None:
        return path.stat().st_size
    held = in_package(store, sha256)
    return held.location.entry.size if held else None


def _shown(sha256: str, name: str) -> str:
    return f"附件“{name}”" if name else f"附件 {sha256[:12]}…"


def open_attachment(store: "Store", sha256: str, name: str = "") -> IO[bytes]:
    """The attachment's bytes as a binary stream, checked against its SHA-256 at the end: a
    plain file as it is read, one held in a package also chunk by chunk as it is decrypted. A
    damaged or altered file raises StoreError naming the attachment (``name``, else its
    digest), never wrong bytes (a reader that keeps what it read must wait for the end, as
    export does)."""
    path = plain_path(store, sha256)
    if path is not None:
        return as_stream(_checked_plain(path, sha256, name))
    held = in_package(store, sha256)
    if held is None:
        raise NotFoundError(f"{_shown(sha256, name)}不在数据文件夹中（{store.files_dir}）")
    return as_stream(_checked(store, sha256, name, held))


def _checked_plain(path: Path, sha256: str, name: str) -> Iterator[bytes]:
    """A file named by its SHA-256 (someone who can write the folder could have put other bytes
    under the name, beside or instead of the package that holds them)."""
    digest = hashlib.sha256()
    with open(path, "rb") as src:
        while block := src.read(CHUNK):
            digest.update(block)
            yield block
    if digest.hexdigest() != sha256:
        raise StoreError(f"{_shown(sha256, name)}无法读出：数据文件夹中的附件文件 {path.name[:12]}… "
                         "已损坏或被改动（SHA-256 不符）；请重新添加该附件或重新导入带来它的报送文件")


def _checked(store: "Store", sha256: str, name: str, held: InPackage) -> Iterator[bytes]:
    package = store.file_path(held.package_sha256)
    what = _shown(sha256, name)
    if not package.is_file():
        raise NotFoundError(f"{what}所在的报送文件 {held.package_sha256[:12]}… 不在数据文件夹中"
                            f"（{store.files_dir}），请重新导入该报送文件")
    try:
        yield from iter_located_part(package, held.location)
    except PackageError as err:
        raise StoreError(f"{what}无法读出：数据文件夹中保存它的报送文件 "
                         f"{held.package_sha256[:12]}… 已损坏或被改动（{err}）；"
                         "请重新导入该报送文件") from None


def export_attachment(store: "Store", sha256: str, dest: str | os.PathLike,
                      name: str = "") -> Path:
    """Copy the attachment out to ``dest`` (private to the user, 0600); written under a
    temporary name and renamed only once every byte checked out."""
    dest = Path(dest)
    try:
        with open_attachment(store, sha256, name) as src, atomic_writer(dest) as out:
            shutil.copyfileobj(src, out, CHUNK)
    except OSError as err:
        raise StoreError(f"无法导出{_shown(sha256, name)}到 {dest}：{err}") from None
    return dest


def record_parts(store: "Store", package_sha256: str,
                 locations: Iterable[PartLocation]) -> int:
    """Note where the package kept as ``package_sha256`` holds these attachment parts (each
    under its SHA-256, ``Package.part_location``); an attachment already located keeps its
    first place unless that package's file is gone. Call inside the import's transaction."""
    rows, gone = [], []
    for loc in locations:
        e = loc.entry
        if e.kind != "attachment":
            raise StoreError(f"报送文件中的部件 {e.name} 不是附件")
        rows.append([e.sha256, package_sha256, e.name, loc.payload_key.hex(), loc.payload_start,
                     loc.payload_len, loc.offset, e.stored, e.compression, e.size])
        held = in_package(store, e.sha256)
        if held is not None and not store.file_path(held.package_sha256).is_file():
            gone.append([e.sha256])
    store.db.conn.executemany("DELETE FROM package_parts WHERE sha256=?", gone)
    store.db.conn.executemany(
        f"INSERT OR IGNORE INTO package_parts({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    return len(rows)
