"""Budget (DESIGN §10): `collector verify` and `collector inbox` of the package of one 512 MiB
attachment ≤ 1.0 × one `age -d` process of the age file of the same attachment.

    .venv/bin/python benchmarks/verify.py [--mb 512] [--runs 5] [--quick]

Whole processes as a user starts them, the key unlocked from COLLECTOR_PASSPHRASE:
``collector --db office.db verify PKG.rpu`` (decrypt every chunk, check the signature and
every part's SHA-256; writes nothing) and ``collector --db office.db inbox PKG.rpu`` (the
same check, then the attachment and the package itself stored durably and the candidate
imported, on a fresh copy of the office's database each run), each against
``age -d -i KEY -o OUT FILE.age`` (decrypts and writes the attachment, without fsync).
Runs alternate with age's; medians are compared. The package and the age file are made once
(not timed).
"""

from __future__ import annotations

import shutil
import subprocess
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
    env = env_with_passphrase()
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-verify-") as tmp:
        root = Path(tmp)
        fx = make_pack_fixture(root, args.mb)
        age_key, recipient = age_identity(root)
        package, age_file = root / "package.rpu", root / "attachment.age"
        subprocess.run([*collector_cmd(), "--db", str(fx["applicant_db"]), "pack", "--out",
                        str(package), "--to", str(fx["office_pub"]), "--today", "2017-04-20"],
                       env=env, check=True, capture_output=True)
        subprocess.run([age, "-r", recipient, "-o", str(age_file), str(fx["attachment"])],
                       check=True)
        decrypted = root / "attachment.out"
        run_db = root / "inbox.db"
        dec = [age, "-d", "-i", str(age_key), "-o", str(decrypted), str(age_file)]
        verify = [*collector_cmd(), "--db", str(fx["office_db"]), "verify", str(package)]
        inbox = [*collector_cmd(), "--db", str(run_db), "inbox", str(package)]

        def prepare() -> None:
            decrypted.unlink(missing_ok=True)
            for old in root.glob("inbox.db*"):
                shutil.rmtree(old) if old.is_dir() else old.unlink()
            shutil.copy(fx["office_db"], run_db)
            settle()

        print(f"package of one {args.mb} MiB attachment: {package.stat().st_size / 1e6:.1f} MB; "
              f"{load_line()}")
        for name, cmd in (("verify", verify), ("inbox", inbox)):
            ours, peer = alternate(args.runs, (f"collector {name}", lambda cmd=cmd: run_process(cmd, env)),
                                   ("age -d", lambda: run_process(dec)), prepare)
            print(ours.line())
            print(peer.line())
            ratio = ours.median / peer.median
            print(f"{name} / age -d = {ratio:.2f}")
            ok &= result(f"{name}_{args.mb}mib_vs_age", ratio, "x", TIME_FACTOR)
            print(f"RESULT {name}_{args.mb}mib_seconds {ours.median:.2f} s "
                  f"{TIME_FACTOR * peer.median:.2f} {'PASS' if ratio <= TIME_FACTOR else 'FAIL'}")
            ok &= result(f"{name}_{args.mb}mib_peak_rss", ours.peak_mb, "MB", RSS_BUDGET_MB, 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
