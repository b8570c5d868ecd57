"""Budget (DESIGN §10): verify + import 1,000 `.rpu` files ≤ 60 s, through the office inbox.

Makes 1,000 one-candidate packages from one applicant installation (not timed), then times
``collector.office.inbox.import_many`` on the folder: every package decrypted, its signature
and every part checked, the candidate stored, the package kept for the office package.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from collector.office import inbox  # noqa: E402
from collector.office.profile import save_profile  # noqa: E402
from collector.exchange.keyring import generate_identity  # noqa: E402
from collector.exchange.packing import pack  # noqa: E402
from collector.record.sample import make_candidate  # noqa: E402
from collector.storage.store import Store  # noqa: E402

BUDGET_S = 60.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        root = Path(tmp)
        packages = root / "inbox"
        packages.mkdir()
        with Store(root / "applicant.db") as app, Store(root / "office.db") as office:
            office_id = generate_identity(office, "bench", "office", "包头市人社局")
            save_profile(office, role="盟市/厅局", unit="包头市人社局", channel_name="包头市")
            t0 = time.perf_counter()
            applicant = generate_identity(app, "bench", "applicant")
            ids = [app.save(make_candidate(i)) for i in range(args.count)]
            for n, cid in enumerate(ids):
                pack(app, [cid], packages / f"{n:04d}.rpu", identity=applicant,
                     recipients=[office_id.public])
            made = time.perf_counter() - t0
            print(f"made {args.count} packages in {made:.1f} s (not timed)")
            t0 = time.perf_counter()
            result = inbox.import_many(office, [packages], office_id)
            took = time.perf_counter() - t0
            assert len(result.imported) == args.count, [e.reason for e in result.refused][:3]
            assert office.count() == args.count
        print(f"verified and imported {args.count} packages in {took:.2f} s "
              f"({took / args.count * 1000:.1f} ms each)")
    status = "PASS" if took <= BUDGET_S else "FAIL"
    print(f"RESULT import_{args.count}_rpu {took:.2f} s {BUDGET_S:g} {status}")
    return 0 if status == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
