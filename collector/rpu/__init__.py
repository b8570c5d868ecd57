"""The signed, encrypted ``.rpu`` package format (DESIGN §6, docs/rpu-format.md): writing,
reading and verifying packages, and the keys they use. A library: it knows no store, rules,
office or printing (tests/test_layers.py); packing a candidate from the store and admitting a
received package into it are ``collector.exchange``.
"""

from __future__ import annotations

from .errors import Cancelled, IdentityError, PackageError, PackRefused, PassphraseError
from .format import KINDS, VERSION, PartEntry, check_part_name
from .keys import Identity, PublicKey, Recipient
from .reader import Package, inspect, open_package
from .writer import Part, WriteResult, write_package

__all__ = [
    "Cancelled", "IdentityError", "PackageError", "PackRefused", "PassphraseError",
    "KINDS", "VERSION", "PartEntry", "check_part_name", "Identity", "PublicKey", "Recipient",
    "Package", "inspect", "open_package", "Part", "WriteResult",
    "write_package",
]
