"""Which role-specific pages the main window shows as tabs, beside the applicant's editor.

Other parts of the UI (``ui/office/``, ``ui/review/``) register their pages here at import time;
``main_window`` reads ``pages_for(role)`` when it builds (or rebuilds, after settings) its tabs:

    from ui import roles
    roles.register("office", "汇总与配额", lambda store, parent: QuotaPage(store, parent))

A factory gets the open ``collector.store.Store`` and the parent widget and returns a QWidget.
If the page has a ``refresh()`` method the main window calls it when the tab is shown and after
imports; if it has ``close_page()`` it is called before the window closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

# The role keys stored in the profile setting (``store.get_setting("profile")["role"]``) and
# their one Chinese name each, the same in settings, on the command line and in the user guide.
from collector.office.profile import APPLICANT, OFFICE, REGION, ROLE_LABELS, UNIT  # noqa: E402

ROLES: dict[str, str] = dict(ROLE_LABELS)
# The tab an office opens on: its 审核 page, not the applicant's editor.
REVIEW_TAB = "审核与名额"
# Modules imported (lazily, when the main window builds its tabs) so they can register pages.
PAGE_MODULES = ("ui.office", "ui.review")

Factory = Callable[[Any, Any], Any]  # (store, parent) -> QWidget


@dataclass(frozen=True)
class RolePage:
    title: str
    factory: Factory


_registry: dict[str, list[RolePage]] = {}


def register(role: str, title: str, factory: Factory) -> None:
    """Add a tab titled ``title`` for ``role`` (one of ROLES); registering a title twice replaces it."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; use one of {sorted(ROLES)}")
    pages = _registry.setdefault(role, [])
    pages[:] = [p for p in pages if p.title != title]
    pages.append(RolePage(title, factory))


def pages_for(role: str) -> list[RolePage]:
    """The pages registered for ``role``, after importing the modules that register them."""
    load_page_modules()
    return list(_registry.get(role, []))


def load_page_modules() -> None:
    import importlib

    for name in PAGE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name is None or not name.startswith(err.name):
                raise  # the module exists but one of its own imports is missing: a real bug


def role_label(role: str) -> str:
    return ROLES.get(role, ROLES[APPLICANT])
