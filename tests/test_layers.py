"""The shape of the core's imports: the ``.rpu`` format library (``collector/rpu``) knows nothing
above it, ``collector/`` has no import circle, and nothing stands loose at its root.

Every import counts, the ones inside functions too (a late import hides a circle, it does not
remove it); only ``if TYPE_CHECKING:`` blocks, which never run, are left out."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "collector"
# What the format library may not import: the store, the record and its rules, the office,
# printing, and the exchange layer built on top of it.
ABOVE_RPU = ("collector.storage", "collector.record", "collector.rules", "collector.office",
             "collector.printing", "collector.exchange", "collector.review", "collector.disc",
             "collector.demo", "collector.cli")


def _modules(root: Path = CORE) -> dict[str, Path]:
    out = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _runtime_imports(module: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(x) for b in node.body for x in ast.walk(b)}
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1] + [node.module or ""]
                            if node.level else [node.module or ""]).strip(".")
            names = [f"{base}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def import_graph(root: Path = CORE) -> dict[str, set[str]]:
    modules = _modules(root)
    return {m: _runtime_imports(m, p, set(modules)) for m, p in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_rpu_format_library_imports_nothing_above_it():
    graph = import_graph()
    wrong = sorted((m, t) for m, targets in graph.items() if m.startswith("collector.rpu")
                   for t in targets if t.startswith(ABOVE_RPU))
    assert not wrong, f"collector/rpu imports what is above it: {wrong}"


def test_collector_has_no_import_circle():
    found = circles(import_graph())
    assert not found, "import circles: " + "; ".join(" → ".join(c) for c in found)


def test_the_core_root_holds_only_the_package_and_its_entry_point():
    loose = sorted(p.name for p in CORE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"], loose


# -- the checks themselves fail when they should -------------------------------------------------
def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "collector" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "collector"


@pytest.mark.parametrize("late", [False, True])
def test_a_circle_is_found_even_through_a_late_import(tmp_path, late):
    inner = "def f():\n    from .a import x\n" if late else "from .a import x\n"
    core = _write(tmp_path, {"__init__.py": "", "a.py": "from .b import y\nx = 1\n",
                             "b.py": inner + "y = 2\n"})
    assert circles(import_graph(core)) == [["collector.a", "collector.b"]]


def test_a_type_checking_import_is_no_circle(tmp_path):
    core = _write(tmp_path, {"__init__.py": "", "a.py": "from .b import y\n",
                             "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                     "    from .a import x\ny = 2\n"})
    assert circles(import_graph(core)) == []


def test_an_rpu_module_importing_the_store_is_caught(tmp_path):
    core = _write(tmp_path, {"__init__.py": "", "rpu/__init__.py": "",
                             "storage/__init__.py": "", "storage/store.py": "S = 1\n",
                             "rpu/reader.py": "def f():\n    from ..storage.store import S\n"})
    graph = import_graph(core)
    assert "collector.storage.store" in graph["collector.rpu.reader"]
