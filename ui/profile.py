"""The profile setting (role, unit, channel, year) as the UI's dialogs read and write it: a thin
view over ``collector.office.profile``, the one settings model the CLI uses too, so the GUI
checks the channel against the year's lists exactly as ``collector role`` does."""

from __future__ import annotations

from collector.office.profile import PROFILE_KEY, load_profile, save_profile
from collector.record.year import DEFAULT_YEAR

from .roles import APPLICANT, ROLES

KEY = PROFILE_KEY


def load(store) -> dict | None:
    """The saved profile as a dict, or None before the first-run guide saved one."""
    if not isinstance(store.get_setting(KEY), dict):
        return None
    return with_defaults(load_profile(store).to_setting())


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
    """Save through the core (InputError naming the field when the channel is not the year's)."""
    p = with_defaults(profile)
    save_profile(store, role=p["role"], unit=p["unit"],
                 channel_kind=p["channel"]["kind"] or None, channel_name=p["channel"]["name"],
                 extra={k: v for k, v in p.items() if k not in ("role", "unit", "channel")})
