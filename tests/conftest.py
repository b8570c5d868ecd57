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
        child_env = kwargs.get("env")
        inherits = (os.environ if child_env is None else child_env).get("PYTHONIOENCODING", "")
        if text and not kwargs.get("encoding") and is_python(args) and inherits.startswith(console):
            kwargs["encoding"] = console
        original(self, args, *rest, **kwargs)

    subprocess.Popen.__init__ = init


_decode_python_children_in_the_console_code_page()

from tests.rules_copy import use_rules_from_environment  # noqa: E402

use_rules_from_environment()


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "rules_2017: asserts a value of resources/rules/2017.toml itself, so it is "
                   "left out when the suite runs against a changed copy (tests/rules_copy.py)")

from collector.cli import main as cli_main  # noqa: E402
from collector.record.sample import make_candidate  # noqa: E402
from collector.storage.store import Store  # noqa: E402
from tests.mutation_support import (pytest_collection_modifyitems,  # noqa: E402,F401 (hooks)
                                    pytest_fixture_setup, pytest_runtest_protocol,
                                    pytest_sessionfinish, pytest_sessionstart)


@pytest.fixture(autouse=True)
def _light_key_sealing(request, monkeypatch):
    """Keys made in a test are sealed with scrypt at n = 2**10 instead of the product's 2**15.

    Sealing a new key costs 0.12 s at the real cost; the suite makes about 700 of them, which
    was half of its time (and of every mutant's test run, docs/testing.md). Unsealing reads n from
    the stored record, so these keys open as any other. Tests of the key file itself, and the
    command line run as a child process, keep the real cost: mark a test ``real_kdf``.
    """
    if request.node.get_closest_marker("real_kdf") is None:
        from collector.rpu import keys

        monkeypatch.setattr(keys, "SCRYPT_N", 2 ** 10)


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
