"""Converting a store made before ``package_parts`` (schema step ``_package_parts``): it kept
each received package and an extracted copy of every attachment beside it. Finding where a
package holds a part needs its payload key, which needs the identity, so the conversion runs
the first time the identity is unlocked for an inbox import (``office.inbox.import_many``):
each kept package that was imported is verified again, its attachment parts are recorded, and
each extracted copy whose bytes a package now holds is deleted (only when its SHA-256 still
matches its name). Runs once; a package that cannot be opened keeps its extracted copies.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..common.errors import CollectorError
from ..common.fingerprint import file_sha256
from ..rpu.reader import open_package
from ..storage.attachments import plain_path, record_parts
from ..storage.files import FileStore
from ..storage.migrations import CONVERT_PENDING
from .packing import attachment_part_name
from .staging import Staging

if TYPE_CHECKING:
    from ..rpu.keys import Identity
    from ..storage.store import Store


@dataclass
class Conversion:
    packages: int = 0          # kept packages whose attachments are now read from them
    removed: int = 0           # extracted copies deleted
    freed: int = 0             # bytes those copies took
    skipped: list[str] = field(default_factory=list)  # packages left as they were, and why

    def line(self) -> str:
        size = (f"{self.freed / 1048576:.1f} MB" if self.freed >= 104858
                else f"{-(-self.freed // 1024)} KB")
        text = (f"数据文件夹已转换：{self.packages} 个已收报送文件中的附件改为直接从报送文件读取，"
                f"删除重复保存的附件副本 {self.removed} 个（{size}）")
        return text + "".join(f"；{s}" for s in self.skipped)


def pending(store: "Store") -> bool:
    return bool(store.get_setting(CONVERT_PENDING))


def convert_received(store: "Store", identity: "Identity") -> Conversion | None:
    """Convert the store once (see the module's docstring); None when there is nothing to do."""
    if not pending(store):
        return None
    done = Conversion()
    rows = store.db.execute("SELECT DISTINCT sha256, file_name FROM office_inbox "
                            "WHERE status='imported' AND sha256 != ''").fetchall()
    for package_sha, file_name in rows:
        path = store.file_path(package_sha)
        if not path.is_file():
            done.skipped.append(f"{file_name} 不在数据文件夹中，其附件仍单独保存")
            continue
        staging = Staging(FileStore(store.path), copy_package=False)  # hashes in the same pass
        try:
            pkg = open_package(path, identity, staging=staging)
        except CollectorError as err:
            done.skipped.append(f"{file_name} 无法重新校验（{err}），其附件仍单独保存")
            continue
        finally:
            staging.discard()
        if staging.package_sha256 != package_sha:
            done.skipped.append(f"{file_name} 在数据文件夹中的副本已被改动，其附件仍单独保存")
            continue
        parts = [pkg.part_location(p.name) for p in pkg.parts.values()
                 if p.kind == "attachment" and p.name == attachment_part_name(p.sha256)]
        with store.transaction():
            record_parts(store, package_sha, parts)
        done.packages += 1
    for (sha,) in store.db.execute("SELECT sha256 FROM package_parts").fetchall():
        _remove_copy(store, sha, done)
    with store.transaction():
        store.db.execute("DELETE FROM settings WHERE key=?", [CONVERT_PENDING])
    return done


def _remove_copy(store: "Store", sha: str, done: Conversion) -> None:
    """Delete the extracted copy of an attachment a kept package holds, if its bytes are
    those the name says (content-addressed: the package gives the very same bytes)."""
    path = plain_path(store, sha)
    if path is None:
        return
    with contextlib.suppress(OSError):
        if file_sha256(path) == sha:
            size = path.stat().st_size
            path.unlink()
            done.removed += 1
            done.freed += size
