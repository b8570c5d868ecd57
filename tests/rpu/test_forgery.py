"""Forgeries only a recipient can make: it holds the file key, so it can re-encrypt anything.

Flipped bytes (test_tamper.py) are caught by the AEAD before the signature is ever looked at.
These packages decrypt cleanly under the original header; only the signature check and the
header/manifest comparison stand between them and an import.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from collector import rpu
from collector.common.fingerprint import canonical_json
from collector.rpu.crypto import (StreamReader, StreamWriter, payload_key, signed_message,
                                  unwrap_file_key)
from collector.rpu.format import PREFIX, unb64
from collector.rpu.reader import SIGNATURE_SIZE, read_head


@dataclass
class Opened:
    """A package taken apart by one of its recipients."""

    head_bytes: bytes
    file_key: bytes
    manifest: dict
    signature: bytes
    parts: list[bytes]  # stored bytes, in manifest order

    def write(self, path: Path, *, head_bytes: bytes | None = None,
              manifest_bytes: bytes | None = None, signature: bytes | None = None) -> Path:
        head = head_bytes or self.head_bytes
        mbytes = manifest_bytes if manifest_bytes is not None else _dump(self.manifest)
        with open(path, "wb") as fh:
            fh.write(head)
            stream = StreamWriter(fh, payload_key(self.file_key, head))
            stream.write(struct.pack(">I", len(mbytes)) + mbytes
                         + (signature if signature is not None else self.signature))
            for data in self.parts:
                stream.write(data)
            stream.close()
        return path


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def take_apart(path: Path, identity: rpu.Identity) -> Opened:
    with open(path, "rb") as fh:
        head = read_head(fh)
        stanza = next(st for st in head.header["recipients"]
                      if st["fingerprint"] == identity.fingerprint)
        file_key = unwrap_file_key(identity.box_private, unb64(stanza["ephemeral"], "e"),
                                   unb64(stanza["wrapped"], "w"))
        stream = StreamReader(fh, payload_key(file_key, head.head_bytes), head.payload_start,
                              head.payload_len)
        (mlen,) = struct.unpack(">I", stream.read(4))
        manifest_bytes = stream.read(mlen)
        signature = stream.read(SIGNATURE_SIZE)
        manifest = json.loads(manifest_bytes)
        parts = [stream.read(p["stored"]) for p in manifest["parts"]]
        assert stream.at_end()
    assert _dump(manifest) == manifest_bytes, "the writer's manifest encoding changed"
    return Opened(head.head_bytes, file_key, manifest, signature, parts)


def _alter_first_candidate(opened: Opened) -> None:
    i = next(k for k, p in enumerate(opened.manifest["parts"]) if p["kind"] == "candidate")
    entry = opened.manifest["parts"][i]
    zipped = entry["compression"] == "zlib"
    record = json.loads(zlib.decompress(opened.parts[i]) if zipped else opened.parts[i])
    record["name"] = "冒名顶替"
    data = canonical_json(record)
    stored = zlib.compress(data) if zipped else data
    opened.parts[i] = stored
    entry.update(size=len(data), stored=len(stored), sha256=hashlib.sha256(data).hexdigest())


def test_the_recipients_own_reencryption_round_trips(package, office, tmp_path):
    """The forging tool itself is sound: unchanged, its output opens like the original."""
    copy = take_apart(package, office.identity).write(tmp_path / "copy.rpu")
    assert rpu.open_package(copy, office.identity).candidates == \
        rpu.open_package(package, office.identity).candidates


def test_changed_record_under_the_original_signature_is_refused(package, office, tmp_path):
    opened = take_apart(package, office.identity)
    _alter_first_candidate(opened)
    forged = opened.write(tmp_path / "forged.rpu")
    with pytest.raises(rpu.PackageError, match=r"^[^：]+：签名无效：文件头或清单被改动过，或不是由所示报送方签名$"):
        rpu.open_package(forged, office.identity)


def test_changed_manifest_field_under_the_original_signature_is_refused(package, office,
                                                                        tmp_path):
    opened = take_apart(package, office.identity)
    opened.manifest["sender"]["unit"] = "另一个单位"
    forged = opened.write(tmp_path / "forged.rpu")
    with pytest.raises(rpu.PackageError, match=r"^[^：]+：签名无效：文件头或清单被改动过，或不是由所示报送方签名$"):
        rpu.open_package(forged, office.identity)


def test_signature_by_another_key_than_the_header_names_is_refused(package, office, stranger,
                                                                  tmp_path):
    """A valid Ed25519 signature, but by the stranger, while the header names the applicant."""
    opened = take_apart(package, office.identity)
    _alter_first_candidate(opened)
    mbytes = _dump(opened.manifest)
    sig = stranger.identity.sign_private.sign(signed_message(opened.head_bytes, mbytes))
    forged = opened.write(tmp_path / "forged.rpu", signature=sig)
    with pytest.raises(rpu.PackageError, match=r"^[^：]+：签名无效：文件头或清单被改动过，或不是由所示报送方签名$"):
        rpu.open_package(forged, office.identity)


def test_truncated_or_garbage_signature_is_refused(package, office, tmp_path):
    opened = take_apart(package, office.identity)
    forged = opened.write(tmp_path / "zero.rpu", signature=bytes(SIGNATURE_SIZE))
    with pytest.raises(rpu.PackageError, match=r"^[^：]+：签名无效：文件头或清单被改动过，或不是由所示报送方签名$"):
        rpu.open_package(forged, office.identity)


def _resign_with_new_header_sender(opened: Opened, signer: rpu.Identity) -> bytes:
    """Swap the header's sender key for ``signer``'s and sign properly with it."""
    header = json.loads(opened.head_bytes[PREFIX.size:])
    header["sender"] = rpu.format.b64(signer.sign_public)
    raw = _dump(header)
    return PREFIX.pack(rpu.format.MAGIC, rpu.format.VERSION, len(raw)) + raw


def test_manifest_naming_another_sender_than_the_header_is_refused(package, office, stranger,
                                                                  tmp_path):
    """Signed correctly by the stranger, whose key is in the header, but the manifest still
    names the applicant's fingerprint: the header and the manifest disagree."""
    opened = take_apart(package, office.identity)
    head = _resign_with_new_header_sender(opened, stranger.identity)
    mbytes = _dump(opened.manifest)
    sig = stranger.identity.sign_private.sign(signed_message(head, mbytes))
    forged = opened.write(tmp_path / "forged.rpu", head_bytes=head, signature=sig)
    with pytest.raises(rpu.PackageError, match=r"^[^：]+：清单与文件头不一致$"):
        rpu.open_package(forged, office.identity)


def test_manifest_created_differing_from_the_header_is_refused(package, office, tmp_path,
                                                              applicant):
    opened = take_apart(package, office.identity)
    opened.manifest["created"] = "2017-01-01T00:00:00+08:00"
    mbytes = _dump(opened.manifest)
    sig = applicant.identity.sign_private.sign(signed_message(opened.head_bytes, mbytes))
    forged = opened.write(tmp_path / "forged.rpu", signature=sig)
    with pytest.raises(rpu.PackageError, match=r"^[^：]+：清单与文件头不一致$"):
        rpu.open_package(forged, office.identity)


def test_properly_resigned_by_the_sender_opens(package, office, applicant, tmp_path):
    """Control: the same edit signed by the header's own key is accepted, so the refusals above
    come from the signature and consistency checks and nothing else."""
    opened = take_apart(package, office.identity)
    _alter_first_candidate(opened)
    mbytes = _dump(opened.manifest)
    sig = applicant.identity.sign_private.sign(signed_message(opened.head_bytes, mbytes))
    pkg = rpu.open_package(opened.write(tmp_path / "ok.rpu", signature=sig), office.identity)
    assert "冒名顶替" in [c["name"] for c in pkg.candidates]
