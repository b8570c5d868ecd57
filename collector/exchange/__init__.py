"""Moving candidates between installations with the ``.rpu`` format (``collector.rpu``):
this installation's keys (``keyring``), packing candidates from the store (``packing``), and the
intake pipeline that admits a received package into it (``intake``: verify → chain →
provenance → decide → store).
"""

from __future__ import annotations

from .importer import ImportReport, import_package
from .keyring import (default_recipients, generate_identity, import_recipient, list_recipients,
                      load_identity, public_key_block)
from .packing import PackResult, pack

__all__ = ["ImportReport", "import_package", "default_recipients", "generate_identity",
           "import_recipient", "list_recipients", "load_identity", "public_key_block",
           "PackResult", "pack"]
