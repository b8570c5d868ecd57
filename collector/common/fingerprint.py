"""Canonical bytes and fingerprints of records: what paper forms print and `.rpu` manifests hash."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no spaces: the same record always gives the same bytes."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


FILE_BLOCK = 1 << 20


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 (hex) of a file, read in blocks (never whole): the one file-hash helper."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(FILE_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def record_fingerprint(record: dict) -> str:
    """SHA-256 (hex) of a normalized candidate record's canonical JSON."""
    return sha256_hex(canonical_json(record))


def short(fingerprint_hex: str, groups: int = 5) -> str:
    """A readable form for paper: the first ``groups`` blocks of four, e.g. ``3F2A-91C0-…``."""
    text = fingerprint_hex.upper()
    return "-".join(text[i:i + 4] for i in range(0, groups * 4, 4))


def matches(printed: str, fingerprint_hex: str) -> bool:
    """Whether a fingerprint as printed (any case, dashes or spaces) is a prefix of the full one."""
    cleaned = "".join(ch for ch in printed.lower() if ch in "0123456789abcdef")
    return len(cleaned) >= 16 and fingerprint_hex.lower().startswith(cleaned)


# The registration form's QR code (DESIGN §6 "Paper is the root of trust"): the record's and the
# signer's fingerprints (128-bit prefixes, enough to match and small enough for a 17 mm code)
# and the ID number, in QR alphanumeric characters. A USB scanner types it, then Enter.
FORM_QR_PREFIX = "TCF1"
FORM_QR_HEX = 32


def form_qr_text(record_fp: str, signer_fp: str | None, id_number: str) -> str:
    """What a registration form's QR code holds: ``TCF1:<record>:<signer>:<ID number>``."""
    return ":".join((FORM_QR_PREFIX, record_fp[:FORM_QR_HEX].upper(),
                     (signer_fp or "")[:FORM_QR_HEX].upper(), str(id_number or "").upper()))


def parse_form_qr(text: str) -> tuple[str, str, str] | None:
    """(record, signer, ID number) from a scanned form QR, or None when ``text`` is not one.
    Full-width characters an input method may have typed are folded first."""
    import unicodedata

    parts = unicodedata.normalize("NFKC", text).strip().split(":")
    if len(parts) != 4 or parts[0].upper() != FORM_QR_PREFIX:
        return None
    record, signer, number = (p.strip() for p in parts[1:])
    hexdigits = set("0123456789abcdefABCDEF")
    if len(record) < 16 or not set(record) <= hexdigits or not set(signer) <= hexdigits:
        return None
    return record.lower(), signer.lower(), number.upper()
