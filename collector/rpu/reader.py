"""Reading a package: ``inspect`` (no key) and ``open_package`` (decrypt, verify everything).

``open_package`` makes one full pass: every chunk authenticated, the signature checked before
any part is trusted, every part's size and SHA-256 checked, decompression capped, nothing after
the last part. Parts are then re-read on demand (``open_part``) by seeking to their chunk;
``iter_located_part`` does the same from a ``PartLocation`` kept earlier, without the identity.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterator, Protocol

from ..common.atomic import atomic_writer
from ..common.errors import InputError, os_reason
from ..common.fingerprint import canonical_json, short
from ..common.jsonio import parse_json_bytes
from .crypto import StreamReader, payload_key, signed_message, unwrap_file_key, verify_signature
from .errors import NotForThisKey, PackageError
from .format import (CHUNK, FORMAT_NAME, MAGIC, MAX_HEADER, MAX_MANIFEST, MAX_RECIPIENTS,
                     PREFIX, TAG, VERSION, PartEntry, parse_manifest, unb64)
from .keys import Identity, key_fingerprint

SIGNATURE_SIZE = 64
ASYNC_HASH_MIN = 1 << 20  # smaller pieces are hashed in line: a thread hand-off costs more
_HEX64 = re.compile(r"[0-9a-f]{64}")


class Staging(Protocol):
    """What a verification pass may hand its bytes to as it reads (the inbox's
    ``exchange.staging.Staging`` keeps the package without a second read)."""

    def source(self) -> IO[bytes] | None: ...  # a file to read instead of opening the path
    def raw(self, block: memoryview) -> None: ...  # the file's bytes, first to last
    def finish(self) -> None: ...


@dataclass
class Head:
    header: dict
    head_bytes: bytes
    payload_start: int
    payload_len: int
    sender_public: bytes

    @property
    def sender_fingerprint(self) -> str:
        return key_fingerprint(self.sender_public)


def open_file(path: Path) -> IO[bytes]:
    """A package file opened for reading; what stops it is one PackageError line."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise PackageError(f"文件 {path} 不存在") from None
    except OSError as err:
        # Windows refuses to open a folder with PermissionError, not IsADirectoryError.
        if isinstance(err, IsADirectoryError) or os.path.isdir(path):
            raise PackageError(f"{path} 是文件夹，不是报送文件") from None
        raise PackageError(f"无法打开 {path}：{os_reason(err)}") from None


def read_head(fh: IO[bytes]) -> Head:
    """Parse and check the clear part: magic, version, header JSON."""
    prefix = fh.read(PREFIX.size)
    if len(prefix) < PREFIX.size or prefix[:len(MAGIC)] != MAGIC:
        if len(prefix) >= 4 and prefix[:4] == MAGIC[:4]:
            raise PackageError("文件被截断：文件头不完整")
        raise PackageError("不是报送文件（.rpu）：文件开头的标识不对")
    _, version, hlen = PREFIX.unpack(prefix)
    if version != VERSION:
        raise PackageError(f"报送文件格式版本 {version} 不受支持（本程序支持版本 {VERSION}），"
                           "请升级程序或请报送方用相同版本重新生成")
    if hlen > MAX_HEADER:
        raise PackageError(f"文件头过大（{hlen} 字节），文件已损坏")
    raw = fh.read(hlen)
    if len(raw) != hlen:
        raise PackageError("文件被截断：文件头不完整")
    try:
        header = parse_json_bytes(raw, "文件头")
    except InputError:
        raise PackageError("文件头已损坏（不是有效的 JSON）") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise PackageError("文件头已损坏（格式标识不对）")
    if header.get("chunk") != CHUNK or not isinstance(header.get("created"), str):
        raise PackageError("文件头已损坏（分块大小或生成时间无效）")
    unb64(header.get("nonce"), "nonce", 16)
    sender = unb64(header.get("sender"), "sender", 32)
    stanzas = header.get("recipients")
    if not isinstance(stanzas, list) or not 1 <= len(stanzas) <= MAX_RECIPIENTS:
        raise PackageError("文件头中的接收方列表无效")
    for st in stanzas:
        if not isinstance(st, dict) or not isinstance(st.get("fingerprint"), str) \
                or not _HEX64.fullmatch(st["fingerprint"]):
            raise PackageError("文件头中的接收方条目无效")
        unb64(st.get("ephemeral"), "ephemeral", 32)
        unb64(st.get("wrapped"), "wrapped", 48)
    start = PREFIX.size + hlen
    size = getattr(fh, "final_size", None)  # a copy still being written knows its end
    if size is None:
        size = os.fstat(fh.fileno()).st_size
    return Head(header, prefix + raw, start, size - start, sender)


