"""A unit HR office's public key, as an applicant receives it (the 生成报送 wizard asks for it)."""

from __future__ import annotations

from pathlib import Path

UNIT = "内蒙古大学人事处"


def unit_public_block(folder: Path, unit: str = UNIT) -> str:
    from collector.rpu import keys
    from collector.store import Store

    with Store(Path(folder) / "unit-hr.db") as other:
        if not keys.has_identity(other):
            keys.generate_identity(other, "unit passphrase 1", name="李人事", unit=unit)
        return keys.public_key_block(other)


def add_unit_key(store, folder: Path) -> object:
    """Import the unit's key into ``store`` (a default recipient) and return it."""
    from collector.rpu import keys

    return keys.import_recipient(store, unit_public_block(folder))
