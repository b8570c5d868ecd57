"""Helpers for timing whole processes as a user runs them (benchmarks/README.md).

A figure here is the wall time of one child process from ``fork`` to its exit — interpreter
start, imports, key unlock and the work — and its peak memory is the child's own
``ru_maxrss`` (from ``wait4``). ``alternate`` runs ours and the peer's in turn so that a busy
machine slows both alike.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "bench-passphrase"


@dataclass
class Run:
    seconds: float
    rss_mb: float
    cpu: float = 0.0  # user + system seconds of the process and the children it waited for


@dataclass
class Series:
    label: str
    runs: list[Run] = field(default_factory=list)
    others: float | None = None  # cores' worth of CPU other programs used during the runs

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.rss_mb for r in self.runs)

    def line(self) -> str:
        times = ", ".join(f"{r.seconds:.2f}" for r in self.runs)
        return f"{self.label}: {times} s (median {self.median:.3f} s, peak {self.peak_mb:.0f} MB)"


def collector_cmd() -> list[str]:
    """The ``collector`` console script of this Python's environment, as a user types it."""
    script = Path(sys.executable).with_name("collector")
    return [str(script)] if script.exists() else [sys.executable, "-m", "collector"]


def gui_cmd() -> list[str]:
    script = Path(sys.executable).with_name("collector-gui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ui"]


def run_process(cmd: Sequence[str], env: dict | None = None, cwd: Path | None = None) -> Run:
    """Time one process; raise with its stderr when it fails."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(cmd), env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would be the max over all children)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}): {err[-800:]}")
    rss_kb = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    return Run(seconds, rss_kb / 1024, usage.ru_utime + usage.ru_stime)


def shell(command: str) -> list[str]:
    """A peer's pipeline (``age … | dd …``) as one process a user types into a shell."""
    return ["sh", "-c", command]


def alternate(runs: int, first: tuple[str, Callable[[], Run]],
              second: tuple[str, Callable[[], Run]], prepare: Callable[[], None] | None = None
              ) -> tuple[Series, Series]:
    """``runs`` rounds of first-then-second, the order swapped every round; ``prepare`` (not
    timed) runs before every single process, e.g. to remove the previous output and sync."""
    a, b = alternate_many(runs, [first, second], prepare)
    return a, b


def alternate_many(runs: int, steps: Sequence[tuple[str, Callable[[], Run]]],
                   prepare: Callable[[], None] | None = None) -> list[Series]:
    """Like ``alternate`` for any number of programs: each round runs every one, the order
    turned by one place a round (for two, swapped). Also measures how busy the rest of the
    machine was meanwhile (``Series.others``, the same figure on every series)."""
    series = [Series(label) for label, _ in steps]
    before, started = busy_seconds(), time.perf_counter()
    for i in range(runs):
        k = i % len(steps)
        for s, (_, step) in [*zip(series, steps)][k:] + [*zip(series, steps)][:k]:
            if prepare:
                prepare()
            s.runs.append(step())
    wall = time.perf_counter() - started
    ours = sum(r.cpu for s in series for r in s.runs)
    others = max(0.0, (busy_seconds() - before - ours) / wall) if before is not None else None
    for s in series:
        s.others = others
    return series


def busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy (all cores, /proc/stat), or None."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def settle() -> None:
    """Write back what the previous run left dirty, so no run pays for another's writes."""
    os.sync()


def ensure_age() -> tuple[str, str]:
    """(age, age-keygen), installing Debian's ``age`` when missing."""
    if not shutil.which("age"):
        print("installing age (Debian package) …", file=sys.stderr)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "age"], env=env, check=True,
                       capture_output=True)
    return shutil.which("age"), shutil.which("age-keygen")


def ensure_minisign() -> str:
    """minisign, installing Debian's package when missing."""
    if not shutil.which("minisign"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-qq", "minisign"], env=env, check=True,
                       capture_output=True)
    return shutil.which("minisign")


def minisign_key(root: Path) -> Path:
    """A minisign secret key in ``root`` sealed with PASSPHRASE (as a user keeps one): signing
    unlocks it, as ``collector pack`` unlocks its own key."""
    key = root / "minisign.key"
    subprocess.run([ensure_minisign(), "-G", "-p", str(root / "minisign.pub"), "-s", str(key)],
                   input=f"{PASSPHRASE}\n{PASSPHRASE}\n", text=True, check=True,
                   capture_output=True)
    return key


