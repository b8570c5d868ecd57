"""The program year's rules (``resources/rules/<year>.toml``) loaded into one frozen record."""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..common.errors import RulesError
from ..common.paths import resources_dir

DEFAULT_YEAR = 2017


@dataclass(frozen=True)
class Limit:
    max: int
    severity: str = "error"
    note: str = ""


@dataclass(frozen=True)
class ProgramYear:
    year: int
    title: str
    authority: str
    office: str
    notice_ref: str
    deadline: dt.date
    region_quota: int
    born_on_or_after: dt.date
    min_title_level: str
    title_levels: tuple[str, ...]
    general_condition: str
    conditions: dict[int, str]
    quotas: dict[str, int]
    limits: dict[str, Limit]
    focus_areas: tuple[str, ...]
    strategies: tuple[str, ...]
    channels: dict[str, tuple[str, ...]]
    channel_codes: dict[str, str]
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    non_public_employer_types: tuple[str, ...] = ()
    industrial_conditions: tuple[int, ...] = ()
    non_public_ownership: tuple[str, ...] = ()
    non_public_channel_kind: str = ""          # where the notice routes non-public candidates
    young_born_on_or_after: dt.date | None = None  # 中青年 for the emphasis shares
    research_employer_types: tuple[str, ...] = ()  # （二）高等院校、科研院所
    original_conditions: tuple[int, ...] = ()      # 学术技术重大原始创新
    evidence: dict[str, str] = field(default_factory=dict)  # 佐证材料类别 -> the record key it backs
    # 佐证材料类别 -> words in a file name that suggest it (rules.attachment_kind)
    evidence_words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def title_rank(self, level: str) -> int:
        """Higher is more senior; unknown levels rank lowest."""
        try:
            return len(self.title_levels) - self.title_levels.index(level)
        except ValueError:
            return -1

    def choices(self, name: str) -> tuple[str, ...]:
        """An enumeration by name: the ``[enums]`` table plus focus areas, strategies, channels."""
        special = {
            "focus_areas": self.focus_areas,
            "strategies": self.strategies,
            "title_level": self.title_levels,
        }
        if name in special:
            return special[name]
        try:
            return self.enums[name]
        except KeyError:
            raise RulesError(f"{self.year}年规则文件缺少枚举 {name}") from None

    def limit(self, key: str) -> Limit | None:
        return self.limits.get(key)

    def is_non_public(self, record: dict) -> bool:
        """A 非公有制 unit by its 单位性质 or its 单位所有制 (both lists are the year's data)."""
        return (record.get("employer_type") in self.non_public_employer_types
                or record.get("unit_ownership") in self.non_public_ownership)


def rules_path(year: int) -> Path:
    return resources_dir() / "rules" / f"{year}.toml"


def available_years() -> list[int]:
    folder = resources_dir() / "rules"
    return sorted(int(p.stem) for p in folder.glob("*.toml") if p.stem.isdigit())


@functools.cache
def load_year(year: int = DEFAULT_YEAR) -> ProgramYear:
    path = rules_path(year)
    if not path.exists():
        raise RulesError(f"没有{year}年度的规则文件（{path}）")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return _from_toml(data)
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as err:
        raise RulesError(f"{year}年度规则文件有误：{err}") from err


def _from_toml(data: dict) -> ProgramYear:
    program, elig = data["program"], data["eligibility"]
    stats = data.get("statistics", {})
    return ProgramYear(
        year=int(program["year"]),
        title=program["title"],
        authority=program["authority"],
        office=program["office"],
        notice_ref=program.get("notice_ref", ""),
        deadline=program["deadline"],
        region_quota=int(program["region_quota"]),
        born_on_or_after=elig["born_on_or_after"],
        min_title_level=elig["min_title_level"],
        title_levels=tuple(elig["title_levels"]),
        general_condition=elig.get("general", ""),
        conditions={int(k): v for k, v in elig["conditions"].items()},
        quotas={k: int(v) for k, v in data["quotas"].items()},
        limits={k: Limit(**v) for k, v in data["limits"].items()},
        focus_areas=tuple(data["focus"]["areas"]),
        strategies=tuple(data["focus"]["strategies"]),
        channels={k: tuple(v) for k, v in data["channels"].items()},
        channel_codes=dict(data.get("channel_codes", {})),
        enums={k: tuple(v) for k, v in data["enums"].items()},
        non_public_employer_types=tuple(stats.get("non_public_employer_types", ())),
        industrial_conditions=tuple(int(c) for c in stats.get("industrial_conditions", ())),
        non_public_ownership=tuple(stats.get("non_public_ownership", ())),
        non_public_channel_kind=data.get("routing", {}).get("non_public_channel_kind", ""),
        young_born_on_or_after=stats.get("young_born_on_or_after"),
        evidence=dict(data.get("evidence", {})),
        evidence_words={k: tuple(v) for k, v in data.get("evidence_words", {}).items()},
        research_employer_types=tuple(stats.get("research_employer_types", ())),
        original_conditions=tuple(int(c) for c in stats.get("original_conditions", ())),
    )
