"""Pytest hooks that make the mutation check (tools/mutation.py, docs/testing.md) cheaper.

They do nothing in an ordinary run: each first checks that it runs under mutmut.

- **What a test costs on its own.** mutmut's own timing of a test is its call alone, so a test
  whose module fixture builds four installations looks free. While mutmut measures the tests
  (``MUTANT_UNDER_TEST=stats``) we note, per test, its setup + call + teardown with the setup of
  the module- or session-wide fixtures it uses counted in full (a mutant's run that starts with
  that test pays for them), and keep the figures in ``mutation-test-costs.json`` beside mutmut's.
- **Cheapest first.** A mutant's covering tests then run in that order, so ``-x`` stops a
  killed mutant at its cheapest failing test.
- **A warm fork server.** mutmut forks every mutant's run from one process that has collected the
  tests. At the end of that collection we load what every run would otherwise load again (the
  bundled fonts' tables, about 0.4 s) and freeze the garbage collector's heap, so the collection
  pytest makes at the end of each run does not walk the whole inherited heap (about 0.15 s).
  We also empty the one cache of mutated code (``rules.checks._PLANS``), which the fork server
  inherits filled by the original code.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from pathlib import Path

import pytest

COSTS_FILE = Path("mutation-test-costs.json")  # in mutmut's working folder, mutants/

_fixture_costs: dict[tuple[str, str], float] = {}  # (argname, nodeid it is scoped to) → seconds
_wide_setup = [0.0]  # seconds spent so far setting up module-, class- or session-wide fixtures
_test_costs: dict[str, float] = {}
_known_costs: dict[str, float] | None = None


def _under_mutmut() -> bool:
    return "mutmut" in sys.modules


def _recording() -> bool:
    """mutmut is measuring the tests (not yet running mutants)."""
    return _under_mutmut() and os.environ.get("MUTANT_UNDER_TEST") == "stats"


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if not _recording() or fixturedef.scope == "function":
        return (yield)
    started = time.perf_counter()
    try:
        return (yield)
    finally:
        took = time.perf_counter() - started
        _fixture_costs[(fixturedef.argname, request.node.nodeid)] = took
        _wide_setup[0] += took


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if not _recording():
        return (yield)
    started, wide_before = time.perf_counter(), _wide_setup[0]
    try:
        return (yield)
    finally:
        own = time.perf_counter() - started - (_wide_setup[0] - wide_before)
        scopes = {node.nodeid for node in item.listchain()}
        wide = sum(cost for (name, scope), cost in _fixture_costs.items()
                   if name in item.fixturenames and scope in scopes)
        _test_costs[item.nodeid] = round(own + wide, 4)


def pytest_sessionfinish(session):
    if _recording() and _test_costs:
        known = _load_costs()
        known.update(_test_costs)
        COSTS_FILE.write_text(json.dumps(known, indent=0, sort_keys=True), encoding="utf-8")
    elif _under_mutmut() and session.config.option.collectonly:
        _warm_fork_server()


def _load_costs() -> dict[str, float]:
    global _known_costs
    if _known_costs is None:
        try:
            _known_costs = json.loads(COSTS_FILE.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _known_costs = {}
    return _known_costs


def _warm_fork_server() -> None:
    """In mutmut's fork server, after its collection: load once what each run would load."""
    from collector import fonts
    from collector.rules import checks

    fonts.register_reportlab()
    fonts.needs_fallback("")
    _load_costs()
    # The fork server is forked from mutmut's main process after it measured the tests, so it
    # holds the results a cache of mutated code worked out with the original code: every mutant
    # would reuse them and survive. Each run works its own out again.
    checks._PLANS.clear()
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(config, items):
    """Under mutmut, a mutant's covering tests run cheapest first (see the module's text)."""
    if not _under_mutmut() or _recording():
        return
    costs = _load_costs()
    try:
        from mutmut.state import state

        calls = state().duration_by_test
    except ImportError:  # pragma: no cover - only runs inside mutmut
        calls = {}
    items.sort(key=lambda item: costs.get(item.nodeid, calls.get(item.nodeid, 0.0)))
