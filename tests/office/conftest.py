"""Installations for office tests: each a store with its own identity and profile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from collector.office.profile import save_profile
from collector.exchange.keyring import generate_identity
from collector.exchange.packing import pack
from collector.rpu.keys import Identity, PublicKey
from collector.storage.store import Store
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
    """Installations of one test, as a province after its registration round: every unit and
    office made here is registered at every other installation made here (the stamped
    密钥登记表, ``register_at``). Tests of the register itself (test_key_register.py) mint keys
    outside this fixture."""
    opened: list[Store] = []
    made: list[Installation] = []

    def make(name: str, role: str = "个人", unit: str = "", channel: str | None = None) -> Installation:
        folder = tmp_path / name
        folder.mkdir()
        store = Store(folder / "collector.db")
        opened.append(store)
        identity = generate_identity(store, PASS, name, unit or name)
        if role != "个人" or channel:
            save_profile(store, role=role, unit=unit or name, channel_name=channel)
        inst = Installation(name, store, identity)
        for other in made:
            if _registrable(inst) and _registrar(other):
                register_at(other, inst)
            if _registrable(other) and _registrar(inst):
                register_at(inst, other)
        made.append(inst)
        return inst

    yield make
    for s in opened:
        s.close()


def applicant_package(inst: Installation, out: Path, recipients: list[PublicKey], i: int,
                      **overrides) -> Path:
    """Save one record in the applicant's store and pack it for ``recipients``."""
    inst.store.save(make_record(i, **overrides))
    pack(inst.store, [], out, identity=inst.identity, recipients=recipients, today=TODAY)
    return out


# -- the province shape (issue 24): every office test about the chain or the inbox also runs on it
@dataclass
class ProvinceWalk:
    """A walked province (collector.office.province) and a copy of the region's database taken
    just before it received anything, for tests that import at the region themselves."""
    province: object
    region_before: Path

    def fresh_region(self, folder: Path) -> Path:
        import shutil

        folder.mkdir(parents=True, exist_ok=True)
        for f in self.region_before.parent.iterdir():
            shutil.copy2(f, folder / f.name)
        return folder / self.region_before.name


@pytest.fixture(scope="session")
def province_walk(tmp_path_factory) -> ProvinceWalk:
    """Two 盟市 with two units each, a 厅局 with its own applicants, and the region, each level
    a separate installation with its own keys: walked to the region's verified disc."""
    import shutil

    from collector.office import province
    from collector.rpu import keys

    root = tmp_path_factory.mktemp("province")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keys, "SCRYPT_N", 2 ** 10)  # as _light_key_sealing, for a session fixture
        p = province.set_up(root, PASS, TODAY, say=lambda _: None)
        province.units_send(p)
        province.offices_send(p)
        before = root / "region-before"
        shutil.copytree(p.region.db.parent, before)
        province.region_receives(p)
    return ProvinceWalk(p, before / p.region.db.name)


def register_at(receiver: Installation, *senders: Installation) -> None:
    """``receiver`` registers each sender's key as from its stamped 密钥登记表 (scanning its QR):
    the region its 盟市/厅局, an office its units (collector.office.register)."""
    from collector.office import register
    from collector.office.profile import load_profile

    for sender in senders:
        profile = load_profile(sender.store)
        qr = register.qr_text(sender.identity.fingerprint, profile.level_label(),
                              profile.channel.get("name", ""))
        register.register_key(receiver.store, qr, unit=profile.display_unit)


def _registrable(inst: Installation) -> bool:
    from collector.office.profile import load_profile
    from collector.office.register import LEVELS

    return load_profile(inst.store).level_label() in LEVELS


def _registrar(inst: Installation) -> bool:
    from collector.office.profile import OFFICE, REGION, load_profile

    return load_profile(inst.store).role in (OFFICE, REGION)
