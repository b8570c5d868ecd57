"""A rule's finding: rule id, severity, field path and the Chinese message saying what to fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    field: str
    message: str

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def warning_line(self) -> str:
        """How a warning found while packing (DEADLINE, QUOTA of a 区直单位…) is told: the same
        words in every command and window (issue 24)."""
        return f"警告：{self.rule}：{self.message}"

    def __str__(self) -> str:
        mark = "错误" if self.is_error else "提示"
        return f"[{mark}] {self.rule} {self.field}：{self.message}"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)


def warning_lines(findings: Iterable[Finding]) -> list[str]:
    """Each warning's line once, however many steps found it (pack-office and its packer both
    check the deadline)."""
    return list(dict.fromkeys(f.warning_line() for f in findings))
