"""Installations for office tests: each a store with its own identity and profile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from collector.office.profile import save_profile
from collector.rpu import generate_identity, pack
from collector.rpu.keys import Identity, PublicKey
from collector.store import Store
from tests.conftest import make_record

PASS = "office-tests"
TODAY = dt.date(2017, 4, 20)


@dataclass
class Installation:
    name: str
    store: Store
    identity: Identity

    @property
    def public(self) -> PublicKey:
        return self.identity.public


@pytest.fixture
def make_installation(tmp_path):
    opened: list[Store] = []

    def make(name: str, role: str = "个人", unit: str = "", channel: str | None = None) -> Installation:
        folder = tmp_path / name
        folder.mkdir()
        store = Store(folder / "collector.db")
        opened.append(store)
        identity = generate_identity(store, PASS, name, unit or name)
        if role != "个人" or channel:
            save_profile(store, role=role, unit=unit or name, channel_name=channel)
        return Installation(name, store, identity)

    yield make
    for s in opened:
        s.close()


def applicant_package(inst: Installation, out: Path, recipients: list[PublicKey], i: int,
                      **overrides) -> Path:
    """Save one record in the applicant's store and pack it for ``recipients``."""
    inst.store.save(make_record(i, **overrides))
    pack(inst.store, [], out, identity=inst.identity, recipients=recipients, today=TODAY)
    return out
