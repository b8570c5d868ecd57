"""Budget (DESIGN §10): validate 10,000 candidates ≤ 2 s.

    .venv/bin/python benchmarks/validate.py [--count 10000] [--runs 3] [--quick]

Candidates come from ``collector.record.sample.make_candidate``; they are normalized first (not
timed), then ``rules.validate`` runs over all of them. A second figure times normalize +
validate together, i.e. checking raw interchange JSON, for information: DESIGN §10 has no
budget for it (the import path's budget is import.py's). Each figure is the best of the runs
(as ``timeit`` does: other load on the machine only ever adds time);
``--quick`` times 2,000 candidates and scales the figure to 10,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collector.common.console import setup as console_setup  # noqa: E402
from collector.record.model import normalize  # noqa: E402
from collector.rules import validate  # noqa: E402
from collector.record.sample import make_candidate  # noqa: E402
from collector.record.year import load_year  # noqa: E402

BUDGET_S = 2.0
PER = 10_000
TODAY = dt.date(2017, 4, 20)  # inside the 2017 selection, so the invented data is eligible


def result(name: str, value: float, unit: str, budget: float) -> None:
    print(f"RESULT {name} {value:.3f} {unit} {budget} {'PASS' if value <= budget else 'FAIL'}",
          flush=True)


def time_runs(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    console_setup()  # a GBK console cannot show "µs": a stand-in, never a crash
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=PER)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="2,000 candidates, scaled to 10,000")
    args = ap.parse_args(argv)
    count = 2_000 if args.quick else args.count
    scale = PER / count

    raw = [make_candidate(i) for i in range(count)]
    records = [normalize(r) for r in raw]
    year = load_year(2017)  # loaded once, as the app does; the first run would pay for it
    validate(records[0], year, today=TODAY)

    findings = 0

    def validate_all() -> None:
        nonlocal findings
        findings = sum(len(validate(r, year, today=TODAY)) for r in records)

    def normalize_and_validate() -> None:
        for r in raw:
            validate(normalize(r), year, today=TODAY)

    v = time_runs(validate_all, args.runs) * scale
    nv = time_runs(normalize_and_validate, args.runs) * scale
    print(f"validate: {count} candidates, {findings} findings, best of {args.runs} runs"
          + (f", scaled ×{scale:g} to {PER}" if scale != 1 else ""))
    print(f"  validate only        {v:.3f} s per {PER}  ({v / PER * 1e6:.0f} µs each)")
    print(f"  normalize + validate {nv:.3f} s per {PER}  ({nv / PER * 1e6:.0f} µs each)")
    result("validate_10k", v, "s", BUDGET_S)
    # DESIGN §10 budgets validating stored candidates; reading raw JSON in is the import path,
    # budgeted as "import 1,000 .rpu" (import.py). Shown for comparison, not judged.
    print(f"INFO normalize_validate_10k {nv:.3f} s (no budget of its own)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
