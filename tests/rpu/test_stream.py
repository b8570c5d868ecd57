"""The STREAM layer on its own: chunk boundaries, the last-chunk flag, and the one-line errors a
user sees for each way a payload can be broken (collector/rpu/crypto.py)."""

from __future__ import annotations

import io
import os

import pytest

from collector.rpu.crypto import StreamReader, StreamWriter, _nonce, chunk_layout
from collector.rpu.errors import PackageError
from collector.rpu.format import CHUNK, TAG

from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

KEY = bytes(range(32))
FULL = CHUNK + TAG


def encrypt(data: bytes, splits: list[int] | None = None) -> bytes:
    """Write ``data`` through a StreamWriter in pieces cut at ``splits``."""
    out = io.BytesIO()
    w = StreamWriter(out, KEY)
    cuts = [0, *(splits or []), len(data)]
    for a, b in zip(cuts, cuts[1:]):
        w.write(data[a:b])
    w.close()
    return out.getvalue()


def reader(payload: bytes, **kw) -> StreamReader:
    return StreamReader(io.BytesIO(payload), KEY, 0, len(payload), **kw)


def expected_chunks(n: int) -> int:
    """One chunk per started CHUNK (a package payload is never empty: it starts with the
    manifest)."""
    return -(-n // CHUNK)


SIZES = [1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 5]
SPLITS = {  # ways a writer hands the bytes over: whole, byte by byte near the edges, in halves
    "whole": lambda n: [],
    "first byte": lambda n: [1] if n > 1 else [],
    "fill exactly": lambda n: [CHUNK] if n > CHUNK else [],
    "one short": lambda n: [CHUNK - 1] if n > CHUNK - 1 else [],
    "halves": lambda n: [n // 2] if n > 1 else [],
    "chunk then rest": lambda n: [CHUNK, min(n, CHUNK + 1)] if n > CHUNK + 1 else [],
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("how", list(SPLITS))
def test_round_trip_at_every_chunk_boundary(size, how):
    data = os.urandom(size)
    payload = encrypt(data, SPLITS[how](size))
    n, last = chunk_layout(len(payload))
    assert n == expected_chunks(size), "no empty chunk may be sealed after a full one"
    assert len(payload) == size + n * TAG
    r = reader(payload)
    assert r.read(size) == data
    assert r.at_end()


def test_only_the_last_chunk_carries_the_last_flag():
    payload = encrypt(os.urandom(2 * CHUNK + 3))
    aead = ChaCha20Poly1305(KEY)
    chunks = [payload[i:i + FULL] for i in range(0, len(payload), FULL)]
    assert len(chunks) == 3
    for i, c in enumerate(chunks):
        aead.decrypt(_nonce(i, i == 2), c, None)  # raises if the flag or counter differs
    assert _nonce(1, False) == bytes(10) + b"\x01\x00"
    assert _nonce(2, True) == bytes(10) + b"\x02\x01"


@pytest.mark.parametrize("length, result", [
    (TAG + 1, (1, TAG + 1)),
    (FULL, (1, FULL)),
    (FULL + TAG + 1, (2, TAG + 1)),
    (2 * FULL, (2, FULL)),
    (3 * FULL - 1, (3, FULL - 1)),
])
def test_chunk_layout(length, result):
    assert chunk_layout(length) == result


@pytest.mark.parametrize("length", [1, TAG - 1, TAG, FULL + 1, FULL + TAG])
def test_chunk_layout_refuses_a_last_chunk_with_no_room_for_data(length):
    with pytest.raises(PackageError, match=r"^文件被截断或已损坏（最后一块不完整）$"):
        chunk_layout(length)


def test_chunk_layout_refuses_an_empty_payload():
    with pytest.raises(PackageError, match=r"^文件被截断：没有加密数据$"):
        chunk_layout(0)


def test_a_changed_chunk_is_named_by_its_number():
    payload = bytearray(encrypt(os.urandom(3 * CHUNK)))
    payload[FULL + 5] ^= 1  # inside the second chunk
    r = reader(bytes(payload))
    assert r.read(10)
    with pytest.raises(PackageError, match=r"^文件已损坏或被篡改（第 2 块数据未通过校验）$"):
        r.read(CHUNK)


def test_a_first_chunk_that_fails_is_number_one():
    payload = bytearray(encrypt(b"abc"))
    payload[0] ^= 1
    with pytest.raises(PackageError, match=r"^文件已损坏或被篡改（第 1 块数据未通过校验）$"):
        reader(bytes(payload)).read(1)


def test_an_authentic_empty_last_chunk_after_a_full_one_is_refused():
    """A crafted payload: one full chunk, then an authentic empty last chunk. Writers never seal
    an empty chunk after a full one; the reader refuses the layout before decrypting."""
    aead = ChaCha20Poly1305(KEY)
    payload = aead.encrypt(_nonce(0, False), bytes(CHUNK), None) + \
        aead.encrypt(_nonce(1, True), b"", None)
    with pytest.raises(PackageError, match=r"^文件被截断或已损坏（最后一块不完整）$"):
        reader(payload)


def test_an_empty_stream_is_refused():
    with pytest.raises(PackageError, match=r"^文件被截断或已损坏（最后一块不完整）$"):
        reader(encrypt(b""))


def test_reading_past_the_end_is_refused():
    r = reader(encrypt(b"abcdef"))
    assert r.read(6) == b"abcdef"
    with pytest.raises(PackageError, match=r"^文件被截断或清单与内容不符$"):
        r.read(1)


def test_reading_one_byte_at_a_time_gives_every_byte():
    data = os.urandom(CHUNK + 3)
    r = reader(encrypt(data))
    got = b"".join(r.read(1) for _ in range(len(data)))
    assert got == data and r.at_end()


def test_at_end_only_after_the_last_byte_of_the_last_chunk():
    r = reader(encrypt(os.urandom(CHUNK + 10)))
    assert not r.at_end()
    r.read(CHUNK)
    assert not r.at_end(), "a whole first chunk read is not the end"
    r.read(9)
    assert not r.at_end()
    r.read(1)
    assert r.at_end()


def test_seeking_to_a_chunk_and_skipping_into_it():
    data = os.urandom(3 * CHUNK)
    payload = encrypt(data)
    r = StreamReader(io.BytesIO(payload), KEY, 0, len(payload), first_chunk=1)
    r.skip_in_chunk(7)
    assert r.read(CHUNK) == data[CHUNK + 7:2 * CHUNK + 7]


def test_seeking_past_the_last_chunk_is_refused():
    payload = encrypt(b"x" * 10)
    r = StreamReader(io.BytesIO(payload), KEY, 0, len(payload), first_chunk=1)
    with pytest.raises(PackageError, match=r"^文件被截断$"):
        r.skip_in_chunk(0)


def test_a_payload_after_a_clear_prefix():
    data = os.urandom(100)
    payload = encrypt(data)
    fh = io.BytesIO(b"HEAD" + payload)
    assert StreamReader(fh, KEY, 4, len(payload)).read(100) == data


def test_progress_counts_every_ciphertext_byte_once():
    payload = encrypt(os.urandom(3 * CHUNK + 1))
    seen: list[int] = []
    r = reader(payload, progress=seen.append)
    r.read(3 * CHUNK + 1)
    assert sum(seen) == len(payload) and all(n > 0 for n in seen)


def test_reading_stops_at_the_last_chunk():
    r = reader(encrypt(b"abc"))
    r.read(3)
    assert r._load() is False


def test_skipping_to_the_last_byte_of_a_chunk_decrypts_only_that_chunk():
    """A part that ends with its chunk is read from that chunk alone: damage after it is the
    next part's business."""
    data = os.urandom(3 * CHUNK)
    payload = bytearray(encrypt(data))
    payload[FULL + 5] ^= 1  # inside the second chunk
    r = reader(bytes(payload))
    r.skip_in_chunk(CHUNK - 1)
    assert r.read(1) == data[CHUNK - 1:CHUNK]
    with pytest.raises(PackageError, match=r"^文件已损坏或被篡改（第 2 块数据未通过校验）$"):
        r.read(1)


class _OldAead:
    """ChaCha20Poly1305 as cryptography 42–44 has it: no encrypt_into / decrypt_into."""

    def __init__(self, key: bytes):
        self._aead = ChaCha20Poly1305(key)

    def encrypt(self, nonce, data, aad):
        return self._aead.encrypt(nonce, data, aad)

    def decrypt(self, nonce, data, aad):
        return self._aead.decrypt(nonce, data, aad)


@pytest.mark.parametrize("size", [1, CHUNK, CHUNK + 1, 20 * CHUNK + 3])
def test_without_the_into_calls_the_same_bytes_are_written_and_read(monkeypatch, size):
    from collector.rpu import crypto

    data = os.urandom(size)
    new = encrypt(data, [size // 3] if size > 2 else [])
    monkeypatch.setattr(crypto, "ChaCha20Poly1305", _OldAead)
    old = encrypt(data, [size // 3] if size > 2 else [])
    assert old == new
    assert reader(old).read(size) == data
    damaged = bytearray(old)
    damaged[-1] ^= 1
    n = chunk_layout(len(old))[0]
    with pytest.raises(PackageError, match=rf"^文件已损坏或被篡改（第 {n} 块数据未通过校验）$"):
        reader(bytes(damaged)).read(size)


@pytest.mark.parametrize("batch", [1, 2, 3, 16])
def test_any_batch_size_writes_and_reads_the_same_stream(batch):
    """The writer gathers ``batch`` sealed chunks per write and the reader decrypts up to
    ``batch`` per read: a batch of one chunk must still fit a whole sealed chunk."""
    data = os.urandom(3 * CHUNK + 7)
    out = io.BytesIO()
    w = StreamWriter(out, KEY, batch=batch)
    w.write(data)
    w.close()
    assert out.getvalue() == encrypt(data)
    assert reader(out.getvalue(), batch=batch).read(len(data)) == data


def test_a_piece_stays_valid_until_the_second_load_after_it():
    """The reader hashes a piece on its pool thread while the next one is decrypted: the two
    loads write two buffers in turn, so the piece before is not overwritten under the hash."""
    data = os.urandom(3 * CHUNK)
    pieces = reader(encrypt(data), batch=1).pieces(len(data))
    first = next(pieces)
    second = next(pieces)
    assert bytes(first) == data[:CHUNK]
    assert bytes(second) == data[CHUNK:2 * CHUNK]
    assert bytes(next(pieces)) == data[2 * CHUNK:]


class _Sink(io.BytesIO):
    """A file that refuses to grow past the length the ciphertext must have."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def write(self, data) -> int:
        assert self.tell() + len(data) <= self.limit, "more sealed chunks than the data holds"
        return super().write(data)


@pytest.mark.parametrize("size", [2 * CHUNK + 1, 3 * CHUNK + 7])
def test_one_write_of_several_chunks_seals_each_chunk_once(size):
    data = os.urandom(size)
    n = expected_chunks(size)
    sink = _Sink((n - 1) * FULL + (size - (n - 1) * CHUNK) + TAG)
    w = StreamWriter(sink, KEY, batch=1)
    w.write(data)
    w.close()
    assert sink.getvalue() == encrypt(data, [CHUNK])
    assert reader(sink.getvalue()).read(size) == data
