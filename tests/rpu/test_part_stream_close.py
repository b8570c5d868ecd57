"""A part opened as a stream lets go of the package file when it is closed, even unread: on
Windows an open handle would keep the user from deleting or replacing the inbox file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from collector import rpu

FD_DIR = Path("/proc/self/fd")


def handles_on(path: Path) -> int:
    """How many of this process's file descriptors point at ``path``."""
    count = 0
    for fd in os.listdir(FD_DIR):
        try:
            if Path(os.readlink(FD_DIR / fd)) == path.resolve():
                count += 1
        except OSError:  # the descriptor closed while listing
            pass
    return count


@pytest.mark.skipif(not sys.platform.startswith("linux") or not FD_DIR.is_dir(),
                    reason="needs /proc/self/fd (Linux)")
def test_closing_a_half_read_part_closes_the_package_file(package, office):
    pkg = rpu.open_package(package, office.identity)
    name = max(pkg.parts, key=lambda n: pkg.parts[n].size)
    before = handles_on(package)
    fh = pkg.open_part(name)
    assert fh.read(10) and handles_on(package) == before + 1
    fh.close()
    assert handles_on(package) == before  # while ``fh`` itself is still referenced


def test_reading_past_the_end_keeps_returning_nothing(package, office):
    pkg = rpu.open_package(package, office.identity)
    name = next(iter(pkg.parts))
    with pkg.open_part(name) as fh:
        whole = fh.read()
        assert fh.read() == b"" and fh.read(5) == b"" and fh.read1(5) == b""
    assert whole == pkg.read_part(name)
