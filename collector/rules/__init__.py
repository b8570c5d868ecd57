"""The rules engine: findings for one candidate (``validate``) and for a collection (``office``).

Every rule lives in ``checks.py`` (or ``routing.py``, the notice's channel rules) as one function;
``validate`` runs them all in order.
"""

from __future__ import annotations

import datetime as dt

from ..record.model import unreadable
from ..record.year import ProgramYear, load_year
from .checks import CANDIDATE_CHECKS, Context
from .findings import ERROR, WARNING, Finding, has_errors
from .routing import ROUTING_CHECKS

__all__ = ["Finding", "ERROR", "WARNING", "has_errors", "validate", "is_eligible"]


def validate(record: dict, year: ProgramYear | None = None,
             today: dt.date | None = None) -> list[Finding]:
    """All findings for one normalized record (see ``model.normalize``)."""
    year = year or load_year(record.get("program_year") or 2017)
    bad = unreadable(record, year)
    if bad:  # the checks below would misread or fail on these values
        return [Finding("FORMAT", ERROR, path, message) for path, message in bad]
    ctx = Context(record, year, today or dt.date.today())
    findings: list[Finding] = []
    for check in CANDIDATE_CHECKS + ROUTING_CHECKS:
        findings.extend(check(ctx))
    return findings


# Rules that decide eligibility itself (the banner's 符合 / 不符合), as opposed to completeness.
ELIGIBILITY_RULES = ("AGE", "TITLE", "CONDITION")


def is_eligible(findings: list[Finding]) -> bool:
    return not any(f.rule in ELIGIBILITY_RULES and f.is_error for f in findings)
