"""The ISO 9660 image of a disc folder (Joliet + Rock Ridge so Chinese names survive), written
with pycdlib, and reading such an image back."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path, PurePosixPath
from typing import Iterator

from ..common.atomic import remove_stale_parts, replace_retrying
from ..common.text import shown
from .layout import CHUNK, EXPLORER_FILES, MANIFEST, SECTOR, DiscError, DiscLabel, Progress
from .medium import check_medium
from .names import JOLIET_MAX_BYTES, check_name, fit_name

JOLIET_MAX = JOLIET_MAX_BYTES  # per name, as pycdlib counts it (UTF-8 bytes); see names.py


def make_iso(folder: Path, iso_path: Path, *, label: DiscLabel, medium: str = "cd",
             capacity: int | None = None, progress: Progress | None = None) -> Path:
    """Write the folder as an ISO 9660 image with Joliet and Rock Ridge names, atomically.

    Rock Ridge keeps every name whole; Joliet names are cut to fit (the disc folder's names
    already fit, see ``names``). Anything pycdlib refuses becomes a DiscError."""
    import pycdlib
    from pycdlib.pycdlibexception import PyCdlibException

    folder, iso_path = Path(folder), Path(iso_path)
    if not (folder / MANIFEST).is_file():
        raise DiscError(f"{folder} 不是光盘文件夹（缺少 {MANIFEST}）")
    check_medium(folder, medium, capacity)
    try:
        _write(pycdlib.PyCdlib(), folder, iso_path, label, progress)
    except PyCdlibException as err:
        raise DiscError(f"无法制作光盘映像 {iso_path.name}：{err}。光盘文件夹仍可使用，"
                        "可用其他刻录软件刻录该文件夹") from None
    return iso_path


def _write(iso, folder: Path, iso_path: Path, label: DiscLabel,
           progress: Progress | None) -> None:
    iso.new(interchange_level=3, joliet=3, rock_ridge="1.09", vol_ident=label.iso_volume_id,
            app_ident_str="TALENT COLLECTOR", sys_ident="")
    _set_joliet_volume_id(iso, label.joliet_volume_id)
    names = _IsoNames()
    folders, files = [], []
    for root, dirs, filenames in os.walk(folder):
        dirs.sort()
        rel_root = Path(root).relative_to(folder)
        folders += [(rel_root / d).as_posix() for d in dirs]
        files += [(rel_root / name).as_posix() for name in sorted(filenames)
                  if name.lower() not in EXPLORER_FILES]
    for rel in folders + files:
        check_name(rel)
    joliet = joliet_paths(folders, files)
    for rel in folders:
        iso.add_directory(names.iso(rel, is_dir=True), rr_name=PurePosixPath(rel).name,
                          joliet_path=joliet[rel])
    for rel in files:
        # add_file keeps only the host path; pycdlib opens and streams it while writing.
        iso.add_file(str(folder / rel), names.iso(rel), rr_name=PurePosixPath(rel).name,
                     joliet_path=joliet[rel])
    iso_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(iso_path)  # what a killed earlier run left (names carry the PID)
    fd, tmp = tempfile.mkstemp(prefix=f".{iso_path.name}.{os.getpid()}.", suffix=".part",
                               dir=iso_path.parent)
    os.close(fd)

    def callback(done: int, total: int, _opaque: object) -> None:
        progress(done, total, iso_path.name)

    try:
        iso.write(tmp, progress_cb=callback if progress else None)
        iso.close()
        replace_retrying(tmp, iso_path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _set_joliet_volume_id(iso, text: str) -> None:
    """pycdlib copies the ASCII id into Joliet; Joliet may carry the unit's Chinese name."""
    raw = text.encode("utf-16_be")[:32]
    iso.joliet_vd.volume_identifier = raw + b"\x00 " * ((32 - len(raw)) // 2)


def joliet_paths(folders: list[str], files: list[str]) -> dict[str, str]:
    """The Joliet path ("/RPU/…") of each folder-relative path, as ``make_iso`` writes them:
    in each folder its subfolders, then its files, each fitted in name order. Verification
    computes the same from an image's whole names to find each name's Joliet twin."""
    joliet = _JolietNames()
    for rel in sorted(folders, key=lambda r: r.split("/")) + sorted(
            files, key=lambda r: (r.split("/")[:-1], r.rpartition("/")[2])):
        joliet(rel)
    return joliet.by_rel


class _JolietNames:
    """The Joliet path of each folder-relative path: every name fitted and unique in its folder."""

    def __init__(self) -> None:
        self.by_rel: dict[str, str] = {"": ""}
        self.taken: dict[str, set[str]] = {}

    def __call__(self, rel: str) -> str:
        parent_rel, _, name = rel.rpartition("/")
        fitted = fit_name(name, self.taken.setdefault(parent_rel, set()))
        self.by_rel[rel] = f"{self.by_rel[parent_rel]}/{fitted}"
        return self.by_rel[rel]


class _IsoNames:
    """Plain ISO 9660 names (A-Z 0-9 _) for readers without Joliet or Rock Ridge."""

    def __init__(self) -> None:
        self.by_rel: dict[str, str] = {"": ""}
        self.used: set[str] = set()
        self.n = 0

    def iso(self, rel: str, *, is_dir: bool = False) -> str:
        parent_rel, _, name = rel.rpartition("/")
        parent = self.by_rel[parent_rel]
        stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
        stem = re.sub(r"[^A-Z0-9_]", "_", stem.upper())[:24] or "F"
        ext = re.sub(r"[^A-Z0-9_]", "_", ext.upper())[:5]
        if not name.isascii() or not stem.strip("_"):
            self.n += 1
            stem = f"{'D' if is_dir else 'F'}{self.n:05d}"
        candidate = f"{parent}/{stem}" + (f".{ext}" if ext and not is_dir else "")
        while candidate in self.used:
            self.n += 1
            candidate = f"{parent}/{'D' if is_dir else 'F'}{self.n:05d}" + (
                f".{ext}" if ext and not is_dir else "")
        self.used.add(candidate)
        self.by_rel[rel] = candidate
        if is_dir:
            return candidate
        return candidate + ("" if ext else ".") + ";1"


# Every tree of names an image can carry, in the order a reader trusts it here: Rock Ridge keeps
# names whole (Linux, macOS); Joliet is what Windows Explorer shows; UDF is what Windows prefers
# when a burning program wrote one; plain ISO 9660 names (F00001.RPU) are for old readers.
TREES = (("Rock Ridge", "rr_path"), ("Joliet", "joliet_path"), ("UDF", "udf_path"),
         ("ISO 9660", "iso_path"))


class open_iso:
    """Read an ISO image: by its Rock Ridge names (whole, as in the manifest), or by its Joliet
    names when it has no Rock Ridge; ``trees`` lists every tree of names it has, and each can
    be read by name (a hostile image can point each tree at other bytes)."""

    def __init__(self, path: Path):
        import pycdlib
        from pycdlib.pycdlibexception import PyCdlibException

        self.path = Path(path)
        self.iso = pycdlib.PyCdlib()
        try:
            self.iso.open(str(self.path))
        except PyCdlibException as err:
            raise DiscError(f"{self.path} 不是有效的光盘映像（ISO）：{err}") from None
        present = {"rr_path": self.iso.has_rock_ridge(), "joliet_path": self.iso.has_joliet(),
                   "udf_path": self.iso.has_udf(), "iso_path": True}
        self.trees = [(label, kind) for label, kind in TREES if present[kind]]
        if self.trees[0][1] not in ("rr_path", "joliet_path"):
            raise DiscError(f"{self.path} 没有 Joliet 或 Rock Ridge 文件名，不是本程序制作的映像")
        self.label, self.kind = self.trees[0]
        self._digests: dict[int, str] = {}

    def __enter__(self) -> "open_iso":
        return self

    def __exit__(self, *exc: object) -> None:
        self.iso.close()

    def files(self, kind: str | None = None) -> Iterator[str]:
        return (rel for rel, is_dir in self._walk(kind) if not is_dir)

    def folders(self, kind: str | None = None) -> list[str]:
        return [rel for rel, is_dir in self._walk(kind) if is_dir]

    def _walk(self, kind: str | None) -> Iterator[tuple[str, bool]]:
        from pycdlib.pycdlibexception import PyCdlibException

        try:
            for root, dirs, names in self.iso.walk(**{kind or self.kind: "/"}):
                for name in dirs:
                    yield str(PurePosixPath(root, name)).lstrip("/"), True
                for name in names:
                    yield str(PurePosixPath(root, name)).lstrip("/"), False
        except PyCdlibException as err:
            raise DiscError(f"{self.path} 的目录无法读取：{err}") from None

    @contextlib.contextmanager
    def open(self, rel: str, kind: str | None = None):
        from pycdlib.pycdlibexception import PyCdlibException

        try:
            fh = self.iso.open_file_from_iso(**{kind or self.kind: "/" + rel})
        except PyCdlibException:
            raise DiscError(f"{self.path} 中没有 {rel}") from None
        with fh:
            yield fh

    def read_text(self, rel: str) -> str:
        with self.open(rel) as fh:
            return fh.read().decode("utf-8")

    def sha256(self, rel: str, kind: str | None = None) -> str:
        """The SHA-256 of what a reader of ``kind``'s names gets for ``rel``. Names in two trees
        that lead to the same data (the normal case) are read once."""
        with self.open(rel, kind) as fh:
            # pycdlib gives names that lead to the same data one inode, and reads through it.
            where = id(self.iso.get_record(**{kind or self.kind: "/" + rel}).inode)
            if where not in self._digests:
                digest = hashlib.sha256()
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
                self._digests[where] = digest.hexdigest()
        return self._digests[where]

    def extract(self, rel: str, dest: Path, expected: str | None = None) -> Path:
        """Copy ``rel`` out of the image; with ``expected``, the copy's own SHA-256 must be it
        (what was verified is what is read, even if the image changed in between)."""
        digest = hashlib.sha256()
        with self.open(rel) as src, open(dest, "wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
        if expected is not None and digest.hexdigest() != expected:
            raise DiscError(f"{self.path} 中的 {shown(rel)} 读出时与 {MANIFEST} 不符，"
                            "光盘映像在校验后被改动或读取出错；请重新复制后再导入")
        return dest


def is_iso(path: Path) -> bool:
    path = Path(path)
    if not path.is_file():
        return False
    if path.suffix.lower() == ".iso":
        return True
    with open(path, "rb") as fh:
        fh.seek(16 * SECTOR + 1)
        return fh.read(5) == b"CD001"
