"""docs/notice-traceability.md: every row names code and a test that exist (or says why software
cannot help), and every rule id the code emits is traced."""

from __future__ import annotations

import ast
import functools
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "notice-traceability.md"
REF = re.compile(r"`([\w./-]+\.(?:py|toml))::([^`]+)`")
CANNOT = "软件无法代劳："


def table_rows() -> list[list[str]]:
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "#":
            continue  # a header row
        rows.append(cells)
    return rows


@functools.cache
def python_names(path: Path) -> set[str]:
    """Top-level functions, classes and assignments, and ``Class.method`` for methods."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            names |= {f"{node.name}.{n.name}" for n in node.body
                      if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def exists(path_text: str, symbol: str) -> bool:
    path = ROOT / path_text
    if not path.is_file():
        return False
    if path.suffix == ".toml":
        node = tomllib.loads(path.read_text(encoding="utf-8"))
        for key in symbol.split("."):
            if not isinstance(node, dict) or key not in node:
                return False
            node = node[key]
        return True
    return symbol in python_names(path)


ROWS = table_rows()


def test_the_table_has_one_row_per_requirement():
    numbers = [r[0] for r in ROWS]
    assert len(ROWS) >= 40 and len(set(numbers)) == len(numbers)
    assert all(len(r) == 5 for r in ROWS), [r[0] for r in ROWS if len(r) != 5]


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_each_row_names_existing_code_and_tests(row):
    number, _quote, _need, where, tests = row
    code = [(p, s) for p, s in REF.findall(where) if not p.startswith("tests/")]
    shown = [(p, s) for p, s in REF.findall(tests) if p.startswith("tests/")]
    if not (code and shown):
        assert CANNOT in where and len(where.split(CANNOT, 1)[1]) > 20, \
            f"{number}: no code or no test, and no reason why software cannot help"
    missing = [f"{p}::{s}" for p, s in code + shown if not exists(p, s)]
    assert not missing, f"{number} names what does not exist: {missing}"
    assert all(s.startswith("test_") for _p, s in shown)


def test_the_checker_refuses_a_missing_function_or_test():
    assert exists("collector/rules/routing.py", "check_non_public_channel")
    assert exists("collector/record/year.py", "ProgramYear.is_non_public")
    assert exists("resources/rules/2017.toml", "routing.non_public_channel_kind")
    assert not exists("collector/rules/routing.py", "check_nothing")
    assert not exists("tests/core/test_routing.py", "test_that_was_never_written")
    assert not exists("resources/rules/2017.toml", "routing.nowhere")
    assert not exists("collector/nowhere.py", "anything")


def test_every_rule_id_the_code_emits_is_traced():
    emitted: set[str] = set()
    pattern = re.compile(r'(?:Finding\(|_f\()\s*"([A-Z_]+)"')
    for path in (ROOT / "collector").rglob("*.py"):
        emitted |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert {"CHANNEL", "QUOTA", "AGE", "CLASSIFIED"} <= emitted
    text = DOC.read_text(encoding="utf-8")
    assert not [rule for rule in emitted if rule not in text]
