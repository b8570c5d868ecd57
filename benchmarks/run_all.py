"""Run every benchmark script here and print their budgets as one Markdown table.

    .venv/bin/python benchmarks/run_all.py [--quick] [--only validate,pack] [--out FILE.md]

Each ``benchmarks/*.py`` (except this file and ``_``-prefixed helpers) runs in its own
subprocess with this Python; ``--quick`` is passed on only to scripts that accept it. Their
``RESULT <name> <value> <unit> <budget> PASS|FAIL`` lines (benchmarks/README.md) become the
table rows, under the machine's CPU, cores, RAM, OS and Python version. A script that fails
or prints no RESULT line shows as ERROR. Exit 0 when every row passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Cheapest first, so a quick look at the table needs no waiting for the slow ones.
ORDER = ("light", "validate", "startup", "import", "print", "pack", "verify", "inbox_many")
RESULT = re.compile(r"^RESULT\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(PASS|FAIL)\s*$")
# What a figure is compared with, and how busy the machine was: printed under its RESULT line.
BESIDE = re.compile(r"^(YARDSTICK|LOAD)\s+(\S+)\s+(.*)$")
TIMEOUT_S = 3600


@dataclass
class Row:
    script: str
    name: str
    value: str
    unit: str
    budget: str
    verdict: str  # PASS, FAIL or ERROR
    yardstick: str = ""
    load: str = ""

    def markdown(self) -> str:
        figure = f"{self.value} {self.unit}" if self.value else "—"
        budget = f"≤ {self.budget} {self.unit}" if self.budget else "—"
        mark = {"PASS": "✅ PASS", "FAIL": "❌ FAIL"}.get(self.verdict, "⚠️ " + self.verdict)
        cells = (self.script, self.name, figure, budget, self.yardstick.replace("|", "\\|") or "—",
                 self.load or "—", mark)
        return "| " + " | ".join(cells) + " |"


def scripts(only: set[str] | None) -> list[Path]:
    found = [p for p in HERE.glob("*.py") if p.name != Path(__file__).name
             and not p.name.startswith("_")]
    if only:
        found = [p for p in found if p.stem in only]
    rank = {name: i for i, name in enumerate(ORDER)}
    return sorted(found, key=lambda p: (rank.get(p.stem, len(ORDER)), p.stem))


def supports_quick(script: Path) -> bool:
    text = script.read_text(encoding="utf-8")
    return '"--quick"' in text or "size_args(" in text  # _whole.size_args has --quick


def run_script(script: Path, quick: bool, timeout: float) -> tuple[list[Row], float, str]:
    cmd = [sys.executable, str(script)]
    if quick and supports_quick(script):
        cmd.append("--quick")
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=timeout)
        out, err, code = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        out, err, code = _text(exc.stdout), f"timed out after {timeout:.0f} s", -1
    seconds = time.monotonic() - started
    rows: list[Row] = []
    for line in out.splitlines():
        m = RESULT.match(line.strip())
        if m:
            rows.append(Row(script.stem, *m.groups()))
        b = BESIDE.match(line.strip())
        if b and rows and rows[-1].name == b.group(2):
            setattr(rows[-1], b.group(1).lower(), b.group(3))
    # A script may exit 1 because a budget failed; that is a FAIL row, not an error.
    if not rows or (code != 0 and all(r.verdict == "PASS" for r in rows)):
        tail = (err.strip().splitlines() or [f"exit code {code}"])[-1][:160]
        rows.append(Row(script.stem, f"(exit {code}) {tail}", "", "", "", "ERROR"))
    return rows, seconds, out


def _text(data) -> str:
    if data is None:
        return ""
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else data


# -- the machine -------------------------------------------------------------------------------
def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    if sys.platform == "darwin":
        try:
            return subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"],
                                  capture_output=True, text=True).stdout.strip()
        except OSError:
            pass
    return platform.processor() or platform.machine() or "unknown"


def ram_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1048576:.1f} GB"
    except OSError:
        pass
    try:
        return f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GB"
    except (ValueError, OSError, AttributeError):
        return "unknown"


def cores() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    total = os.cpu_count()
    return f"{usable} usable of {total}" if usable and usable != total else str(total)


def load_average() -> str:
    """Other work on the machine slows whole-process figures; the table says how busy it was."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1 / 5 / 15 min)"
    except (OSError, AttributeError):
        return "unknown"


def machine_lines() -> list[str]:
    return [
        f"- CPU: {cpu_model()}, {cores()} cores",
        f"- Load average when the table was printed: {load_average()}",
        f"- RAM: {ram_gb()}",
        f"- OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Python: {platform.python_version()} ({platform.python_implementation()})",
        f"- Date: {dt.datetime.now().astimezone().isoformat(timespec='minutes')}",
    ]


def table(rows: list[Row], quick: bool) -> str:
    lines = ["| script | benchmark | figure | budget | yardstick (peer command, its median) "
             "| load average (1/5/15 min); other programs' CPU | result |",
             "|---|---|---|---|---|---|---|", *(r.markdown() for r in rows)]
    head = "Benchmarks (DESIGN §10)" + (" — quick mode" if quick else "")
    return "\n".join([f"### {head}", "", *machine_lines(), "", *lines, ""])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="pass --quick to scripts that have it")
    ap.add_argument("--only", metavar="NAMES", help="comma-separated script names, e.g. validate,pack")
    ap.add_argument("--out", metavar="FILE", help="also write the Markdown table to FILE")
    ap.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds per script")
    args = ap.parse_args(argv)
    only = {s.strip().removesuffix(".py") for s in args.only.split(",")} if args.only else None

    rows: list[Row] = []
    todo = scripts(only)
    if not todo:
        print("no benchmark scripts found", file=sys.stderr)
        return 1
    for script in todo:
        print(f"running {script.name} …", file=sys.stderr, flush=True)
        got, seconds, _ = run_script(script, args.quick, args.timeout)
        for r in got:
            print(f"  {r.name}: {r.value} {r.unit} (budget {r.budget}) {r.verdict}",
                  file=sys.stderr)
        print(f"  ({seconds:.0f} s)", file=sys.stderr, flush=True)
        rows.extend(got)
    text = table(rows, args.quick)
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0 if all(r.verdict == "PASS" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
