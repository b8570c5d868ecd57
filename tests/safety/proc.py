"""Helpers for the crash tests: run a child process, SIGKILL it mid-work, inspect the database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("COLLECTOR_DB", None)
    return env


def spawn(*args: str) -> subprocess.Popen:
    """``python ARGS`` from the repository root with stdout piped, in its own process group."""
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def kill_after(proc: subprocess.Popen, seconds: float) -> tuple[list[str], str]:
    """SIGKILL the child after ``seconds`` (if still running); return its stdout lines, stderr."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.005)
    if proc.poll() is None:
        proc.kill()  # SIGKILL; TerminateProcess on Windows
    out, err = proc.communicate(timeout=30)
    return out.splitlines(), err


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def candidate_ids(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM candidates")}
    finally:
        conn.close()
