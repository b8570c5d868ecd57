"""The 佐证材料 checklist: for each evidence category of the year (``[evidence]``), how many
items the record lists and how many attachments back them (notice 四: 核查确认人选相关证书、
获奖、论文等证明材料). It helps the office check the bound copies; it is not a blocking rule,
since paper copies may be bound without a scan attached."""

from __future__ import annotations

from dataclasses import dataclass

from ..record.year import ProgramYear
from .attachment_kind import may_fit


@dataclass(frozen=True)
class EvidenceLine:
    category: str     # 佐证材料类别, e.g. 获奖证书
    listed: int       # items in the record it backs (1 for a filled-in single field)
    attached: int     # attachments of that category
    may_fit: tuple[str, ...] = ()  # attachments filed elsewhere whose names suggest it

    @property
    def missing(self) -> bool:
        return self.listed > 0 and self.attached == 0

    @property
    def advice(self) -> str:
        """What to do about a missing category, naming the attachments that may be it."""
        if not self.may_fit:
            return "请补附复印件"
        names = "、".join(f"“{n}”" for n in self.may_fit)
        return f"{names}可能就是，请把其类别改为{self.category}，或补附复印件"


def evidence_checklist(record: dict, year: ProgramYear) -> list[EvidenceLine]:
    attachments = record.get("attachments") or []
    lines = []
    for category, key in year.evidence.items():
        value = record.get(key)
        listed = len(value) if isinstance(value, list) else int(bool(value))
        attached = sum(1 for a in attachments if a.get("category") == category)
        fits = tuple(may_fit(attachments, category, year)) if listed and not attached else ()
        lines.append(EvidenceLine(category, listed, attached, fits))
    return lines
