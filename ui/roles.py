"""Which role-specific pages the main window shows as tabs, beside the applicant's editor.

Other parts of the UI (``ui/office/``, ``ui/review/``) register their pages here at import time;
``main_window`` reads ``pages_for(role)`` when it builds (or rebuilds, after settings) its tabs:

    from ui import roles
    roles.register("office", "汇总与配额", lambda store, parent: QuotaPage(store, parent))

A factory gets the open ``collector.storage.store.Store`` and the parent widget and returns a QWidget
that implements ``RolePageWidget`` (subclass ``PageLifecycle`` beside QWidget): the main window
calls ``refresh()`` when the tab is shown and after imports, and ``close_page()`` before the
window closes. A factory returning anything else is refused when the tabs are built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol, runtime_checkable

# The role keys stored in the profile setting (``store.get_setting("profile")["role"]``) and
# their one Chinese name each, the same in settings, on the command line and in the user guide.
from collector.office.profile import APPLICANT, OFFICE, REGION, ROLE_LABELS, UNIT  # noqa: E402

ROLES: dict[str, str] = dict(ROLE_LABELS)
# The tab an office opens on: its 审核 page, not the applicant's editor.
REVIEW_TAB = "审核与名额"
# Modules imported (lazily, when the main window builds its tabs) so they can register pages,
# with the roles they register pages for: an applicant's window imports none of them (their
# printing, ISO and review code is most of a second of start-up).
PAGE_MODULES: dict[str, tuple[str, ...]] = {"ui.office": (UNIT, OFFICE, REGION),
                                            "ui.review": (REGION,)}

Factory = Callable[[Any, Any], Any]  # (store, parent) -> QWidget implementing RolePageWidget


@runtime_checkable
class RolePageWidget(Protocol):
    """What the main window asks of every page a role shows."""

    def refresh(self) -> None:
        """Re-read the store (the tab was shown, or data was imported)."""

    def close_page(self) -> None:
        """The window is closing: stop timers, forget state."""


class PageLifecycle:
    """Mixin for role pages (``class InboxPage(QWidget, PageLifecycle)``): nothing to close by
    default; ``refresh`` must be written by the page."""

    def refresh(self) -> None:
        raise NotImplementedError

    def close_page(self) -> None:
        return None


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
    load_page_modules(role)
    return list(_registry.get(role, []))


def load_page_modules(role: str | None = None) -> None:
    """Import the page modules for ``role`` (all of them when None)."""
    import importlib

    for name in PAGE_MODULES:
        if role is not None and role not in PAGE_MODULES[name]:
            continue
        importlib.import_module(name)  # the project's own modules: always there


def role_label(role: str) -> str:
    return ROLES.get(role, ROLES[APPLICANT])