def age_identity(root: Path) -> tuple[Path, str]:
    """An age key file in ``root`` and its public recipient string."""
    _, keygen = ensure_age()
    key = root / "age-key.txt"
    subprocess.run([keygen, "-o", str(key)], check=True, capture_output=True)
    recipient = next(line.split(":", 1)[1].strip()
                     for line in key.read_text().splitlines() if line.startswith("# public key:"))
    return key, recipient


def store_bytes(db: Path) -> int:
    """Every byte an installation keeps beside its database ``db`` at rest: the file with its
    write-ahead log checkpointed (as on close), the journal (``-wal``, ``-shm``) and every
    folder named after it (``<db>.files``)."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = 0
    for path in db.parent.glob(db.name + "*"):
        if path.is_dir():
            total += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        elif path.is_file():
            total += path.stat().st_size
    return total


class FreshInbox:
    """``collector --db RUN inbox INPUTS…`` on a fresh copy of an office's database each run
    (``prepare``, not timed); the store's growth of each run is kept in ``growth``."""

    def __init__(self, office_db: Path, run_db: Path, inputs: Sequence[Path], env: dict):
        self.office_db, self.run_db, self.env = office_db, run_db, env
        self.cmd = [*collector_cmd(), "--db", str(run_db), "inbox", *map(str, inputs)]
        self.fresh = 0
        self.growth: list[int] = []

    def prepare(self) -> None:
        for old in self.run_db.parent.glob(f"{self.run_db.name}*"):
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        shutil.copy(self.office_db, self.run_db)
        self.fresh = store_bytes(self.run_db)

    def run(self) -> Run:
        run = run_process(self.cmd, self.env)
        self.growth.append(store_bytes(self.run_db) - self.fresh)
        return run


def user_env(**extra: str) -> dict:
    """The environment of a user's process: bytecode caches used (an installed program has
    them; PYTHONDONTWRITEBYTECODE, set on some development machines, would make every start
    compile the whole program again) and no first-run guide."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(COLLECTOR_NO_FIRST_RUN="1", **extra)
    return env


def env_with_passphrase() -> dict:
    return user_env(COLLECTOR_PASSPHRASE=PASSPHRASE)


def ensure_bytecode() -> None:
    """Compile the program's modules once, as installing it does (pip, PyInstaller)."""
    import compileall

    for package in ("collector", "ui"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


def result(name: str, value: float, unit: str, budget: float, digits: int = 2,
           yardstick: str = "", others: float | None = None) -> bool:
    """The RESULT line, then the lines run_all.py puts beside it: ``YARDSTICK name text``
    (what the figure is compared with) and ``LOAD name text`` (how busy the machine was)."""
    ok = value <= budget
    print(f"RESULT {name} {value:.{digits}f} {unit} {budget:g} {'PASS' if ok else 'FAIL'}")
    if yardstick:
        print(f"YARDSTICK {name} {yardstick}")
    busy = f"; others {others:.2f} cores" if others is not None else ""
    print(f"LOAD {name} {load_text()}{busy}", flush=True)
    return ok


def compare(name: str, ours: Series, peer: Series, factor: float, peer_cmd: str) -> bool:
    """RESULT for ``ours.median / peer.median ≤ factor``, the peer's command and time beside it."""
    ratio = ours.median / peer.median
    print(f"{ours.label} / {peer.label} = {ratio:.2f} (budget {factor:g})")
    return result(name, ratio, "x", factor,
                  yardstick=f"{factor:g} × `{peer_cmd}` ({peer.median:.2f} s; ours "
                            f"{ours.median:.2f} s)", others=ours.others)


RSS_BUDGET_MB = 100.0


def rss_result(name: str, series: Series) -> bool:
    """The peak RSS of the runs in ``series`` against DESIGN §10's 100 MB."""
    print(f"{series.label}: peak RSS {series.peak_mb:.0f} MB (budget {RSS_BUDGET_MB:g} MB)")
    return result(name, series.peak_mb, "MB", RSS_BUDGET_MB, 0,
                  yardstick=f"{RSS_BUDGET_MB:g} MB (DESIGN §10)")


def load_text() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def load_line() -> str:
    try:
        return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return ""


def size_args(description: str) -> argparse.Namespace:
    """The options pack.py and verify.py share: one attachment of --mb MiB, --runs each."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--mb", type=int, default=512, help="attachment size in MiB (default 512)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="64 MiB, 3 runs")
    args = ap.parse_args()
    if args.quick:
        args.mb, args.runs = 64, 3
    return args
