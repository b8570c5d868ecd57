"""生成报送: the signed, encrypted ``.rpu`` package (DESIGN §6, docs/rpu-format.md).

Public API used by the CLI, the UI, printing and the office packages.
"""

from __future__ import annotations

from .errors import Cancelled, IdentityError, PackageError, PackRefused, PassphraseError
from .format import KINDS, VERSION, PartEntry, check_part_name
from .importer import ImportReport, import_package
from .keys import (Identity, PublicKey, Recipient, default_recipients, generate_identity,
                   import_recipient, list_recipients, load_identity, public_key_block)
from .packing import PackResult, pack
from .reader import Package, inspect, open_package
from .writer import Part, WriteResult, write_package

__all__ = [
    "Cancelled", "IdentityError", "PackageError", "PackRefused", "PassphraseError",
    "KINDS", "VERSION", "PartEntry", "check_part_name", "ImportReport", "import_package",
    "Identity", "PublicKey", "Recipient", "default_recipients", "generate_identity",
    "import_recipient", "list_recipients", "load_identity", "public_key_block",
    "PackResult", "pack", "Package", "inspect", "open_package", "Part", "WriteResult",
    "write_package",
]
