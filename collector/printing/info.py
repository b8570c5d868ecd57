"""What the recommending unit adds to the summary table and the report, and the fingerprint
that ties those documents to the candidates they list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from dataclasses import asdict, dataclass, fields

from ..common.errors import InputError
from ..common.fingerprint import canonical_json, record_fingerprint, sha256_hex
from ..record.model import normalize

SETTING_KEY = "report"  # store setting holding a dict with ReportInfo's keys


@dataclass
class ReportInfo:
    """The notice asks the report to name the contact unit, contact person, office phone, mobile."""
    unit: str = ""
    contact: str = ""
    office_phone: str = ""
    mobile: str = ""
    narrative: str = ""
    date: str = ""        # YYYY-MM-DD; empty means today
    channel: str = ""     # e.g. "盟市 · 呼和浩特市", shown in the summary table's header block
    # Ticked by the clerk once done; only then does the default report text assert them.
    publicized: bool = False    # 公示 of the candidates has been held
    declassified: bool = False  # classified material has been declassified (脱密处理)

    @classmethod
    def from_dict(cls, value: object) -> "ReportInfo":
        if value in (None, ""):
            return cls()
        if not isinstance(value, dict):
            raise InputError("推荐报告设置应是一个对象（单位、联系人、电话等），请在设置中重新填写")
        flags = {f.name for f in fields(cls) if f.type in (bool, "bool")}
        known = {f.name for f in fields(cls)}
        given: dict[str, Any] = {k: _flag(v) if k in flags else "" if v is None else str(v)
                                 for k, v in value.items() if k in known}
        return cls(**given)

    def to_dict(self) -> dict:
        return asdict(self)

    def merged(self, fallback: "ReportInfo") -> "ReportInfo":
        """Each empty field taken from ``fallback`` (command-line options over the saved setting)."""
        return ReportInfo(**{f.name: getattr(self, f.name) or getattr(fallback, f.name)
                             for f in fields(self)})

    def date_or_today(self) -> str:
        return self.date or dt.date.today().isoformat()

    def missing_contacts(self) -> list[str]:
        labels = {"unit": "联系单位", "contact": "联系人", "office_phone": "办公电话",
                  "mobile": "手机"}
        return [label for key, label in labels.items() if not getattr(self, key).strip()]


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "是", "已")
    return bool(value)


def candidate_fingerprints(records: list[dict]) -> list[str]:
    """Each candidate's record fingerprint (the one its registration form and the .rpu carry)."""
    return [record_fingerprint(normalize(r)) for r in records]


def list_fingerprint(fingerprints: list[str]) -> str:
    """Fingerprint of a set of candidates, printed on the summary table and the report:
    SHA-256 (hex) of the canonical JSON of the sorted list of the candidates' record
    fingerprints (lower-case hex). Sorted, so the order of printing does not matter."""
    return sha256_hex(canonical_json(sorted(fp.lower() for fp in fingerprints)))
