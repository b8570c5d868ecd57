"""Light commands stay light (DESIGN §10, issue 13): `collector --help` and `collector list` on an
empty database import no heavy library; each command's modules load when that command runs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from collector.cli import disc as cli_disc
from collector.cli import office as cli_office
from collector.cli import rpu as cli_rpu

HEAVY = ("reportlab", "openpyxl", "PySide6", "pycdlib", "cryptography", "sqlite_utils")


def imported_by(*args: str, env: dict | None = None) -> set[str]:
    """Top-level packages the real ``python -m collector ARGS`` process imported."""
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "collector", *args],
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, **(env or {})})
    names = set()
    for line in res.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert names, res.stderr[-500:]
    return names


@pytest.mark.parametrize("args", [("--help",), ("list",), ("print", "--help"), ("pack", "--help")])
def test_light_commands_import_no_heavy_library(args, tmp_path):
    db = tmp_path / "empty.db"
    subprocess.run([sys.executable, "-m", "collector", "--db", str(db), "init"], check=True,
                   capture_output=True, timeout=120)
    heavy = imported_by("--db", str(db), *args) & set(HEAVY)
    assert not heavy, f"collector {' '.join(args)} imported {sorted(heavy)}"


def test_a_command_still_loads_what_it_needs(tmp_path):
    """The laziness is per command: pack really brings in its crypto when it runs."""
    db = tmp_path / "empty.db"
    names = imported_by("--db", str(db), "pack", "--out", str(tmp_path / "x.rpu"))
    assert "cryptography" in names


def test_parser_choices_match_the_core():
    """Choices written out in the command modules (to build the parser without importing the
    core) are the core's own lists."""
    from collector.disc import MEDIA
    from collector.office.decisions import DECISIONS
    from collector.exchange.packing import ROLES

    assert cli_rpu.SENDER_ROLES == ROLES
    assert cli_office.DECISIONS == DECISIONS
    assert cli_disc.MEDIA == tuple(MEDIA)