def inspect(path: str | os.PathLike) -> dict:
    """What can be told without a key: version, sender, recipients' key ids, created, size."""
    path = Path(path)
    with open_file(path) as fh:
        head = read_head(fh)
    n = (head.payload_len + CHUNK + TAG - 1) // (CHUNK + TAG)
    return {"file": str(path), "size": head.payload_start + head.payload_len,
            "format_version": VERSION, "created": head.header["created"],
            "sender_fingerprint": head.sender_fingerprint,
            "recipients": [st["fingerprint"] for st in head.header["recipients"]],
            "chunks": n}


def _decompress(pieces: Iterator[memoryview], entry: PartEntry) -> Iterator[bytes]:
    """zlib with the output capped at the declared size: a bomb stops at the cap."""
    d = zlib.decompressobj()
    produced = 0
    try:
        for piece in pieces:
            data = bytes(piece)
            while data:
                out = d.decompress(data, CHUNK)
                produced += len(out)
                if produced > entry.size:
                    raise PackageError(f"部件 {entry.name} 解压后超过声明的大小，疑似压缩炸弹")
                yield out
                data = d.unconsumed_tail
        out = d.flush(CHUNK)
    except zlib.error:
        raise PackageError(f"部件 {entry.name} 的压缩数据已损坏") from None
    produced += len(out)
    if produced > entry.size:
        raise PackageError(f"部件 {entry.name} 解压后超过声明的大小，疑似压缩炸弹")
    if not d.eof or d.unused_data:
        raise PackageError(f"部件 {entry.name} 的压缩数据不完整或有多余数据")
    yield out


def _content(stream: StreamReader, entry: PartEntry) -> Iterator[bytes | memoryview]:
    pieces = stream.pieces(entry.stored)
    return _decompress(pieces, entry) if entry.compression else pieces


def _check_part(chunks: Iterator, entry: PartEntry, keep: bool,
                pool: ThreadPoolExecutor | None = None) -> bytes | None:
    """Hash (and keep, for records) a part's bytes; large pieces are hashed on ``pool`` while
    the next piece is decrypted (hashlib releases the GIL; a piece stays valid until the
    second load after it, see crypto.StreamReader)."""
    h, n, kept, hashing = hashlib.sha256(), 0, [], None
    for c in chunks:
        if hashing:
            hashing.result()
            hashing = None
        if pool is not None and len(c) >= ASYNC_HASH_MIN:
            hashing = pool.submit(h.update, c)
        else:
            h.update(c)
        n += len(c)
        if keep:
            kept.append(bytes(c))
    if hashing:
        hashing.result()
    if n != entry.size or h.hexdigest() != entry.sha256:
        raise PackageError(f"部件 {entry.name} 的内容与清单中的 SHA-256 不符，文件已被篡改")
    return b"".join(kept) if keep else None


