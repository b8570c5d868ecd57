"""Checking a disc folder or ISO image against its MANIFEST.sha256, and taking the ``.rpu``
files off a disc that passed."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterator

from ..errors import UsageError
from .folder import _hash_file, parse_manifest
from .iso import open_iso
from .layout import EXPLORER_FILES, MANIFEST, DiscError, Progress

# Reparse points that lead elsewhere (Windows); cloud placeholders (OneDrive) are not links.
_LINK_TAGS = frozenset({0xA000000C, 0xA0000003})  # IO_REPARSE_TAG_SYMLINK, _MOUNT_POINT


@dataclass
class VerifyReport:
    source: str
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.altered or self.extra or self.links)

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
        if self.links:
            parts.append("链接或快捷方式（不会跟随读取）" + "、".join(self.links))
        return (f"{self.source} 校验未通过：{'；'.join(parts)}。"
                "请从原始光盘或文件夹重新复制，或请报送单位重新制作光盘")


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
    report = VerifyReport(str(folder))
    present, report.links = _walk_no_links(folder)
    if MANIFEST in report.links:
        return report
    if not manifest.is_file():
        raise DiscError(f"{folder} 中没有 {MANIFEST}，不是本程序制作的光盘文件夹")
    entries = parse_manifest(manifest.read_text(encoding="utf-8"), str(folder))
    for n, (name, digest) in enumerate(sorted(entries.items()), start=1):
        if progress:
            progress(n, len(entries), name)
        if name in report.links or any(name.startswith(link + "/") for link in report.links):
            pass  # a link (or inside one) is never read: it may point out of the folder
        elif name not in present:
            report.missing.append(name)
        elif _hash_file(folder / name) != digest:
            report.altered.append(name)
        report.checked += 1
    report.extra = sorted(n for n in present - set(entries) - {MANIFEST}
                          if PurePosixPath(n).name.lower() not in EXPLORER_FILES)
    return report


def _walk_no_links(folder: Path) -> tuple[set[str], list[str]]:
    """Regular files under ``folder`` (relative, '/'-separated) and the links found, which are
    listed but never entered or read."""
    files: set[str] = set()
    links: list[str] = []
    pending = [(folder, "")]
    while pending:
        current, prefix = pending.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                rel = prefix + entry.name
                info = entry.stat(follow_symlinks=False)
                if is_link(info):
                    links.append(rel)
                elif stat.S_ISDIR(info.st_mode):
                    pending.append((Path(entry.path), rel + "/"))
                elif stat.S_ISREG(info.st_mode):
                    files.add(rel)
    return files, sorted(links)


def is_link(info: os.stat_result) -> bool:
    """A symbolic link, or on Windows a symlink or junction reparse point (not a OneDrive
    placeholder, which is also a reparse point but holds the file itself)."""
    if stat.S_ISLNK(info.st_mode):
        return True
    return getattr(info, "st_reparse_tag", 0) in _LINK_TAGS


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
        report.extra = sorted(n for n in present - set(entries) - {MANIFEST}
                              if PurePosixPath(n).name.lower() not in EXPLORER_FILES)
    return report


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
        # Any case of the extension, as on an image (rglob is case-sensitive off Windows).
        yield [(p, f"{path.name}/{p.relative_to(path).as_posix()}")
               for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() == ".rpu"]
        return
    with tempfile.TemporaryDirectory(prefix="collector-disc-") as tmp, open_iso(path) as image:
        out = []
        for n, rel in enumerate(sorted(r for r in image.files() if r.lower().endswith(".rpu"))):
            (Path(tmp) / f"{n:04d}").mkdir()
            dest = Path(tmp) / f"{n:04d}" / PurePosixPath(rel).name
            out.append((image.extract(rel, dest), f"{path.name}:/{rel}"))
        yield out
