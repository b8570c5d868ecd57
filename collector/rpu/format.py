"""The .rpu byte layout: magic, version, the clear header, limits, part names (docs/rpu-format.md)."""

from __future__ import annotations

import base64
import re
import struct
from dataclasses import dataclass
from typing import Any

from ..common.errors import InputError
from ..common.jsonio import parse_json_bytes
from .errors import PackageError

MAGIC = b"\x89RPU\r\n\x1a\n"
VERSION = 1
PREFIX = struct.Struct(">8sBI")  # magic, version, header length
CHUNK = 64 * 1024
TAG = 16
FORMAT_NAME = "talent-collector-rpu"

KINDS = ("candidate", "attachment", "package", "document")

# Limits. Readers refuse anything beyond them before allocating or decompressing.
MAX_HEADER = 256 * 1024
MAX_MANIFEST = 16 * 1024 * 1024
MAX_RECIPIENTS = 64
MAX_PARTS = 20_000
MAX_PART_SIZE = 4 * 1024 ** 3
MAX_TOTAL_SIZE = 64 * 1024 ** 3
MAX_CANDIDATE_SIZE = 4 * 1024 * 1024  # candidate records are held in memory
MAX_COMPRESSED_PART = 64 * 1024 * 1024  # size after decompression; writers compress ≤ 8 MiB
MAX_NAME_BYTES = 240
MAX_NAME_DEPTH = 8

_BAD_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any, what: str, length: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise PackageError(f"文件头字段 {what} 格式错误")
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        raise PackageError(f"文件头字段 {what} 不是有效的 base64") from None
    if length is not None and len(raw) != length:
        raise PackageError(f"文件头字段 {what} 长度错误")
    return raw


def check_part_name(name: Any) -> str:
    """A relative POSIX path: no '..', no absolute path, no backslash or drive letter."""
    if not isinstance(name, str) or not name:
        raise PackageError("部件名称为空或不是文本")
    shown = name[:60]
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise PackageError(f"部件名称过长：{shown}…")
    if name.startswith("/") or _BAD_NAME_CHARS.search(name):
        raise PackageError(f"部件名称不安全（绝对路径、反斜杠、盘符或控制字符）：{shown}")
    parts = name.split("/")
    if len(parts) > MAX_NAME_DEPTH:
        raise PackageError(f"部件名称层级过深：{shown}")
    for p in parts:
        if p in ("", ".", "..") or p != p.strip():
            raise PackageError(f"部件名称不安全（含 ..、空段或首尾空格）：{shown}")
    return name


@dataclass(frozen=True)
class PartEntry:
    """One line of the manifest; ``stored`` is the byte count inside the payload."""

    name: str
    kind: str
    size: int
    sha256: str
    compression: str | None
    stored: int

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind, "size": self.size, "sha256": self.sha256,
                "compression": self.compression, "stored": self.stored}


def _int(value: Any, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PackageError(f"清单中 {what} 的数值无效或超出上限（{value!r}）")
    return value


def parse_part(raw: Any) -> PartEntry:
    if not isinstance(raw, dict):
        raise PackageError("清单中的部件条目格式错误")
    name = check_part_name(raw.get("name"))
    kind = raw.get("kind")
    if kind not in KINDS:
        raise PackageError(f"部件 {name} 的类型 {kind!r} 未知")
    size = _int(raw.get("size"), f"{name} 的大小", 0, MAX_PART_SIZE)
    stored = _int(raw.get("stored"), f"{name} 的存储大小", 0, MAX_PART_SIZE)
    sha = raw.get("sha256")
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise PackageError(f"部件 {name} 的 SHA-256 格式错误")
    comp = raw.get("compression")
    if comp not in (None, "zlib"):
        raise PackageError(f"部件 {name} 的压缩方式 {comp!r} 未知")
    if comp is None and stored != size:
        raise PackageError(f"部件 {name} 的大小与存储大小不一致")
    if comp and size > MAX_COMPRESSED_PART:
        raise PackageError(f"部件 {name} 解压后过大（{size} 字节），疑似压缩炸弹")
    if kind == "candidate" and size > MAX_CANDIDATE_SIZE:
        raise PackageError(f"候选人部件 {name} 过大（{size} 字节）")
    return PartEntry(name, kind, size, sha, comp, stored)


def parse_manifest(data: bytes) -> dict:
    """Decode and check the manifest's shape; returns it with ``parts`` as PartEntry objects."""
    try:
        manifest = parse_json_bytes(data, "清单")
    except InputError as err:
        what = "部件名称无效" if re.search(r"parts\[\d+\]\.name：", err.message) else "清单不是有效的 JSON"
        raise PackageError(f"{what}（{err.message}）") from None
    if not isinstance(manifest, dict):
        raise PackageError("清单格式错误")
    if manifest.get("format_version") != VERSION:
        raise PackageError(f"清单版本 {manifest.get('format_version')!r} 不受支持")
    sender = manifest.get("sender")
    if not isinstance(sender, dict) or not all(isinstance(sender.get(k), str)
                                               for k in ("role", "unit", "name", "fingerprint")):
        raise PackageError("清单中的报送方信息格式错误")
    _int(manifest.get("program_year"), "年度", 2000, 2999)
    if not isinstance(manifest.get("created"), str):
        raise PackageError("清单中的生成时间格式错误")
    raw_parts = manifest.get("parts")
    if not isinstance(raw_parts, list) or len(raw_parts) > MAX_PARTS:
        raise PackageError("清单中的部件列表格式错误或部件过多")
    parts = [parse_part(p) for p in raw_parts]
    names = [p.name for p in parts]
    if len(set(names)) != len(names):
        raise PackageError("清单中有重名部件")
    if sum(p.stored for p in parts) > MAX_TOTAL_SIZE:
        raise PackageError("报送文件总大小超出上限")
    manifest["parts"] = parts
    return manifest


def manifest_json(manifest: dict) -> dict:
    out = dict(manifest)
    out["parts"] = [p.to_json() for p in manifest["parts"]]
    return out
