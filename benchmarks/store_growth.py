"""Budget (issue 28): the store grows ≤ 1.05 × the package's size when `collector inbox` takes
a package of one large attachment (the package is kept to forward it; the attachment is read
from it, not extracted beside it).

Makes the package once (not timed), then runs ``collector --db OFFICE-COPY inbox PKG.rpu`` as a
user starts it on a fresh copy of the office's database and compares the store's size on disk
before and after: the database (its write-ahead log checkpointed, as on close) and its files
folder ``<db>.files/``. Prints the package's size beside it.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _whole import (collector_cmd, env_with_passphrase, ensure_bytecode,  # noqa: E402
                    make_pack_fixture, result, size_args)

BUDGET = 1.05


def store_size(db: Path) -> int:
    """Bytes on disk at rest: the database with its log checkpointed, and its files folder."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    beside = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    files = db.with_name(db.name + ".files")
    return sum(p.stat().st_size for p in beside if p.exists()) + sum(
        p.stat().st_size for p in files.rglob("*") if p.is_file())


def main() -> int:
    args = size_args(__doc__.splitlines()[0])
    ensure_bytecode()
    env = env_with_passphrase()
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as tmp:
        root = Path(tmp)
        fx = make_pack_fixture(root, args.mb)
        package = root / "package.rpu"
        subprocess.run([*collector_cmd(), "--db", str(fx["applicant_db"]), "pack", "--out",
                        str(package), "--to", str(fx["office_pub"]), "--today", "2017-04-20"],
                       env=env, check=True, capture_output=True)
        db = root / "inbox" / "office.db"
        db.parent.mkdir()
        shutil.copy(fx["office_db"], db)
        before = store_size(db)
        done = subprocess.run([*collector_cmd(), "--db", str(db), "inbox", str(package)],
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stdout + done.stderr, file=sys.stderr)
            return 1
        growth = store_size(db) - before
        size = package.stat().st_size
    print(f"package of one {args.mb} MiB attachment: {size:,} bytes; "
          f"the store grew {growth:,} bytes ({growth / size:.3f} × the package)")
    return 0 if result(f"inbox_{args.mb}mib_store_growth", growth / size, "×", BUDGET,
                       digits=3) else 1


if __name__ == "__main__":
    sys.exit(main())
