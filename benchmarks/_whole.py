"""Helpers for timing whole processes as a user runs them (benchmarks/README.md).

A figure here is the wall time of one child process from ``fork`` to its exit — interpreter
start, imports, key unlock and the work — and its peak memory is the child's own
``ru_maxrss`` (from ``wait4``). ``alternate`` runs ours and the peer's in turn so that a busy
machine slows both alike.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence
from collector.exchange import keyring

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "bench-passphrase"


@dataclass
class Run:
    seconds: float
    rss_mb: float


@dataclass
class Series:
    label: str
    runs: list[Run] = field(default_factory=list)

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
    return Run(seconds, rss_kb / 1024)


def alternate(runs: int, first: tuple[str, Callable[[], Run]],
              second: tuple[str, Callable[[], Run]], prepare: Callable[[], None] | None = None
              ) -> tuple[Series, Series]:
    """``runs`` rounds of first-then-second, the order swapped every round; ``prepare`` (not
    timed) runs before every single process, e.g. to remove the previous output and sync."""
    a, b = Series(first[0]), Series(second[0])
    for i in range(runs):
        order = ((a, first[1]), (b, second[1]))
        for series, step in (order if i % 2 == 0 else order[::-1]):
            if prepare:
                prepare()
            series.runs.append(step())
    return a, b


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


def age_identity(root: Path) -> tuple[Path, str]:
    """An age key file in ``root`` and its public recipient string."""
    _, keygen = ensure_age()
    key = root / "age-key.txt"
    subprocess.run([keygen, "-o", str(key)], check=True, capture_output=True)
    recipient = next(line.split(":", 1)[1].strip()
                     for line in key.read_text().splitlines() if line.startswith("# public key:"))
    return key, recipient


def random_file(path: Path, size: int) -> None:
    with open(path, "wb") as fh:
        left = size
        while left:
            n = min(left, 8 << 20)
            fh.write(os.urandom(n))
            left -= n


def make_pack_fixture(root: Path, mb: int) -> dict:
    """An applicant database with keys and one candidate carrying one ``mb`` MiB attachment,
    the office's key pair (its own database) and the attachment's path. Not timed.

    Made in a child process: a child's peak RSS counts the parent's size at ``fork``, so the
    timing process stays small."""
    code = (f"import sys, json; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); "
            "from _whole import _make_pack_fixture as m; from pathlib import Path; "
            f"print(json.dumps({{k: str(v) for k, v in m(Path({str(root)!r}), {mb}).items()}}))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    import json

    return {k: Path(v) for k, v in json.loads(out.strip().splitlines()[-1]).items()}


def _make_pack_fixture(root: Path, mb: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from collector.record.sample import make_candidate
    from collector.storage.store import Store

    scan = root / "scan.pdf"
    random_file(scan, mb << 20)
    with Store(root / "applicant.db") as a, Store(root / "office.db") as o:
        keyring.generate_identity(a, PASSPHRASE, "bench")
        keyring.generate_identity(o, PASSPHRASE, "office")
        (root / "office.pub").write_text(keyring.public_key_block(o), encoding="utf-8")
        sha, size = a.add_file(scan)
        record = make_candidate(0)
        record["attachments"] = [{"file": "scan.pdf", "title": "扫描件", "category": "其他",
                                  "classified": False, "declassified": False,
                                  "sha256": sha, "size": size}]
        a.save(record)
        attachment = a.file_path(sha)
    scan.unlink()
    return {"attachment": attachment, "applicant_db": root / "applicant.db",
            "office_db": root / "office.db", "office_pub": root / "office.pub"}


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


def result(name: str, value: float, unit: str, budget: float, digits: int = 2) -> bool:
    ok = value <= budget
    print(f"RESULT {name} {value:.{digits}f} {unit} {budget:g} {'PASS' if ok else 'FAIL'}",
          flush=True)
    return ok


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
