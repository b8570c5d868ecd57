"""UI budgets (DESIGN §10): app start to a shown main window ≤ 0.7 s, and filtering the
candidate list over 10,000 candidates ≤ 100 ms per keystroke.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--candidates 10000]

A start is the whole ``collector-gui --db DB --quit-after 0`` process as a user launches it
(interpreter, Qt, fonts, the store, the window built and shown, one turn of the event loop,
then closing and exiting), with bytecode caches as an installed program has them: the time
to a shown window plus the time to quit. Medians of ``--runs`` after one untimed start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

START_BUDGET_S = 0.7
START_10K_BUDGET_S = 1.5  # a full office's database: not a DESIGN budget, watched for drift
FILTER_BUDGET_MS = 100.0


def result(name: str, value: float, unit: str, budget: float) -> None:
    verdict = "PASS" if value <= budget else "FAIL"
    print(f"RESULT {name} {value:.3f} {unit} {budget} {verdict}", flush=True)


def fill_store(db: Path, n: int) -> None:
    from collector.record.sample import make_candidate
    from collector.storage.store import Store

    with Store(db) as store:
        if store.count() >= n:
            return
        batch = [(make_candidate(i), None) for i in range(n)]
        store.save_many(batch)


def start_once(db: Path) -> float:
    """Seconds of one whole ``collector-gui`` process: start, window shown, quit."""
    from _whole import gui_cmd, run_process, user_env

    env = user_env(QT_QPA_PLATFORM="offscreen")
    return run_process([*gui_cmd(), "--db", str(db), "--quit-after", "0"], env, ROOT).seconds


def filter_latency(db: Path) -> list[float]:
    """Milliseconds per keystroke typing into the search box of a main window over ``db``."""
    from PySide6.QtWidgets import QApplication

    from collector.storage.store import Store
    from ui import style
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    style.apply(app)
    with Store(db) as store:
        window = MainWindow(store)
        window.show()
        app.processEvents()
        times = []
        # A unit name typed character by character, then deleted, then an ID number fragment.
        sequence = ["内", "内蒙", "内蒙古", "内蒙古大", "内蒙古大学", "内蒙古大", "内蒙古", "内蒙",
                    "内", "", "1", "15", "150", "1501", "15010", "150102", "1501021", ""]
        for text in sequence:
            t = time.perf_counter()
            window.search.setText(text)
            app.processEvents()
            times.append((time.perf_counter() - t) * 1000)
        window.editor.save_now()
        window.close()
    return times


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--candidates", type=int, default=10_000)
    args = ap.parse_args()
    from _whole import ensure_bytecode, load_line

    ensure_bytecode()
    print(load_line())
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.db"
        subprocess.run([sys.executable, "-m", "collector", "--db", str(empty), "init"],
                       check=True, capture_output=True)
        big = Path(tmp) / "big.db"
        t = time.perf_counter()
        fill_store(big, args.candidates)
        print(f"made {args.candidates} candidates in {time.perf_counter() - t:.1f} s")
        start_once(empty)  # warm the OS file cache once, as a second launch would be
        for label, db, budget in (("startup", empty, START_BUDGET_S),
                                  (f"startup_{args.candidates // 1000}k", big, START_10K_BUDGET_S)):
            runs = [start_once(db) for _ in range(args.runs)]
            print(f"{label}: " + ", ".join(f"{r:.2f}" for r in runs) + " s")
            result(label, statistics.median(runs), "s", budget)
        times = filter_latency(big)
        print("filter per keystroke (ms): " + ", ".join(f"{t:.0f}" for t in times))
        result(f"filter_{args.candidates // 1000}k_max", max(times), "ms", FILTER_BUDGET_MS)
        result(f"filter_{args.candidates // 1000}k_median", statistics.median(times), "ms",
               FILTER_BUDGET_MS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
