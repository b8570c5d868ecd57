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
