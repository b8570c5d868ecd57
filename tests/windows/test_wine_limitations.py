"""The reviewed list of tests that fail under Wine only (tests/windows/wine_limitations.toml):
every entry names the Wine gap, every listed test exists, and the list only shrinks."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.windows.wine_plugin import load_limitations

ROOT = Path(__file__).resolve().parents[2]
# Lower this when a limitation goes away; raising it needs a reviewed reason in the list.
MOST = 5


def test_every_listed_test_exists_and_names_its_wine_gap():
    known = load_limitations()
    assert 0 < len(known) <= MOST
    for test, gap in known.items():
        assert "Wine" in gap or "wine" in gap, (test, gap)
        path, _, name = test.partition("::")
        source = ROOT / path
        assert source.is_file(), test
        names = {n.name for n in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
                 if isinstance(n, ast.FunctionDef)}
        assert name.split("[")[0] in names, test


def test_an_entry_names_a_whole_test_or_the_start_of_one_case():
    from tests.windows.wine_plugin import _listed

    known = {"tests/a.py::test_x": "gap", "tests/a.py::test_y[link": "gap"}
    assert _listed("tests/a.py::test_x[1-2]", known) == "tests/a.py::test_x"
    assert _listed("tests/a.py::test_y[link-out.pdf-x]", known) == "tests/a.py::test_y[link"
    assert _listed("tests/a.py::test_y[/etc/hostname-x]", known) is None
    assert _listed("tests/a.py::test_xy", known) is None
