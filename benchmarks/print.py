"""Budget (DESIGN §10): 1,000 registration-form PDFs in ≤ 60 s on the 2-core machine.

Stores N invented candidates (``--count``, default 1000) in a fresh database (not timed), then
times the whole process a user starts for them: ``collector print registration --out DIR``
(interpreter start, imports, the font, the helper processes that share the forms among the
cores, every PDF written atomically). ``--runs`` processes, median; the output folder is
emptied and the disk synced between runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _whole import collector_cmd, run_process, settle  # noqa: E402

BUDGET_S = 60.0


def make_database(db: Path, count: int) -> None:
    from collector.record.sample import make_candidate
    from collector.storage.store import Store

    with Store(db) as store:
        for i in range(count):
            store.save(make_candidate(i))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="print-bench-") as tmp:
        root = Path(tmp)
        db, out = root / "collector.db", root / "out"
        make_database(db, args.count)
        env = dict(os.environ, COLLECTOR_DB=str(db))
        cmd = [*collector_cmd(), "--db", str(db), "print", "registration", "--out", str(out)]
        times = []
        for _ in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            settle()
            times.append(run_process(cmd, env=env).seconds)
            pdfs = list(out.glob("*.pdf"))
            assert len(pdfs) == args.count, f"{len(pdfs)} PDFs instead of {args.count}"
    elapsed = statistics.median(times)
    budget = BUDGET_S * args.count / 1000
    print(f"{args.count} 份登记表，整个 collector print registration 进程，{os.cpu_count()} 核："
          + ", ".join(f"{t:.1f}" for t in times) + f" s（中位数 {elapsed:.1f} s）")
    verdict = "PASS" if elapsed <= budget else "FAIL"
    print(f"RESULT print_registration_{args.count} {elapsed:.2f} s {budget:g} {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
