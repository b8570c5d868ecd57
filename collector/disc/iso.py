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

from ..atomic import remove_stale_parts, replace_retrying
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
    joliet = _JolietNames()
    files = []
    for root, dirs, filenames in os.walk(folder):
        dirs.sort()
        rel_root = Path(root).relative_to(folder)
        for d in dirs:
            rel = (rel_root / d).as_posix()
            check_name(rel)
            iso.add_directory(names.iso(rel, is_dir=True), rr_name=d, joliet_path=joliet(rel))
        for name in sorted(filenames):
            if name.lower() not in EXPLORER_FILES:
                files.append((rel_root / name).as_posix())
    for rel in files:
        check_name(rel)
        # add_file keeps only the host path; pycdlib opens and streams it while writing.
        iso.add_file(str(folder / rel), names.iso(rel), rr_name=PurePosixPath(rel).name,
                     joliet_path=joliet(rel))
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


class open_iso:
    """Read an ISO image by its Rock Ridge names (whole, as in the manifest), or by its Joliet
    names when it has no Rock Ridge, streaming file contents."""

    def __init__(self, path: Path):
        import pycdlib
        from pycdlib.pycdlibexception import PyCdlibException

        self.path = Path(path)
        self.iso = pycdlib.PyCdlib()
        try:
            self.iso.open(str(self.path))
        except PyCdlibException as err:
            raise DiscError(f"{self.path} 不是有效的光盘映像（ISO）：{err}") from None
        if self.iso.has_rock_ridge():
            self.kind = "rr_path"
        elif self.iso.has_joliet():
            self.kind = "joliet_path"
        else:
            raise DiscError(f"{self.path} 没有 Joliet 或 Rock Ridge 文件名，不是本程序制作的映像")

    def __enter__(self) -> "open_iso":
        return self

    def __exit__(self, *exc: object) -> None:
        self.iso.close()

    def files(self) -> Iterator[str]:
        for root, _dirs, names in self.iso.walk(**{self.kind: "/"}):
            for name in names:
                yield str(PurePosixPath(root, name)).lstrip("/")

    @contextlib.contextmanager
    def open(self, rel: str):
        from pycdlib.pycdlibexception import PyCdlibException

        try:
            fh = self.iso.open_file_from_iso(**{self.kind: "/" + rel})
        except PyCdlibException:
            raise DiscError(f"{self.path} 中没有 {rel}") from None
        with fh:
            yield fh

    def read_text(self, rel: str) -> str:
        with self.open(rel) as fh:
            return fh.read().decode("utf-8")

    def sha256(self, rel: str) -> str:
        digest = hashlib.sha256()
        with self.open(rel) as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def extract(self, rel: str, dest: Path) -> Path:
        with self.open(rel) as src, open(dest, "wb") as dst:
            while chunk := src.read(CHUNK):
                dst.write(chunk)
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
