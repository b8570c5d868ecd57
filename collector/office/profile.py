"""This installation's role and unit (the ``profile`` setting), shared by the CLI and the UI.

The setting is ``{"role": "applicant"|"unit"|"office"|"region", "unit": str,
"channel": {"kind", "name"}, "year": int, ...}`` as ``ui.profile`` writes it; the Chinese role
names (个人, 单位, 盟市/厅局, 自治区) are accepted too, so either spelling reads the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..common.errors import InputError
from ..storage.store import Store
from ..record.year import ProgramYear, load_year

PROFILE_KEY = "profile"
APPLICANT, UNIT, OFFICE, REGION = "applicant", "unit", "office", "region"
ROLE_LABELS = {APPLICANT: "个人", UNIT: "单位", OFFICE: "盟市/厅局", REGION: "自治区"}
_ALIASES = {
    **{label: key for key, label in ROLE_LABELS.items()},
    **{key: key for key in ROLE_LABELS},
    "个人（申报人）": APPLICANT, "申报人": APPLICANT, "盟市": OFFICE, "厅局": OFFICE,
    "盟市 / 区直厅局": OFFICE, "盟市/区直厅局": OFFICE, "区直单位": OFFICE,
}
# The level a role's package goes to, for messages and recipient hints.
LEVEL_ABOVE = {APPLICANT: UNIT, UNIT: OFFICE, OFFICE: REGION, REGION: REGION}
# What an office calls itself in packages (the .rpu manifest's vocabulary), by its channel kind:
# a 盟市 人社局, or a 自治区直属厅局 / 区直单位.
OFFICE_LEVELS = {"盟市": "盟市", "区直单位": "厅局"}


def role_key(value: Any) -> str:
    """``"盟市/厅局"`` or ``"office"`` → ``"office"``; anything unknown is an InputError."""
    text = str(value or "").strip()
    if text in _ALIASES:
        return _ALIASES[text]
    raise InputError(f"角色“{text}”无效，请选择 个人、单位、盟市/厅局 或 自治区", field="role")


@dataclass
class Profile:
    role: str = APPLICANT  # one of the keys above
    unit: str = ""
    channel: dict = field(default_factory=lambda: {"kind": "", "name": ""})
    extra: dict = field(default_factory=dict)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def is_office(self) -> bool:
        """Units, 盟市/厅局 and the region receive packages and decide 推荐/不推荐."""
        return self.role in (UNIT, OFFICE, REGION)

    def channel_kind(self, year: ProgramYear | None = None) -> str:
        """盟市 or 区直单位: as chosen, else found from the channel's name (or the unit's own
        name) in the year's lists; "" when nothing says which."""
        kind = self.channel.get("kind", "")
        if kind:
            return kind
        year = year or load_year()
        for name in (self.channel.get("name", ""), self.unit):
            for k, names in year.channels.items():
                if name and name in names:
                    return k
        return ""

    def level_label(self, year: ProgramYear | None = None) -> str:
        """个人, 单位, 盟市, 厅局 or 自治区; an office whose channel is unknown stays 盟市/厅局."""
        if self.role == OFFICE:
            return OFFICE_LEVELS.get(self.channel_kind(year), self.role_label)
        return self.role_label

    @property
    def display_unit(self) -> str:
        return self.unit or self.channel.get("name", "") or self.role_label

    def channel_code(self, year: ProgramYear | None = None) -> str:
        year = year or load_year()
        return year.channel_codes.get(self.channel.get("name", ""), "")

    def to_setting(self) -> dict:
        return {**self.extra, "role": self.role, "unit": self.unit,
                "channel": dict(self.channel)}


def load_profile(store: Store) -> Profile:
    raw = store.get_setting(PROFILE_KEY) or {}
    if not isinstance(raw, dict):
        raw = {}
    try:
        role = role_key(raw.get("role") or APPLICANT)
    except InputError:
        role = APPLICANT  # a damaged setting falls back to the least-privileged view
    channel = raw.get("channel") if isinstance(raw.get("channel"), dict) else {}
    extra = {k: v for k, v in raw.items() if k not in ("role", "unit", "channel")}
    return Profile(role, str(raw.get("unit") or ""),
                   {"kind": str(channel.get("kind") or ""), "name": str(channel.get("name") or "")},
                   extra)


def save_profile(store: Store, *, role: str | None = None, unit: str | None = None,
                 channel_kind: str | None = None, channel_name: str | None = None,
                 year: ProgramYear | None = None, extra: dict | None = None) -> Profile:
    """Change some of the profile; the channel must be one of the year's 盟市 / 区直单位
    (an empty ``channel_name`` clears it). ``extra`` keys (e.g. the GUI's ``year``) are kept.
    The one way the CLI (``collector role``) and the GUI (设置, first-run guide) save it."""
    year = year or load_year()
    profile = load_profile(store)
    if extra:
        profile.extra.update({k: v for k, v in extra.items()
                              if k not in ("role", "unit", "channel")})
    if role is not None:
        profile.role = role_key(role)
    if unit is not None:
        profile.unit = unit.strip()
    if channel_name is not None and not channel_name.strip():
        profile.channel = {"kind": "", "name": ""}
    elif channel_name is not None:
        channel_name = channel_name.strip()
        kind = channel_kind or _kind_of(channel_name, year)
        if kind not in year.channels:
            raise InputError(f"推荐渠道类别“{kind}”无效，请选择 {'、'.join(year.channels)}",
                             field="channel.kind")
        if channel_name not in year.channels[kind]:
            raise InputError(f"“{channel_name}”不在{year.year}年度的{kind}名单中，请从名单中选择",
                             field="channel.name")
        profile.channel = {"kind": kind, "name": channel_name}
    store.set_setting(PROFILE_KEY, profile.to_setting())
    return profile


def _kind_of(name: str, year: ProgramYear) -> str:
    for kind, names in year.channels.items():
        if name in names:
            return kind
    raise InputError(f"“{name}”不在{year.year}年度的盟市或区直单位名单中，请从名单中选择",
                     field="channel.name")
