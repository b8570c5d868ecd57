"""kill -9 while packing and importing .rpu files: never a half package under its final name,
never half an import in the database."""

from __future__ import annotations

import hashlib
import os
import random
import time
from pathlib import Path

import pytest

rpu = pytest.importorskip("collector.rpu")

from collector.record.sample import make_candidate  # noqa: E402
from collector.storage.attachments import open_attachment  # noqa: E402
from collector.storage.store import Store  # noqa: E402
from collector.exchange import keyring  # noqa: E402

from .proc import candidate_ids, integrity, kill_after, spawn  # noqa: E402

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL needs POSIX")

PASSPHRASE = "crash-test-passphrase"
COUNT = 12
BIG_MB = 96


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """A sender with COUNT candidates and a big attachment, an office that receives."""
    root = tmp_path_factory.mktemp("rpu-crash")
    sender, office = root / "sender.db", root / "office.db"
    with Store(office) as store:
        keyring.generate_identity(store, PASSPHRASE, "受理方（测试）", "人社局")
        (root / "office.pub").write_text(keyring.public_key_block(store), encoding="utf-8")
    big = root / "扫描件.pdf"
    with open(big, "wb") as fh:  # incompressible, like a real scan
        for _ in range(BIG_MB):
            fh.write(os.urandom(1 << 20))
    with Store(sender) as store:
        keyring.generate_identity(store, PASSPHRASE, "申报人（测试）", "")
        keyring.import_recipient(store, root / "office.pub", "受理方（测试）")
        ids = [store.save(make_candidate(i)) for i in range(COUNT)]
        store.attach(ids[0], big, title="扫描件")
        for i, cid in enumerate(ids[1:4], start=1):
            small = root / f"证书{i}.pdf"
            small.write_bytes(os.urandom(512 * 1024))
            store.attach(cid, small, title=f"证书{i}")
    big.unlink()
    return root, sender, office


def cli(db: Path, *args: str):
    os.environ["COLLECTOR_PASSPHRASE"] = PASSPHRASE  # children inherit it via child_env
    return spawn("-m", "collector", "--db", str(db), *args)


def timed(proc) -> float:
    started = time.monotonic()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return time.monotonic() - started


def test_kill_during_pack_never_leaves_a_package_under_its_name(setup, monkeypatch):
    root, sender, office = setup
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASSPHRASE)
    full = root / "full.rpu"
    seconds = timed(cli(sender, "pack", "--out", str(full), "--today", "2017-04-20"))
    with Store(office) as store:
        rpu.open_package(full, keyring.load_identity(store, PASSPHRASE))  # a finished one verifies

    with Store(office) as store:
        identity = keyring.load_identity(store, PASSPHRASE)

    rng = random.Random(6)
    killed = 0
    for round_ in range(8):
        out = root / f"round-{round_}.rpu"
        old = None
        if round_ % 2:  # an earlier package with the same name must survive untouched
            out.write_bytes(full.read_bytes())
            old = sha256(out)
        proc = cli(sender, "pack", "--out", str(out), "--today", "2017-04-20")
        kill_after(proc, seconds * rng.uniform(0.15, 0.95))
        killed += proc.returncode != 0
        # Under its name: nothing, the old package untouched, or a new one that is whole
        # (killed after the rename, before the process could exit).
        if out.exists() and sha256(out) != old:
            rpu.open_package(out, identity)  # raises on a partial file
        leftovers = [p.name for p in root.glob(f"*{out.name}*") if p != out]
        assert all(p.endswith(".part") for p in leftovers), leftovers
    assert killed >= 4


def test_kill_during_import_rpu_is_all_or_nothing(setup, monkeypatch):
    root, sender, office = setup
    monkeypatch.setenv("COLLECTOR_PASSPHRASE", PASSPHRASE)
    package = root / "to-import.rpu"
    if not package.exists():
        timed(cli(sender, "pack", "--out", str(package), "--today", "2017-04-20"))

    def fresh_office(name: str) -> Path:
        db = root / name
        db.write_bytes(office.read_bytes())  # the office's keys, no candidates yet
        return db

    first = fresh_office("office-full.db")
    seconds = timed(cli(first, "import-rpu", str(package)))
    assert len(candidate_ids(first)) == COUNT

    rng = random.Random(9)
    outcomes = []
    for round_ in range(8):
        db = fresh_office(f"office-{round_}.db")
        with Store(db) as store:
            keep = store.save(make_candidate(100 + round_))
        proc = cli(db, "import-rpu", str(package))
        kill_after(proc, seconds * rng.uniform(0.15, 1.0))
        assert integrity(db) == "ok"
        ids = candidate_ids(db)
        assert keep in ids
        assert len(ids) in (1, COUNT + 1), f"half an import: {len(ids)} (round {round_})"
        if len(ids) == COUNT + 1:  # imported: every attachment it names is there and whole
            with Store(db) as store:  # (read from the package kept before the transaction)
                for c in store.all():
                    for att in c.data["attachments"]:
                        with open_attachment(store, att["sha256"]) as src:
                            assert hashlib.sha256(src.read()).hexdigest() == att["sha256"]
        outcomes.append(len(ids))
    assert 1 in outcomes, "no kill landed inside an import; the test proved nothing"
