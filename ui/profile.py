"""The user's profile setting (role, unit, channel, year) as the UI reads and writes it."""

from __future__ import annotations

from collector.year import DEFAULT_YEAR

from .roles import APPLICANT, ROLES

KEY = "profile"


def load(store) -> dict | None:
    value = store.get_setting(KEY)
    return value if isinstance(value, dict) else None


def with_defaults(profile: dict | None) -> dict:
    p = dict(profile or {})
    if p.get("role") not in ROLES:
        p["role"] = APPLICANT
    p.setdefault("unit", "")
    channel = p.get("channel") if isinstance(p.get("channel"), dict) else {}
    p["channel"] = {"kind": str(channel.get("kind", "")), "name": str(channel.get("name", ""))}
    if not isinstance(p.get("year"), int):
        p["year"] = DEFAULT_YEAR
    return p


def save(store, profile: dict) -> None:
    store.set_setting(KEY, with_defaults(profile))
