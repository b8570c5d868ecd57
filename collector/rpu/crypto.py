"""The cryptographic construction: key wrapping per recipient, the STREAM payload, signatures.

- File key: 32 random bytes, wrapped for each recipient with an ephemeral X25519 exchange,
  HKDF-SHA256 and ChaCha20-Poly1305 (like age's X25519 stanzas).
- Payload key: HKDF(file key, salt = SHA-256 of the clear prefix + header), so any change to the
  header makes the first payload chunk fail.
- Payload: 64 KiB plaintext chunks of ChaCha20-Poly1305, nonce = 11-byte big-endian counter +
  last-chunk flag, so truncation, reordering and appended data all fail authentication.
"""

from __future__ import annotations

import hashlib
import os
from typing import IO, Callable, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.exceptions import InvalidSignature

from .errors import PackageError
from .format import CHUNK, TAG

WRAP_INFO = b"talent-collector rpu v1 wrap"
PAYLOAD_INFO = b"talent-collector rpu v1 payload"
SIGN_CONTEXT = b"talent-collector rpu v1 manifest\x00"

Random = Callable[[int], bytes]


def hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def wrap_file_key(file_key: bytes, recipient_box: bytes, rng: Random = os.urandom) -> tuple[bytes, bytes]:
    """Return (ephemeral public key, wrapped file key) for one recipient's X25519 key."""
    eph = X25519PrivateKey.from_private_bytes(rng(32))
    eph_pub = eph.public_key().public_bytes_raw()
    shared = eph.exchange(X25519PublicKey.from_public_bytes(recipient_box))
    key = hkdf(shared, eph_pub + recipient_box, WRAP_INFO)
    return eph_pub, ChaCha20Poly1305(key).encrypt(b"\x00" * 12, file_key, None)


def unwrap_file_key(box_private: X25519PrivateKey, eph_pub: bytes, wrapped: bytes) -> bytes | None:
    own = box_private.public_key().public_bytes_raw()
    try:
        shared = box_private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
        key = hkdf(shared, eph_pub + own, WRAP_INFO)
        return ChaCha20Poly1305(key).decrypt(b"\x00" * 12, wrapped, None)
    except (InvalidTag, ValueError):
        return None


def payload_key(file_key: bytes, head_bytes: bytes) -> bytes:
    return hkdf(file_key, hashlib.sha256(head_bytes).digest(), PAYLOAD_INFO)


def signed_message(head_bytes: bytes, manifest_bytes: bytes) -> bytes:
    """What the sender signs: the header (recipients, sender key) and the manifest, by hash."""
    return (SIGN_CONTEXT + hashlib.sha256(head_bytes).digest()
            + hashlib.sha256(manifest_bytes).digest())


