"""Budgets (DESIGN §10) on the package of one 512 MiB attachment: `collector verify` ≤ 0.7 ×
`age -d`; `collector inbox` ≤ 1.4 × `dd conv=fsync` of the package and ≤ 1.0 × `age -d | dd
conv=fsync`, the store growing ≤ 1.05 × the package; peak RSS ≤ 100 MB.

    .venv/bin/python benchmarks/verify.py [--mb 512] [--runs 5] [--quick]

Whole processes as a user starts them, the key unlocked from COLLECTOR_PASSPHRASE:

- ``collector --db OFFICE verify PKG`` (decrypts every chunk, checks the signature and every
  part's SHA-256; writes nothing) against ``age -d -i KEY -o OUT FILE.age``, age decrypting
  the attachment it encrypted (to a file, not made durable: age does not sync);
- ``collector --db OFFICE-COPY inbox PKG`` (the same check, then the package stored durably
  and the candidate imported, on a fresh copy of the office's database each run) against
  ``dd if=PKG of=OUT bs=1M conv=fsync`` (a durable copy of the package: the floor) and
  ``age -d -i KEY FILE.age | dd of=OUT bs=1M conv=fsync`` (a durable decryption).

The store's growth is every byte the inbox added beside the database: the database file and
its journal, and the ``.files`` folder. Runs alternate with the peers'; medians are compared.
The package and the age file are made once (not timed).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fixtures import make_pack_fixture  # noqa: E402
from _whole import (FreshInbox, age_identity, alternate_many, collector_cmd,  # noqa: E402
                    compare, ensure_age, ensure_bytecode, env_with_passphrase, load_line, result,
                    rss_result, run_process, settle, shell, size_args)

VERIFY_FACTOR = 0.7  # of age -d
INBOX_DD_FACTOR = 1.4  # of a durable copy of the package
INBOX_AGE_FACTOR = 1.0  # of a durable age -d
GROWTH_FACTOR = 1.05  # the store's growth over the package's size


def main() -> int:
    args = size_args(__doc__.splitlines()[0])
    age, _ = ensure_age()
    ensure_bytecode()
    env = env_with_passphrase()
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
        out, run_db = root / "peer.out", root / "inbox.db"
        q = {k: shlex.quote(str(v)) for k, v in (("key", age_key), ("age", age_file),
                                                 ("pkg", package), ("out", out))}
        age_d = f"{age} -d -i {q['key']} -o {q['out']} {q['age']}"
        dd = f"dd if={q['pkg']} of={q['out']} bs=1M conv=fsync status=none"
        age_dd = f"{age} -d -i {q['key']} {q['age']} | dd of={q['out']} bs=1M conv=fsync status=none"
        verify = [*collector_cmd(), "--db", str(fx["office_db"]), "verify", str(package)]
        inbox = FreshInbox(fx["office_db"], run_db, [package], env)

        def prepare() -> None:
            out.unlink(missing_ok=True)
            inbox.prepare()
            settle()

        size = package.stat().st_size
        print(f"package of one {args.mb} MiB attachment: {size / 1e6:.1f} MB; {load_line()}",
              flush=True)
        ours_v, peer_v = alternate_many(args.runs, [
            ("collector verify", lambda: run_process(verify, env)),
            ("age -d", lambda: run_process(shell(age_d)))], prepare)
        ours_i, floor, aged = alternate_many(args.runs, [
            ("collector inbox", inbox.run), ("dd conv=fsync", lambda: run_process(shell(dd))),
            ("age -d | dd", lambda: run_process(shell(age_dd)))], prepare)
    print(f"{load_line()}; other programs used {ours_v.others or 0:.2f} cores during verify, "
          f"{ours_i.others or 0:.2f} during inbox")
    for s in (ours_v, peer_v, ours_i, floor, aged):
        print(s.line())
    name = f"{args.mb}mib"
    ok = compare(f"verify_{name}_vs_age", ours_v, peer_v, VERIFY_FACTOR,
                 "age -d -i KEY -o OUT FILE.age")
    ok &= rss_result(f"verify_{name}_peak_rss", ours_v)
    ok &= compare(f"inbox_{name}_vs_dd", ours_i, floor, INBOX_DD_FACTOR,
                  "dd if=PACKAGE of=OUT bs=1M conv=fsync")
    ok &= compare(f"inbox_{name}_vs_age_durable", ours_i, aged, INBOX_AGE_FACTOR,
                  "age -d -i KEY FILE.age | dd of=OUT bs=1M conv=fsync")
    print(f"store grew by {', '.join(f'{g / 1e6:.1f}' for g in inbox.growth)} MB "
          f"(package {size / 1e6:.1f} MB)")
    ok &= result(f"inbox_{name}_store_growth", max(inbox.growth) / size, "x", GROWTH_FACTOR,
                 yardstick=f"{GROWTH_FACTOR:g} × the package's size ({size / 1e6:.1f} MB)")
    ok &= rss_result(f"inbox_{name}_peak_rss", ours_i)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
