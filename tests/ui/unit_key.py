"""A unit HR office's public key, as an applicant receives it (the 生成报送 wizard asks for it)."""

from __future__ import annotations

from pathlib import Path
from collector.exchange import keyring

UNIT = "内蒙古大学人事处"


def unit_public_block(folder: Path, unit: str = UNIT) -> str:
    from collector.storage.store import Store

    with Store(Path(folder) / "unit-hr.db") as other:
        if not keyring.has_identity(other):
            keyring.generate_identity(other, "unit passphrase 1", name="李人事", unit=unit)
        return keyring.public_key_block(other)


def add_unit_key(store, folder: Path) -> object:
    """Import the unit's key into ``store`` (a default recipient) and return it."""

    return keyring.import_recipient(store, unit_public_block(folder))
