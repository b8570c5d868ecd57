"""Inputs the pack, verify and inbox benchmarks time, made once and not timed.

Each is made in a child process: a child's peak RSS counts the parent's size at ``fork``, so
the timing process stays small (and imports none of the program). The program's modules are
named here only, so a move inside ``collector/`` touches this file and no benchmark.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from _whole import PASSPHRASE, ROOT


def random_file(path: Path, size: int) -> None:
    with open(path, "wb") as fh:
        left = size
        while left:
            n = min(left, 8 << 20)
            fh.write(os.urandom(n))
            left -= n


def make_pack_fixture(root: Path, mb: int) -> dict[str, Path]:
    """An applicant database with keys and one candidate carrying one ``mb`` MiB attachment,
    the office's key pair (its own database) and the attachment's path in the store."""
    return _in_child("_pack_fixture", root, mb)


def make_many_fixture(root: Path, count: int, mb: int) -> dict[str, Path]:
    """``count`` one-candidate packages from one applicant, each with its own ``mb`` MiB
    attachment, in ``root/packages``, and the office's database they are addressed to."""
    return _in_child("_many_fixture", root, count, mb)


def _in_child(name: str, *args) -> dict[str, Path]:
    code = (f"import sys, json; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); "
            f"import _fixtures as f; from pathlib import Path; args = json.loads(sys.argv[1]); "
            f"print(json.dumps({{k: str(v) for k, v in f.{name}(Path(args[0]), *args[1:]).items()}}))")
    out = subprocess.run([sys.executable, "-c", code, json.dumps([str(a) if isinstance(a, Path)
                                                                  else a for a in args])],
                         check=True, capture_output=True, text=True).stdout
    return {k: Path(v) for k, v in json.loads(out.strip().splitlines()[-1]).items()}


def _installations(root: Path):
    """(the applicant's open store, its identity, the office's public key)."""
    sys.path.insert(0, str(ROOT))
    from collector.exchange import keyring
    from collector.storage.store import Store

    applicant, office = Store(root / "applicant.db"), Store(root / "office.db")
    identity = keyring.generate_identity(applicant, PASSPHRASE, "bench")
    office_key = keyring.generate_identity(office, PASSPHRASE, "office").public
    (root / "office.pub").write_text(keyring.public_key_block(office), encoding="utf-8")
    office.close()
    return applicant, identity, office_key


def _add_candidate(store, i: int, scan: Path) -> str:
    from collector.record.sample import make_candidate

    sha, size = store.add_file(scan)
    record = make_candidate(i)
    record["attachments"] = [{"file": "scan.pdf", "title": "扫描件", "category": "其他",
                              "classified": False, "declassified": False,
                              "sha256": sha, "size": size}]
    return store.save(record)


def _paths(root: Path) -> dict[str, Path]:
    return {"applicant_db": root / "applicant.db", "office_db": root / "office.db",
            "office_pub": root / "office.pub"}


def _pack_fixture(root: Path, mb: int) -> dict[str, Path]:
    scan = root / "scan.pdf"
    random_file(scan, mb << 20)
    applicant, _, _ = _installations(root)
    with applicant:
        cid = _add_candidate(applicant, 0, scan)
        attachment = applicant.file_path(applicant.find(cid).data["attachments"][0]["sha256"])
    scan.unlink()
    return {"attachment": attachment, **_paths(root)}


def _many_fixture(root: Path, count: int, mb: int) -> dict[str, Path]:
    from collector.exchange.packing import pack

    folder = root / "packages"
    folder.mkdir()
    applicant, identity, office_key = _installations(root)
    with applicant:
        for i in range(count):
            scan = root / "scan.pdf"
            random_file(scan, mb << 20)
            cid = _add_candidate(applicant, i, scan)
            pack(applicant, [cid], folder / f"{i:02d}.rpu", identity=identity,
                     recipients=[office_key])
            scan.unlink()
    return {"packages": folder, **_paths(root)}
