"""Budget (DESIGN §10): `collector pack` of one 512 MiB attachment ≤ 1.0 × one `age -r` process
on the same file, output durable, peak RSS ≤ 100 MB.

    .venv/bin/python benchmarks/pack.py [--mb 512] [--runs 5] [--quick]

Both sides are whole processes as a user starts them: ``collector pack`` (interpreter start,
imports, the passphrase from COLLECTOR_PASSPHRASE unlocking the key, checks, signing,
encryption, fsync and rename) against ``age -r RECIPIENT -o OUT FILE`` on the store's copy of
the attachment (which does not fsync). Runs alternate, the median of each is compared; before
every run the previous output is removed and ``sync`` empties the dirty page cache.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _whole import (alternate, age_identity, collector_cmd, ensure_age,  # noqa: E402
                    ensure_bytecode, env_with_passphrase, load_line, make_pack_fixture, result,
                    run_process, settle, size_args)

TIME_FACTOR = 1.0
RSS_BUDGET_MB = 100.0


def main() -> int:
    args = size_args(__doc__.splitlines()[0])
    age, _ = ensure_age()
    ensure_bytecode()
    with tempfile.TemporaryDirectory(prefix="bench-pack-") as tmp:
        root = Path(tmp)
        fx = make_pack_fixture(root, args.mb)
        age_key, recipient = age_identity(root)
        out_rpu, out_age = root / "out.rpu", root / "out.age"
        env = env_with_passphrase()
        pack = [*collector_cmd(), "--db", str(fx["applicant_db"]), "pack", "--out", str(out_rpu),
                "--to", str(fx["office_pub"]), "--today", "2017-04-20"]
        enc = [age, "-r", recipient, "-o", str(out_age), str(fx["attachment"])]

        sizes = []

        def run_pack():
            run = run_process(pack, env)
            sizes.append(out_rpu.stat().st_size)
            return run

        def prepare() -> None:
            out_rpu.unlink(missing_ok=True)
            out_age.unlink(missing_ok=True)
            settle()

        ours, peer = alternate(args.runs, ("collector pack", run_pack),
                               ("age -r", lambda: run_process(enc)), prepare)
        size = sizes[-1]
    print(f"one {args.mb} MiB attachment → {size / 1e6:.1f} MB package; {load_line()}")
    print(ours.line())
    print(peer.line())
    ratio = ours.median / peer.median
    print(f"pack / age -r = {ratio:.2f}")
    ok = result(f"pack_{args.mb}mib_vs_age", ratio, "x", TIME_FACTOR)
    print(f"RESULT pack_{args.mb}mib_seconds {ours.median:.2f} s "
          f"{TIME_FACTOR * peer.median:.2f} {'PASS' if ok else 'FAIL'}")
    ok &= result(f"pack_{args.mb}mib_peak_rss", ours.peak_mb, "MB", RSS_BUDGET_MB, 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
