"""Budget (DESIGN §10): a light command ≤ 0.15 s — `collector --help` and `collector list` on an
empty database, each a whole process as a user starts it.

    .venv/bin/python benchmarks/light.py [--runs 5]

The figure is the median wall time from starting the ``collector`` script to its exit
(interpreter, imports, building the parser, opening the database), with bytecode caches as an
installed program has them. One untimed run first, as a second start would find the files in
the page cache.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _whole import collector_cmd, ensure_bytecode, load_line, result, run_process, user_env  # noqa: E402

BUDGET_S = 0.15


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    ensure_bytecode()
    env = user_env()
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-light-") as tmp:
        db = Path(tmp) / "empty.db"
        subprocess.run([*collector_cmd(), "--db", str(db), "init"], env=env, check=True,
                       capture_output=True)
        print(load_line())
        for name, argv in (("help", ["--help"]), ("list_empty", ["--db", str(db), "list"])):
            cmd = [*collector_cmd(), *argv]
            run_process(cmd, env)  # warm the page cache
            runs = [run_process(cmd, env).seconds for _ in range(args.runs)]
            print(f"collector {' '.join(argv[-1:])}: " + ", ".join(f"{r:.3f}" for r in runs)
                  + f" s (budget {BUDGET_S:g} s)")
            ok &= result(f"light_{name}", statistics.median(runs), "s", BUDGET_S, 3,
                         yardstick=f"{BUDGET_S:g} s (DESIGN §10)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
