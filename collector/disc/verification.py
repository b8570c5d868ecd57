"""Checking a disc folder or ISO image against its MANIFEST.sha256, and taking the ``.rpu``
files off a disc that passed.

An image has up to four trees of names (Rock Ridge, Joliet, UDF, plain ISO 9660) and each can
lead to other bytes: Windows shows Joliet (or UDF), Linux Rock Ridge. The first tree is checked
against the manifest, every other one against the first, so whatever a reader opens was checked.
Names on a disc are chosen by whoever made it: messages show them escaped (``text.shown``)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterator

from ..common.errors import UsageError
from ..common.text import shown
from .folder import _hash_file, parse_manifest
from .iso import joliet_paths, open_iso
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
    trees: list[str] = field(default_factory=list)  # an image's trees that disagree

    @property
    def ok(self) -> bool:
        return not (self.missing or self.altered or self.extra or self.links or self.trees)

    def message(self) -> str:
        if self.ok:
            return f"{shown(self.source)}：{self.checked} 个文件全部与 {MANIFEST} 一致"
        parts = []
        for label, names in (("缺少 ", self.missing), ("内容被改动 ", self.altered),
                             ("清单外的文件 ", self.extra),
                             ("链接或快捷方式（不会跟随读取）", self.links),
                             ("映像中的文件名目录彼此不一致（Windows 显示 Joliet 或 UDF 目录，"
                              "其他系统显示 Rock Ridge 目录）：", self.trees)):
            if names:
                parts.append(label + "、".join(shown(n) for n in names))
        return (f"{shown(self.source)} 校验未通过：{'；'.join(parts)}。"
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
        check_image(image, report, progress)
    return report


def check_image(image: open_iso, report: VerifyReport,
                progress: Progress | None = None) -> dict[str, str]:
    """Check the image's first tree against its manifest and every other tree against the
    first; fills ``report`` and returns the manifest's entries."""
    entries = parse_manifest(image.read_text(MANIFEST), str(image.path))
    first = set(image.files())
    for n, (name, digest) in enumerate(sorted(entries.items()), start=1):
        if progress:
            progress(n, len(entries), name)
        if name not in first:
            report.missing.append(name)
        elif image.sha256(name) != digest:
            report.altered.append(name)
        report.checked += 1
    report.extra = sorted(n for n in first - set(entries) - {MANIFEST}
                          if PurePosixPath(n).name.lower() not in EXPLORER_FILES)
    digests = {name: image.sha256(name) for name in sorted(first)}
    for label, kind in image.trees[1:]:
        report.trees += _tree_differs(image, label, kind, digests)
    return entries


def _tree_differs(image: open_iso, label: str, kind: str, digests: dict[str, str]) -> list[str]:
    """What in tree ``kind`` differs from the first tree (``digests``: name -> SHA-256). Plain
    ISO 9660 names are made up (F00001.RPU), so that tree is compared by content only; Joliet
    names too long for Joliet are the cut ones ``make_iso`` writes."""
    names = sorted(image.files(kind))
    if kind == "joliet_path":  # (a first tree is never compared with itself)
        twin = joliet_paths(image.folders(), list(digests))
        digests = {twin[n].lstrip("/"): d for n, d in digests.items()}
    if kind == "iso_path":
        ours = sorted(image.sha256(n, kind) for n in names)
        if ours == sorted(digests.values()):
            return []
        unknown = [n for n in names if image.sha256(n, kind) not in set(digests.values())]
        return [f"{label} 目录的 {len(names)} 个文件与 {image.label} 目录的 {len(digests)} 个"
                f"内容不同（{'、'.join(unknown) or '份数不同'}）"]
    out = [f"{label} 目录中 {n} 内容不同" for n in names
           if n in digests and image.sha256(n, kind) != digests[n]]
    out += [f"{label} 目录多出 {n}" for n in names if n not in digests
            and PurePosixPath(n).name.lower() not in EXPLORER_FILES]
    out += [f"{label} 目录缺少 {n}" for n in sorted(set(digests) - set(names))]
    return out


@contextlib.contextmanager
def rpu_files_on(path: Path) -> Iterator[list[tuple[Path, str]]]:
    """The ``.rpu`` files on a disc folder or ISO image, after checking the whole disc.

    Yields (local path, where it came from). ISO members are checked and taken off in one
    opening of the image, each copy hashed again against the manifest, into a temp folder that
    is removed afterwards. A disc with a missing or altered file yields nothing: it raises.
    """
    path = Path(path)
    if path.is_dir():
        report = verify(path)
        if not report.ok:
            raise DiscError(report.message())
        # Any case of the extension, as on an image (rglob is case-sensitive off Windows).
        yield [(p, f"{path.name}/{p.relative_to(path).as_posix()}")
               for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() == ".rpu"]
        return
    if not path.is_file():
        raise UsageError(f"{path} 不存在")
    with tempfile.TemporaryDirectory(prefix="collector-disc-") as tmp, open_iso(path) as image:
        report = VerifyReport(str(path))
        entries = check_image(image, report)
        if not report.ok:
            raise DiscError(report.message())
        out = []
        for n, rel in enumerate(sorted(r for r in entries if r.lower().endswith(".rpu"))):
            (Path(tmp) / f"{n:04d}").mkdir()
            dest = Path(tmp) / f"{n:04d}" / PurePosixPath(rel).name
            out.append((image.extract(rel, dest, entries[rel]), f"{path.name}:/{rel}"))
        yield out
