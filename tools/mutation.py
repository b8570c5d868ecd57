#!/usr/bin/env python3
"""Mutation check of the modules whose checks protect users (issue 16; docs/testing.md).

    .venv/bin/python tools/mutation.py                 run every group, then score
    .venv/bin/python tools/mutation.py rules office    run these groups, then score all
    .venv/bin/python tools/mutation.py --score         score the last runs only
    .venv/bin/python tools/mutation.py --survivors     check again only the survivors not
                                                       explained (after writing kill tests)

The groups are ``[tool.mutation.groups]`` in pyproject.toml: which modules, and which tests.
Each group runs in its own copy of the tree (``mutation-work/GROUP``, kept between runs so
mutmut re-checks only what changed) whose ``[tool.mutmut]`` is the common one with the group's
modules and tests; mutmut runs only the tests that reach each mutant, fastest first
(tests/conftest.py). Survivors that no user could notice are listed in
``tools/mutation_equivalent*.toml`` with a one-line reason and do not count. The score per module
is killed / (checked − equivalent); timeouts count as killed (the mutant hangs the code).
Exit 1 when a module is under 95 % or a survivor is neither killed nor explained.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILES = "mutation_equivalent*.toml"  # one file per group of modules
SURVIVORS = ROOT / "tools" / "mutation_survivors.txt"
WORK = ROOT / "mutation-work"
MUTMUT = [sys.executable, "-m", "mutmut"]
LINE = re.compile(r"^\s*(?P<name>[\w.ǁ]+__mutmut_\d+): (?P<status>.+)$")
KILLED = {"killed", "timeout", "caught by type check"}
TARGET = 95.0


def module_of(mutant: str) -> str:
    """collector.rpu.crypto.xǁStreamWriterǁwrite__mutmut_14 → collector.rpu.crypto"""
    return mutant.split(".x")[0] if ".x" in mutant else mutant.rsplit(".", 1)[0]


def load_config() -> tuple[dict, dict[str, dict]]:
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    return tool["mutmut"], tool["mutation"]["groups"]


def _toml_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def group_pyproject(base: dict, group: dict) -> str:
    """pyproject.toml of a group's copy: ours with [tool.mutmut] narrowed to the group."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = text[:text.index("[tool.mutmut]")]  # [tool.mutmut] and the groups come last
    settings = dict(base, only_mutate=group["mutate"],
                    pytest_add_cli_args_test_selection=group["tests"])
    return text + "[tool.mutmut]\n" + "".join(f"{k} = {_toml_value(v)}\n"
                                             for k, v in settings.items())


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return [f for f in out.splitlines() if f and (ROOT / f).is_file()]


def sync_copy(folder: Path, files: list[str], pyproject: str) -> None:
    """Make ``folder`` hold the tree's files (changed ones copied, gone ones removed) and the
    group's pyproject.toml; mutmut's own ``mutants/`` in it stays."""
    wanted = set(files) - {"pyproject.toml"}
    for rel in wanted:
        src, dst = ROOT / rel, folder / rel
        if dst.is_file() and dst.stat().st_size == src.stat().st_size \
                and dst.read_bytes() == src.read_bytes():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not rel.startswith(("mutants/", ".")) and "__pycache__" not in rel \
                and rel != "pyproject.toml" and rel not in wanted:
            path.unlink()
    target = folder / "pyproject.toml"
    if not target.is_file() or target.read_text(encoding="utf-8") != pyproject:
        target.write_text(pyproject, encoding="utf-8")


def scratch_folder(name: str) -> Path | None:
    """The tests' temporary folders in memory (/dev/shm) when the machine has it: a mutant's run
    makes and deletes installations, and on a disk each fsync and unlink waits for the disk
    (about 0.3 s of a run of 0.9 s, measured). The tests' durability checks are not among the
    mutated modules' and run in the ordinary suite on a real disk."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        return None
    folder = shm / f"collector-mutation-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


def run_group(name: str, base: dict, group: dict, max_children: int,
              only: list[str] | None = None) -> float:
    """mutmut over one group in its copy; ``only``: just these mutants (by name)."""
    folder = WORK / name
    folder.mkdir(parents=True, exist_ok=True)
    sync_copy(folder, tracked_files(), group_pyproject(base, group))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the forked test runs reuse compiled modules
    scratch = scratch_folder(name)
    if scratch:
        env["TMPDIR"] = str(scratch)
    started = time.monotonic()
    try:
        subprocess.run([*MUTMUT, "run", "--max-children", str(max_children), *(only or [])],
                       cwd=folder, env=env, check=False)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    return time.monotonic() - started


def unexplained_in(name: str, equivalent: dict[str, str]) -> list[str]:
    return [m for m, status in load_results([name]).items()
            if status not in KILLED and status != "not checked" and m not in equivalent]


def load_results(groups) -> dict[str, str]:
    results: dict[str, str] = {}
    for name in groups:
        folder = WORK / name
        if not (folder / "mutants").is_dir():
            continue
        out = subprocess.run([*MUTMUT, "results", "--all", "true"], cwd=folder,
                             capture_output=True, text=True, check=True).stdout
        results.update({m["name"]: m["status"].strip() for line in out.splitlines()
                        if (m := LINE.match(line))})
    return results


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
    base, groups = load_config()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("groups", nargs="*", choices=[[], *groups], metavar="GROUP",
                    help=f"groups to run (default all: {', '.join(groups)})")
    ap.add_argument("--score", action="store_true", help="score the last runs without running")
    ap.add_argument("--survivors", action="store_true",
                    help="run again only the survivors that have no reason (after new tests)")
    ap.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    if args.survivors:
        equivalent = load_equivalent()
        for name in args.groups or groups:
            again = unexplained_in(name, equivalent)
            if again:
                print(f"{name}: {len(again)} survivor(s) checked again", flush=True)
                run_group(name, base, groups[name], args.max_children, again)
    elif not args.score:
        took = {name: run_group(name, base, groups[name], args.max_children)
                for name in (args.groups or groups)}
        print("\n" + "; ".join(f"{n} {t / 60:.1f} min" for n, t in took.items())
              + f"; in all {sum(took.values()) / 60:.1f} min")
    return score(load_results(groups), load_equivalent())


if __name__ == "__main__":
    sys.exit(main())
