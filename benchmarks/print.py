"""Budget (DESIGN §10): 1,000 registration-form PDFs in ≤ 60 s on the 2-core machine.

Prints the time for N forms of invented candidates (``--count``, default 1000) written one after
another, as ``collector print registration`` and the UI do, and the RESULT line.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from collector.printing import registration_pdf  # noqa: E402
from collector.sample import make_candidate  # noqa: E402

BUDGET_S = 60.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    records = [make_candidate(i) for i in range(args.count)]
    with tempfile.TemporaryDirectory(prefix="print-bench-") as tmp:
        start, cpu_start = time.perf_counter(), time.process_time()
        pages = 0
        for i, record in enumerate(records):
            pages += registration_pdf(record, Path(tmp) / f"{i:04d}.pdf").pages
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    budget = BUDGET_S * args.count / 1000
    print(f"{args.count} 份登记表，{pages} 页，用时 {elapsed:.1f} s"
          f"（每份 {elapsed / args.count * 1000:.0f} ms；CPU {cpu:.1f} s，"
          f"墙钟明显大于 CPU 时说明机器上另有负载）")
    verdict = "PASS" if elapsed <= budget else "FAIL"
    print(f"RESULT print_registration_{args.count} {elapsed:.2f} s {budget:g} {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
