"""``python3 run.py cli …`` runs in the caller's folder (issue 14): relative paths mean what the
user typed, not the repository's folder."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_record

ROOT = Path(__file__).resolve().parents[2]

# run.py sets up .venv when pyproject.toml changed since; a test must not pip-install, so
# then the same main() runs with the setup steps stubbed (the folder handling is what's tested).
_STUBBED = (
    "import sys, runpy; sys.path.insert(0, {root!r}); import run; "
    "run.ensure_setup = lambda: run.Path(sys.executable); "
    "run.ensure_qt_system_libs = lambda: None; sys.exit(run.main(sys.argv[1:]))"
)


def run_py(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    stamp = ROOT / ".venv" / ".setup-stamp"
    current = stamp.exists() and stamp.read_text() == hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if current:
        cmd = [sys.executable, str(ROOT / "run.py"), *args]
    else:
        cmd = [sys.executable, "-c", _STUBBED.format(root=str(ROOT)), *args]
    env = {k: v for k, v in os.environ.items() if k != "COLLECTOR_DB"}
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


@pytest.mark.skipif(importlib.util.find_spec("venv") is None,
                    reason="run.py makes a venv; the embeddable Windows Python has no venv module")
def test_cli_db_and_files_are_relative_to_the_callers_folder(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    before = set(ROOT.iterdir())
    done = run_py(work, "cli", "--db", "rel.db", "init")
    assert done.returncode == 0, done.stderr
    assert (work / "rel.db").is_file()
    assert set(ROOT.iterdir()) == before  # nothing landed in the repository

    (work / "cand.json").write_text(json.dumps(make_record(1), ensure_ascii=False),
                                    encoding="utf-8")
    checked = run_py(work, "cli", "--db", "rel.db", "validate", "cand.json")
    assert "不存在" not in checked.stderr
    assert checked.returncode == 0, checked.stderr + checked.stdout
