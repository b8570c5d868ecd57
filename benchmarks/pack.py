"""Budget (DESIGN §10): `collector pack` of one 512 MiB attachment ≤ 1.5 × `dd conv=fsync` of the
same bytes, ahead of a durable age and of minisign + a durable age; peak RSS ≤ 100 MB.

    .venv/bin/python benchmarks/pack.py [--mb 512] [--runs 5] [--quick]

Every side is a whole process as a user starts it, on the store's copy of the attachment:

- ours: ``COLLECTOR_PASSPHRASE=… collector --db APPLICANT pack --out OUT --to OFFICE.pub``
  (interpreter start, imports, the key unlocked, checks, signing, hashing, encryption, fsync
  and rename);
- the floor: ``dd if=ATTACHMENT of=OUT bs=1M conv=fsync`` (a durable copy, nothing else);
- a durable age: ``age -r RECIPIENT ATTACHMENT | dd of=OUT bs=1M conv=fsync`` (encrypts, does
  not sign);
- minisign + a durable age: ``minisign -S`` with a passphrase-sealed key (unlocked from stdin),
  then the durable age: what signing and encrypting takes with the two best-known tools.

The four run in turn, the order turned each round; medians are compared. Before every run
the previous outputs are removed and ``sync`` empties the dirty page cache.
"""

from __future__ import annotations

import shlex
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fixtures import make_pack_fixture  # noqa: E402
from _whole import (PASSPHRASE, age_identity, alternate_many, collector_cmd,  # noqa: E402
                    compare, ensure_age, ensure_bytecode, ensure_minisign, env_with_passphrase,
                    load_line, minisign_key, result, rss_result, run_process, settle, shell, size_args)

DD_FACTOR = 1.5  # of the durable copy
PEER_FACTOR = 1.0  # "ahead of" the durable age, and of minisign + the durable age


def main() -> int:
    args = size_args(__doc__.splitlines()[0])
    age, _ = ensure_age()
    minisign = ensure_minisign()
    ensure_bytecode()
    with tempfile.TemporaryDirectory(prefix="bench-pack-") as tmp:
        root = Path(tmp)
        fx = make_pack_fixture(root, args.mb)
        _, recipient = age_identity(root)
        sign_key = minisign_key(root)
        att = shlex.quote(str(fx["attachment"]))
        out_rpu, out_dd, out_age = root / "out.rpu", root / "out.dd", root / "out.age"
        outs = (out_rpu, out_dd, out_age, root / "out.minisig")
        pack = [*collector_cmd(), "--db", str(fx["applicant_db"]), "pack", "--out", str(out_rpu),
                "--to", str(fx["office_pub"]), "--today", "2017-04-20"]
        dd = f"dd if={att} of={out_dd} bs=1M conv=fsync status=none"
        durable_age = f"{age} -r {recipient} {att} | dd of={out_age} bs=1M conv=fsync status=none"
        signed_age = (f"echo {PASSPHRASE} | {minisign} -S -s {sign_key} -m {att} "
                      f"-x {root / 'out.minisig'} >/dev/null && {durable_age}")
        env = env_with_passphrase()
        sizes = []

        def run_pack():
            run = run_process(pack, env)
            sizes.append(out_rpu.stat().st_size)
            return run

        def prepare() -> None:
            for out in outs:
                out.unlink(missing_ok=True)
            settle()

        print(f"one {args.mb} MiB attachment; {load_line()}", flush=True)
        ours, floor, aged, signed = alternate_many(args.runs, [
            ("collector pack", run_pack), ("dd conv=fsync", lambda: run_process(shell(dd))),
            ("age | dd", lambda: run_process(shell(durable_age))),
            ("minisign + age | dd", lambda: run_process(shell(signed_age)))], prepare)
        print(f"package {sizes[-1] / 1e6:.1f} MB; {load_line()}; other programs used "
              f"{ours.others:.2f} cores meanwhile" if ours.others is not None else "")
        for s in (ours, floor, aged, signed):
            print(s.line())
    short = {dd: "dd if=ATTACHMENT of=OUT bs=1M conv=fsync",
             durable_age: "age -r R ATTACHMENT | dd of=OUT bs=1M conv=fsync",
             signed_age: "minisign -S -s KEY -m ATTACHMENT && age -r R ATTACHMENT | dd of=OUT "
                         "bs=1M conv=fsync"}
    name = f"pack_{args.mb}mib"
    ok = compare(f"{name}_vs_dd", ours, floor, DD_FACTOR, short[dd])
    ok &= compare(f"{name}_vs_age_durable", ours, aged, PEER_FACTOR, short[durable_age])
    ok &= compare(f"{name}_vs_minisign_age", ours, signed, PEER_FACTOR, short[signed_age])
    result(f"{name}_seconds", ours.median, "s", round(DD_FACTOR * floor.median, 2),
           yardstick=f"{DD_FACTOR:g} × dd conv=fsync ({floor.median:.2f} s)", others=ours.others)
    ok &= rss_result(f"{name}_peak_rss", ours)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
