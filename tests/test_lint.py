"""Lint (ruff) and type check (mypy) run with the tests, with the settings committed in
pyproject.toml (``[tool.ruff]``, ``[tool.mypy]``); ``python3 run.py test`` installs both."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(tool: str, *args: str) -> subprocess.CompletedProcess:
    if importlib.util.find_spec(tool) is None:
        pytest.fail(f"{tool} is not installed in this environment: run `python3 run.py test` "
                    f"(installs the test extra) or `pip install -e '.[test]'`")
    return subprocess.run([sys.executable, "-m", tool, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_ruff_finds_nothing():
    done = _run("ruff", "check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing_in_the_core_and_the_ui():
    done = _run("mypy", "--no-incremental")  # files and settings: [tool.mypy] in pyproject.toml
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_checks_the_ui_and_the_bodies_of_unannotated_functions():
    """The run above proves only what the settings ask: dropping ui/ from ``files``, turning
    ``check_untyped_defs`` off (most Qt slots and dialogs' ``__init__`` have no annotations) or
    switching it off for a whole package in an override would make it pass on less."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert {"collector", "ui"} <= {f.rstrip("/") for f in settings["files"]}
    assert settings.get("check_untyped_defs") is True
    assert settings.get("ignore_errors") is not True
    for override in settings.get("overrides", []):
        modules = override["module"]
        modules = [modules] if isinstance(modules, str) else modules
        assert override.get("check_untyped_defs", True) is True, modules
        assert override.get("ignore_errors") is not True, modules
        whole = {"ui", "ui.*", "collector", "collector.*"} & set(modules)
        assert not whole, f"an override for a whole package, not a module: {modules}"
