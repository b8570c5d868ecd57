"""The export disc (DESIGN §9): the folder layout, its MANIFEST.sha256, the ISO 9660 image
(Joliet + Rock Ridge so Chinese names survive), the medium size check, and verification.

Layout::

    RPU/            the signed packages (.rpu)
    PRINT/          the printed forms (PDF)
    汇总表.xlsx      the summary table
    MANIFEST.sha256 ``<sha256>  <path>`` per file, ``sha256sum -c`` compatible
    README.txt      what is on the disc and how to check it (UTF-8 with BOM, CRLF for Notepad)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator

from .errors import CollectorError, InputError, UsageError

MANIFEST = "MANIFEST.sha256"
README = "README.txt"
RPU_DIR = "RPU"
PRINT_DIR = "PRINT"
SUMMARY_XLSX = "汇总表.xlsx"
CHUNK = 1 << 20
SECTOR = 2048
# Capacities in bytes: an 80-minute CD holds 360,000 sectors; a single-layer DVD "4.7 GB".
MEDIA: dict[str, tuple[str, int]] = {
    "cd": ("CD（700 MB）", 360_000 * SECTOR),
    "dvd": ("DVD（4.7 GB）", 4_700_000_000),
}
JOLIET_MAX = 64  # UCS-2 characters per name component

Progress = Callable[[int, int, str], None]  # (done, total, what)


class DiscError(CollectorError):
    """The disc cannot be built, is too large for the medium, or fails verification."""


@dataclass
class DiscLabel:
    unit: str
    date: dt.date
    code: str = ""  # the channel's 3-digit code, for the ASCII volume id

    @property
    def iso_volume_id(self) -> str:
        """ISO 9660 volume ids are d-characters only (A-Z 0-9 _), at most 32."""
        parts = ["RPU", self.code, self.date.strftime("%Y%m%d")]
        return "_".join(p for p in parts if p)[:32]

    @property
    def joliet_volume_id(self) -> str:
        """Joliet allows 16 UCS-2 characters: as much of the unit as fits, then the date."""
        date = self.date.strftime("%Y%m%d")
        unit = self.unit[: 16 - len(date) - 1]
        return f"{unit} {date}" if unit else date


@dataclass
class VerifyReport:
    source: str
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.altered or self.extra)

    def message(self) -> str:
        if self.ok:
            return f"{self.source}：{self.checked} 个文件全部与 {MANIFEST} 一致"
        parts = []
        if self.missing:
            parts.append("缺少 " + "、".join(self.missing))
        if self.altered:
            parts.append("内容被改动 " + "、".join(self.altered))
        if self.extra:
            parts.append("清单外的文件 " + "、".join(self.extra))
        return (f"{self.source} 校验未通过：{'；'.join(parts)}。"
                "请从原始光盘或文件夹重新复制，或请报送单位重新制作光盘")


# -- the folder ---------------------------------------------------------------------------
def build_folder(out: Path, *, rpu_files: Iterable[Path], label: DiscLabel,
                 fill_print: Callable[[Path], None] | None = None,
                 summary_xlsx: Path | None = None, readme_extra: str = "",
                 medium: str | None = None, capacity: int | None = None,
                 progress: Progress | None = None) -> Path:
    """Write the disc folder at ``out`` all at once: built beside it, checked against the
    medium's size, then renamed into place (a refusal leaves nothing behind)."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} 已存在且不是空文件夹，请指定一个新的文件夹")
    rpu_files = [Path(p) for p in rpu_files]
    if not rpu_files:
        raise InputError("没有可以写入光盘的报送包（.rpu），请先生成本单位的报送包")
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.parent / f".{out.name}.building-{uuid.uuid4().hex[:8]}"
    stage.mkdir()
    try:
        (stage / RPU_DIR).mkdir()
        for n, src in enumerate(rpu_files, start=1):
            if progress:
                progress(n, len(rpu_files), src.name)
            shutil.copyfile(src, stage / RPU_DIR / src.name)
        (stage / PRINT_DIR).mkdir()
        if fill_print:
            fill_print(stage / PRINT_DIR)
        if summary_xlsx:
            shutil.copyfile(summary_xlsx, stage / SUMMARY_XLSX)
        write_readme(stage, label, readme_extra)
        write_manifest(stage)
        if medium:
            check_medium(stage, medium, capacity)
        if out.exists():
            out.rmdir()
        os.replace(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return out


def write_readme(folder: Path, label: DiscLabel, extra: str = "") -> None:
    files = sorted(_relative_files(folder))
    lines = [
        "百千万人才工程国家级人选推荐材料（电子数据）",
        "",
        f"报送单位：{label.unit}",
        f"制作日期：{label.date.isoformat()}",
        "",
        "光盘内容：",
        f"  {RPU_DIR}/          已签名并加密的报送包（.rpu），用“人才信息采集”程序导入",
        f"  {PRINT_DIR}/        推荐报告、汇总表、个人登记表（PDF）",
        f"  {SUMMARY_XLSX}      推荐人选情况汇总表（Excel）",
        f"  {MANIFEST}  每个文件的 SHA-256 校验值",
        "",
        "校验方法：collector disc verify <光盘或文件夹>，或 sha256sum -c MANIFEST.sha256",
        "",
        "文件清单：",
        *(f"  {name}" for name in files),
    ]
    if extra:
        lines += ["", extra]
    text = "\r\n".join(lines) + "\r\n"
    (folder / README).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def write_manifest(folder: Path) -> Path:
    lines = [f"{_hash_file(folder / name)}  {name}\n" for name in sorted(_relative_files(folder))]
    path = folder / MANIFEST
    path.write_text("".join(lines), encoding="utf-8", newline="\n")
    return path


def _relative_files(folder: Path) -> Iterator[str]:
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            rel = (Path(root) / name).relative_to(folder).as_posix()
            if rel != MANIFEST:
                yield rel


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def parse_manifest(text: str, source: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = re.fullmatch(r"([0-9a-fA-F]{64}) [ *](.+)", line)
        if not m:
            raise DiscError(f"{source} 的 {MANIFEST} 第{n}行格式不对，光盘可能已损坏")
        name = m.group(2)
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts:
            raise DiscError(f"{source} 的 {MANIFEST} 第{n}行路径不安全：{name}")
        entries[name] = m.group(1).lower()
    return entries


# -- verification -------------------------------------------------------------------------
def verify(path: Path, progress: Progress | None = None) -> VerifyReport:
    """Check every file of a disc folder or ISO image against its MANIFEST.sha256."""
    path = Path(path)
    if path.is_dir():
        return _verify_folder(path, progress)
    if path.is_file():
        return _verify_iso(path, progress)
    raise UsageError(f"{path} 不存在")


def _verify_folder(folder: Path, progress: Progress | None) -> VerifyReport:
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise DiscError(f"{folder} 中没有 {MANIFEST}，不是本程序制作的光盘文件夹")
    entries = parse_manifest(manifest.read_text(encoding="utf-8"), str(folder))
    report = VerifyReport(str(folder))
    for n, (name, digest) in enumerate(sorted(entries.items()), start=1):
        if progress:
            progress(n, len(entries), name)
        target = folder / name
        if not target.is_file():
            report.missing.append(name)
        elif _hash_file(target) != digest:
            report.altered.append(name)
        report.checked += 1
    report.extra = sorted(set(_relative_files(folder)) - set(entries))
    return report


def _verify_iso(iso_path: Path, progress: Progress | None) -> VerifyReport:
    report = VerifyReport(str(iso_path))
    with open_iso(iso_path) as image:
        entries = parse_manifest(image.read_text(MANIFEST), str(iso_path))
        present = set(image.files())
        for n, (name, digest) in enumerate(sorted(entries.items()), start=1):
            if progress:
                progress(n, len(entries), name)
            if name not in present:
                report.missing.append(name)
            elif image.sha256(name) != digest:
                report.altered.append(name)
            report.checked += 1
        report.extra = sorted(present - set(entries) - {MANIFEST})
    return report


# -- the ISO image ------------------------------------------------------------------------
def estimate_iso_size(folder: Path) -> int:
    """Bytes the image will take: every file rounded up to sectors, plus directories and headers."""
    total = 0
    count = 0
    for root, dirs, names in os.walk(folder):
        count += 1 + len(dirs)
        for name in names:
            size = (Path(root) / name).stat().st_size
            total += -(-size // SECTOR) * SECTOR
            count += 1
    # volume descriptors, path tables and three directory trees (ISO, Joliet, Rock Ridge CE)
    return total + 64 * SECTOR + count * 3 * SECTOR


def check_medium(folder: Path, medium: str, capacity: int | None = None) -> int:
    if medium not in MEDIA:
        raise UsageError(f"介质 {medium} 不支持，请选择 cd 或 dvd")
    label, limit = MEDIA[medium]
    limit = capacity if capacity is not None else limit
    needed = estimate_iso_size(folder)
    if needed > limit:
        other = "，可改用 --medium dvd" if medium == "cd" and needed <= MEDIA["dvd"][1] else ""
        raise DiscError(f"光盘内容约 {_mb(needed)}，超过 {label} 的容量 {_mb(limit)}"
                        f"{other}；或减少附件后重试")
    return needed


def make_iso(folder: Path, iso_path: Path, *, label: DiscLabel, medium: str = "cd",
             capacity: int | None = None, progress: Progress | None = None) -> Path:
    """Write the folder as an ISO 9660 image with Joliet and Rock Ridge names, atomically."""
    import pycdlib

    folder, iso_path = Path(folder), Path(iso_path)
    if not (folder / MANIFEST).is_file():
        raise DiscError(f"{folder} 不是光盘文件夹（缺少 {MANIFEST}）")
    check_medium(folder, medium, capacity)
    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=3, joliet=3, rock_ridge="1.09", vol_ident=label.iso_volume_id,
            app_ident_str="TALENT COLLECTOR", sys_ident="")
    _set_joliet_volume_id(iso, label.joliet_volume_id)
    names = _IsoNames()
    files = []
    for root, dirs, filenames in os.walk(folder):
        dirs.sort()
        rel_root = Path(root).relative_to(folder)
        for d in dirs:
            rel = (rel_root / d).as_posix()
            iso.add_directory(names.iso(rel, is_dir=True), rr_name=d, joliet_path=_joliet(rel))
        for name in sorted(filenames):
            files.append((rel_root / name).as_posix())
    for rel in files:
        # add_file keeps only the host path; pycdlib opens and streams it while writing.
        iso.add_file(str(folder / rel), names.iso(rel), rr_name=PurePosixPath(rel).name,
                     joliet_path=_joliet(rel))
    iso_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{iso_path.name}.", suffix=".part", dir=iso_path.parent)
    os.close(fd)
    try:
        callback = None
        if progress:
            def callback(done: int, total: int, _opaque: object) -> None:
                progress(done, total, iso_path.name)
        iso.write(tmp, progress_cb=callback)
        iso.close()
        os.replace(tmp, iso_path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return iso_path


def _set_joliet_volume_id(iso, text: str) -> None:
    """pycdlib copies the ASCII id into Joliet; Joliet may carry the unit's Chinese name."""
    raw = text.encode("utf-16_be")[:32]
    iso.joliet_vd.volume_identifier = raw + b"\x00 " * ((32 - len(raw)) // 2)


def _joliet(rel: str) -> str:
    parts = []
    for part in PurePosixPath(rel).parts:
        if len(part) > JOLIET_MAX:
            stem, dot, ext = part.rpartition(".")
            keep = JOLIET_MAX - (len(ext) + 1 if dot and len(ext) <= 8 else 0)
            part = (stem[:keep] + "." + ext) if dot and len(ext) <= 8 else part[:JOLIET_MAX]
        parts.append(part)
    return "/" + "/".join(parts)


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
    """Read an ISO image by its Joliet (or Rock Ridge) names, streaming file contents."""

    def __init__(self, path: Path):
        import pycdlib
        from pycdlib.pycdlibexception import PyCdlibException

        self.path = Path(path)
        self.iso = pycdlib.PyCdlib()
        try:
            self.iso.open(str(self.path))
        except PyCdlibException as err:
            raise DiscError(f"{self.path} 不是有效的光盘映像（ISO）：{err}") from None
        if self.iso.has_joliet():
            self.kind = "joliet_path"
        elif self.iso.has_rock_ridge():
            self.kind = "rr_path"
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
            fh = self.iso.open_file_from_iso(**{self.kind: _joliet(rel) if self.kind ==
                                                 "joliet_path" else "/" + rel})
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


# -- reading a disc back --------------------------------------------------------------------
@contextlib.contextmanager
def rpu_files_on(path: Path) -> Iterator[list[tuple[Path, str]]]:
    """The ``.rpu`` files on a disc folder or ISO image, after checking the whole disc.

    Yields (local path, where it came from). ISO members are streamed to a temp folder that
    is removed afterwards. A disc with a missing or altered file yields nothing: it raises.
    """
    path = Path(path)
    report = verify(path)
    if not report.ok:
        raise DiscError(report.message())
    if path.is_dir():
        yield [(p, f"{path.name}/{p.relative_to(path).as_posix()}")
               for p in sorted(path.rglob("*.rpu")) if p.is_file()]
        return
    with tempfile.TemporaryDirectory(prefix="collector-disc-") as tmp, open_iso(path) as image:
        out = []
        for n, rel in enumerate(sorted(r for r in image.files() if r.lower().endswith(".rpu"))):
            (Path(tmp) / f"{n:04d}").mkdir()
            dest = Path(tmp) / f"{n:04d}" / PurePosixPath(rel).name
            out.append((image.extract(rel, dest), f"{path.name}:/{rel}"))
        yield out


def is_disc_folder(path: Path) -> bool:
    return Path(path).is_dir() and (Path(path) / MANIFEST).is_file()


def is_iso(path: Path) -> bool:
    path = Path(path)
    if not path.is_file():
        return False
    if path.suffix.lower() == ".iso":
        return True
    with open(path, "rb") as fh:
        fh.seek(16 * SECTOR + 1)
        return fh.read(5) == b"CD001"


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.1f} MB"