@dataclass
class Package:
    """A verified package. Parts are re-read from the file on demand and re-checked."""

    path: Path
    manifest: dict
    signer_fingerprint: str
    recipients: list[str]
    candidate_parts: list[tuple[str, dict]]
    _key: bytes = field(repr=False)
    _head: Head = field(repr=False)
    _offsets: dict[str, int] = field(repr=False)
    staging: Staging | None = field(default=None, repr=False)  # what the pass kept (inbox)

    @property
    def signer(self) -> dict:
        return self.manifest["sender"]

    @property
    def signer_short(self) -> str:
        return short(self.signer_fingerprint)

    @property
    def candidates(self) -> list[dict]:
        return [rec for _, rec in self.candidate_parts]

    @property
    def parts(self) -> dict[str, PartEntry]:
        return {p.name: p for p in self.manifest["parts"]}

    @property
    def nested(self) -> list[PartEntry]:
        return [p for p in self.manifest["parts"] if p.kind == "package"]

    def find_fingerprint(self, printed: str) -> tuple[str, dict] | None:
        """The candidate whose record fingerprint matches a printed one (paper ↔ file)."""
        from ..common.fingerprint import matches

        for name, rec in self.candidate_parts:
            if matches(printed, self.parts[name].sha256):
                return name, rec
        return None

    def part_location(self, name: str) -> "PartLocation":
        """Where part ``name`` lies in this file and the payload key that opens it."""
        entry = self.parts.get(name)
        if entry is None:
            raise PackageError(f"报送文件中没有部件 {name}")
        return PartLocation(self._key, self._head.payload_start, self._head.payload_len,
                            self._offsets[name], entry)

    def iter_part(self, name: str) -> Iterator[bytes]:
        """The part's bytes in pieces; raises PackageError at the end if they do not match."""
        return iter_located_part(self.path, self.part_location(name))

    def open_part(self, name: str) -> IO[bytes]:
        """A readable binary stream of one part (checked against the manifest as it is read)."""
        return as_stream(self.iter_part(name))

    def read_part(self, name: str) -> bytes:
        return b"".join(self.iter_part(name))

    def extract_part(self, name: str, dest: str | os.PathLike) -> Path:
        with atomic_writer(Path(dest)) as out:
            for piece in self.iter_part(name):
                out.write(piece)
        return Path(dest)

    def open_nested(self, name: str, identity: Identity, workdir: str | os.PathLike) -> "Package":
        """Extract an inner package to ``workdir`` and open it (it must verify on its own)."""
        if self.parts.get(name) is None or self.parts[name].kind != "package":
            raise PackageError(f"报送文件中没有内层报送文件 {name}")
        dest = Path(workdir) / Path(name).name
        self.extract_part(name, dest)
        return open_package(dest, identity)


@dataclass(frozen=True)
class PartLocation:
    """What opens one part of a package file again without the recipient's private key: the
    derived payload key, where the payload starts and how long it is, the part's offset in the
    plaintext and its manifest line (size, SHA-256, stored bytes, compression)."""

    payload_key: bytes = field(repr=False)
    payload_start: int
    payload_len: int
    offset: int
    entry: PartEntry


