"""pytest plugin of the Wine run (packaging/windows/wine_ci.sh: ``-p tests.windows.wine_plugin``).

Marks the tests that ``wine_limitations.toml`` names as expected failures, each with the Wine
gap that breaks it, so any other failure fails the run, and a listed test that passes shows as
XPASS (take it off the list: it only shrinks). A listed test that no longer exists stops the run.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

LIMITATIONS = Path(__file__).with_name("wine_limitations.toml")


def load_limitations(path: Path = LIMITATIONS) -> dict[str, str]:
    """Test id (``tests/...::name``, without parameters) -> the Wine gap that breaks it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    known: dict[str, str] = {}
    for entry in data.get("limitation", []):
        gap = entry["gap"].strip()
        assert gap, f"{path.name}: every entry names its Wine gap"
        for test in entry["tests"]:
            assert test not in known, f"{path.name}: {test} is listed twice"
            known[test] = gap
    return known


def _listed(nodeid: str, known: dict[str, str]) -> str | None:
    """The entry naming this test: its id without parameters, or (entries holding ``[``) the
    start of its id with parameters, so one case of a parametrized test can be listed alone."""
    base = nodeid.split("[", 1)[0]
    if base in known:
        return base
    return next((entry for entry in known if "[" in entry and nodeid.startswith(entry)), None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    known = load_limitations()
    seen: set[str] = set()
    for item in items:
        entry = _listed(item.nodeid, known)
        if entry is not None:
            seen.add(entry)
            item.add_marker(pytest.mark.xfail(reason=f"Wine: {known[entry]}", strict=False))
    collected_files = {item.nodeid.split("::", 1)[0] for item in items}
    stale = sorted(t for t in set(known) - seen if t.split("::", 1)[0] in collected_files)
    if stale:
        raise pytest.UsageError(f"{LIMITATIONS.name} names tests that do not exist: {stale}")
