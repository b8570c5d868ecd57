"""Reading parts back after the verifying pass, and decompression at its caps
(collector/rpu/reader.py): what a user of ``open_part`` or an inbox import relies on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from collector import rpu
from collector.rpu.format import CHUNK
from collector.rpu.writer import Part, write_package


def _fds_on(path: Path) -> int:
    """How many of this process's file descriptors point at ``path`` (Linux /proc)."""
    n = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            n += os.readlink(f"/proc/self/fd/{fd}") == str(path)
        except OSError:
            pass
    return n


def test_closing_a_part_stream_early_closes_the_package_file(package, office):
    """A preview that reads the first bytes of an attachment and closes must not leave the
    package open (on Windows an open file cannot be moved or deleted)."""
    pkg = rpu.open_package(package, office.identity)
    name = max(pkg.parts.values(), key=lambda p: p.stored).name
    assert pkg.parts[name].size > 2 * CHUNK
    fh = pkg.open_part(name)
    assert fh.read(10) == pkg.read_part(name)[:10]
    assert _fds_on(package) == 1
    fh.close()
    assert _fds_on(package) == 0, "the part stream was closed but the package file is open"
