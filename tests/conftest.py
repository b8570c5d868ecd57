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


def _decode_python_children_in_the_console_code_page() -> None:
    """Under ``PYTHONIOENCODING=gbk`` (the suite run as on a Chinese Windows console) our Python
    children write their pipes in GBK; on Windows the parent decodes pipes in that same code
    page (cp936), so text-mode pipes from Python children are read in it here too."""
    import subprocess
    import sys

    console = os.environ.get("PYTHONIOENCODING", "").split(":")[0]
    if not console or console.replace("-", "").lower() in ("utf8", ""):
        return
    original = subprocess.Popen.__init__

    def is_python(args) -> bool:
        first = args if isinstance(args, (str, bytes, os.PathLike)) else (args[0] if args else "")
        name = Path(os.fsdecode(first).split()[0] if first else "").name.lower()
        return os.fsdecode(first) == sys.executable or name.startswith("python") or name in (
            "collector", "talentcollector", "collector.exe", "talentcollector.exe")

    def init(self, args, *rest, **kwargs):
        text = kwargs.get("text") or kwargs.get("universal_newlines")
        if text and not kwargs.get("encoding") and is_python(args):
            kwargs["encoding"] = console
        original(self, args, *rest, **kwargs)

    subprocess.Popen.__init__ = init


_decode_python_children_in_the_console_code_page()

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
