"""The quota view: how many each channel recommends against the year's quota (QUOTA), and the
region's total; the same findings block the office's package."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..rules.findings import Finding
from ..rules.office import check_quota, check_region_total
from ..storage.store import Store
from ..record.year import ProgramYear, load_year
from .decisions import selected_ids
from .emphasis import Emphasis, emphasis
from .profile import REGION, Profile


@dataclass
class QuotaRow:
    kind: str
    name: str
    recommended: int
    quota: int | None

    @property
    def over(self) -> bool:
        return self.quota is not None and self.recommended > self.quota

    @property
    def text(self) -> str:
        limit = "不限" if self.quota is None else str(self.quota)
        return f"{self.name}（{self.kind}）：推荐 {self.recommended} / 名额 {limit}" + (
            "  超出名额" if self.over else "")


@dataclass
class QuotaView:
    rows: list[QuotaRow]
    total: int
    region_quota: int | None  # shown at region level only
    findings: list[Finding]
    # the notice's emphases for everyone held and for those marked 推荐 (where the office decides)
    emphasis: list[Emphasis] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def lines(self) -> list[str]:
        out = [r.text for r in self.rows]
        if self.region_quota is not None:
            out.append(f"全区合计：推荐 {self.total} / 名额 {self.region_quota}")
        else:
            out.append(f"合计推荐 {self.total} 人")
        return out

    def emphasis_lines(self) -> list[str]:
        return ["遴选推荐重点 · " + e.line() for e in self.emphasis]


def selected_records(store: Store) -> list[dict]:
    return [store.get(cid).data for cid in selected_ids(store)]


def quota_view(store: Store, profile: Profile, year: ProgramYear | None = None) -> QuotaView:
    year = year or load_year()
    records = selected_records(store)
    counts = Counter(((r.get("channel") or {}).get("kind", ""),
                      (r.get("channel") or {}).get("name", "")) for r in records)
    own = (profile.channel.get("kind"), profile.channel.get("name"))
    if own[0] and own[1] and own not in counts:
        counts[own] = 0  # show the office's own channel even before anyone is chosen
    rows = [QuotaRow(kind or "未填", name or "未填", n, year.quotas.get(kind))
            for (kind, name), n in sorted(counts.items())]
    findings = check_quota(records, year)
    region_quota = None
    if profile.role == REGION:
        region_quota = year.region_quota
        findings += check_region_total(records, year)
    held = [c.data for c in store.all()]
    shares = [emphasis(held, year, "全部候选人"), emphasis(records, year, "已推荐")]
    return QuotaView(rows, len(records), region_quota, findings, shares)