def iter_located_part(path: str | os.PathLike, loc: PartLocation) -> Iterator[bytes]:
    """One part's bytes, decrypted from its chunks on; every chunk is authenticated and the
    size and SHA-256 are checked at the end (PackageError), so altered bytes never pass."""
    entry = loc.entry
    with open_file(Path(path)) as fh:
        if os.fstat(fh.fileno()).st_size != loc.payload_start + loc.payload_len:
            raise PackageError(f"部件 {entry.name} 所在的报送文件长度已改变，文件已被改动")
        stream = StreamReader(fh, loc.payload_key, loc.payload_start, loc.payload_len,
                              first_chunk=loc.offset // CHUNK)
        if entry.stored:
            stream.skip_in_chunk(loc.offset % CHUNK)
        h, n = hashlib.sha256(), 0
        for piece in _content(stream, entry):
            h.update(piece)
            n += len(piece)
            yield bytes(piece)
    if n != entry.size or h.hexdigest() != entry.sha256:
        raise PackageError(f"部件 {entry.name} 在校验后被改动，请重新打开报送文件")


def as_stream(pieces: Iterator[bytes]) -> IO[bytes]:
    """A readable binary stream over pieces (a part being decrypted); closing it closes them."""
    return io.BufferedReader(_IterStream(pieces), buffer_size=CHUNK)


class _IterStream(io.RawIOBase):
    def __init__(self, it: Iterator[bytes]):
        self._it, self._left = it, b""

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        close = getattr(self._it, "close", None)
        if close:
            close()  # closes the package file even when the part was not read to the end
        super().close()

    def readinto(self, buf) -> int:
        while not self._left:
            self._left = next(self._it, None)
            if self._left is None:
                self._left = b""
                return 0
        n = min(len(buf), len(self._left))
        buf[:n] = self._left[:n]
        self._left = self._left[n:]
        return n


def open_package(path: str | os.PathLike, identity: Identity,
                 progress: Callable[[int, int], None] | None = None, *,
                 staging: Staging | None = None) -> Package:
    """Decrypt and verify the whole package; any failure raises one PackageError line.

    With ``staging`` the same pass also writes the file's own bytes to a temporary file
    (exchange.staging); the caller keeps it (a received package is stored once, its attachments
    read from it later through ``part_location``) or discards it.
    """
    path = Path(path)
    try:
        return _open_package(path, identity, progress, staging)
    except NotForThisKey as err:
        raise err.in_file(path.name) from None
    except PackageError as err:
        raise PackageError(f"{path.name}：{err}") from None
    except (struct.error, MemoryError, OverflowError):
        raise PackageError(f"{path.name}：文件已损坏") from None


def _open_package(path: Path, identity: Identity, progress, staging: Staging | None) -> Package:
    source = staging.source() if staging is not None else None
    with source or open_file(path) as fh:
        head = read_head(fh)
        if staging is not None:
            staging.raw(memoryview(head.head_bytes))
        recipients = [st["fingerprint"] for st in head.header["recipients"]]
        stanza = next((st for st in head.header["recipients"]
                       if st["fingerprint"] == identity.fingerprint), None)
        if stanza is None:
            raise NotForThisKey(identity.fingerprint, recipients)
        file_key = unwrap_file_key(identity.box_private, unb64(stanza["ephemeral"], "ephemeral"),
                                   unb64(stanza["wrapped"], "wrapped"))
        if file_key is None:
            raise PackageError("无法用本机密钥解开文件密钥：文件已损坏或被篡改")
        key = payload_key(file_key, head.head_bytes)
        done = [0]

        def step(n: int) -> None:
            done[0] += n
            if progress:
                progress(done[0], head.payload_len)

        stream = StreamReader(fh, key, head.payload_start, head.payload_len, progress=step,
                              on_raw=staging.raw if staging is not None else None)
        (mlen,) = struct.unpack(">I", stream.read(4))
        if mlen > MAX_MANIFEST:
            raise PackageError(f"清单过大（{mlen} 字节），文件已损坏")
        manifest_bytes = stream.read(mlen)
        signature = stream.read(SIGNATURE_SIZE)
        if not verify_signature(head.sender_public, signature,
                                signed_message(head.head_bytes, manifest_bytes)):
            raise PackageError("签名无效：文件头或清单被改动过，或不是由所示报送方签名")
        manifest = parse_manifest(manifest_bytes)
        if manifest["sender"]["fingerprint"] != head.sender_fingerprint \
                or manifest["created"] != head.header["created"]:
            raise PackageError("清单与文件头不一致")
        offsets, candidates = {}, []
        offset = 4 + mlen + SIGNATURE_SIZE
        with ThreadPoolExecutor(1) as hashing:
            for entry in manifest["parts"]:
                offsets[entry.name] = offset
                offset += entry.stored
                data = _check_part(_content(stream, entry), entry, entry.kind == "candidate",
                                   hashing)
                if data is not None:
                    candidates.append((entry.name, _candidate(entry, data)))
        if not stream.at_end():
            raise PackageError("最后一个部件之后还有多余数据，文件已被篡改")
        if staging is not None:
            staging.finish()
    return Package(path, manifest, head.sender_fingerprint, recipients, candidates,
                   key, head, offsets, staging)


def _candidate(entry: PartEntry, data: bytes) -> dict:
    try:
        record = parse_json_bytes(data, entry.name)
    except InputError as err:  # bad Unicode, a huge number, deep nesting: FORMAT, not a crash
        raise PackageError(f"FORMAT：候选人部件 {err}") from None
    if not isinstance(record, dict) or canonical_json(record) != data:
        raise PackageError(f"候选人部件 {entry.name} 不是规范格式的记录")
    return record
