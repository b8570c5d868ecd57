"""Budget (DESIGN §10): 40 packages × 50 MiB through one `collector inbox` ≤ 1.5 × `cp` of the
same files followed by `sync`; the store grows ≤ 1.05 × the packages' size.

    .venv/bin/python benchmarks/inbox_many.py [--count 40] [--mb 50] [--runs 5] [--quick]

Whole processes as a user starts them: ``collector --db OFFICE-COPY inbox FOLDER`` (the key
unlocked from COLLECTOR_PASSPHRASE; every package decrypted and checked, stored durably and
its candidate imported, on a fresh copy of the office's database each run) against
``cp FILES… DIR && sync`` (copying the packages into an empty folder and writing them to
disk: the floor). The store's growth is every byte added beside the database (the file, its
journal and the ``.files`` folder). Runs alternate; medians are compared. The packages come
from one applicant installation, one candidate each, and are made once (not timed).
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fixtures import make_many_fixture  # noqa: E402
from _whole import (FreshInbox, alternate_many, compare, ensure_bytecode,  # noqa: E402
                    env_with_passphrase, load_line, result, rss_result, run_process, settle, shell)

FACTOR = 1.5  # of cp + sync
GROWTH_FACTOR = 1.05


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--mb", type=int, default=50, help="each attachment in MiB (default 50)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="8 packages × 8 MiB, 3 runs")
    args = ap.parse_args()
    if args.quick:
        args.count, args.mb, args.runs = 8, 8, 3
    ensure_bytecode()
    env = env_with_passphrase()
    with tempfile.TemporaryDirectory(prefix="bench-inbox-many-") as tmp:
        root = Path(tmp)
        fx = make_many_fixture(root, args.count, args.mb)
        packages = sorted(fx["packages"].glob("*.rpu"))
        size = sum(p.stat().st_size for p in packages)
        copies, run_db = root / "copies", root / "inbox.db"
        cp = (f"cp {' '.join(shlex.quote(str(p)) for p in packages)} {shlex.quote(str(copies))}"
              " && sync")
        inbox = FreshInbox(fx["office_db"], run_db, [fx["packages"]], env)

        def prepare() -> None:
            shutil.rmtree(copies, ignore_errors=True)
            copies.mkdir()
            inbox.prepare()
            settle()

        print(f"{len(packages)} packages of one {args.mb} MiB attachment each: "
              f"{size / 1e6:.0f} MB; {load_line()}", flush=True)
        ours, floor = alternate_many(args.runs, [
            ("collector inbox", inbox.run), ("cp + sync", lambda: run_process(shell(cp)))],
            prepare)
    print(f"{load_line()}; other programs used {ours.others or 0:.2f} cores meanwhile")
    print(ours.line())
    print(floor.line())
    name = f"inbox_{args.count}x{args.mb}mib"
    ok = compare(f"{name}_vs_cp_sync", ours, floor, FACTOR, "cp PACKAGES… DIR && sync")
    print(f"store grew by {', '.join(f'{g / 1e6:.0f}' for g in inbox.growth)} MB "
          f"(packages {size / 1e6:.0f} MB)")
    ok &= result(f"{name}_store_growth", max(inbox.growth) / size, "x", GROWTH_FACTOR,
                 yardstick=f"{GROWTH_FACTOR:g} × the packages' size ({size / 1e6:.0f} MB)")
    ok &= rss_result(f"{name}_peak_rss", ours)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
