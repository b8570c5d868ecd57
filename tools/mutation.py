#!/usr/bin/env python3
"""Mutation check of the modules whose checks protect users (issue 16; docs/testing.md).

    .venv/bin/python tools/mutation.py            run mutmut, then score
    .venv/bin/python tools/mutation.py --score    score the last run only

mutmut's configuration (which modules, which tests) is ``[tool.mutmut]`` in pyproject.toml; it
runs only the tests that cover each mutant. Survivors that no user could notice are listed in
``tools/mutation_equivalent*.toml`` with a one-line reason and do not count. The score per module
is killed / (checked − equivalent); timeouts count as killed (the mutant hangs the code).
Exit 1 when a module is under 95 % or a survivor is neither killed nor explained.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILES = "mutation_equivalent*.toml"  # one file per group of modules
SURVIVORS = ROOT / "tools" / "mutation_survivors.txt"
MUTMUT = [sys.executable, "-m", "mutmut"]
LINE = re.compile(r"^\s*(?P<name>[\w.ǁ]+__mutmut_\d+): (?P<status>.+)$")
KILLED = {"killed", "timeout", "caught by type check"}
TARGET = 95.0


def module_of(mutant: str) -> str:
    """collector.rpu.crypto.xǁStreamWriterǁwrite__mutmut_14 → collector.rpu.crypto"""
    return mutant.split(".x")[0] if ".x" in mutant else mutant.rsplit(".", 1)[0]


def load_results() -> dict[str, str]:
    out = subprocess.run([*MUTMUT, "results", "--all", "true"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    return {m["name"]: m["status"].strip() for line in out.splitlines()
            if (m := LINE.match(line))}


def load_equivalent() -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((ROOT / "tools").glob(EQUIVALENT_FILES)):
        out.update(tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", {}))
    return out


def score(results: dict[str, str], equivalent: dict[str, str]) -> int:
    counts: dict[str, Counter] = defaultdict(Counter)
    unexplained: list[str] = []
    for name, status in sorted(results.items()):
        mod = module_of(name)
        if status == "not checked":
            counts[mod]["not checked"] += 1
        elif status in KILLED:
            counts[mod]["killed"] += 1
        elif name in equivalent:
            counts[mod]["equivalent"] += 1
        else:
            counts[mod]["survived"] += 1
            unexplained.append(f"{name}: {status}")
    stale = sorted(set(equivalent) - set(results))
    failed = False
    print(f"{'module':40} {'killed':>7} {'equiv':>6} {'surv':>5} {'score':>7}")
    for mod, c in sorted(counts.items()):
        judged = c["killed"] + c["survived"]
        pct = 100.0 * c["killed"] / judged if judged else 100.0
        failed |= pct < TARGET or c["not checked"] > 0
        note = f"  ({c['not checked']} not checked)" if c["not checked"] else ""
        print(f"{mod:40} {c['killed']:7} {c['equivalent']:6} {c['survived']:5} {pct:6.1f}%{note}")
    total = Counter()
    for c in counts.values():
        total.update(c)
    judged = total["killed"] + total["survived"]
    print(f"{'all':40} {total['killed']:7} {total['equivalent']:6} {total['survived']:5} "
          f"{100.0 * total['killed'] / max(judged, 1):6.1f}%")
    SURVIVORS.write_text(
        "# Survivors of the last mutation run, with the reason each one is not a defect.\n"
        "# Written by tools/mutation.py; the reasons live in tools/mutation_equivalent*.toml.\n"
        + "".join(f"{n}: {equivalent[n]}\n" for n in sorted(equivalent) if n in results)
        + "".join(f"{u}: UNEXPLAINED\n" for u in unexplained), encoding="utf-8")
    if unexplained:
        print(f"\n{len(unexplained)} survivor(s) neither killed nor explained:")
        print("\n".join(f"  {u}" for u in unexplained))
    if stale:
        print(f"\n{len(stale)} equivalent entr(y/ies) name no mutant any more (code changed):")
        print("\n".join(f"  {s}" for s in stale))
    return 1 if failed or unexplained else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--score", action="store_true", help="score the last run without running")
    ap.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    if not args.score:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        subprocess.run([*MUTMUT, "run", "--max-children", str(args.max_children)], cwd=ROOT,
                       env=env, check=False)
    return score(load_results(), load_equivalent())


if __name__ == "__main__":
    sys.exit(main())
