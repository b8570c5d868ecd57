"""A rule's finding: rule id, severity, field path and the Chinese message saying what to fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass

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

    def __str__(self) -> str:
        mark = "错误" if self.is_error else "提示"
        return f"[{mark}] {self.rule} {self.field}：{self.message}"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)
