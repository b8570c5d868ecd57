"""Atomic writes leave nothing under the real name on failure, and clean up after killed writers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from collector.common.atomic import atomic_writer


def test_failure_leaves_no_file(tmp_path):
    target = tmp_path / "out.rpu"
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as fh:
            fh.write(b"half")
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_a_killed_writers_temp_file_is_removed_by_the_next_write(tmp_path):
    target = tmp_path / "out.rpu"
    child = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from collector.common.atomic import atomic_writer\n"
        f"with atomic_writer(Path({str(target)!r})) as fh:\n"
        "    fh.write(b'x' * 1000); fh.flush(); print('writing', flush=True); time.sleep(60)\n")],
        stdout=subprocess.PIPE, text=True, cwd=os.getcwd())
    assert child.stdout.readline().strip() == "writing"
    child.kill()
    child.wait()
    leftovers = [p.name for p in tmp_path.iterdir()]
    assert len(leftovers) == 1 and leftovers[0].endswith(".part") and not target.exists()
    with atomic_writer(target) as fh:
        fh.write(b"whole")
    assert [p.name for p in tmp_path.iterdir()] == ["out.rpu"]
    assert target.read_bytes() == b"whole"
