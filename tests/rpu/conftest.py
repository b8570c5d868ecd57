"""Two installations (applicant and office) with keys, and a helper to pack candidates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from collector import rpu
from collector.storage.store import Store
from collector.exchange import keyring
from collector.exchange.packing import pack
from tests.conftest import make_record

PASS = "test-passphrase"
TODAY = dt.date(2017, 4, 20)


@dataclass
class Installation:
    store: Store
    identity: rpu.Identity
    path: Path


def _installation(path: Path, name: str) -> Installation:
    store = Store(path)
    identity = keyring.generate_identity(store, PASS, name, f"{name}单位")
    return Installation(store, identity, path)


@pytest.fixture
def applicant(tmp_path: Path):
    inst = _installation(tmp_path / "applicant" / "collector.db", "申报人")
    yield inst
    inst.store.close()


@pytest.fixture
def office(tmp_path: Path):
    inst = _installation(tmp_path / "office" / "collector.db", "受理方")
    yield inst
    inst.store.close()


@pytest.fixture
def stranger(tmp_path: Path):
    inst = _installation(tmp_path / "stranger" / "collector.db", "他人")
    yield inst
    inst.store.close()


def add_candidates(store: Store, n: int, tmp: Path, with_files: bool = True) -> list[str]:
    ids = [store.save(make_record(i)) for i in range(n)]
    if with_files:
        text = tmp / "说明.txt"
        text.write_text("虚构的佐证材料说明。\n" * 500, encoding="utf-8")
        scan = tmp / "scan.pdf"
        scan.write_bytes(bytes(range(256)) * 700 + b"%%EOF")
        store.attach(ids[0], text, title="说明")
        store.attach(ids[0], scan, title="扫描件")
    return ids


@pytest.fixture
def package(applicant: Installation, office: Installation, tmp_path: Path) -> Path:
    """A valid package of 2 candidates with 2 attachments, from applicant to office."""
    add_candidates(applicant.store, 2, tmp_path)
    out = tmp_path / "out.rpu"
    pack(applicant.store, [], out, identity=applicant.identity,
         recipients=[office.identity.public], today=TODAY)
    return out
