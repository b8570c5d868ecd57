"""The disc folder (DESIGN §9): laid out, with its README.txt and MANIFEST.sha256, written
all at once; and reading a manifest back."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator

from ..common.errors import InputError, UsageError
from ..common.fingerprint import file_sha256
from ..common.paths import is_drive_root
from .layout import (MANIFEST, PRINT_DIR, README, RPU_DIR, SUMMARY_XLSX, DiscError,
                     DiscLabel, Progress)
from .medium import check_medium
from .names import check_name, fit_name, fit_tree


def build_folder(out: Path, *, rpu_files: Iterable[Path], label: DiscLabel,
                 fill_print: Callable[[Path], object] | None = None,
                 summary_xlsx: Path | None = None, readme_extra: str = "",
                 medium: str | None = None, capacity: int | None = None,
                 progress: Progress | None = None) -> Path:
    """Write the disc folder at ``out`` all at once: built beside it, checked against the
    medium's size, then renamed into place (a refusal leaves nothing behind)."""
    out = Path(out)
    check_target(out)
    rpu_files = [Path(p) for p in rpu_files]
    if not rpu_files:
        raise InputError("没有可以写入光盘的报送包（.rpu），请先生成本单位的报送包")
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.parent / f".{out.name}.building-{uuid.uuid4().hex[:8]}"
    stage.mkdir()
    try:
        (stage / RPU_DIR).mkdir()
        taken: set[str] = set()  # two packages of the same name must not overwrite each other
        for n, src in enumerate(rpu_files, start=1):
            if progress:
                progress(n, len(rpu_files), src.name)
            shutil.copyfile(src, stage / RPU_DIR / fit_name(src.name, taken))
        (stage / PRINT_DIR).mkdir()
        if fill_print:
            fill_print(stage / PRINT_DIR)
        if summary_xlsx:
            shutil.copyfile(summary_xlsx, stage / SUMMARY_XLSX)
        fit_tree(stage)  # names Windows shows on the disc (Joliet) = folder = manifest
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


def check_target(out: Path) -> None:
    """The disc folder is built beside ``out`` and renamed into place: it must be a new or
    empty folder, and not a drive's top (``E:\\``), which has no "beside"."""
    if is_drive_root(out):
        raise UsageError(f"{out} 是磁盘（或U盘、网络共享）的根目录，不能直接作为光盘文件夹；"
                         f"请在其中新建一个子文件夹，例如 {Path(out) / '报送光盘'}")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} 已存在且不是空文件夹，请指定一个新的文件夹")


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
        f"  {PRINT_DIR}/        推荐报告（PDF，及可编辑的 DOCX）、汇总表、个人登记表（PDF）",
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


_hash_file = file_sha256  # kept importable under its old name


def parse_manifest(text: str, source: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    folded: dict[str, str] = {}
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
        check_name(name)  # NUL, newline or bidi marks in a listed name: a forged manifest
        # Listed twice (or twice as Windows compares names): which line would count?
        again = folded.setdefault(name.casefold(), name)
        if name in entries or again != name:
            raise DiscError(f"{source} 的 {MANIFEST} 第{n}行重复列出了 {name}"
                            + (f"（与 {again} 在 Windows 上是同一文件）" if again != name else "")
                            + "，清单可能被篡改；请报送单位重新制作光盘")
        entries[name] = m.group(1).lower()
    return entries


def is_disc_folder(path: Path) -> bool:
    return Path(path).is_dir() and (Path(path) / MANIFEST).is_file()