def verify_signature(sign_public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(sign_public).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class StreamWriter:
    """Encrypts a plaintext stream into ``fh`` chunk by chunk; ``close()`` seals the last chunk.

    The sealed chunks gather in a buffer of ``batch`` chunks that goes to ``fh.write`` whole:
    a 512 MiB attachment is 128 writes of 4 MiB, not 8,192 small ones, and no chunk allocates
    its own ciphertext object. Two buffers take turns, so ``fh`` may still be writing one
    block until its next ``write`` returns (rpu.writer writes from a thread).
    """

    def __init__(self, fh: IO[bytes], key: bytes, batch: int = 64):
        self._fh = fh
        self._aead = ChaCha20Poly1305(key)
        self._into = getattr(self._aead, "encrypt_into", None)  # cryptography ≥ 45
        self._pending = bytearray()  # at most one chunk of plaintext, not yet known not last
        self._out = bytearray(batch * (CHUNK + TAG))
        self._spare = bytearray(len(self._out))
        self._used = 0
        self._counter = 0

    def _emit(self, data, last: bool) -> None:
        end = self._used + len(data) + TAG
        if end > len(self._out):
            self.flush()
            end = len(data) + TAG
        nonce = _nonce(self._counter, last)
        if self._into is not None:
            self._into(nonce, data, None, memoryview(self._out)[self._used:end])
        else:
            self._out[self._used:end] = self._aead.encrypt(nonce, bytes(data), None)
        self._used = end
        self._counter += 1

    def flush(self) -> None:
        """Hand the sealed chunks gathered so far to ``fh``."""
        if self._used:
            self._fh.write(memoryview(self._out)[:self._used])
            self._out, self._spare = self._spare, self._out
            self._used = 0

    def write(self, data: bytes | memoryview) -> None:
        mv = memoryview(data)
        pos = 0
        if self._pending:
            take = min(CHUNK - len(self._pending), len(mv))
            self._pending += mv[:take]
            pos = take
            if len(self._pending) < CHUNK or pos == len(mv):
                return  # a full chunk is only sealed once more data shows it is not the last
            self._emit(self._pending, False)
            self._pending = bytearray()
        while len(mv) - pos > CHUNK:
            self._emit(mv[pos:pos + CHUNK], False)
            pos += CHUNK
        self._pending += mv[pos:]

    def close(self) -> None:
        self._emit(self._pending, True)
        self._pending = bytearray()
        self.flush()


def chunk_layout(payload_len: int) -> tuple[int, int]:
    """(number of chunks, ciphertext length of the last one) for a payload of this length."""
    full = CHUNK + TAG
    n, rem = divmod(payload_len, full)
    if rem:
        if rem <= TAG:
            raise PackageError("文件被截断或已损坏（最后一块不完整）")
        return n + 1, rem
    if n == 0:
        raise PackageError("文件被截断：没有加密数据")
    return n, full


class StreamReader:
    """Decrypts the payload from ``start`` in ``fh``; ``read(n)`` returns exactly n plaintext bytes.

    Chunks are read and decrypted up to ``batch`` at a time (one 4 MiB read, no object per
    chunk) into two plaintext buffers in turn: a piece ``pieces`` yields stays valid until the
    second load after it, so a caller may hash it on another thread while the next is read.
    """

    def __init__(self, fh: IO[bytes], key: bytes, start: int, payload_len: int,
                 first_chunk: int = 0, progress: Callable[[int], None] | None = None,
                 batch: int = 64, on_raw: Callable[[memoryview], None] | None = None):
        """``on_raw`` gets each batch's ciphertext once it has decrypted (valid, like a piece,
        until the second load after it)."""
        self._fh = fh
        self._aead = ChaCha20Poly1305(key)
        self._into = getattr(self._aead, "decrypt_into", None)  # cryptography ≥ 45
        self.n_chunks, self._last_len = chunk_layout(payload_len)
        self._batch = batch
        self._next = first_chunk
        self._raw = [bytearray(), bytearray()]
        self._on_raw = on_raw
        self._plain = [bytearray(), bytearray()]
        self._turn = 0
        self._cur = memoryview(b"")
        self._pos = 0
        self._progress = progress
        fh.seek(start + first_chunk * (CHUNK + TAG))

    def _load(self, want: int = CHUNK) -> bool:
        """Decrypt the next chunks, enough for ``want`` bytes (at least one, at most a batch)."""
        if self._next >= self.n_chunks:
            return False
        first = self._next
        count = max(1, min(self._batch, self.n_chunks - first, -(-want // CHUNK)))
        full = CHUNK + TAG
        size = (count - 1) * full + (self._last_len if first + count == self.n_chunks else full)
        self._turn ^= 1
        if len(self._raw[self._turn]) < size:
            self._raw[self._turn] = bytearray(self._batch * full)
        raw = memoryview(self._raw[self._turn])[:size]
        got = self._fh.readinto(raw) or 0
        if len(self._plain[self._turn]) < count * CHUNK:
            self._plain[self._turn] = bytearray(self._batch * CHUNK)
        plain = memoryview(self._plain[self._turn])
        produced = 0
        for j in range(count):
            i = first + j
            last = i == self.n_chunks - 1
            data = raw[j * full:min((j + 1) * full, size, got)]
            n = len(data) - TAG
            try:
                if n < 0:
                    raise InvalidTag
                nonce = _nonce(i, last)
                if self._into is not None:
                    self._into(nonce, data, None, plain[produced:produced + n])
                else:
                    plain[produced:produced + n] = self._aead.decrypt(nonce, bytes(data), None)
            except InvalidTag:
                raise PackageError(f"文件已损坏或被篡改（第 {i + 1} 块数据未通过校验）") from None
            if n == 0 and not (last and i == 0):
                raise PackageError(f"文件已损坏（第 {i + 1} 块为空）")
            if n < CHUNK and not last:
                raise PackageError(f"文件已损坏或被篡改（第 {i + 1} 块数据未通过校验）")
            produced += n
        if self._on_raw:
            self._on_raw(raw)
        self._cur = plain[:produced]
        self._pos = 0
        self._next += count
        if self._progress:
            self._progress(size)
        return True

    def skip_in_chunk(self, offset: int) -> None:
        """After seeking to a chunk, drop ``offset`` bytes of it."""
        if not self._load(offset + 1):
            raise PackageError("文件被截断")
        self._pos = offset

    def pieces(self, n: int) -> Iterator[memoryview]:
        """Yield the next n plaintext bytes in pieces of at most one batch."""
        while n > 0:
            if self._pos >= len(self._cur) and not self._load(n):
                raise PackageError("文件被截断或清单与内容不符")
            take = min(n, len(self._cur) - self._pos)
            yield self._cur[self._pos:self._pos + take]
            self._pos += take
            n -= take

    def read(self, n: int) -> bytes:
        return b"".join(bytes(p) for p in self.pieces(n))

    def at_end(self) -> bool:
        return self._pos >= len(self._cur) and self._next >= self.n_chunks
