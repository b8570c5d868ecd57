"""Shared fixtures: one helper builds records, one runs the CLI in-process, one opens a store."""

from __future__ import annotations

import copy
import io
import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collector.cli import main as cli_main  # noqa: E402
from collector.sample import make_candidate  # noqa: E402
from collector.store import Store  # noqa: E402


def make_record(i: int = 0, **overrides) -> dict:
    """A complete, valid 2017 candidate; keyword arguments replace top-level keys."""
    record = make_candidate(i)
    for key, value in overrides.items():
        record[key] = copy.deepcopy(value)
    return record


@pytest.fixture
def record() -> dict:
    return make_record()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "collector.db"


@pytest.fixture
def store(db_path: Path):
    with Store(db_path) as s:
        yield s


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(db_path: Path, monkeypatch):
    """Run ``collector --db <tmp db> ARGS`` in-process; returns Result(code, out, err)."""
    monkeypatch.delenv("COLLECTOR_DB", raising=False)

    def run(*args: str, db: Path | None = None) -> Result:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = cli_main(["--db", str(db or db_path), *map(str, args)])
            except SystemExit as exc:  # argparse usage errors
                code = exc.code if isinstance(exc.code, int) else 2
        return Result(code, out.getvalue(), err.getvalue())

    return run
