"""Pytest hooks that make the mutation check (tools/mutation.py, docs/testing.md) cheaper.

They do nothing in an ordinary run: each first checks that it runs under mutmut.

- **What a test costs on its own.** mutmut's own timing of a test is its call alone, so a test
  whose module fixture builds four installations looks free. While mutmut measures the tests
  (``MUTANT_UNDER_TEST=stats``) we note, per test, its setup + call + teardown with the setup of
  the module- or session-wide fixtures it uses counted in full (a mutant's run that starts with
  that test pays for them), and keep the figures in ``mutation-test-costs.json`` beside mutmut's.
- **Cheapest first.** A mutant's covering tests then run in that order, so ``-x`` stops a
  killed mutant at its cheapest failing test.
- **A warm parent.** mutmut forks every mutant's run from its main process, after that has
  collected and measured the tests. At the end of each of those sessions we load what every run
  would otherwise load again (the bundled fonts' tables, about 0.4 s) and freeze the garbage
  collector's heap, so the collection pytest makes at the end of each run does not walk the whole
  inherited heap (about 0.15 s).
- **No inherited results.** Each mutant's run first empties the one cache of mutated code
  (``rules.checks._PLANS``): the parent filled it with the original code while measuring the
  tests, and every mutant of that function would have reused the original's plan and survived.
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


def _running_a_mutant() -> bool:
    return _under_mutmut() and "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", "")


def pytest_sessionstart(session):
    if _running_a_mutant():
        from collector.rules import checks

        checks._PLANS.clear()


def pytest_sessionfinish(session):
    if _recording() and _test_costs:
        known = _load_costs()
        known.update(_test_costs)
        COSTS_FILE.write_text(json.dumps(known, indent=0, sort_keys=True), encoding="utf-8")
    if _under_mutmut() and not _running_a_mutant():
        _warm_parent()


def _load_costs() -> dict[str, float]:
    global _known_costs
    if _known_costs is None:
        try:
            _known_costs = json.loads(COSTS_FILE.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _known_costs = {}
    return _known_costs


def _warm_parent() -> None:
    """In mutmut's main process, after one of its own sessions: load once what each run would."""
    from collector.common import fonts

    fonts.register_reportlab()
    fonts.needs_fallback("")
    _load_costs()
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(config, items):
    """Under mutmut, a mutant's covering tests run cheapest first (see the module's text)."""
    if not _running_a_mutant():
        return
    costs = _load_costs()
    try:
        from mutmut.state import state

        calls = state().duration_by_test
    except ImportError:  # pragma: no cover - only runs inside mutmut
        calls = {}
    items.sort(key=lambda item: costs.get(item.nodeid, calls.get(item.nodeid, 0.0)))
